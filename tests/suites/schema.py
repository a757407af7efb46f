"""docs/xenbindgen.schema.json, the JSON Schema of the spec language, and
the schema table it is generated from (src/model/schema.c).

  * schema/valid: the schema is a valid draft-07 schema;
  * schema/generated: the committed schema is what the table gives
    (tests/unit/schema-json, `make schema` to regenerate);
  * schema/decode/TABLE: the decoder agrees with the table, key by key: a
    value of another kind is rejected with the kind the table says, a
    missing required key is reported, an integer out of the table's range
    and a word outside its set are errors, and every word of the set is
    accepted;
  * schema/specs/TREE: every spec file of every tree the tool validates
    (ours, the RFC's, the test trees) is valid under the schema: YAML and
    JSON files as the tool reads them, TOML files after conversion to JSON
    (`xenbindgen convert --to json`);
  * schema/invalid/NAME: specs with one mistake each (an unknown key, a
    wrong value type, a missing required key, an empty name, a bad type,
    ...) are rejected by the schema and by the tool;
  * schema/doc-messages, schema/doc-keys, schema/doc-order:
    docs/spec-language.md lists every message of the decoder and the
    checks, every key of the table, and each table's canonical order.

The validator is Debian's python3-jsonschema.
"""

import difflib
import json
import os
import re
import subprocess
import sys

SCHEMA = os.path.join("docs", "xenbindgen.schema.json")

from suites.convert import spec_files, spec_trees, write_spec  # noqa: E402


def _runner(ctx):
    return sys.modules[type(ctx).__module__]


def _have_jsonschema():
    return subprocess.run([sys.executable, "-c", "import jsonschema"],
                          capture_output=True).returncode == 0


def needs(ctx, yaml=True):
    """The validator, and (to read specs as JSON: `convert --to json`)
    libyaml."""
    run = _runner(ctx)
    n = [run.Need("python3-jsonschema", probe=_have_jsonschema)]
    if yaml:
        n.append(run.Need("libyaml-dev", probe=lambda: ctx.yaml))
    return n


def load_schema(ctx):
    with open(os.path.join(ctx.root, SCHEMA), encoding="utf-8") as f:
        return json.load(f)


def validator(ctx):
    import jsonschema
    schema = load_schema(ctx)
    return jsonschema.Draft7Validator(schema)


def as_json(ctx, path):
    """A spec file as the tool reads it, as plain JSON data."""
    st, so, se = ctx.run([ctx.tool, "convert", "--to", "json", path])
    if st != 0:
        raise AssertionError("convert --to json %s: %d\n%s" % (path, st, se))
    return json.loads(so)


