"""The one directory walker (src/base/fs.c) as convert and fmt see it: the
policy of generation holds for them too.  A symbolic link that leads out
of a PATH is refused, so that `convert --in-place` can neither delete a
spec through it nor write the converted file outside (it did both); loops
and nesting deeper than MAX_DIR_DEPTH are errors; a link that stays inside
is followed.  Every refusal is a located diagnostic, exit status 1, and
nothing is written or deleted anywhere.

The trees are made in temporary directories, not under tests/cases: a
case directory holding a link out of itself would have the tool under
test write or delete files of the source tree if the policy broke."""

import os

from run import Test

SPEC = '[[structs]]\nname = "s"\ndescription = "d"\nfields = [\n  { name = "a", typ = "u32" },\n]\n'
# fmt would rewrite this one (one line per field)
UNFORMATTED = '[[structs]]\ndescription = "d"\nname = "t"\nfields = [{ name = "b", typ = "u8" }]\n'
OUTSIDE = "symbolic link leads outside the input directory; not followed"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def snapshot(top):
    """Every entry under top: a link's target, a file's bytes, a
    directory."""
    seen = {}
    for base, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(base, name)
            rel = os.path.relpath(p, top)
            if os.path.islink(p):
                seen[rel] = ("link", os.readlink(p))
            elif os.path.isdir(p):
                seen[rel] = ("dir",)
            else:
                with open(p, "rb") as f:
                    seen[rel] = ("file", f.read())
    return seen


def linked_tree(ctx):
    """d/dir: a spec of its own, a link to a directory outside and a link
    to a spec outside; d/outside: specs, one of them not formatted."""
    d = ctx.mkdtemp("fs")
    write(os.path.join(d, "outside", "x.toml"), UNFORMATTED)
    write(os.path.join(d, "outside", "deep", "y.toml"), SPEC)
    write(os.path.join(d, "dir", "u", "a.toml"), SPEC)
    os.symlink("../outside", os.path.join(d, "dir", "link"))
    os.symlink("../../outside/x.toml", os.path.join(d, "dir", "u", "f.toml"))
    return d


def test_link_outside(ctx):
    """convert --in-place, convert -o and fmt refuse both links, with the
    diagnostic of generation, and change nothing anywhere."""
    def fn():
        want = ("dir/link: error: %s\ndir/u/f.toml: error: %s\n" % (OUTSIDE, OUTSIDE))
        for args in (["convert", "--to", "yaml", "--in-place", "dir"],
                     ["convert", "--to", "toml", "--in-place", "dir"],
                     ["convert", "--to", "json", "-o", "out", "dir"],
                     ["convert", "--to", "yaml", "-o", "dir/converted", "dir"],
                     ["fmt", "dir"],
                     ["fmt", "--check", "dir"]):
            if "yaml" in args or "json" in args:
                if not ctx.yaml:
                    continue
            d = linked_tree(ctx)
            before = snapshot(d)
            st, so, se = ctx.xbg(*args, cwd=d)
            assert (st, so, se) == (1, "", want), \
                "%s: status %d\nstdout: %s\nstderr: %s" % (" ".join(args), st, so, se)
            after = snapshot(d)
            assert after == before, "%s changed the tree:\n%s" % (
                " ".join(args), sorted(set(after.items()) ^ set(before.items())))
    return fn


def test_link_inside(ctx):
    """A link that resolves inside the PATH is followed, to a directory
    or to a file; only the link's own name is written."""
    def fn():
        d = ctx.mkdtemp("fs")
        write(os.path.join(d, "dir", "u", "a.toml"), SPEC)
        os.symlink("u", os.path.join(d, "dir", "alias"))
        os.symlink("a.toml", os.path.join(d, "dir", "u", "b.toml"))
        st, so, se = ctx.xbg("convert", "--to", "toml", "-o", "out", "dir", cwd=d)
        assert st == 0, se
        got = sorted(os.path.relpath(os.path.join(b, f), os.path.join(d, "out"))
                     for b, _, fs in os.walk(os.path.join(d, "out")) for f in fs)
        assert got == ["alias/a.toml", "alias/b.toml", "u/a.toml", "u/b.toml"], got
        st, so, se = ctx.xbg("fmt", "--check", "dir", cwd=d)
        assert (st, se) == (0, ""), se
    return fn


def test_loop(ctx):
    """A link back to a parent directory: the diagnostic of generation,
    once, for convert and fmt."""
    def fn():
        d = ctx.mkdtemp("fs")
        write(os.path.join(d, "dir", "u", "a.toml"), SPEC)
        os.symlink("..", os.path.join(d, "dir", "u", "loop"))
        want = ("dir/u/loop: error: directory loop (a symbolic link points back "
                "to a parent directory)\n")
        for args in (["convert", "--to", "toml", "-o", "out", "dir"], ["fmt", "dir"]):
            before = snapshot(d)
            st, so, se = ctx.xbg(*args, cwd=d)
            assert (st, se) == (1, want), "%s: %d %s" % (args, st, se)
            assert snapshot(d) == before
    return fn


def test_depth(ctx):
    """MAX_DIR_DEPTH (16) below a PATH, as below --indir: 16 levels are
    converted and formatted, the 17th is an error."""
    def fn():
        d = ctx.mkdtemp("fs")
        deep = os.path.join("dir", *(["d"] * 16))
        write(os.path.join(d, deep, "a.toml"), SPEC)
        st, so, se = ctx.xbg("convert", "--to", "toml", "-o", "out", "dir", cwd=d)
        assert st == 0, se
        assert os.path.exists(os.path.join(d, "out", *(["d"] * 16), "a.toml"))
        st, so, se = ctx.xbg("fmt", "--check", "dir", cwd=d)
        assert st == 0, se
        write(os.path.join(d, deep, "d", "b.toml"), SPEC)
        want = "%s/d: error: directories nested deeper than 16 levels\n" % deep
        for args in (["convert", "--to", "toml", "-o", "out2", "dir"], ["fmt", "dir"]):
            st, so, se = ctx.xbg(*args, cwd=d)
            assert (st, se) == (1, want), "%s: %d %s" % (args, st, se)
        assert not os.path.exists(os.path.join(d, "out2"))
    return fn


def collect(ctx):
    return [
        Test("fs/link-outside", test_link_outside(ctx)),
        Test("fs/link-inside", test_link_inside(ctx)),
        Test("fs/loop", test_loop(ctx)),
        Test("fs/depth", test_depth(ctx)),
    ]
