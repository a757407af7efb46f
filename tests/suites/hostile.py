"""Hostile specs (issue 9): every case is either rejected (exit 1 with a
located error) or turned into output that is valid and safe, which the
test compiles.  Never a crash, a hang or a partial output.  ctx.run()
already fails a test on a crash or a sanitizer report; every run here also
has a timeout."""

import os
import re
import shutil
import stat
import subprocess

from run import Need, Skip, Test

LOCATED = re.compile(r"^[^:\n]+:\d+:\d+: error: ", re.M)
PRELUDE = None


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def tree(ctx, files):
    """A spec tree from {relative path: text or bytes}."""
    d = ctx.mkdtemp("hostile")
    for rel, data in files.items():
        write(os.path.join(d, "in", rel), data, "wb" if isinstance(data, bytes) else "w")
    return d


def run(ctx, d, *args, timeout=120):
    return ctx.run([ctx.tool] + list(args), cwd=d, timeout=timeout)


def rejected(ctx, d, want=None, status=1, *args):
    st, so, se = run(ctx, d, "validate", "-i", "in", *args)
    assert st == status, "status %d, expected %d\n%s" % (st, status, se[-3000:])
    if status == 1:
        assert LOCATED.search(se) or re.search(r"^in/[^:\n]*: error: ", se, re.M), \
            "no located error:\n" + se[-3000:]
    if want:
        assert want in se, "expected %r in:\n%s" % (want, se[-3000:])
    return se


def compiles(ctx, d):
    """Generate C (and layout assertions) and compile them, for x86_64 and
    i386."""
    out = os.path.join(d, "out")
    for lang in ("c", "c-layout"):
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", lang)
        assert st == 0, "generation failed (%d):\n%s" % (st, se[-3000:])
    tu = os.path.join(d, "tu.c")
    with open(tu, "w") as f:
        f.write('#include "%s"\n' % os.path.join(ctx.root, "support", "xen-prelude.h"))
        for base, _, files in os.walk(out):
            for fn in sorted(files):
                if fn.endswith("_layout.h"):
                    f.write('#include "%s"\n' % os.path.join(base, fn))
        f.write("#ifdef EVIL\n#error injected\n#endif\n")
    for flags in (["-std=c89"], ["-std=c11"], ["--target=i386-linux-gnu", "-ffreestanding"]):
        st, so, se = ctx.run(["clang"] + flags + ["-Wall", "-Wextra", "-Werror", "-fsyntax-only", tu])
        assert st == 0, "does not compile (%s):\n%s" % (" ".join(flags), se[-3000:])
    return out


def struct(desc='"x"', fields='[{ name = "a", typ = "u32" }]', name="s"):
    return '[[structs]]\nname = "%s"\ndescription = %s\nfields = %s\n' % (name, desc, fields)


# ---- comment injection -----------------------------------------------------

INJECT = [
    "ends */ int EVIL; /* here",
    "opens /* a nested comment",
    "// a line comment",
    "backslash at the end \\",
    "new line\n#define EVIL 1\nstill the description",
    "trigraph ??/",
    "*\\\n/ split end",
    "tab\tand \x07 bell and \x7f delete",
]


def test_comment_injection(ctx):
    def fn():
        esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
            .replace("\t", "\\t").replace("\x07", "\\u0007").replace("\x7f", "\\u007f")
        specs = ""
        for i, text in enumerate(INJECT):
            specs += struct(desc='"%s"' % esc(text), name="s%d" % i,
                            fields='[{ name = "a", typ = "u32", description = "%s" }]' % esc(text))
            specs += '\n[[enums]]\nname = "e%d"\ndescription = "%s"\ntyp = "u8"\n' \
                     'variants = [{ name = "v", value = 1, description = "%s" }]\n\n' % (i, esc(text), esc(text))
        d = tree(ctx, {"unit/a.toml": specs})
        out = compiles(ctx, d)
        text = open(os.path.join(out, "unit.h")).read()
        assert "\x07" not in text and "\x7f" not in text, "raw control characters in the header"
        assert "int EVIL" in text  # still there, but inside a comment
        if shutil.which("cargo"):
            st, so, se = run(ctx, d, "-i", "in", "-o", "rust", "-l", "rust")
            assert st == 0, se
            st, so, se = ctx.run(["cargo", "build", "--offline", "--quiet"], cwd=os.path.join(d, "rust"),
                                 env={"CARGO_TARGET_DIR": os.path.join(d, "target")}, timeout=600)
            assert st == 0, "Rust does not build:\n" + se[-3000:]
    return fn