def schema_errors(v, data):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
            for e in sorted(v.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


# ---- the schema is generated from the table ----------------------------------------

def generator(ctx):
    return os.path.join(ctx.testbin, "schema-json")


def table(ctx):
    """The schema table of src/model/schema.c: a list of tables, each with
    its name (its definition in the JSON Schema), what (its word in
    messages) and keys (key, required, value, and table, words, min and
    max where they apply)."""
    st, so, se = ctx.run([generator(ctx), "--table"])
    if st != 0:
        raise AssertionError("schema-json --table: status %d\n%s" % (st, se))
    return json.loads(so)


def generated_test(ctx):
    def fn():
        if not os.path.exists(generator(ctx)):
            raise AssertionError("%s is not built (make test-bins)" % generator(ctx))
        st, so, se = ctx.run([generator(ctx)])
        if st != 0:
            raise AssertionError("schema-json: status %d\n%s" % (st, se))
        with open(os.path.join(ctx.root, SCHEMA), encoding="utf-8") as f:
            committed = f.read()
        if so != committed:
            diff = "".join(difflib.unified_diff(
                committed.splitlines(True), so.splitlines(True),
                SCHEMA + " (committed)", SCHEMA + " (from src/model/schema.c)"))
            raise AssertionError(
                "%s is not what src/model/schema.c gives: run `make schema` "
                "and commit the result (never edit the file by hand)\n%s"
                % (SCHEMA, diff[:6000]))
    return fn


# ---- the decoder follows the table ------------------------------------------------

def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{ " + ", ".join("%s = %s" % (k, toml_value(x)) for k, x in v.items()) + " }"


def toml_doc(doc):
    return "".join("%s = %s\n" % (k, toml_value(v)) for k, v in doc.items())


def _in_struct(key, many=False):
    return lambda t: {"structs": [dict({"name": "s", "description": "d"},
                                       **{key: [t] if many else t})]}


# Per table of the schema: a valid table of that kind with its required
# keys, and the document that holds it (in unit u, next to a unit v that
# defines V).
PLACES = {
    "root": ({}, lambda t: t),
    "unitAbi": ({}, lambda t: {"abi": t}),
    "include": ({"from": "v", "imports": ["V"]}, lambda t: {"includes": [t]}),
    "const": ({"name": "C", "description": "d", "value": 1},
              lambda t: {"consts": [t]}),
    "alias": ({"name": "a_t", "description": "d", "typ": "u8"},
              lambda t: {"aliases": [t]}),
    "enum": ({"name": "e", "description": "d", "typ": "u8"}, lambda t: {"enums": [t]}),
    "variant": ({"name": "v", "value": 1},
                lambda t: {"enums": [{"name": "e", "description": "d", "typ": "u8",
                                      "variants": [t]}]}),
    "bitmap": ({"name": "b", "description": "d", "typ": "u64"},
               lambda t: {"bitmaps": [t]}),
    "bit": ({"name": "x", "shift": 1},
            lambda t: {"bitmaps": [{"name": "b", "description": "d", "typ": "u64",
                                    "bits": [t]}]}),
    "struct": ({"name": "s", "description": "d"}, lambda t: {"structs": [t]}),
    "union": ({"name": "u", "description": "d"}, lambda t: {"unions": [t]}),
    "op": ({"family": "domctl", "cmd": 1}, _in_struct("op")),
    "field": ({"name": "f", "typ": "u8"}, _in_struct("fields", many=True)),
    "only": ({}, _in_struct("only")),
    "cNames": ({}, _in_struct("c")),
    "itemAbi": ({"waive": ["padding"], "reason": "r"}, _in_struct("abi")),
    "archTypes": ({"x86": "u8", "arm": "u8", "riscv": "u8", "ppc": "u8"},
                  lambda t: {"aliases": [{"name": "a_t", "description": "d", "typ": t}]}),
    "macro": ({"name": "M", "description": "d", "params": ["x"], "expr": "x + 1"},
              lambda t: {"macros": [t]}),
    "handle": ({"name": "myu8", "type": "u8", "raw": True}, lambda t: {"handles": [t]}),
    "xmacro": ({"name": "XM", "description": "d", "params": ["a", "b"]},
               lambda t: {"xmacros": [t]}),
    "xmacroEntry": ({"args": ["A", "1"]},
                    lambda t: {"xmacros": [{"name": "XM", "description": "d",
                                            "params": ["a", "b"], "entries": [t]}]}),
    "xmacroEnum": ({"name": "xe"},
                   lambda t: {"xmacros": [{"name": "XM", "description": "d",
                                           "params": ["a", "b"], "enum": t}]}),
    "ring": ({"name": "r", "description": "d", "request": "s", "response": "s"},
             lambda t: {"rings": [t], "structs": [{"name": "s", "description": "d",
                                                   "fields": [{"name": "x", "typ": "u32"}]}]}),
    "fieldC": ({"decl": "uint8_t f;"},
               lambda t: {"structs": [{"name": "s", "description": "d",
                                       "fields": [{"name": "f", "typ": "u8", "c": t}]}]}),
    "memberC": ({"value": "1"},
                lambda t: {"enums": [{"name": "e", "description": "d", "typ": "u8",
                                      "variants": [{"name": "v", "value": 1, "c": t}]}]}),
    "header": ({}, lambda t: {"header": t}),
    "includeItem": ({"include": "x.h"}, lambda t: {"items": [t]}),
    "error": ({"error": "m", "only": {"tools": True}}, lambda t: {"items": [t]}),
    "verbatim": ({"verbatim": "/* x */"}, lambda t: {"items": [t]}),
    "bump": ({"constant": "C", "types": ["s*"]},
             lambda t: {"abi": {"bump": [t]},
                        "consts": [{"name": "C", "description": "d", "value": 1}]}),
}

# The kind key of an `items` entry is what says its kind: without it, the
# decoder cannot tell which table's key is missing.
MISSING = {
    ("includeItem", "include"): "an entry of 'items' names its kind",
    ("error", "error"): "an entry of 'items' names its kind",
    ("verbatim", "verbatim"): "an entry of 'items' names its kind",
}

# A value of another kind than each kind of value, and what the decoder
# says about it.
KIND = "'%s' of [a-z -]+ must be %s, not "
WRONG = {
    "string": (1, KIND, "a string"), "ident": (1, KIND, "a string"),
    "cname": (1, KIND, "a string"), "text": (1, KIND, "a string"),
    "word": (1, KIND, "a string"), "int": ("1", KIND, "an integer"),
    "bool": (1, KIND, "a boolean"), "strings": (1, KIND, "an array"),
    "words": (1, KIND, "an array"), "tables": (1, KIND, "an array"),
    "table": (1, KIND, "a table"), "items": (1, KIND, "an array"),
    "type": (True, "a type is a name such as", None),
    "enum_type": (True, "a type is a name such as", None),
    "bitmap_type": (True, "a type is a name such as", None),
    "const_type": (True, "a type is a name such as", None),
    "alias_type": (True, "a type is a name such as", None),
    "tag_values": ({}, "'%s' takes tag values", None),
    "value": (True, KIND, "an integer or an expression string"),
}


def decode_test(ctx, tab):
    place, wrap = PLACES[tab["name"]]

    def validate(doc):
        d = ctx.mkdtemp("schema-decode")
        write_spec(d, "u/a.toml", toml_doc(doc))
        write_spec(d, "v/a.toml", toml_doc({"consts": [{"name": "V", "description": "d",
                                                        "value": 1}]}))
        return ctx.xbg("validate", "--max-errors", "0", "-i", d)

    def fn():
        problems = []

        def expect(doc, what, status=None, pattern=None):
            st, so, se = validate(doc)
            if (status is not None and st != status) or \
               (pattern is not None and not re.search(pattern, se)):
                problems.append("%s: status %d%s\n%s\n%s" % (
                    what, st, ", no /%s/" % pattern if pattern else "",
                    toml_doc(doc), se[-1500:]))

        expect(wrap(dict(place)), "the valid table", status=0)
        for k in tab["keys"]:
            key = k["key"]
            bad, pattern, kind = WRONG[k["value"]]
            pattern = pattern % ((re.escape(key), kind) if kind else
                                 (re.escape(key),) * pattern.count("%s"))
            expect(wrap(dict(place, **{key: bad})), "%s of another kind" % key,
                   status=1, pattern=pattern)
            if k["required"]:
                t = dict(place)
                t.pop(key, None)
                expect(wrap(t), "%s missing" % key, status=1,
                       pattern=MISSING.get((tab["name"], key),
                                           "%s is missing required key '%s'"
                                           % (re.escape(tab["what"]), re.escape(key))))
            if "min" in k and k["value"] == "int":
                for v in (k["min"] - 1, k["max"] + 1):
                    expect(wrap(dict(place, **{key: v})), "%s = %d" % (key, v), status=1)
            if "words" in k:
                many = k["value"] == "words"
                for w in k["words"]:
                    expect(wrap(dict(place, **{key: [w] if many else w})),
                           "%s = %s" % (key, w), status=0)
                expect(wrap(dict(place, **{key: ["nosuchword"] if many else "nosuchword"})),
                       "%s = nosuchword" % key, status=1)
        if problems:
            raise AssertionError("\n".join(problems))
    return fn


def valid_test(ctx):
    def fn():
        import jsonschema
        jsonschema.Draft7Validator.check_schema(load_schema(ctx))
    return fn


# ---- every spec we have ---------------------------------------------------------

def tree_test(ctx, name, tree):
    """Our spec trees are meant to be valid: every file must be valid under
    the schema, even while a semantic or ABI error (which the schema cannot
    see) is being fixed.  The trees of end-to-end cases are checked when
    the tool validates them."""
    def fn():
        if name.startswith("case/"):
            st, so, se = ctx.xbg("validate", "-i", tree)
            if st != 0:
                return
        v = validator(ctx)
        problems = []
        for rel in spec_files(tree):
            errs = schema_errors(v, as_json(ctx, os.path.join(tree, rel)))
            if errs:
                problems.append("%s:\n  %s" % (rel, "\n  ".join(errs[:10])))
        if problems:
            raise AssertionError("valid specs rejected by the schema:\n" + "\n".join(problems))
    return fn


# ---- invalid specs ----------------------------------------------------------------

STRUCT = '[[structs]]\nname = "s"\ndescription = "d"\nfields = [%s]\n'

INVALID = {
    "unknown-key": ('[[structs]]\nname = "s"\ndescripton = "d"\n', "unknown key"),
    "unknown-top-key": ('[[struct]]\nname = "s"\ndescription = "d"\n', "unknown key"),
    "unknown-field-key": (STRUCT % '{ name = "a", typ = "u8", size = 1 }', "unknown key"),
    "wrong-type-name": ('[[structs]]\nname = 1\ndescription = "d"\n', "must be a string"),
    "wrong-type-fields": ('[[structs]]\nname = "s"\ndescription = "d"\nfields = "a"\n',
                          "must be an array"),
    "wrong-type-value": ('[[enums]]\nname = "e"\ndescription = "d"\ntyp = "u8"\n'
                         'variants = [{ name = "a", value = "1" }]\n', "must be an integer"),
    "missing-description": ('[[structs]]\nname = "s"\nfields = []\n', "missing required key"),
    "missing-typ": (STRUCT % '{ name = "a" }', "missing required key"),
    "missing-shift": ('[[bitmaps]]\nname = "b"\ndescription = "d"\ntyp = "u8"\n'
                      'bits = [{ name = "x" }]\n', "missing required key"),
    "missing-imports": ('[[includes]]\nfrom = "xen"\n', "missing required key"),
    "empty-name": ('[[structs]]\nname = ""\ndescription = "d"\n', "must not be empty"),
    "bad-name": ('[[structs]]\nname = "a-b"\ndescription = "d"\n', "invalid struct name"),
    "keyword-name": (STRUCT % '{ name = "int", typ = "u8" }', "C or C++ keyword"),
    "bad-typ-ctor": (STRUCT % '{ name = "a", typ = { pointer = "u8" } }',
                     "unknown type constructor"),
    "bad-typ-two-keys": (STRUCT % '{ name = "a", typ = { ptr = "u8", array = ["u8", 2] } }',
                         "exactly one key"),
    "bad-typ-array": (STRUCT % '{ name = "a", typ = { array = ["u8", 0] } }',
                      "array length must be at least 1"),
    "bad-typ-number": (STRUCT % '{ name = "a", typ = 8 }', "a type is a name"),
    "bad-typ-tag-args": (STRUCT % '{ name = "a", typ = { tag = "u8", args = "x" } }',
                         "takes no 'args'"),
    "bad-typ-ptr-array": (STRUCT % '{ name = "a", typ = { ptr = { array = ["u8", 2] } } }',
                          "a pointer must point to"),
    "bad-enum-typ": ('[[enums]]\nname = "e"\ndescription = "d"\ntyp = "char"\n',
                     "must be an integer type"),
    "bad-bitmap-typ": ('[[bitmaps]]\nname = "b"\ndescription = "d"\ntyp = "i32"\n',
                       "must be an unsigned integer type"),
    "bad-op-cmd": ('[[structs]]\nname = "s"\ndescription = "d"\nop = { family = "domctl", '
                   'cmd = -1 }\n', "does not fit in 32 bits"),
    "bad-only-arch": ('[[structs]]\nname = "s"\ndescription = "d"\nonly = { archs = ["mips"] }\n',
                      "unknown architecture"),
    "bad-waiver": ('[[structs]]\nname = "s"\ndescription = "d"\nabi = { waive = ["speed"], '
                   'reason = "r" }\n', "a waiver names a rule"),
    "bad-case": ('[[enums]]\nname = "e"\ndescription = "d"\ntyp = "u8"\nc = { case = "lower" }\n',
                 "'case' is \"keep\" or \"upper\""),
    "not-a-table": ('structs = [1]\n', "must be a table"),
    "anonymous-scalar": (STRUCT % '{ typ = "u8" }', "only an inline struct or union can be "
                                                    "anonymous"),
    "bitfield-width": (STRUCT % '{ name = "a", typ = "u8", bits = 0 }', "a bitfield is 1 to 64"),
}


def invalid_test(ctx, name, text, message, fmt):
    def fn():
        d = ctx.mkdtemp("schema")
        src = write_spec(d, "toml/u/a.toml", text)
        if fmt == "toml":
            path = src
        else:
            st, so, se = ctx.run([ctx.tool, "convert", "--to", fmt, src])
            if st != 0:
                raise AssertionError("convert: %s" % se)
            path = write_spec(d, "%s/u/a.%s" % (fmt, fmt), so)
        st, so, se = ctx.xbg("validate", "-i", os.path.dirname(os.path.dirname(path)))
        if st != 1 or message not in se:
            raise AssertionError("the tool: status %d, expected 1 and %r\n%s" % (st, message, se))
        if not schema_errors(validator(ctx), as_json(ctx, path)):
            raise AssertionError("the schema accepts it:\n" + text)
    return fn


# ---- docs/spec-language.md follows the code --------------------------------------

DOC = os.path.join("docs", "spec-language.md")
DIAG_CALL = re.compile(r"diag_(?:error|warning|note)\s*\((.*?)\);", re.S)
C_STRINGS = re.compile(r'((?:"(?:[^"\\]|\\.)*"\s*)+)')
CONV = re.compile(r"%[-0-9.]*(?:ll|l|z)?[sdiuxX]")


def code_messages(ctx):
    """The format of every diagnostic with a literal message in the stages
    whose messages the page lists."""
    found = []
    for name in ("load.c", "get.c", "cond.c", "expr.c", "decode.c", "check.c",
                 "resolve.c", "names.c", "layout.c", "abi.c"):
        with open(os.path.join(ctx.root, "src", "model", name), encoding="utf-8") as f:
            src = f.read()
        for m in DIAG_CALL.finditer(src):
            lit = C_STRINGS.search(m.group(1))
            if not lit:
                continue
            fmt = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lit.group(1)))
            fmt = fmt.replace('\\"', '"').replace("\\\\", "\\")
            if CONV.sub("", fmt).strip():
                found.append((name, fmt))
    return found


