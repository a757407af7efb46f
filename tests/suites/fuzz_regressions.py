"""Fuzzer findings as regression tests (issue 9).

Every input that once crashed a fuzz target, tripped a sanitizer or broke
one of its checks is kept in tests/fuzz-regressions/<target>/ (fuzz/README.md
lists them with the bug each one found).  Each is fed through the built tool
the way a user would meet it:

  * toml, yaml, json: the file alone through the doc-decoder test tool, as
    fuzz.<ext>, and as the only spec of a tree (in/unit/a.<ext>) through
    `xenbindgen validate`;
  * convert: the first byte picks the format, as in fuzz_convert.c; the
    rest, as a file of that format, is converted to TOML, YAML and JSON,
    and every output written must read back to the same document tree;
  * pipeline: the input is split into a spec tree exactly as fuzz_pipeline.c
    splits it ("%%% <path>" lines), then `validate` and generation of C, C
    layout assertions and Rust run on the tree.

Every run must end with status 0, or status 1 with a located error
("path:line:col: error:", or "path: error:" for a whole file or directory)
and no output directory; never a crash, a sanitizer report (ctx.run() fails
the test on those) or a hang.

fuzz/smoke then builds the fuzz targets (make fuzz, clang with libFuzzer)
and runs each for 2 seconds on seeds made from the project's specs and
tests, and on its regression inputs.
"""

import json
import os
import re
import shutil
import subprocess
import sys

LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: error: |^in/[^:\n]*: error: ", re.M)
EXT = {"toml": "toml", "yaml": "yaml", "json": "json"}
MAX_FILES, MAX_DEPTH = 32, 16  # as in fuzz_pipeline.c
TIMEOUT = 120


def _runner(ctx):
    # Test, Need and Skip come from the runner that made ctx (run.py runs as
    # __main__, so `import run` would give other classes).
    return sys.modules[type(ctx).__module__]


def regressions_dir(ctx):
    return os.path.join(ctx.root, "tests", "fuzz-regressions")


# ---- fuzz_pipeline.c's input format -----------------------------------------

def _valid_path(p):
    """fuzz_pipeline.c's valid_path(): what the directory loader could give."""
    ok = re.fullmatch(rb"(?:[A-Za-z0-9_-]+/){1,%d}[A-Za-z0-9_.-]*" % MAX_DEPTH, p)
    return bool(ok) and re.search(rb"\.(toml|yaml|yml|json)$", p) is not None \
        and not p.rsplit(b"/", 1)[1].startswith(b".")


def _find_sep(data, pos):
    while True:
        k = data.find(b"%%% ", pos)
        if k < 0:
            return len(data)
        if k == 0 or data[k - 1] == 0x0A:
            return k
        pos = k + 1


def split_pipeline(data):
    """[(path, bytes)] as fuzz_pipeline.c's split() makes them."""
    parts, seen = [], set()
    path, start, pos, n = b"unit/a.toml", 0, 0, len(data)
    while True:
        j = _find_sep(data, pos)
        if len(parts) < MAX_FILES and j > 0 and _valid_path(path) and path not in seen:
            seen.add(path)
            parts.append((path, data[start:j]))
        if j == n:
            break
        e = data.find(b"\n", j + 4)
        path = data[j + 4:e if e >= 0 else n]
        if b"\0" in path:
            path = b""
        start = pos = e + 1 if e >= 0 else n
    parts.sort()
    # a path that is also a directory of another cannot exist on disk
    dirs = {p[:i] for p, _ in parts for i in range(len(p)) if p[i:i + 1] == b"/"}
    return [(p, d) for p, d in parts if p not in dirs]


# ---- checks ----------------------------------------------------------------------

def _check_run(st, se, what, out=None):
    assert st in (0, 1), "%s: status %d\n%s" % (what, st, se[-3000:])
    if st == 1:
        assert LOCATED.search(se), "%s: status 1 without a located error:\n%s" % (what, se[-3000:])
        if out:
            assert not os.path.exists(out), "%s: failed but wrote %s" % (what, out)


def _tool_runs(ctx, d):
    """validate, then generate each language, in d (which holds in/)."""
    st, so, se = ctx.run([ctx.tool, "validate", "-i", "in"], cwd=d, timeout=TIMEOUT)
    _check_run(st, se, "validate")
    for lang in ("c", "c-layout", "rust"):
        out = os.path.join(d, "out-" + lang)
        st, so, se = ctx.run([ctx.tool, "-i", "in", "-o", out, "-l", lang], cwd=d,
                             timeout=TIMEOUT)
        _check_run(st, se, "-l " + lang, out)


def reader_test(ctx, target, path):
    def fn():
        with open(path, "rb") as f:
            data = f.read()
        d = ctx.mkdtemp("fuzzreg")
        name = "fuzz." + EXT[target]
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        st, so, se = ctx.run([os.path.join(ctx.testbin, "doc-decoder"), name], cwd=d,
                             timeout=TIMEOUT)
        _check_run(st, se, "doc-decoder")
        if st == 1:
            assert re.match(r"fuzz\.%s:\d+:\d+: error: " % EXT[target], se), se[-3000:]
        os.makedirs(os.path.join(d, "in", "unit"))
        shutil.copy(os.path.join(d, name), os.path.join(d, "in", "unit", "a." + EXT[target]))
        _tool_runs(ctx, d)
    return fn


