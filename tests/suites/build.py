"""The build itself (issue 2): gcc and clang builds free of warnings (the
Makefile builds with -Werror), a TOML-only build without libyaml, a build
without libclang, make install with PREFIX and DESTDIR, make clean."""

import os
import shutil

from run import Need, Test


def make(ctx, *args, cwd=None):
    st, so, se = ctx.run(["make", "-s"] + list(args), cwd=cwd or ctx.root, timeout=900)
    if st != 0:
        raise AssertionError("make %s failed:\n%s%s" % (" ".join(args), so[-3000:], se[-3000:]))
    return so + se


def test_compiler(ctx, cc):
    def fn():
        b = ctx.mkdtemp("build-" + cc)
        out = make(ctx, "CC=" + cc, "B=" + b, b + "/xenbindgen")
        assert "warning" not in out, out
        st, so, se = ctx.run([b + "/xenbindgen", "--version"])
        assert st == 0 and so.startswith("xenbindgen "), so
    return fn


def test_toml_only(ctx):
    """Without libyaml the tool still reads TOML, and says clearly that a
    YAML or JSON spec needs it."""
    def fn():
        b = ctx.mkdtemp("build-noyaml")
        make(ctx, "YAML=no", "B=" + b, b + "/xenbindgen")
        tool = b + "/xenbindgen"
        st, so, se = ctx.run(["ldd", tool])
        assert "libyaml" not in so, "linked with libyaml:\n" + so
        st, so, se = ctx.run([tool, "validate", "-i", os.path.join(ctx.root, "specs", "xen")])
        assert st == 0, se
        specs = ctx.mkdtemp("noyaml-specs")
        os.makedirs(os.path.join(specs, "unit"))
        with open(os.path.join(specs, "unit", "a.yaml"), "w") as f:
            f.write("structs: []\n")
        st, so, se = ctx.run([tool, "validate", "-i", specs])
        assert st == 1, (st, se)
        assert "unit/a.yaml: error: YAML specs are not supported: this xenbindgen " \
               "was built without libyaml" in se, se
    return fn


def test_no_libclang(ctx):
    """Without libclang everything but `xenbindgen compare` works, and
    compare says what it lacks (a usage error: this build cannot do it)."""
    def fn():
        b = ctx.mkdtemp("build-noclang")
        make(ctx, "CLANG=no", "B=" + b, b + "/xenbindgen")
        tool = b + "/xenbindgen"
        st, so, se = ctx.run(["ldd", tool])
        assert "libclang" not in so, "linked with libclang:\n" + so
        st, so, se = ctx.run([tool, "validate", "-i", os.path.join(ctx.root, "specs", "xen")])
        assert st == 0, se
        st, so, se = ctx.run([tool, "compare", "a", "b"])
        assert st == 2 and so == "", (st, so)
        assert se == ("xenbindgen: error: compare needs libclang, and this xenbindgen was "
                      "built without it (install libclang-dev and rebuild, or make "
                      "CLANG=yes)\n"), se
    return fn


def test_install(ctx):
    def fn():
        dest = ctx.mkdtemp("destdir")
        make(ctx, "install", "DESTDIR=" + dest, "PREFIX=/opt/xbg")
        for rel in ("opt/xbg/bin/xenbindgen", "opt/xbg/share/man/man1/xenbindgen.1",
                    "opt/xbg/include/xenbindgen/xen-prelude.h"):
            assert os.path.isfile(os.path.join(dest, rel)), rel + " not installed"
        assert os.access(os.path.join(dest, "opt/xbg/bin/xenbindgen"), os.X_OK)
        if shutil.which("man"):
            st, so, se = ctx.run(["man", "-l", os.path.join(dest, "opt/xbg/share/man/man1/xenbindgen.1")],
                                 env={"MANWIDTH": "80", "MAN_KEEP_FORMATTING": ""})
            assert st == 0 and "EXIT STATUS" in so, se
    return fn


def test_clean(ctx):
    def fn():
        work = ctx.mkdtemp("clean")
        # a copy of the tree, so that cleaning does not disturb other tests
        for name in ("Makefile", "build-aux", "src", "tests", "docs", "support", "specs"):
            src = os.path.join(ctx.root, name)
            if os.path.isdir(src):
                # (generated "out" directories of the tests, but not the
                # src/out stage)
                shutil.copytree(src, os.path.join(work, name), ignore=lambda d, names: [
                    n for n in names if n == "__pycache__"
                    or (n == "out" and os.path.basename(d) != "src")])
            else:
                shutil.copy(src, work)
        make(ctx, cwd=work)
        assert os.path.exists(os.path.join(work, "xenbindgen"))
        make(ctx, "clean", cwd=work)
        assert not os.path.exists(os.path.join(work, "xenbindgen"))
        assert not os.path.exists(os.path.join(work, "build"))
    return fn


def collect(ctx):
    return [
        Test("build/gcc", test_compiler(ctx, "gcc"), [Need("gcc", command="gcc")]),
        Test("build/clang", test_compiler(ctx, "clang"), [Need("clang", command="clang")]),
        Test("build/toml-only", test_toml_only(ctx)),
        Test("build/no-libclang", test_no_libclang(ctx)),
        Test("build/install", test_install(ctx)),
        Test("build/clean", test_clean(ctx)),
    ]