def doc_messages_test(ctx):
    """Every message of the decoder (get.c, cond.c, expr.c, decode.c),
    check.c, resolve.c, names.c, layout.c, abi.c and load.c is in the page (a conversion like
    %s stands for any text there)."""
    def fn():
        with open(os.path.join(ctx.root, DOC), encoding="utf-8") as f:
            doc = f.read()
        missing = []
        for name, fmt in code_messages(ctx):
            parts = CONV.split(fmt)
            pattern = ".+?".join(re.escape(p) for p in parts)
            if not re.search(pattern, doc):
                missing.append("%s: %s" % (name, fmt))
        if missing:
            raise AssertionError("messages missing from %s:\n%s" % (DOC, "\n".join(missing)))
    return fn


def doc_keys_test(ctx):
    """Every key of every table of the schema is in the page, as `key`."""
    def fn():
        with open(os.path.join(ctx.root, DOC), encoding="utf-8") as f:
            doc = f.read()
        missing = sorted({k["key"] for t in table(ctx) for k in t["keys"]
                          if "`%s`" % k["key"] not in doc})
        if missing:
            raise AssertionError("keys missing from %s: %s" % (DOC, ", ".join(missing)))
    return fn


ORDER_ROW = re.compile(r"^  \| ([a-z -]+) \| (`[a-z_0-9]+`(?:, `[a-z_0-9]+`)*) \|$", re.M)
SECTIONS = re.compile(r"^- \*\*Sections\*\* in the order of §4: (.*?)\.$", re.M | re.S)


