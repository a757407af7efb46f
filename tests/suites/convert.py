"""`xenbindgen convert` and `xenbindgen fmt` (issue 8).

For every spec tree we have (specs/xen, the RFC's specs read from
../shared/xenbindgen-rfc/specs, tests/c/specs/*, tests/convert/specs/* and
the in/ trees of the end-to-end cases):

  * convert/roundtrip/TREE: TOML -> YAML -> JSON -> TOML, each step a whole
    directory converted with -o.  After every step
      - each file's document tree is the original's (doc-decoder dumps,
        floats compared as numbers);
      - the model is the original's: the C headers, the layout assertions,
        the Rust crate, `layout --format json` and the `validate` summary
        are byte-identical once spec file names are written without their
        extension (the banners list them); for a tree that does not
        validate, the same diagnostics (file, severity and message; lines
        and columns differ between formats);
      - converting the output to its own format again gives the same bytes.
    A tree with a file that does not parse must make convert fail (status
    1) and write nothing.
  * convert/fmt/TREE: fmt on a copy: the same model, `fmt --check` then
    passes, a second fmt changes no byte, and every comment is still there;
    the same for the YAML and JSON versions of the tree.  A file that does
    not parse is left untouched.

Then the edges: strings that stress every escaping rule (checked against
Python's json and tomllib, and PyYAML as a YAML 1.1 reader), values a
format cannot hold, comments, the command line, atomic and all-or-nothing
writing, and a build without libyaml.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time

TIMEOUT = 120
SPEC_EXT = (".toml", ".yaml", ".yml", ".json")


def _runner(ctx):
    # Test, Need and Skip come from the runner that made ctx, whatever its
    # module is called (run.py runs as __main__).
    return sys.modules[type(ctx).__module__]


def yaml_need(ctx):
    run = _runner(ctx)
    return [run.Need("libyaml-dev", probe=lambda: ctx.yaml)]


# ---- spec trees ------------------------------------------------------------

def spec_trees(ctx):
    """(name, directory) of every spec tree in the repository and the RFC's."""
    trees = [("xen", os.path.join(ctx.root, "specs", "xen")),
             ("rfc", os.path.join(ctx.shared, "xenbindgen-rfc", "specs"))]
    # tests/**/specs/TREE, outside the end-to-end cases
    tests = os.path.join(ctx.root, "tests")
    for d, dirs, _ in os.walk(tests):
        dirs.sort()
        rel = os.path.relpath(d, tests)
        if rel == "cases":
            dirs[:] = []
            continue
        if os.path.basename(d) == "specs":
            # specs/TREE/UNIT/x.toml, or specs/UNIT/x.toml: then specs is the tree
            if any(f.endswith(SPEC_EXT) for x in dirs
                   for f in os.listdir(os.path.join(d, x))):
                trees.append((os.path.dirname(rel), d))
            else:
                for name in dirs:
                    trees.append(("%s/%s" % (os.path.dirname(rel), name),
                                  os.path.join(d, name)))
            dirs[:] = []
    base = os.path.join(ctx.root, "tests", "cases")
    for d, dirs, files in os.walk(base):
        dirs.sort()
        if "in" in dirs and "cmd" in files:
            trees.append(("case/" + os.path.relpath(d, base), os.path.join(d, "in")))
    return trees


def spec_files(tree):
    """Spec files under tree, relative, sorted; hidden entries skipped."""
    found = []
    for d, dirs, files in os.walk(tree):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and f.endswith(SPEC_EXT):
                found.append(os.path.relpath(os.path.join(d, f), tree))
    return found


def needs_yaml(tree):
    return any(not f.endswith(".toml") for f in spec_files(tree))


# ---- document trees ------------------------------------------------------------

def doc_dump(ctx, path):
    """The document tree of a spec file, or None if it does not parse."""
    decoder = os.path.join(ctx.testbin, "doc-decoder")
    status, out, err = ctx.run([decoder, path], timeout=TIMEOUT)
    if status != 0:
        return None
    return normalise_doc(json.loads(out))


