"""Faults while writing outputs: signals, a file size limit, a run killed
outright.  A run commits all its outputs or none, and never leaves a
temporary file behind unless SIGKILL gave it no chance; then the next run
that writes the directory removes it, and nothing ever takes it for an
output.

Deterministic points to stop at come from the test build of the tool
(ctx.hooks, built with XBG_TEST_HOOKS: src/base/base.h):
XBG_TEST_SIGNAL_AT=POINT:SIG raises SIG the first time the run reaches
"staged" (a temporary file written, the backend still running),
"commit" (all written, before the renames) or "renamed" (after the first
rename).  The released tool has none of this, which a test checks too."""

import os
import re
import resource
import signal
import subprocess

from run import Test

TEMP = re.compile(r"^\..+\.xbg-tmp-[A-Za-z0-9]{6}$")
UNITS = ("a", "b", "sub/c")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def spec_tree(ctx, version):
    """Three units whose outputs all change from one version to the next."""
    d = ctx.mkdtemp("specs-" + version)
    for u in UNITS:
        name = u.replace("/", "_")
        write(os.path.join(d, u, "x.toml"),
              '[[structs]]\nname = "s_%s"\ndescription = "version %s"\n'
              'fields = [{ name = "f", typ = "u32" }]\n' % (name, version))
    return d


def snapshot(top):
    seen = {}
    for base, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, top)
            if os.path.isdir(p):
                seen[rel] = None
            else:
                with open(p, "rb") as f:
                    seen[rel] = f.read()
    return seen


def temps(top):
    return sorted(os.path.relpath(os.path.join(b, f), top)
                  for b, _, fs in os.walk(top) for f in fs if TEMP.match(f))


def raw_run(ctx, args, env=None, preexec=None):
    """ctx.run() takes death by a signal for a crash: here it is the point."""
    p = subprocess.run(args, capture_output=True, env=ctx.env(env), timeout=300,
                       preexec_fn=preexec)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def generate(ctx, tool, specs, out, lang="c", env=None, *extra):
    return raw_run(ctx, [tool, "-i", specs, "-o", out, "-l", lang,
                         "--regen-hint", "REGEN"] + list(extra), env)


def hooked(ctx, specs, out, at, lang="c"):
    return generate(ctx, ctx.hooks, specs, out, lang, {"XBG_TEST_SIGNAL_AT": at})


def reference(ctx, specs, lang="c"):
    """What a clean run writes."""
    out = os.path.join(ctx.mkdtemp("ref"), "out")
    st, so, se = generate(ctx, ctx.tool, specs, out, lang)
    assert st == 0, se
    return snapshot(out)


def test_signal_leaves_nothing(ctx):
    """SIGINT, SIGTERM or SIGHUP while temporaries exist (as the backend
    runs, or all written): the run dies of the signal, and the output
    directory is as it was, or absent if the run made it."""
    def fn():
        a, b = spec_tree(ctx, "A"), spec_tree(ctx, "B")
        for point in ("staged", "commit"):
            for sig in ("INT", "TERM", "HUP"):
                top = ctx.mkdtemp("sig")
                out = os.path.join(top, "out")
                st, so, se = hooked(ctx, b, out, "%s:%s" % (point, sig))
                assert st == -getattr(signal, "SIG" + sig), (point, sig, st, se)
                assert os.listdir(top) == [], (point, sig, snapshot(top))
                st, so, se = generate(ctx, ctx.tool, a, out)
                assert st == 0, se
                before = snapshot(out)
                st, so, se = hooked(ctx, b, out, "%s:%s" % (point, sig))
                assert st == -getattr(signal, "SIG" + sig), (point, sig, st, se)
                assert snapshot(out) == before, (point, sig, temps(out))
    return fn


def test_signal_during_renames(ctx):
    """A signal after the first rename waits until every output is in
    place: all new, no temporary left, then the run dies of it."""
    def fn():
        a, b = spec_tree(ctx, "A"), spec_tree(ctx, "B")
        want = reference(ctx, b)
        for sig in ("INT", "TERM"):
            out = os.path.join(ctx.mkdtemp("ren"), "out")
            st, so, se = generate(ctx, ctx.tool, a, out)
            assert st == 0, se
            st, so, se = hooked(ctx, b, out, "renamed:" + sig)
            assert st == -getattr(signal, "SIG" + sig), (sig, st, se)
            assert snapshot(out) == want, (sig, temps(out))
    return fn