# ---- names -------------------------------------------------------------------

def test_c_keywords(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct(name="union") + struct(name="ok", fields='[{ name = "int", typ = "u8" }]')})
        se = rejected(ctx, d, "struct name 'union' is a C or C++ keyword")
        assert "field name 'int' is a C or C++ keyword" in se
    return fn


def test_case_only_names(ctx):
    """Names that differ only in case are distinct in C."""
    def fn():
        d = tree(ctx, {"unit/a.toml": struct(name="Foo") + struct(name="foo") +
                       struct(name="bar", fields='[{ name = "x", typ = "u32" }, { name = "X", typ = "u32" }]')})
        compiles(ctx, d)
    return fn


def test_output_names(ctx):
    """Directory names become file names and identifiers: anything but
    letters, digits, '_' and '-' is a located error; '.' and '..' are never
    units; nothing is written outside --outdir."""
    def fn():
        for bad in ("a b", "a\nb", "x.y", "$(rm)", "\x01"):
            d = tree(ctx, {os.path.join(bad, "a.toml"): struct()})
            rejected(ctx, d, "invalid output directory name")
        d = tree(ctx, {"ok/a.toml": struct()})
        os.symlink("/", os.path.join(d, "in", "root-link"))
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c", timeout=300)
        # the link is followed as an input directory but contains no spec
        # files in its top level; whatever it holds, outputs stay in out/
        for base, _, files in os.walk(os.path.join(d, "out")):
            for f in files:
                p = os.path.realpath(os.path.join(base, f))
                assert p.startswith(os.path.realpath(os.path.join(d, "out")) + os.sep), p
    return fn


# ---- nesting, sizes, numbers ------------------------------------------------------

def test_deep_nesting(ctx):
    def fn():
        n = 100000
        cases = {
            "unit/arrays.toml": "a = " + "[" * n + "]" * n + "\n",
            "unit/tables.toml": "a = " + "{ b = " * n + "1" + " }" * n + "\n",
            "unit/types.toml": struct(fields='[{ name = "a", typ = ' + "{ ptr = " * n + '"u8"' + " }" * n + " }]"),
        }
        if ctx.yaml:
            cases["unit/flow.yaml"] = "a: " + "[" * n + "]" * n + "\n"
            cases["unit/block.yaml"] = "".join("  " * i + "- \n" for i in range(2000))
            cases["unit/json.json"] = "[" * n + "]" * n
        for rel, text in cases.items():
            d = tree(ctx, {rel: text})
            se = rejected(ctx, d)
            assert "deeper than" in se or "nested" in se, se[-2000:]
    return fn


def test_numbers(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct(fields='[{ name = "a", typ = { array = ["u8", 18446744073709551616] } }]')})
        rejected(ctx, d, "does not fit in 64 bits")
        d = tree(ctx, {"unit/a.toml": '[[enums]]\nname = "e"\ndescription = "x"\ntyp = "i64"\n'
                                      'variants = [{ name = "v", value = -9223372036854775809 }]\n'})
        rejected(ctx, d)
        d = tree(ctx, {"unit/a.toml": '[[bitmaps]]\nname = "b"\ndescription = "x"\ntyp = "u64"\n'
                                      'bits = [{ name = "v", shift = 255 }]\n'})
        rejected(ctx, d, "shift 255 of bit 'v' does not fit the 64-bit backing type")
        d = tree(ctx, {"unit/a.toml": struct(fields='[{ name = "a", typ = { array = [{ array = ["u64", 4294967296] }, 4294967296] } }]')})
        rejected(ctx, d, "does not fit in 64 bits")
    return fn