def normalise_doc(v):
    """Tagged JSON with floats as numbers (spelling differs between formats)."""
    if isinstance(v, dict) and set(v) == {"type", "value"} and isinstance(v["value"], str):
        if v["type"] == "float":
            f = float(v["value"])
            return ("float", "nan" if f != f else f)
        return (v["type"], v["value"])
    if isinstance(v, dict):
        return {k: normalise_doc(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalise_doc(x) for x in v]
    return v


def doc_keys_in_order(v, out):
    """Key order matters too: dicts compare equal regardless of it."""
    if isinstance(v, dict):
        out.append(list(v))
        for x in v.values():
            doc_keys_in_order(x, out)
    elif isinstance(v, list):
        for x in v:
            doc_keys_in_order(x, out)
    return out


def renamed(rel, fmt):
    """Where convert puts rel in format fmt."""
    base, ext = os.path.splitext(rel)
    if (ext in (".yaml", ".yml") and fmt == "yaml") or ext[1:] == fmt:
        return rel
    return base + "." + fmt


# ---- the model ---------------------------------------------------------------

EXT_RE = re.compile(r"\.(toml|yaml|yml|json)\b")
DIAG_RE = re.compile(r"^(\S+?)(?::\d+:\d+)?: (error|warning|note): (.*)$")


def _read_tree(d):
    files = {}
    for base, _, names in os.walk(d):
        for n in names:
            p = os.path.join(base, n)
            with open(p, encoding="utf-8", errors="surrogateescape") as f:
                files[os.path.relpath(p, d)] = f.read()
    return files


def diagnostics(text, tree):
    """The errors and warnings of a run as sorted (file, severity, message)
    triples: lines and columns, source excerpts and file extensions differ
    between formats, and fmt reorders things (notes, which point at the
    first of two things in the file, are left out)."""
    diags = []
    for line in text.splitlines():
        m = DIAG_RE.match(line)
        if not m or m.group(2) == "note":
            continue
        where = m.group(1)
        if where.startswith(tree + "/"):
            where = where[len(tree) + 1:]
        msg = EXT_RE.sub(".spec", m.group(3).replace(tree, "TREE"))
        # the words, not their order: a message naming two items names
        # them in source order, which fmt may change
        diags.append((EXT_RE.sub(".spec", where), m.group(2), " ".join(sorted(msg.split()))))
    return sorted(diags)


def model(ctx, tree):
    """What the tool makes of a tree, with spec file names made
    format-neutral.  For a tree that does not validate: its diagnostics."""
    out = {}
    st, so, se = ctx.xbg("validate", "--max-errors", "0", "-i", tree, timeout=TIMEOUT)
    if st != 0:
        return {"status": st, "diagnostics": diagnostics(se, tree)}
    out["validate"] = so
    for lang in ("c", "c-layout", "rust"):
        dest = ctx.mkdtemp("model")
        st, so, se = ctx.xbg("-i", tree, "-o", dest, "-l", lang, "--regen-hint",
                             "regen", "--max-errors", "0", timeout=TIMEOUT)
        out[lang + ".status"] = st
        if st == 0:
            for name, text in _read_tree(dest).items():
                out["%s/%s" % (lang, name)] = EXT_RE.sub(".spec", text)
        else:
            out[lang + ".diagnostics"] = diagnostics(se, tree)
    st, so, se = ctx.xbg("layout", "--format", "json", "-i", tree, timeout=TIMEOUT)
    out["layout"] = (st, so)
    return out


def expect_same_model(want, got, what):
    if want == got:
        return
    problems = []
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            a, b = want.get(k), got.get(k)
            if isinstance(a, str) and isinstance(b, str):
                import difflib
                problems.append("".join(difflib.unified_diff(
                    a.splitlines(True), b.splitlines(True), "original " + k,
                    what + " " + k))[:3000])
            else:
                problems.append("%s: %r != %r" % (k, a, b))
    raise AssertionError("%s changed the model:\n%s" % (what, "\n".join(problems[:10])))


# ---- comments ----------------------------------------------------------------

def comments(path):
    """The comments of a TOML or YAML file as a sorted list of texts: a '#'
    that starts a line (after blanks) or, outside quotes, follows a blank,
    outside TOML multi-line strings and YAML block scalars.  Good enough for
    our specs, whose one-line strings hold no ' #'.  End-of-line comments of
    entries that end up on one line are joined ("# a # b"), so the texts are
    split at " #"."""
    found = []
    if not path.endswith((".toml", ".yaml", ".yml")):
        return found
    toml = path.endswith(".toml")
    in_multi = None   # TOML: the open triple quote
    block = None      # YAML: indentation of the key that opened a block scalar
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.rstrip("\n").rstrip()
            stripped = s.lstrip()
            indent = len(s) - len(stripped)
            if toml:
                if in_multi:
                    rest = s.split(in_multi, 1)
                    if len(rest) == 1:
                        continue
                    in_multi = None
                    s = rest[1]
                    stripped = s.lstrip()
                for q in ('"""', "'''"):
                    if s.count(q) % 2 == 1:
                        in_multi = q
                        s = s[:s.index(q)]
                        break
            else:
                if block is not None:
                    if not stripped or indent > block:
                        continue
                    block = None
                if re.search(r"(:|^-|\s-)\s*[|>][0-9+-]*\s*(#.*)?$", s):
                    block = indent
            if stripped.startswith("#"):
                found += [x.rstrip() for x in stripped[1:].split(" #")]
                continue
            m = re.search(r"""\s#(.*)$""", s)
            if m and s[:m.start()].count('"') % 2 == 0 and s[:m.start()].count("'") % 2 == 0:
                found += [x.rstrip() for x in m.group(1).split(" #")]
    return sorted(found)


def tree_comments(tree):
    found = []
    for rel in spec_files(tree):
        found += comments(os.path.join(tree, rel))
    return sorted(found)


# ---- round trips ---------------------------------------------------------------

def convert_tree(ctx, src, fmt, dest):
    st, so, se = ctx.xbg("convert", "--to", fmt, "-o", dest, src, timeout=TIMEOUT)
    if st != 0:
        raise AssertionError("convert --to %s %s failed (%d):\n%s" % (fmt, src, st, se))
    return dest


def toml_can_hold(doc):
    """TOML has no null, and a TOML document is a table."""
    def walk(v):
        if isinstance(v, tuple):
            return v[0] != "null"
        if isinstance(v, dict):
            return all(walk(x) for x in v.values())
        return all(walk(x) for x in v)
    return isinstance(doc, dict) and walk(doc)


def roundtrip_test(ctx, tree):
    def fn():
        files = spec_files(tree)
        docs = {rel: doc_dump(ctx, os.path.join(tree, rel)) for rel in files}
        if any(d is None for d in docs.values()):
            # a file that does not parse: nothing is converted
            dest = os.path.join(ctx.mkdtemp("rt"), "out")
            st, so, se = ctx.xbg("convert", "--to", "yaml", "-o", dest, tree,
                                 timeout=TIMEOUT)
            if st != 1 or os.path.exists(dest) or ": error: " not in se:
                raise AssertionError("a tree with a syntax error converted: "
                                     "status %d, stderr:\n%s" % (st, se))
            return
        want = model(ctx, tree)
        names = {rel: rel for rel in files}
        prev = tree
        chain = ("yaml", "json", "toml")
        if not all(toml_can_hold(d) for d in docs.values()):
            # a null or a document that is not a table: not in TOML
            dest = os.path.join(ctx.mkdtemp("rt"), "out")
            st, so, se = ctx.xbg("convert", "--to", "toml", "-o", dest, tree)
            if st != 1 or os.path.exists(dest) or ": error: " not in se:
                raise AssertionError("converting to TOML: status %d\n%s" % (st, se))
            chain = ("yaml", "json")
        for step, fmt in enumerate(chain):
            out = convert_tree(ctx, prev, fmt, os.path.join(ctx.mkdtemp("rt"), fmt))
            names = {rel: renamed(name, fmt) for rel, name in names.items()}
            if sorted(spec_files(out)) != sorted(names.values()):
                raise AssertionError("%s: files %s, expected %s"
                                     % (fmt, spec_files(out), sorted(names.values())))
            for rel, name in names.items():
                got = doc_dump(ctx, os.path.join(out, name))
                if got != docs[rel] or doc_keys_in_order(got, []) != doc_keys_in_order(docs[rel], []):
                    raise AssertionError("%s: the document tree of %s changed\n"
                                         "original: %s\n%s: %s"
                                         % (fmt, rel, json.dumps(docs[rel])[:1500], fmt,
                                            json.dumps(got)[:1500]))
            expect_same_model(want, model(ctx, out), "converting to " + fmt)
            # converting a file to its own format changes nothing
            again = convert_tree(ctx, out, fmt, os.path.join(ctx.mkdtemp("rt"), fmt))
            if _read_tree(again) != _read_tree(out):
                raise AssertionError("converting the %s output to %s again changed it" % (fmt, fmt))
            prev = out
        # comments go through YAML and back (JSON has none)
        if tree_comments(tree) and chain[-1] == "toml":
            y = convert_tree(ctx, tree, "yaml", os.path.join(ctx.mkdtemp("rt"), "yaml"))
            t = convert_tree(ctx, y, "toml", os.path.join(ctx.mkdtemp("rt"), "toml"))
            for d in (y, t):
                if tree_comments(d) != tree_comments(tree):
                    raise AssertionError("comments changed in %s:\n%s\n%s"
                                         % (d, tree_comments(tree), tree_comments(d)))
    return fn


def fmt_check(ctx, work, want, what, keep_comments=True):
    before_comments = tree_comments(work)
    st, so, se = ctx.xbg("fmt", work, timeout=TIMEOUT)
    if st != 0:
        raise AssertionError("fmt %s failed (%d):\n%s%s" % (what, st, so, se))
    expect_same_model(want, model(ctx, work), "fmt of " + what)
    first = _read_tree(work)
    st, so, se = ctx.xbg("fmt", "--check", work, timeout=TIMEOUT)
    if st != 0 or so or se:
        raise AssertionError("fmt --check after fmt (%s): status %d\n%s%s" % (what, st, so, se))
    st, so, se = ctx.xbg("fmt", work, timeout=TIMEOUT)
    if st != 0 or _read_tree(work) != first:
        raise AssertionError("fmt is not idempotent on " + what)
    if keep_comments and tree_comments(work) != before_comments:
        raise AssertionError("fmt lost or changed comments of %s:\n%s\n%s"
                             % (what, before_comments, tree_comments(work)))


def fmt_test(ctx, tree, also_other_formats):
    def fn():
        files = spec_files(tree)
        bad = [rel for rel in files if doc_dump(ctx, os.path.join(tree, rel)) is None]
        work = os.path.join(ctx.mkdtemp("fmt"), "specs")
        shutil.copytree(tree, work)
        if bad:
            before = _read_tree(work)
            st, so, se = ctx.xbg("fmt", work, timeout=TIMEOUT)
            after = _read_tree(work)
            if st != 1 or ": error: " not in se:
                raise AssertionError("fmt with a syntax error: status %d\n%s" % (st, se))
            for rel in bad:
                if after[rel] != before[rel]:
                    raise AssertionError("fmt touched %s, which does not parse" % rel)
            return
        want = model(ctx, tree)
        fmt_check(ctx, work, want, "the tree")
        if also_other_formats:
            for fmt in ("yaml", "json"):
                other = convert_tree(ctx, tree, fmt, os.path.join(ctx.mkdtemp("fmt"), fmt))
                fmt_check(ctx, other, want, "the %s version" % fmt)
    return fn


# ---- strings and values --------------------------------------------------------

TRICKY = [
    "", "a", "yes", "No", "null", "~", "123", "-1", "1.5", ".inf", "0x10", "1e3",
    " lead", "trail ", "a: b", "a #b", "#c", "- x", "[x]", "{x}", "it's",
    'say "hi"', "back\\slash", "\n", "\n\n", "a\n", "a\n\n", "\na",
    "  indented\nnext", "a\nb", "a \nb", "a\n b", "tab\there", "cr\rhere",
    "crlf\r\nx", "nul\u0000x", "del\u007fx", "nel\u0085x", "ls\u2028x",
    "ps\u2029x", "bom\ufeffx", "emoji\U0001F600", "\u00e9", '"""', 'x"""y',
    'end"', 'end""', 'end"""', '""""""', '"\n"', "\\\n", "'''", "a\tb\nc",
    "\x01\x02", "?", ":", "!tag", "&a", "*a", "|", ">", "%x", "@x", "`x",
    "a,b", "---", "...", "=", "<<", "y", "Y", "n", "on", "off", "True",
    "2024-01-01", "1_000", "0o7", "+1", "nan", "NaN", ".NaN", "x" * 300,
    ("long line " * 30) + "\nsecond", "trailing\n  ", "  \n", "\u00a0nbsp",
    "\ufffd", "\U0010ffff",
]


def tricky_doc():
    doc = {"structs": [{"name": "s%d" % i, "description": s} for i, s in enumerate(TRICKY)]}
    doc["keys"] = {s: i for i, s in enumerate(TRICKY) if "\u0000" not in s}
    doc["nums"] = [0, -1, 9223372036854775807, -9223372036854775808, 1.5, -0.0,
                   1e300, 1e-300, 0.1, 100.0, 2.5e-7, 123456789012345680.0, 5e-324]
    doc["nested"] = [[], {}, [1, "a", {"x": [2, {"y": [[[]]]}]}], True, False,
                     {"typ": {"array": [{"ptr": "u8"}, 4]}}]
    # lists of tables inside inline tables: one table per line in TOML
    doc["inline"] = {"f": [{"name": "u", "typ": {"union": [
        {"name": "a", "typ": "u8"},
        {"name": "b", "typ": {"struct": [{"name": "c", "typ": "u16"}, {"name": "d\n"}]}},
    ]}, "description": "x"}], "g": {"h": [{"i": 1}]}}
    return doc


def strings_test(ctx):
    def fn():
        d = ctx.mkdtemp("strings")
        src = os.path.join(d, "in.json")
        doc = tricky_doc()
        with open(src, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
        want = doc_dump(ctx, src)
        prev = src
        for i, fmt in enumerate(("toml", "yaml", "json", "yaml", "toml", "json")):
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, prev])
            if st != 0:
                raise AssertionError("convert --to %s: %d\n%s" % (fmt, st, se))
            out = os.path.join(d, "s%d.%s" % (i, fmt))
            with open(out, "w", encoding="utf-8") as f:
                f.write(so)
            got = doc_dump(ctx, out)
            if got != want:
                raise AssertionError("%s: strings changed" % out)
            # independent readers agree
            if fmt == "json":
                with open(out, encoding="utf-8") as f:
                    text = f.read()
                if json.loads(text) != doc:
                    raise AssertionError("Python's json reads %s differently" % out)
                # the layout of json.dumps(indent=2), floats aside
                plain = dict(doc, nums=[x for x in doc["nums"] if isinstance(x, int)])
                st2, so2, se2 = ctx.run([ctx.tool, "convert", "--to", "json",
                                         _dump_json(d, plain)])
                if json.dumps(plain, ensure_ascii=False, indent=2) + "\n" != so2:
                    raise AssertionError("JSON layout is not json.dumps(indent=2)")
            if fmt == "toml":
                import tomllib
                with open(out, "rb") as f:
                    if tomllib.load(f) != doc:
                        raise AssertionError("tomllib reads %s differently" % out)
            prev = out
    return fn