def test_killed_run(ctx):
    """SIGKILL cannot be caught: its temporaries stay.  They are named
    .NAME.xbg-tmp-XXXXXX; --check reports only the real differences, never
    them (as extra or stale), another backend writing the same directory
    leaves them alone, and the next run of their own backend removes them
    (not counted as removed outputs)."""
    def fn():
        a, b = spec_tree(ctx, "A"), spec_tree(ctx, "B")
        out = os.path.join(ctx.mkdtemp("kill"), "out")
        st, so, se = generate(ctx, ctx.tool, a, out)
        assert st == 0, se
        st, so, se = hooked(ctx, b, out, "commit:KILL")
        assert st == -signal.SIGKILL, (st, se)
        left = temps(out)
        assert [t[:-6] for t in left] == [".a.h.xbg-tmp-", ".b.h.xbg-tmp-",
                                          "sub/.c.h.xbg-tmp-"], left
        # the outputs are still those of A: in sync with A, nothing extra
        st, so, se = generate(ctx, ctx.tool, a, out, "c", None, "--check")
        assert (st, so, se) == (0, "", ""), (st, so, se)
        # against B: exactly the three stale outputs
        st, so, se = generate(ctx, ctx.tool, b, out, "c", None, "--check")
        summary = [l for l in so.splitlines() if re.match(r"^(stale|missing|extra): ", l)]
        assert st == 1 and summary == ["stale: %s/a.h" % out, "stale: %s/b.h" % out,
                                       "stale: %s/sub/c.h" % out], (st, so)
        # the Rust backend does not own .h files: it leaves them
        st, so, se = generate(ctx, ctx.tool, b, out, "rust")
        assert st == 0, se
        assert temps(out) == left
        # the C backend does
        st, so, se = generate(ctx, ctx.tool, b, out, "c", None, "-v")
        assert (st, so) == (0, "3 written, 0 unchanged, 0 removed\n"), (st, so, se)
        assert temps(out) == []
        c_files = {k: v for k, v in snapshot(out).items() if k.endswith(".h") or k == "sub"}
        assert c_files == reference(ctx, b), sorted(c_files)
        # a depfile's: removed by the next run that writes the depfile
        top = os.path.dirname(out)
        left = os.path.join(top, ".deps.d.xbg-tmp-AbC123")
        write(left, "half a depfile")
        st, so, se = generate(ctx, ctx.tool, b, out, "c", None, "--depfile",
                              os.path.join(top, "deps.d"))
        assert st == 0, se
        assert sorted(os.listdir(top)) == ["deps.d", "out"], os.listdir(top)
    return fn