def test_million_fields(ctx):
    def fn():
        n = 1000000
        fields = "".join('[[structs.fields]]\nname = "f%d"\ntyp = "u8"\n' % i for i in range(n))
        d = tree(ctx, {"unit/a.toml": '[[structs]]\nname = "big"\ndescription = "x"\n' + fields})
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c", timeout=600)
        assert st == 0, se[-2000:]
        text = open(os.path.join(d, "out", "unit.h")).read()
        assert text.count(";\n") >= n
    return fn


def test_long_line(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct(desc='"%s"' % ("x" * (10 << 20)))})
        compiles(ctx, d)
        # an error in the middle of a 10 MB line shows a short excerpt
        d = tree(ctx, {"unit/a.toml": 'a = "' + "x" * (10 << 20) + '" b = 1\n'})
        se = rejected(ctx, d)
        assert len(se) < 2000, "excerpt of %d bytes" % len(se)
    return fn


# ---- encodings -------------------------------------------------------------

def test_encodings(ctx):
    def fn():
        ok = struct().encode()
        for name, data, good in (
            ("invalid-utf8", b'[[structs]]\nname = "s"\ndescription = "\xff\xfe"\n', False),
            ("nul", b'[[structs]]\nname = "s"\x00\n', False),
            ("nul-escape", b'[[structs]]\nname = "s\\u0000x"\ndescription = "x"\n', False),
            ("bom", b"\xef\xbb\xbf" + ok, True),
            ("crlf", ok.replace(b"\n", b"\r\n"), True),
            ("empty", b"", True),
        ):
            d = tree(ctx, {"unit/a.toml": data})
            if good:
                compiles(ctx, d)
            else:
                rejected(ctx, d)
    return fn


# ---- the file system ---------------------------------------------------------

def drop_root():
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        raise Skip("setpriv (util-linux) is needed to drop root")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unreadable_file(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct(), "unit/b.toml": struct(name="t")})
        os.chmod(d, 0o755)
        os.chmod(os.path.join(d, "in", "unit", "b.toml"), 0)
        for base, dirs, _ in os.walk(d):
            os.chmod(base, 0o755)
        st, so, se = ctx.run(drop_root() + [ctx.tool, "validate", "-i", "in"], cwd=d)
        assert st == 3, "status %d\n%s" % (st, se)
        assert "in/unit/b.toml: error: cannot read file: Permission denied" in se, se
    return fn


def test_symlink_loop(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct()})
        os.symlink("..", os.path.join(d, "in", "unit", "loop"))
        os.symlink("self", os.path.join(d, "in", "self"))
        se = rejected(ctx, d, "directory loop")
    return fn


def test_outdir_is_file(ctx):
    def fn():
        d = tree(ctx, {"unit/a.toml": struct()})
        write(os.path.join(d, "out"), "a file\n")
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c")
        assert st == 3 and "error:" in se, se
        assert open(os.path.join(d, "out")).read() == "a file\n"
    return fn


def collect(ctx):
    clang = [Need("clang", command="clang")]
    return [
        Test("hostile/comment-injection", test_comment_injection(ctx), clang),
        Test("hostile/c-keywords", test_c_keywords(ctx)),
        Test("hostile/case-only-names", test_case_only_names(ctx), clang),
        Test("hostile/output-names", test_output_names(ctx)),
        Test("hostile/deep-nesting", test_deep_nesting(ctx)),
        Test("hostile/numbers", test_numbers(ctx)),
        Test("hostile/million-fields", test_million_fields(ctx)),
        Test("hostile/long-line", test_long_line(ctx), clang),
        Test("hostile/encodings", test_encodings(ctx), clang),
        Test("hostile/unreadable-file", test_unreadable_file(ctx)),
        Test("hostile/symlink-loop", test_symlink_loop(ctx)),
        Test("hostile/outdir-is-file", test_outdir_is_file(ctx)),
    ]