def _dump_json(d, doc):
    p = os.path.join(d, "plain.json")
    with open(p, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return p


def pyyaml_test(ctx):
    """PyYAML reads YAML 1.1: our YAML must mean the same to it."""
    def fn():
        import yaml
        d = ctx.mkdtemp("pyyaml")
        src = os.path.join(d, "in.json")
        doc = tricky_doc()
        with open(src, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "yaml", src])
        if st != 0:
            raise AssertionError(se)
        got = yaml.safe_load(so)
        if got != doc:
            bad = [k for k in doc if doc[k] != got.get(k)]
            raise AssertionError("PyYAML reads the YAML differently: %s" % bad)
    return fn


def write_spec(d, name, text):
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def inexpressible_test(ctx):
    def fn():
        d = ctx.mkdtemp("inexpr")
        cases = [
            ("null.yaml", "structs:\n- name: x\n  description: null\n", "toml",
             "null.yaml:3:16: error: TOML has no null; this value cannot be written in TOML"),
            ("date.toml", "when = 1979-05-27\n", "json",
             "date.toml:1:8: error: JSON has no date-time type"),
            ("date2.toml", "when = 07:32:00\n", "yaml",
             "date2.toml:1:8: error: YAML (1.2 core schema) has no date-time type"),
            ("nan.toml", "x = nan\n", "json",
             "nan.toml:1:5: error: JSON has no NaN"),
            ("inf.yaml", "x: -.inf\n", "json",
             "inf.yaml:1:4: error: JSON has no infinities"),
            ("list.json", "[1, 2]\n", "toml",
             "list.json:1:1: error: a TOML document is a table; this document is an array"),
            # libyaml, which reads JSON here, needs a key's ':' within 1024
            # characters: 511 backslashes are 1022 escaped, 1024 with the
            # quotes; one more could be written but never read back
            # (found by fuzz-convert)
            ("long.toml", '"%s" = 1\n' % ("\\\\" * 512), "json",
             "long.toml:1:1: error: this key is 1026 characters long in JSON; xenbindgen "
             "reads JSON with libyaml, which needs the ':' within 1024 characters of "
             "the key's start"),
            ("wide.toml", '"%s" = 1\n' % ("\u00e9" * 1023), "json",
             "wide.toml:1:1: error: this key is 1025 characters long in JSON"),
        ]
        for name, text, fmt, msg in cases:
            write_spec(d, name, text)
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, name], cwd=d)
            if st != 1 or not se.startswith(msg) or so:
                raise AssertionError("%s -> %s: status %d\nstdout: %s\nstderr: %s"
                                     % (name, fmt, st, so, se))
        # at the limit, the key reads back (characters, not bytes, count)
        for key in ("\\\\" * 511, "\u00e9" * 1022):
            write_spec(d, "k.toml", '"%s" = 1\n' % key)
            st, so, se = ctx.run([ctx.tool, "convert", "--to", "json", "-o", "kj", "k.toml"], cwd=d)
            assert st == 0, se
            st, so, se = ctx.run([ctx.tool, "fmt", "--check", "kj/k.json"], cwd=d)
            assert st == 0, "a key at the limit does not read back: " + se[-2000:]
        # TOML keeps nan and inf; a date-time stays a date-time
        write_spec(d, "f.toml", "a = nan\nb = -inf\nc = 1979-05-27T07:32:00Z\n")
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "toml", "f.toml"], cwd=d)
        if st != 0 or so != "a = nan\nb = -inf\nc = 1979-05-27T07:32:00Z\n":
            raise AssertionError("TOML floats/date-times: %d %r %s" % (st, so, se))
        write_spec(d, "g.yaml", "a: .nan\nb: .inf\n")
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "yaml", "g.yaml"], cwd=d)
        if st != 0 or so != "a: .nan\n\nb: .inf\n":
            raise AssertionError("YAML floats: %d %r %s" % (st, so, se))
    return fn