def test_killed_fmt(ctx):
    """fmt and convert --in-place write through the same writer: a run of
    either killed by SIGKILL leaves its temporaries, which no later run
    takes for a spec, and the next fmt or convert of those files removes
    them (changed or not)."""
    def fn():
        d = ctx.mkdtemp("fmt-kill")
        messy = '[[consts]]\nname = "A"\nvalue =   1\ndescription = "x"\n'
        neat = '[[consts]]\nname = "B"\nvalue = 2\ndescription = "y"\n'
        write(os.path.join(d, "u", "a.toml"), messy)
        write(os.path.join(d, "u", "b.toml"), neat)
        st, so, se = raw_run(ctx, [ctx.hooks, "fmt", d],
                             {"XBG_TEST_SIGNAL_AT": "commit:KILL"})
        assert st == -signal.SIGKILL, (st, se)
        left = temps(d)
        assert [t[:-6] for t in left] == ["u/.a.toml.xbg-tmp-"], left
        # a leftover of the formatted file too, as an earlier run may leave
        write(os.path.join(d, "u", ".b.toml.xbg-tmp-Zz9Zz9"), "half")
        # never a spec: validate sees two files
        st, so, se = raw_run(ctx, [ctx.tool, "validate", "-i", d])
        assert st == 0 and "from 2 spec files" in so, (st, so, se)
        st, so, se = raw_run(ctx, [ctx.tool, "fmt", "-v", d])
        assert st == 0, se
        assert temps(d) == [], temps(d)
        assert so.splitlines() == ["formatted: %s/u/a.toml" % d,
                                   "unchanged: %s/u/b.toml" % d], so
        # convert --in-place: killed, then run again
        st, so, se = raw_run(ctx, [ctx.hooks, "convert", "--to", "json",
                                   "--in-place", d],
                             {"XBG_TEST_SIGNAL_AT": "commit:KILL"})
        assert st == -signal.SIGKILL, (st, se)
        assert [t[:-6] for t in temps(d)] == ["u/.a.json.xbg-tmp-",
                                              "u/.b.json.xbg-tmp-"], temps(d)
        st, so, se = raw_run(ctx, [ctx.tool, "convert", "--to", "json",
                                   "--in-place", d])
        assert st == 0, se
        assert sorted(os.listdir(os.path.join(d, "u"))) == ["a.json", "b.json"]
    return fn


def test_file_size_limit(ctx):
    """A file size limit (ulimit -f) makes write() fail instead of killing
    the run with SIGXFSZ: a located I/O error, status 3, and nothing left
    (the released run used to die and leave .arch_arm.rs.XXXXXX)."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")

        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        top = ctx.mkdtemp("fsize")
        out = os.path.join(top, "out")
        st, so, se = raw_run(ctx, [ctx.tool, "-i", specs, "-o", out, "-l", "rust"],
                             preexec=limit)
        assert st == 3, (st, se)
        assert re.search(r"^%s/src/[a-z_/]+\.rs: error: cannot write: File too large$"
                         % re.escape(out), se, re.M), se
        assert os.listdir(top) == [], snapshot(top)
        # over existing outputs: they stay as they were
        st, so, se = raw_run(ctx, [ctx.tool, "-i", specs, "-o", out, "-l", "c"])
        assert st == 0, se
        for name in os.listdir(out):
            if name.endswith(".h"):
                with open(os.path.join(out, name), "a") as f:
                    f.write("/* edited */\n")
        before = snapshot(out)
        st, so, se = raw_run(ctx, [ctx.tool, "-i", specs, "-o", out, "-l", "c"],
                             preexec=limit)
        assert st == 3 and "error: cannot write: File too large" in se, (st, se)
        assert snapshot(out) == before, temps(out)
    return fn


def test_hooks_only_in_test_build(ctx):
    """The released tool holds no test hook: neither their code nor the
    names of their variables, and setting them changes nothing."""
    def fn():
        for tool, present in ((ctx.tool, False), (ctx.hooks, True)):
            with open(tool, "rb") as f:
                data = f.read()
            for word in (b"XBG_TEST_SIGNAL_AT", b"XBG_TEST_PERTURB", b"test_signal_at",
                         b"layout_perturb"):
                assert (word in data) == present, (tool, word)
        specs = spec_tree(ctx, "A")
        want = reference(ctx, specs)
        out = os.path.join(ctx.mkdtemp("rel"), "out")
        st, so, se = generate(ctx, ctx.tool, specs, out, "c",
                              {"XBG_TEST_SIGNAL_AT": "commit:KILL",
                               "XBG_TEST_PERTURB": "s_a.f@x86_64"})
        assert st == 0 and snapshot(out) == want, (st, se)
    return fn


def collect(ctx):
    return [
        Test("faults/signal-leaves-nothing", test_signal_leaves_nothing(ctx)),
        Test("faults/signal-during-renames", test_signal_during_renames(ctx)),
        Test("faults/killed-run", test_killed_run(ctx)),
        Test("faults/killed-fmt", test_killed_fmt(ctx)),
        Test("faults/file-size-limit", test_file_size_limit(ctx)),
        Test("faults/hooks-only-in-test-build", test_hooks_only_in_test_build(ctx)),
    ]