def doc_order_test(ctx):
    """The canonical key orders in the page's section on fmt are the
    table's (the order of its keys), for every table but a spec file's
    [abi], which has one key."""
    def fn():
        with open(os.path.join(ctx.root, DOC), encoding="utf-8") as f:
            doc = f.read()
        rows = {what: re.findall(r"`([a-z_0-9]+)`", keys)
                for what, keys in ORDER_ROW.findall(doc)}
        m = SECTIONS.search(doc)
        if m:
            rows["spec file"] = re.findall(r"`([a-z_0-9]+)`", m.group(1))
        problems = []
        for t in table(ctx):
            if t["name"] == "unitAbi":
                continue
            what = {"const": "constant"}.get(t["what"], t["what"])
            keys = [k["key"] for k in t["keys"]]
            if rows.get(what) != keys:
                problems.append("%s: %s in the page, %s in the table"
                                % (what, rows.get(what), keys))
        if problems:
            raise AssertionError("the fmt key orders of %s differ from "
                                 "src/model/schema.c:\n%s" % (DOC, "\n".join(problems)))
    return fn


def _fail(message):
    def fn():
        raise AssertionError(message)
    return fn


def collect(ctx):
    run = _runner(ctx)
    tests = [run.Test("schema/valid", valid_test(ctx), needs(ctx, yaml=False)),
             run.Test("schema/generated", generated_test(ctx)),
             run.Test("schema/doc-messages", doc_messages_test(ctx)),
             run.Test("schema/doc-keys", doc_keys_test(ctx)),
             run.Test("schema/doc-order", doc_order_test(ctx))]
    try:
        tables = table(ctx)
    except (AssertionError, OSError) as e:
        tables = []
        tests.append(run.Test("schema/decode", _fail("the schema table: %s" % e)))
    for tab in tables:
        tests.append(run.Test("schema/decode/" + tab["name"], decode_test(ctx, tab)))
    for name, tree in spec_trees(ctx):
        if os.path.isdir(tree):
            tests.append(run.Test("schema/specs/" + name, tree_test(ctx, name, tree),
                                  needs(ctx)))
    for name, (text, message) in sorted(INVALID.items()):
        tests.append(run.Test("schema/invalid/" + name,
                              invalid_test(ctx, name, text, message, "toml"), needs(ctx)))
        tests.append(run.Test("schema/invalid-yaml/" + name,
                              invalid_test(ctx, name, text, message, "yaml"), needs(ctx)))
    return tests