# ---- comments ----------------------------------------------------------------

COMMENTED_TOML = '''\
# header: about this file

# before the struct
[[structs]]  # on the header
name = "s"  # on the name
# before the description
description = """
Two
lines."""  # after the description
# before typ-less fields
[[structs.fields]]
name = "a"  # on a field name
typ = "u8"

# before b, after a blank line
[[structs.fields]]
name = "b"
typ = { tag = "ptr", args = { tag = "u8" } }

# footer
'''

COMMENTED_TOML_FMT = '''\
# header: about this file

# before the struct
[[structs]]  # on the header
name = "s"  # on the name
# before the description
description = """
Two
lines."""  # after the description
fields = [
  # before typ-less fields
  { name = "a", typ = "u8" },  # on a field name
  # before b, after a blank line
  { name = "b", typ = { ptr = "u8" } },
]

# footer
'''

COMMENTED_YAML = '''\
# header: about this file

# before the struct
structs:
- name: s  # on the header # on the name
  # before the description
  description: |-  # after the description
    Two
    lines.
  fields:
  # before typ-less fields
  - name: a  # on a field name
    typ: u8
  # before b, after a blank line
  - name: b
    typ: {ptr: u8}

# footer
'''


def comments_test(ctx):
    run = _runner(ctx)

    def fn():
        d = ctx.mkdtemp("comments")
        p = write_spec(d, "s/a.toml", COMMENTED_TOML)
        st, so, se = ctx.run([ctx.tool, "fmt", p])
        if st != 0:
            raise AssertionError(se)
        with open(p, encoding="utf-8") as f:
            run.expect_equal(COMMENTED_TOML_FMT, f.read(), "fmt of commented TOML")
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "yaml", p])
        if st != 0:
            raise AssertionError(se)
        run.expect_equal(COMMENTED_YAML, so, "TOML comments in YAML")
        y = write_spec(d, "y/a.yaml", so)
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "toml", y])
        if st != 0:
            raise AssertionError(se)
        if sorted(comments(p)) != sorted(comments(write_spec(d, "z/a.toml", so))):
            raise AssertionError("comments changed through YAML:\n" + so)
        # JSON drops them, with a note
        st, so, se = ctx.run([ctx.tool, "convert", "--to", "json", "s/a.toml"], cwd=d)
        want = ("s/a.toml: note: JSON has no comments; the 10 comments of this "
                "file are not carried over\n")
        if st != 0 or se != want:
            raise AssertionError("status %d, stderr %r" % (st, se))
    return fn