def _doc_dump(ctx, d, name):
    st, so, se = ctx.run([os.path.join(ctx.testbin, "doc-decoder"), name], cwd=d,
                         timeout=TIMEOUT)
    _check_run(st, se, "doc-decoder " + name)
    if st == 1:
        assert re.match(r"[^:\n]+:\d+:\d+: error: ", se), se[-3000:]
        return None
    return so


def convert_test(ctx, path):
    def fn():
        with open(path, "rb") as f:
            data = f.read()
        if not data:
            return
        fmt = ("toml", "yaml", "json")[data[0] % 3]
        if fmt != "toml" and not ctx.yaml:
            return
        d = ctx.mkdtemp("fuzzreg")
        name = "a." + fmt
        with open(os.path.join(d, name), "wb") as f:
            f.write(data[1:])
        tree = _doc_dump(ctx, d, name)
        if tree is None:
            return
        for to in ("toml", "yaml", "json") if ctx.yaml else ("toml",):
            out = "out-" + to
            st, so, se = ctx.run([ctx.tool, "convert", "--to", to, "-o", out, name],
                                 cwd=d, timeout=TIMEOUT)
            _check_run(st, se, "convert --to " + to, os.path.join(d, out))
            if st == 0:
                back = _doc_dump(ctx, d, os.path.join(out, "a." + to))
                assert back is not None, "the %s written does not read back" % to
                # JSON has no comments, floats may be spelt differently:
                # the trees, not the texts, must agree
                assert _same_tree(tree, back), "--to %s changed the tree" % to
    return fn


def _same_tree(a, b):
    """The same document tree, keys in the same order (convert's own
    comparison: floats by value, whatever their spelling)."""
    from suites.convert import normalise_doc, doc_keys_in_order
    ta, tb = normalise_doc(json.loads(a)), normalise_doc(json.loads(b))
    return ta == tb and doc_keys_in_order(ta, []) == doc_keys_in_order(tb, [])


def pipeline_test(ctx, path):
    def fn():
        with open(path, "rb") as f:
            data = f.read()
        d = ctx.mkdtemp("fuzzreg")
        os.makedirs(os.path.join(d, "in"))
        for rel, text in split_pipeline(data):
            p = os.path.join(d, "in", rel.decode())
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(text)
        _tool_runs(ctx, d)
    return fn


# ---- smoke run of the fuzz targets ------------------------------------------

def _have_libfuzzer():
    """clang can link a libFuzzer program (libclang-rt-*-dev)."""
    if shutil.which("clang") is None:
        return False
    try:
        p = subprocess.run(["clang", "-fsanitize=fuzzer", "-x", "c", "-o", os.devnull, "-"],
                           input=b"#include <stdint.h>\n#include <stddef.h>\n"
                                 b"int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)"
                                 b"{ (void)d; (void)n; return 0; }\n",
                           capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0


def smoke_test(ctx):
    def fn():
        b = ctx.mkdtemp("fuzzbuild")
        st, so, se = ctx.run(["make", "-s", "FZ=" + b, "fuzz"], cwd=ctx.root, timeout=900)
        assert st == 0, "make fuzz failed:\n" + (so + se)[-3000:]
        seeds = os.path.join(b, "seeds")
        st, so, se = ctx.run([sys.executable, os.path.join(ctx.root, "fuzz", "seeds.py"), seeds],
                             timeout=TIMEOUT)
        assert st == 0, se
        for target in ("toml", "yaml", "json", "convert", "pipeline"):
            corpus = os.path.join(b, "corpus-" + target)
            os.makedirs(corpus)
            args = [os.path.join(b, "fuzz-" + target), "-dict=" + os.path.join(ctx.root, "fuzz", target + ".dict"),
                    "-max_total_time=2", "-timeout=10", "-artifact_prefix=" + b + "/",
                    corpus, os.path.join(seeds, target)]
            st, so, se = ctx.run(args, timeout=TIMEOUT)
            assert st == 0, "fuzz-%s failed (status %d):\n%s" % (target, st, se[-4000:])
    return fn


def collect(ctx):
    R = _runner(ctx)
    tests = []
    base = regressions_dir(ctx)
    yaml = [R.Need("libyaml-dev", probe=lambda: ctx.yaml)]
    if os.path.isdir(base):
        for target in sorted(os.listdir(base)):
            tdir = os.path.join(base, target)
            for name in sorted(os.listdir(tdir)):
                path = os.path.join(tdir, name)
                tname = "fuzz/%s/%s" % (target, name)
                if target == "pipeline":
                    tests.append(R.Test(tname, pipeline_test(ctx, path)))
                elif target == "convert":
                    tests.append(R.Test(tname, convert_test(ctx, path)))
                elif target in EXT:
                    needs = yaml if target != "toml" else []
                    tests.append(R.Test(tname, reader_test(ctx, target, path), needs))
    tests.append(R.Test("fuzz/smoke", smoke_test(ctx),
                        [R.Need("libclang-rt-dev", probe=_have_libfuzzer)] + yaml))
    return tests
