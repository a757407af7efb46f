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

import sys
import time

from run import Need, Test


def Skip(msg):
    # the runner's Skip: run.py runs as __main__, so `from run import Skip`
    # would give another class, which the runner reports as a failure
    return sys.modules["__main__"].Skip(msg) if hasattr(sys.modules["__main__"], "Skip") \
        else AssertionError(msg)

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
    # with the comments gone, no injected text is left
    st, so, se = ctx.run(["clang", "-std=c11", "-E", "-P", tu])
    assert st == 0, se[-3000:]
    assert "EVIL" not in so, "text from a description became code:\n" + \
        "\n".join(l for l in so.splitlines() if "EVIL" in l)[:3000]
    return out


def struct(desc='"x"', fields='[{ name = "a", typ = "u32" }]', name="s"):
    return '[[structs]]\nname = "%s"\ndescription = %s\nfields = %s\n' % (name, desc, fields)


# ---- comment injection -----------------------------------------------------

INJECT = [
    "ends */ int EVIL; /* here",
    # escaping the input's "/*" left its "*" next to the last "/": "*/"
    "/*/ int EVIL; //",
    "x/*/*/ int EVIL; //",
    "**/ int EVIL; //",
    "?/*/ int EVIL; //",
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


# ---- YAML and JSON variants (issue 9: the fuzzers and review) ------------------

YAML_OK = "structs:\n  - name: s\n    description: x\n    fields:\n      - name: a\n        typ: u32\n"
JSON_OK = '{"structs": [{"name": "s", "description": "x", "fields": [{"name": "a", "typ": "u32"}]}]}\n'


def test_encodings_yaml_json(ctx):
    """The encoding cases of test_encodings, in YAML and JSON: rejected
    with the exact located error, or accepted and compiled."""
    def fn():
        cases = [
            ("a.yaml", b'structs:\n  - name: s\n    description: "\xff\xfe"\n',
             "in/unit/a.yaml:3:19: error: invalid UTF-8 byte 0xff"),
            ("a.yaml", b"structs:\n  - name: s\x00\n",
             "in/unit/a.yaml:2:12: error: control character '\\u0000' is not allowed in YAML"),
            ("a.yaml", b'structs:\n  - name: "s\\0x"\n    description: x\n',
             "in/unit/a.yaml:2:11: error: a name must not contain a NUL byte"),
            ("a.yaml", b"\xef\xbb\xbf" + YAML_OK.encode(), None),
            ("a.yaml", YAML_OK.replace("\n", "\r\n").encode(), None),
            ("a.yaml", b"", None),
            ("a.json", b'{"structs": [{"name": "s", "description": "\xff\xfe"}]}',
             "in/unit/a.json:1:44: error: invalid UTF-8 byte 0xff"),
            ("a.json", b'{"structs": [{"name": "s\x00"}]}',
             "in/unit/a.json:1:25: error: control character '\\u0000' is not allowed in a "
             "string (write it as an escape)"),
            ("a.json", b'{"structs": [{"name": "s\\u0000x", "description": "x"}]}',
             "in/unit/a.json:1:23: error: a name must not contain a NUL byte"),
            ("a.json", b'{"structs": [{"name": "s", "description": "\\ud800"}]}',
             "in/unit/a.json:1:44: error: invalid escape '\\ud800': an unpaired surrogate"),
            ("a.json", b"\xef\xbb\xbf" + JSON_OK.encode(), None),
            ("a.json", JSON_OK.replace("\n", "\r\n").encode(), None),
            ("a.json", b"", "in/unit/a.json:1:1: error: expected a JSON value, found end of file"),
        ]
        for name, data, error in cases:
            d = tree(ctx, {"unit/" + name: data})
            if error:
                rejected(ctx, d, error)
            else:
                compiles(ctx, d)
    return fn


def test_long_line_yaml_json(ctx):
    """A 10 MB single line: a description that compiles, and an error in
    the middle of the line shown as a short excerpt."""
    def fn():
        desc = "x" * (10 << 20)
        for name, text in (
            ("a.yaml", "structs: [{name: s, description: %s, fields: [{name: a, typ: u8}]}]\n" % desc),
            ("a.json", '{"structs": [{"name": "s", "description": "%s", "fields": '
                       '[{"name": "a", "typ": "u8"}]}]}' % desc),
        ):
            compiles(ctx, tree(ctx, {"unit/" + name: text}))
        for name, text in (
            ("a.yaml", "a: [" + "1, " * (5 << 20) + "]]\n"),
            ("a.json", '{"a": [' + "1, " * (5 << 20) + "]]}"),
        ):
            se = rejected(ctx, tree(ctx, {"unit/" + name: text}))
            assert len(se) < 2000, "excerpt of %d bytes" % len(se)
    return fn


def test_yaml_aliases(ctx):
    """Anchors and aliases (billion laughs, self-reference) and custom tags
    are rejected where they are written."""
    def fn():
        for text, error in (
            ("a: &x [*x]\n", "in/unit/a.yaml:1:4: error: YAML anchors are not supported in specs"),
            ("a: &a [1]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
             "in/unit/a.yaml:1:4: error: YAML anchors are not supported in specs"),
            ("!!binary abc: 1\n", "in/unit/a.yaml:1:1: error: unsupported tag '!!binary'"),
        ):
            rejected(ctx, tree(ctx, {"unit/a.yaml": text}), error)
    return fn


# ---- Rust names ------------------------------------------------------------------

def test_rust_names(ctx):
    """Names that are fine in C but reserved or special in Rust (self,
    crate, super, _, type, async, std's Option and Result, a struct named
    like a primitive) become a crate that builds, with C names and with
    Rust names; names that meet after case conversion are located errors
    (tests/suites/rust.py has more)."""
    def fn():
        ok = (struct(name="self") + struct(name="Option", fields=
              '[{ name = "self", typ = "u8" }, { name = "_", typ = "u8" }, '
              '{ name = "crate", typ = "u8" }, { name = "super", typ = "u8" }, '
              '{ name = "type", typ = "u8" }, { name = "async", typ = "u8" }, '
              '{ name = "_1", typ = "u8" }]') +
              struct(name="u8", fields='[{ name = "a", typ = "u32" }]') +
              struct(name="Result", fields='[{ name = "a", typ = "Option" }]') +
              '[[enums]]\nname = "e"\ndescription = "x"\ntyp = "u8"\nvariants = [{ name = "self", '
              'value = 0 }, { name = "_", value = 1 }, { name = "None", value = 3 }]\n'
              '[[consts]]\nname = "__"\ndescription = "x"\nvalue = 1\n')
        d = tree(ctx, {"unit/a.toml": ok})
        compiles(ctx, d)
        # with C names (the default) and with Rust names
        for style in ("c", "rust"):
            out = "rust-" + style
            st, so, se = run(ctx, d, "-i", "in", "-o", out, "-l", "rust", "--rust-names", style)
            assert st == 0, se
            st, so, se = ctx.run(["cargo", "build", "--offline", "--quiet"],
                                 cwd=os.path.join(d, out),
                                 env={"CARGO_TARGET_DIR": os.path.join(d, "target")}, timeout=600)
            assert st == 0, "Rust (%s names) does not build:\n%s" % (style, se[-3000:])
        clash = struct(name="Foo") + struct(name="foo", fields='[{ name = "self", typ = "u8" }, '
                                                               '{ name = "Self", typ = "u8" }]')
        d = tree(ctx, {"unit/a.toml": clash})
        st, so, se = run(ctx, d, "-i", "in", "-o", "rust", "-l", "rust", "--rust-names", "rust")
        assert st == 1 and LOCATED.search(se), se
        assert "error: fields 'Self' and 'self' of struct 'foo' both become 'self_' in Rust" in se, se
        assert not os.path.exists(os.path.join(d, "rust"))
    return fn


# ---- limits (docs/limits.md) --------------------------------------------------------

def exactly(ctx, files, want, status=1):
    """Validate a tree: the first line of stderr is want (status 1), or the
    run succeeds (want None)."""
    d = tree(ctx, files)
    st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
    if want is None:
        assert st == 0, "status %d:\n%s" % (st, se[-3000:])
    else:
        assert st == status, "status %d, expected %d\n%s" % (st, status, se[-3000:])
        first = se.splitlines()[0] if se else ""
        assert first == want, "first line:\n  %s\nexpected:\n  %s" % (first, want)
    return d


def test_limit_file_size(ctx):
    """MAX_FILE_SIZE: 64 MiB per spec file; one byte more is a spec error
    (exit 1) naming the file, not an I/O error."""
    def fn():
        limit = 64 << 20
        pad = lambda n: (b"#" * (n - 1) + b"\n")
        exactly(ctx, {"unit/a.toml": pad(limit)}, None)
        exactly(ctx, {"unit/a.toml": pad(limit + 1)},
                "in/unit/a.toml: error: spec file is larger than the limit of 64 MiB")
    return fn


def test_limit_total_size(ctx):
    """MAX_TOTAL_SIZE: the spec files of a run total at most 64 MiB.  The
    total is summed when the directory is scanned, before anything is
    read, so sparse files (holes read as NUL bytes) test it without
    writing them: at the limit every file is read (and rejected for its
    NUL byte); the file that goes one byte past it is the error."""
    def fn():
        limit, files = 64 << 20, 2
        d = tree(ctx, {})
        unit = os.path.join(d, "in", "unit")
        os.makedirs(unit)
        names = ["a%02d.toml" % i for i in range(files)]
        for n in names:
            with open(os.path.join(unit, n), "wb") as f:
                f.truncate(limit // files)
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
        errs = [l for l in se.splitlines() if ": error: " in l]
        assert st == 1 and errs == ["in/unit/%s:1:1: error: expected a key, "
                                    "found control character '\\u0000'" % n
                                    for n in names], se[-3000:]
        # one byte more, in a file of its own (each is at its own limit)
        write(os.path.join(unit, "b.toml"), "\n")
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
        assert st == 1 and se.splitlines()[0] == (
            "in/unit/b.toml: error: the spec files total more than the "
            "limit of 64 MiB"), se[-3000:]
        # the files below the limit are still read (their errors are
        # reported); the one past it is not
        assert se.count("b.toml") == 1, se[-3000:]
    return fn


def test_limit_nesting(ctx):
    """MAX_DOC_DEPTH: 128 levels of arrays and tables below the top level,
    in every format."""
    def fn():
        deep = {
            "toml": lambda n: "a = " + "[" * n + "]" * n + "\n",
            "yaml": lambda n: "a: " + "[" * n + "]" * n + "\n",
            "json": lambda n: '{"a": ' + "[" * n + "]" * n + "}",
        }
        cols = {"toml": 133, "yaml": 132, "json": 135}
        for fmt, text in deep.items():
            if fmt != "toml" and not ctx.yaml:
                continue
            # 128 levels: the reader accepts them (the decoder does not
            # know the key 'a')
            exactly(ctx, {"unit/a." + fmt: text(128)},
                    "in/unit/a.%s:1:1: error: unknown key 'a' in spec file" % fmt
                    if fmt != "json" else "in/unit/a.json:1:2: error: unknown key 'a' in spec file")
            exactly(ctx, {"unit/a." + fmt: text(129)},
                    "in/unit/a.%s:1:%d: error: nesting deeper than 128 levels" % (fmt, cols[fmt]))
    return fn


def test_limit_identifier(ctx):
    """MAX_IDENT_LEN: names of at most 255 characters."""
    def fn():
        exactly(ctx, {"unit/a.toml": struct(name="s" * 255, fields='[{ name = "%s", typ = "u8" }]' % ("f" * 255))}, None)
        exactly(ctx, {"unit/a.toml": struct(name="s" * 256)},
                "in/unit/a.toml:2:8: error: struct name is longer than 255 characters")
        exactly(ctx, {"unit/a.toml": struct(fields='[{ name = "%s", typ = "u8" }]' % ("f" * 256))},
                "in/unit/a.toml:4:20: error: field name is longer than 255 characters")
    return fn


def test_limit_type_depth(ctx):
    """MAX_TYPE_DEPTH: types nested at most 32 deep."""
    def fn():
        arr = lambda n: "{ array = [" * n + '"u8"' + ", 1] }" * n
        exactly(ctx, {"unit/a.toml": struct(fields='[{ name = "a", typ = %s }]' % arr(32))}, None)
        exactly(ctx, {"unit/a.toml": struct(fields='[{ name = "a", typ = %s }]' % arr(33))},
                "in/unit/a.toml:4:394: error: type nested deeper than 32 levels")
    return fn


def test_limit_expressions(ctx):
    """MAX_EXPR_LEN and MAX_EXPR_DEPTH: array length expressions of at
    most 256 characters and 64 nested parentheses."""
    def fn():
        def spec(e):
            return struct(fields='[{ name = "a", typ = { array = ["u8", "%s"] } }]' % e)
        exactly(ctx, {"unit/a.toml": spec("1" + " + 1" * 63 + "   ")}, None)  # 256 characters
        exactly(ctx, {"unit/a.toml": spec("1" + " + 1" * 64)},
                "in/unit/a.toml:4:48: error: array length expression is longer than 256 characters")
        exactly(ctx, {"unit/a.toml": spec("(" * 64 + "1" + ")" * 64)}, None)
        exactly(ctx, {"unit/a.toml": spec("(" * 65 + "1" + ")" * 65)},
                'in/unit/a.toml:4:48: error: invalid array length "' + "(" * 64 +
                '...": parentheses nested too deep at character 65')
    return fn


def test_limit_directories(ctx):
    """MAX_DIR_DEPTH: spec files at most 16 directories below --indir."""
    def fn():
        exactly(ctx, {"/".join(["d"] * 16) + "/a.toml": struct()}, None)
        exactly(ctx, {"/".join(["d"] * 17) + "/a.toml": struct()},
                "in/" + "/".join(["d"] * 17) + ": error: directories nested deeper than 16 levels")
    return fn


def test_limit_files(ctx):
    """MAX_SPEC_FILES: at most 100,000 spec files (100,000 in one directory
    used to need memory quadratic in their number)."""
    def fn():
        d = ctx.mkdtemp("hostile")
        unit = os.path.join(d, "in", "unit")
        os.makedirs(unit)
        for i in range(100000):
            os.close(os.open(os.path.join(unit, "f%06d.toml" % i), os.O_CREAT | os.O_WRONLY, 0o644))
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
        assert st == 0, se[-2000:]
        os.close(os.open(os.path.join(unit, "f100000.toml"), os.O_CREAT | os.O_WRONLY, 0o644))
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
        assert st == 1 and se.splitlines()[0] == "in: error: more than 100000 spec files", se[-2000:]
    return fn


# ---- found by fuzzing and review --------------------------------------------------

def test_empty_input(ctx):
    """No spec at all (an empty directory, empty units): nothing to do,
    exit 0.  qsort() used to be given a null array (UBSan)."""
    def fn():
        d = ctx.mkdtemp("hostile")
        os.makedirs(os.path.join(d, "in", "empty"))
        st, so, se = run(ctx, d, "validate", "-i", "in")
        assert st == 0, se
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c")
        assert st == 0, se
    return fn


def test_sizeof_order(ctx):
    """sizeof() in an array length makes the measured type a dependency: it
    is declared first (the header compiles), and a cycle through sizeof is
    an error (it used to pass validation with no layout at all)."""
    def fn():
        a = struct(name="a", fields='[{ name = "x", typ = { array = ["u8", "sizeof(b) + 1"] } }]')
        b = struct(name="b", fields='[{ name = "y", typ = "u32" }]')
        compiles(ctx, tree(ctx, {"unit/a.toml": a + b}))
        cyc = struct(name="c", fields='[{ name = "x", typ = { array = ["u8", "sizeof(c)"] } }]')
        exactly(ctx, {"unit/a.toml": cyc},
                "in/unit/a.toml:4:20: error: struct 'c' needs its own size (c -> c, through "
                "sizeof); remove the cycle")
        b2 = struct(name="b", fields='[{ name = "y", typ = { array = ["u8", "sizeof(a)"] } }]')
        se = rejected(ctx, tree(ctx, {"unit/a.toml": a + b2}),
                      "needs its own size (a -> b -> a, through sizeof)")
    return fn


def test_arch_alias_coverage(ctx):
    """A per-architecture alias without a type for a target that is laid
    out is an error at the alias (the types using it used to have no
    layout there, silently, and the C typedef was missing)."""
    def fn():
        alias = '[[aliases]]\nname = "word"\ndescription = "x"\ntyp = { x86 = "u64", arm = "u64" }\n'
        files = {"arch-x86/a.toml": struct(name="ax"), "arch-arm/a.toml": struct(name="aa"),
                 "unit/a.toml": alias + struct(fields='[{ name = "w", typ = "word" }]')}
        exactly(ctx, files, 'in/unit/a.toml:2:8: error: alias \'word\' has no type for riscv, but '
                'riscv64 is laid out: add riscv = "..." to its typ, or limit the alias with '
                'only = { archs = [...] }')
        files["unit/a.toml"] = alias.replace('arm = "u64" }', 'arm = "u64", riscv = "u64", ppc = "u64" }') + \
            struct(fields='[{ name = "w", typ = "word" }]')
        exactly(ctx, files, None)
    return fn


def test_const_macros(ctx):
    """A constant is a C macro: one named like a field or typedef, or like
    a macro the headers test (__x86_64__ would silently switch an i386
    build to x86_64's definitions), is a located error."""
    def fn():
        const = lambda name: '[[consts]]\nname = "%s"\ndescription = "x"\nvalue = 1\n' % name
        for name, why in (("a", "a field or typedef name too"), ("s_t", "a field or typedef name too"),
                          ("__x86_64__", "which the generated headers use"),
                          ("uint32_t", "which the generated headers use"),
                          ("__riscv_xlen", "which the generated headers use"),
                          ("__XEN_AUTOGEN_UNIT_H", "which the generated headers use")):
            d = tree(ctx, {"unit/a.toml": struct() + const(name)})
            rejected(ctx, d, "in/unit/a.toml:6:8: error: constant '%s' would be a C macro replacing" % name)
            rejected(ctx, d, why)
    return fn


def test_spec_file_names(ctx):
    """Spec file names reach the banners of the outputs and Make depfiles.
    In banners they are sanitised (a newline and "#error" stay inside the
    comment); a depfile cannot quote ';', ':', '%', '=' and the like:
    "a%:b;touch${IFS}pwned;.toml" gave the output a recipe that the next
    make ran, "x!=cmd" would run cmd as make reads the depfile.  With
    --depfile, such a name is a located error and nothing is written."""
    def fn():
        odd = ("a%:b;touch${IFS}pwned;.toml", "x!=touch${IFS}pwned.toml", "a=b.toml",
               "x\n#error injected\n*.toml", "\x1b[31mred.toml")
        for name in odd:
            d = tree(ctx, {"unit/" + name: struct()})
            st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c", "--depfile", "out.d")
            assert st == 1, se
            assert ": error: this file's name cannot go into a Make depfile (--depfile)" in se, se
            assert "\n#error" not in se and "\x1b" not in se, "raw control characters in:\n" + se
            assert not os.path.exists(os.path.join(d, "out")) and not os.path.exists(os.path.join(d, "out.d"))
        d = tree(ctx, {"unit/" + name: struct(name="s%d" % i) for i, name in enumerate(odd)})
        out = compiles(ctx, d)
        text = open(os.path.join(out, "unit.h")).read()
        assert "\n#error" not in text and "\x1b" not in text, text[:2000]
        st, so, se = run(ctx, d, "-i", "in", "-o", "out2", "-l", "c", "--depfile", "ok.d")
        assert st == 1
        d = tree(ctx, {"unit/a.b-c_1.toml": struct()})
        st, so, se = run(ctx, d, "-i", "in", "-o", "out", "-l", "c", "--depfile", "out.d")
        assert st == 0 and os.path.exists(os.path.join(d, "out.d")), se
    return fn


def test_terminal_escapes(ctx):
    """Diagnostics quote names and keys from the specs: escape sequences
    in them (colours, a window title, a cursor move hiding an error) are
    printed escaped, never raw, whatever the message."""
    def fn():
        spec = (struct(fields='[{ name = "a", typ = "a\\u001b[31mRED" }, '
                       '{ name = "c", typ = { array = ["u8", "N\\u001b[2K"] } }]') +
                '[[consts]]\nname = "k\\u001b]0;title\\u0007"\ndescription = "x"\nvalue = 1\n'
                '[[includes]]\nfrom = "x\\u001b[34m"\nimports = ["y\\u009b31m"]\n'
                '[abi]\n"unknown\\u001b[36m" = 1\n')
        se = rejected(ctx, tree(ctx, {"unit/a.toml": spec}))
        assert "\x1b" not in se and "\x07" not in se and "\x9b" not in se, \
            "raw escape in:\n" + repr(se[-3000:])
        # not an identifier, so no type's name (docs/spec-language.md, 12.2)
        assert "error: invalid type name 'a\\x1b[31mRED'" in se, se[-3000:]
    return fn


def test_many_undefined_names(ctx):
    """Did-you-mean suggestions compare a name with every symbol: 20,000
    undefined names among 20,000 types used to take minutes; the searches
    stop with the errors shown (--max-errors)."""
    def fn():
        n = 20000
        types = "".join(struct(name="t%06d" % i) for i in range(n))
        big = '[[structs]]\nname = "big"\ndescription = "x"\n' + \
            "".join('[[structs.fields]]\nname = "f%d"\ntyp = "t%06dx"\n' % (i, i) for i in range(n))
        d = tree(ctx, {"unit/a.toml": types + big})
        t = time.time()
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=120)
        assert st == 1, se[-2000:]
        assert "error: undefined type 't000000x'; did you mean 't000000'?" in se, se[-2000:]
        assert "19950 more errors not shown" in se, se[-2000:]
        assert time.time() - t < 60, "took %.0f s" % (time.time() - t)
    return fn


def test_linear_checks(ctx):
    """Name lookups that scanned a list per reference, quadratic in a
    hostile spec: 50,000 imports used by 50,000 fields, 50,000 tagged
    fields in one struct, a tagged union of 50,000 members selected by the
    variants of a 50,000-variant enum.  Each took minutes; now seconds."""
    def fn():
        n = 50000
        f = lambda name, typ, extra="": '[[structs.fields]]\nname = "%s"\ntyp = %s\n%s' % (name, typ, extra)
        imports = {
            "a/a.toml": "".join(struct(name="t%d" % i) for i in range(n)),
            "b/b.toml": '[[includes]]\nfrom = "a"\nimports = [%s]\n' % ", ".join('"t%d"' % i for i in range(n)) +
                        '[[structs]]\nname = "big"\ndescription = "x"\n' +
                        "".join(f("f%d" % i, '"t%d"' % i) for i in range(n)),
        }
        enum = lambda m: '[[enums]]\nname = "k"\ndescription = "x"\ntyp = "u32"\n' + \
            "".join('[[enums.variants]]\nname = "V%d"\nvalue = %d\n' % (i, i) for i in range(m))
        tagged = {"u/a.toml": enum(1) + '[[unions]]\nname = "un"\ndescription = "x"\n'
                  'fields = [{ name = "a", typ = "u32", when = ["V0"] }]\n'
                  '[[structs]]\nname = "big"\ndescription = "x"\n' + f("kind", '"k"') +
                  "".join(f("f%d" % i, '"un"', 'tag = "kind"\n') for i in range(n))}
        members = {"u/a.toml": enum(n) + '[[unions]]\nname = "un"\ndescription = "x"\n' +
                   "".join('[[unions.fields]]\nname = "m%d"\ntyp = "u32"\nwhen = ["V%d"]\n' % (i, i)
                           for i in range(n)) +
                   '[[structs]]\nname = "big"\ndescription = "x"\n' + f("kind", '"k"') +
                   f("u", '"un"', 'tag = "kind"\n')}
        for what, files in (("imports", imports), ("tagged fields", tagged), ("union members", members)):
            d = tree(ctx, files)
            t = time.time()
            st, so, se = run(ctx, d, "validate", "-i", "in", timeout=300)
            assert st == 0, se[-2000:]
            assert time.time() - t < 60, "%s: %.0f s" % (what, time.time() - t)
    return fn


def test_special_files(ctx):
    """A FIFO, a link to a device and a link to a file outside the input
    directory are located errors; nothing is opened or quoted.  A link that
    stays inside is followed."""
    def fn():
        d = tree(ctx, {"unit/a.toml": struct()})
        write(os.path.join(d, "secret.toml"), 'password = "hunter2"\nx y\n')
        unit = os.path.join(d, "in", "unit")
        os.mkfifo(os.path.join(unit, "fifo.toml"))
        os.symlink("/dev/zero", os.path.join(unit, "zero.toml"))
        os.symlink(os.path.join(d, "secret.toml"), os.path.join(unit, "secret.toml"))
        os.symlink("a.toml", os.path.join(unit, "inside.toml"))
        st, so, se = run(ctx, d, "validate", "-i", "in", timeout=60)
        assert st == 1, se
        lines = [l for l in se.splitlines() if ": error: " in l]
        assert lines == [
            "in/unit/fifo.toml: error: not a regular file",
            "in/unit/secret.toml: error: symbolic link leads outside the input directory; not followed",
            "in/unit/zero.toml: error: symbolic link leads outside the input directory; not followed",
            "in/unit/inside.toml:2:8: error: duplicate definition of struct 's'",
        ], se
        assert "hunter2" not in se and "x y" not in se
    return fn


def collect(ctx):
    clang = [Need("clang", command="clang")]
    yaml = [Need("libyaml-dev", probe=lambda: ctx.yaml)]
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
        Test("hostile/encodings-yaml-json", test_encodings_yaml_json(ctx), clang + yaml),
        Test("hostile/long-line-yaml-json", test_long_line_yaml_json(ctx), clang + yaml),
        Test("hostile/yaml-aliases", test_yaml_aliases(ctx), yaml),
        Test("hostile/rust-names", test_rust_names(ctx), clang + [Need("cargo", command="cargo")]),
        Test("hostile/limit-file-size", test_limit_file_size(ctx)),
        Test("hostile/limit-total-size", test_limit_total_size(ctx)),
        Test("hostile/limit-nesting", test_limit_nesting(ctx)),
        Test("hostile/limit-identifier", test_limit_identifier(ctx)),
        Test("hostile/limit-type-depth", test_limit_type_depth(ctx)),
        Test("hostile/limit-expressions", test_limit_expressions(ctx)),
        Test("hostile/limit-directories", test_limit_directories(ctx)),
        Test("hostile/limit-files", test_limit_files(ctx)),
        Test("hostile/empty-input", test_empty_input(ctx)),
        Test("hostile/sizeof-order", test_sizeof_order(ctx), clang),
        Test("hostile/arch-alias-coverage", test_arch_alias_coverage(ctx)),
        Test("hostile/const-macros", test_const_macros(ctx)),
        Test("hostile/terminal-escapes", test_terminal_escapes(ctx)),
        Test("hostile/spec-file-names", test_spec_file_names(ctx), clang),
        Test("hostile/many-undefined-names", test_many_undefined_names(ctx)),
        Test("hostile/special-files", test_special_files(ctx)),
        Test("hostile/linear-checks", test_linear_checks(ctx)),
    ]