# ---- command line and writing -------------------------------------------------

SPEC = '[[structs]]\nname = "s"\ndescription = "d"\nfields = [{ name = "a", typ = "u32" }]\n'


def cli_test(ctx):
    run = _runner(ctx)

    def fn():
        d = ctx.mkdtemp("cli")
        write_spec(d, "in/u/a.toml", SPEC)
        write_spec(d, "in/u/b.toml", SPEC.replace('"s"', '"t"'))
        write_spec(d, "in/v/c.toml", SPEC.replace('"s"', '"w"'))

        def xbg(*args):
            return ctx.run([ctx.tool] + list(args), cwd=d)

        # stdout takes one file
        st, so, se = xbg("convert", "--to", "json", "in")
        if st != 2 or "standard output takes a single spec file" not in se:
            raise AssertionError("stdout with a directory: %d %s" % (st, se))
        st, so, se = xbg("convert", "--to", "json", "in/u/a.toml", "in/u/b.toml")
        if st != 2:
            raise AssertionError("stdout with two files: %d %s" % (st, se))
        # -o keeps the layout relative to a directory argument, and a file
        # argument's base name
        st, so, se = xbg("convert", "--to", "yaml", "-o", "out", "in")
        if st != 0 or spec_files(os.path.join(d, "out")) != ["u/a.yaml", "u/b.yaml", "v/c.yaml"]:
            raise AssertionError("-o: %d %s %s" % (st, se, spec_files(os.path.join(d, "out"))))
        # unchanged outputs are not rewritten
        p = os.path.join(d, "out", "u", "a.yaml")
        old = os.stat(p).st_mtime_ns
        time.sleep(0.02)
        os.utime(p, ns=(old - 10**9, old - 10**9))
        st, so, se = xbg("convert", "--to", "yaml", "-o", "out", "in", "-v")
        if st != 0 or os.stat(p).st_mtime_ns != old - 10**9 or "unchanged: out/u/a.yaml (from in/u/a.toml)" not in so:
            raise AssertionError("an unchanged output was rewritten: %s %s" % (so, se))
        # two inputs, one output
        write_spec(d, "in2/u/a.toml", SPEC)
        write_spec(d, "in2/u/a.json", '{"structs": []}')
        st, so, se = xbg("convert", "--to", "yaml", "-o", "out2", "in2")
        if st != 1 or "both in2/u/a.json and in2/u/a.toml would be converted to this file" not in se \
                or os.path.exists(os.path.join(d, "out2")):
            raise AssertionError("collision: %d %s" % (st, se))
        # all or nothing: one bad file, nothing written
        write_spec(d, "in3/u/a.toml", SPEC)
        write_spec(d, "in3/u/z.toml", "[[structs]\n")
        st, so, se = xbg("convert", "--to", "json", "-o", "out3", "in3")
        if st != 1 or not se.startswith("in3/u/z.toml:1:") or os.path.exists(os.path.join(d, "out3")):
            raise AssertionError("partial conversion: %d %s" % (st, se))
        # an I/O error in the middle: nothing written, status 3
        write_spec(d, "blocker", "a file where a directory must go\n")
        st, so, se = xbg("convert", "--to", "json", "-o", "blocker/out", "in")
        if st != 3 or "blocker: error: exists and is not a directory" not in se:
            raise AssertionError("I/O error: %d %s" % (st, se))
        # --in-place converts next to the source and removes it
        shutil.copytree(os.path.join(d, "in"), os.path.join(d, "ip"))
        os.chmod(os.path.join(d, "ip", "u", "a.toml"), 0o640)
        st, so, se = xbg("convert", "--to", "json", "--in-place", "ip")
        if st != 0 or spec_files(os.path.join(d, "ip")) != ["u/a.json", "u/b.json", "v/c.json"]:
            raise AssertionError("--in-place: %d %s %s" % (st, se, spec_files(os.path.join(d, "ip"))))
        if stat.S_IMODE(os.stat(os.path.join(d, "ip", "u", "a.json")).st_mode) != 0o640:
            raise AssertionError("--in-place did not keep the source's mode")
        # and refuses to overwrite a file that is not being converted
        write_spec(d, "ip/u/a.toml", SPEC)
        st, so, se = xbg("convert", "--to", "json", "--in-place", "ip/u/a.toml")
        if st != 1 or "converting ip/u/a.toml would overwrite this file" not in se \
                or not os.path.exists(os.path.join(d, "ip", "u", "a.toml")):
            raise AssertionError("--in-place overwrite: %d %s" % (st, se))
        # usage errors
        for args, msg in (
                (["convert", "in"], "missing --to toml|yaml|json"),
                (["convert", "--to", "xml", "in"], "unknown format 'xml'"),
                (["convert", "--to", "json", "-o", "x", "--in-place", "in"],
                 "-o and --in-place exclude each other"),
                (["convert", "--to", "json"], "no PATH given"),
                (["convert", "--to", "json", "--check", "in"], "unknown option '--check'"),
                (["fmt", "--to", "json", "in"], "unknown option '--to'"),
                (["fmt", "--color", "pink", "in"], "--color takes auto, always or never"),
                (["fmt"], "no PATH given")):
            st, so, se = xbg(*args)
            if st != 2 or msg not in se or "usage: xenbindgen" not in se:
                raise AssertionError("%s: %d %s" % (args, st, se))
        # not a spec, missing path
        write_spec(d, "README", "hello\n")
        st, so, se = xbg("fmt", "README")
        if st != 2 or "README: error: not a spec file" not in se:
            raise AssertionError("not a spec: %d %s" % (st, se))
        st, so, se = xbg("fmt", "missing.toml")
        if st != 3 or "missing.toml: error: cannot read: No such file or directory" not in se:
            raise AssertionError("missing: %d %s" % (st, se))
        # a fifo named like a spec is not read (it would block)
        os.makedirs(os.path.join(d, "fifo", "u"))
        os.mkfifo(os.path.join(d, "fifo", "u", "x.toml"))
        for args in (["fmt", "fifo"], ["convert", "--to", "toml", "fifo/u/x.toml"]):
            st, so, se = ctx.run([ctx.tool] + args, cwd=d, timeout=60)
            if st != 1 or "fifo/u/x.toml: error: not a regular file" not in se:
                raise AssertionError("%s: %d %s" % (args, st, se))
        # help
        for cmd in ("convert", "fmt"):
            st, so, se = xbg(cmd, "--help")
            if st != 0 or not so.startswith("Usage: xenbindgen " + cmd) or se:
                raise AssertionError("%s --help: %d %s" % (cmd, st, se))
    return fn


def fmt_files_test(ctx):
    def fn():
        d = ctx.mkdtemp("fmtfiles")
        good = write_spec(d, "u/good.toml", SPEC.replace('name = "s"\ndescription = "d"',
                                                          'description = "d"\nname = "s"'))
        bad = write_spec(d, "u/bad.toml", "[[structs]\nname = 1\n")
        os.chmod(good, 0o604)
        with open(bad, "rb") as f:
            bad_before = f.read()
        # --check: lists the file with a diff, exit 1, writes nothing
        st, so, se = ctx.run([ctx.tool, "fmt", "--check", "u/good.toml"], cwd=d)
        want = ("not formatted: u/good.toml\n--- u/good.toml\n+++ u/good.toml\t(formatted)\n"
                "@@ -1,4 +1,6 @@\n [[structs]]\n-description = \"d\"\n name = \"s\"\n"
                "-fields = [{ name = \"a\", typ = \"u32\" }]\n+description = \"d\"\n"
                "+fields = [\n+  { name = \"a\", typ = \"u32\" },\n+]\n")
        if st != 1 or not so.startswith(want) or "1 file is not formatted" not in se:
            raise AssertionError("fmt --check: %d\n%s\n%s" % (st, so, se))
        # a syntax error is reported and that file left alone; the other is
        # formatted, its mode kept
        st, so, se = ctx.run([ctx.tool, "fmt", "u"], cwd=d)
        if st != 1 or not se.startswith("u/bad.toml:1:"):
            raise AssertionError("fmt with a bad file: %d %s" % (st, se))
        with open(bad, "rb") as f:
            if f.read() != bad_before:
                raise AssertionError("fmt touched a file that does not parse")
        with open(good, encoding="utf-8") as f:
            if f.read() != SPEC.replace('[{ name = "a", typ = "u32" }]',
                                        '[\n  { name = "a", typ = "u32" },\n]'):
                raise AssertionError("not formatted")
        if stat.S_IMODE(os.stat(good).st_mode) != 0o604:
            raise AssertionError("fmt changed the file mode")
        # through a symbolic link, to the file it names
        real = write_spec(d, "real/x.toml", SPEC.replace('name = "s"\n', '') + 'name = "s"\n')
        os.makedirs(os.path.join(d, "links"))
        os.symlink("../real/x.toml", os.path.join(d, "links", "x.toml"))
        st, so, se = ctx.run([ctx.tool, "fmt", "links/x.toml"], cwd=d)
        if st != 0 or not os.path.islink(os.path.join(d, "links", "x.toml")):
            raise AssertionError("fmt replaced the link: %d %s" % (st, se))
        st, so, se = ctx.run([ctx.tool, "fmt", "--check", "real/x.toml"], cwd=d)
        if st != 0:
            raise AssertionError("fmt did not write through the link: %s" % so)
    return fn


def noyaml_test(ctx):
    """A build without libyaml converts TOML to TOML and says clearly that
    YAML and JSON need libyaml.  The test builds its own."""
    def fn():
        b = ctx.mkdtemp("build-noyaml")
        st, so, se = ctx.run(["make", "-s", "-j4", "YAML=no", "B=" + b, b + "/xenbindgen"],
                             cwd=ctx.root, timeout=900)
        if st != 0:
            raise AssertionError("make YAML=no failed:\n%s%s" % (so[-3000:], se[-3000:]))
        tool = b + "/xenbindgen"
        d = ctx.mkdtemp("noyaml")
        write_spec(d, "u/a.toml", SPEC)
        write_spec(d, "u/b.yaml", "structs: []\n")
        for fmt in ("yaml", "json"):
            st, so, se = ctx.run([tool, "convert", "--to", fmt, "u/a.toml"], cwd=d)
            want = ("xenbindgen: error: %s output is not supported: this xenbindgen "
                    "was built without libyaml" % fmt.upper())
            if st != 2 or not se.startswith(want):
                raise AssertionError("--to %s without libyaml: %d %s" % (fmt, st, se))
        st, so, se = ctx.run([tool, "convert", "--to", "toml", "u/a.toml"], cwd=d)
        if st != 0 or not so.startswith("[[structs]]"):
            raise AssertionError("TOML to TOML without libyaml: %d %s" % (st, se))
        st, so, se = ctx.run([tool, "fmt", "--check", "u/a.toml"], cwd=d)
        if st != 1:
            raise AssertionError("fmt without libyaml: %d %s" % (st, se))
        for args in (["convert", "--to", "toml", "u/b.yaml"], ["fmt", "u/b.yaml"]):
            st, so, se = ctx.run([tool] + args, cwd=d)
            if st != 1 or "YAML specs are not supported: this xenbindgen was built " \
                    "without libyaml" not in se:
                raise AssertionError("%s without libyaml: %d %s" % (args, st, se))
    return fn


def scale_test(ctx):
    """Big and deep documents: every reader and writer copes, and what they
    write reads back formatted.  (That the time is linear in the size is a
    speed target: `make bench` measures convert and fmt at N = 10,000 and
    100,000 structs, x10k.)"""
    def fn():
        d = ctx.mkdtemp("scale")

        def big(n):
            lines = ["[[structs]]", 'name = "big"', 'description = "d"', "fields = ["]
            lines += ['  { name = "f%d", typ = "u32", description = "field %d" },  # c%d'
                      % (i, i, i) for i in range(n)]
            lines.append("]")
            write_spec(d, "u%d/big.toml" % n, "\n".join(lines) + "\n")
            return "u%d" % n

        unit = big(160000)
        for fmt in (("yaml", "json") if ctx.yaml else ()) + ("toml",):
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, "-o",
                                  "o-%s-%s" % (unit, fmt), unit], cwd=d)
            if st != 0:
                raise AssertionError("%s: %d %s" % (fmt, st, se))
            if fmt == "yaml":
                st, so, se = ctx.run([ctx.tool, "fmt", "--check", "o-%s-yaml" % unit],
                                     cwd=d)
                if st != 0:
                    raise AssertionError("fmt --check on YAML it wrote: %d" % st)
        st, so, se = ctx.run([ctx.tool, "fmt", "--check", unit], cwd=d)
        if st != 0:
            raise AssertionError("fmt --check on a formatted big file: %d %s"
                                 % (st, so[:2000]))
        # deep nesting, to the readers' limit
        depth = 120
        write_spec(d, "v/deep.toml", "x = " + "[" * depth + "]" * depth + "\n" +
                   "y = " + "{ a = " * depth + "1" + " }" * depth + "\n")
        for fmt in (("yaml", "json") if ctx.yaml else ()) + ("toml",):
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, "v/deep.toml"], cwd=d)
            if st != 0:
                raise AssertionError("deep -> %s: %d %s" % (fmt, st, se))
    return fn


def doc_examples_test(ctx):
    """The spec of docs/spec-language.md §1, in TOML, YAML and JSON: the
    three give the same model, the TOML one is formatted, and the YAML and
    JSON ones are what convert makes of it."""
    run = _runner(ctx)

    def fn():
        with open(os.path.join(ctx.root, "docs", "spec-language.md"), encoding="utf-8") as f:
            doc = f.read()
        blocks = dict(re.findall(r"<!-- example: (\w+) -->\n```\w+\n(.*?)```", doc, re.S))
        if sorted(blocks) != ["json", "toml", "yaml"]:
            raise AssertionError("examples found: %s" % sorted(blocks))
        models = {}
        for fmt, text in blocks.items():
            d = ctx.mkdtemp("doc-" + fmt)
            write_spec(d, "sysctl/console." + fmt, text)
            models[fmt] = model(ctx, d)
            if models[fmt].get("status"):
                raise AssertionError("the %s example does not validate: %s"
                                     % (fmt, models[fmt]))
        expect_same_model(models["toml"], models["yaml"], "the YAML example")
        expect_same_model(models["toml"], models["json"], "the JSON example")
        d = ctx.mkdtemp("doc")
        src = write_spec(d, "sysctl/console.toml", blocks["toml"])
        st, so, se = ctx.run([ctx.tool, "fmt", "--check", src])
        if st != 0:
            raise AssertionError("the TOML example is not formatted:\n" + so)
        for fmt in ("yaml", "json"):
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, src])
            want = so.replace("console.toml", "console." + fmt)
            run.expect_equal(want, blocks[fmt], "the %s example" % fmt)
    return fn


def corpus_test(ctx, files):
    """Documents that are not specs, of every shape the readers accept
    (toml-test's valid files, JSONTestSuite's y_ files): each converts to
    each format with its tree intact and converts again to the same bytes,
    or is refused with a located error when the format cannot hold it (a
    date-time in JSON, a null in TOML...)."""
    def fn():
        problems = []
        d = ctx.mkdtemp("corpus")
        for src in files():
            want = doc_dump(ctx, src)
            if want is None:
                continue
            for fmt in ("toml", "yaml", "json"):
                st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, src], timeout=TIMEOUT)
                if st == 1 and re.search("^" + re.escape(src) + r":\d+:\d+: error: ", se, re.M):
                    continue
                if st != 0:
                    problems.append("%s -> %s: status %d\n%s" % (src, fmt, st, se[:500]))
                    continue
                out = os.path.join(d, "x." + fmt)
                with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(so)
                if doc_dump(ctx, out) != want:
                    problems.append("%s -> %s: the tree changed" % (src, fmt))
                st2, so2, se2 = ctx.run([ctx.tool, "convert", "--to", fmt, out])
                if so2 != so:
                    problems.append("%s -> %s: not stable" % (src, fmt))
        if problems:
            raise AssertionError("\n".join(problems[:30]))
    return fn


def _toml_test_files(ctx):
    def files():
        base = os.path.join(ctx.shared, "toml-test")
        with open(os.path.join(base, "files-toml-1.0.0"), encoding="utf-8") as f:
            for line in f:
                rel = line.strip()
                if rel.startswith("valid/") and rel.endswith(".toml"):
                    yield os.path.join(base, rel)
    return files


def _json_suite_files(ctx):
    def files():
        base = os.path.join(ctx.shared, "json-test-suite", "test_parsing")
        for name in sorted(os.listdir(base)):
            if name.startswith("y_") and name.endswith(".json"):
                yield os.path.join(base, name)
    return files


def mixed_test(ctx):
    """One unit may mix formats: tests/convert/specs/mixed (TOML, YAML and
    JSON files side by side) gives what its all-TOML twin gives."""
    def fn():
        base = os.path.join(ctx.root, "tests", "convert", "specs")
        want = model(ctx, os.path.join(base, "toml"))
        got = model(ctx, os.path.join(base, "mixed"))
        if want.get("status"):
            raise AssertionError("the TOML version does not validate: %s" % want)
        exts = {os.path.splitext(f)[1] for f in spec_files(os.path.join(base, "mixed"))}
        if exts != {".toml", ".yaml", ".json"}:
            raise AssertionError("the mixed tree should mix all formats: %s" % exts)
        expect_same_model(want, got, "mixing formats")
    return fn


def collect(ctx):
    run = _runner(ctx)
    tests = [run.Test("convert/doc-examples", doc_examples_test(ctx), yaml_need(ctx)),
             run.Test("convert/mixed-unit", mixed_test(ctx), yaml_need(ctx))]
    for name, tree in spec_trees(ctx):
        data = run.data_needs(tree)
        tests.append(run.Test("convert/roundtrip/" + name, roundtrip_test(ctx, tree),
                              yaml_need(ctx) + data))
        tests.append(run.Test("fmt/tree/" + name, fmt_test(ctx, tree, True),
                              yaml_need(ctx) + data))
    tests.append(run.Test("convert/strings", strings_test(ctx), yaml_need(ctx)))
    tests.append(run.Test("convert/corpus/toml-test", corpus_test(ctx, _toml_test_files(ctx)),
                          yaml_need(ctx) + [run.Need.shared("toml-test/files-toml-1.0.0")]))
    tests.append(run.Test("convert/corpus/json-test-suite",
                          corpus_test(ctx, _json_suite_files(ctx)),
                          yaml_need(ctx) + [run.Need.shared("json-test-suite/test_parsing")]))
    tests.append(run.Test("convert/pyyaml", pyyaml_test(ctx), yaml_need(ctx) + [
        run.Need("python3-yaml", probe=lambda: _can_import("yaml"))]))
    tests.append(run.Test("convert/inexpressible", inexpressible_test(ctx), yaml_need(ctx)))
    tests.append(run.Test("convert/comments", comments_test(ctx), yaml_need(ctx)))
    tests.append(run.Test("convert/cli", cli_test(ctx), yaml_need(ctx)))
    tests.append(run.Test("fmt/files", fmt_files_test(ctx)))
    tests.append(run.Test("convert/scale", scale_test(ctx)))
    tests.append(run.Test("convert/noyaml", noyaml_test(ctx)))
    return tests


def _can_import(mod):
    return subprocess.run([sys.executable, "-c", "import " + mod],
                          capture_output=True).returncode == 0
