"""docs/xenbindgen.schema.json, the JSON Schema of the spec language.

  * schema/valid: the schema is a valid draft-07 schema;
  * schema/sync: every table of src/decode.c (its KeySpec lists) has the
    same keys, and the same required keys, in the schema: a key added to
    the language cannot be forgotten here;
  * schema/specs/TREE: every spec file of every tree the tool validates
    (ours, the RFC's, the test trees) is valid under the schema: YAML and
    JSON files as the tool reads them, TOML files after conversion to JSON
    (`xenbindgen convert --to json`);
  * schema/invalid/NAME: specs with one mistake each (an unknown key, a
    wrong value type, a missing required key, an empty name, a bad type,
    ...) are rejected by the schema and by the tool.

The validator is Debian's python3-jsonschema.
"""

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


# ---- the schema follows decode.c -------------------------------------------------

KEYSPEC = re.compile(r"static const KeySpec (\w+)\[\] = \{(.*?)\};", re.S)
ENTRY = re.compile(r'\{"(\w+)",\s*(true|false)\}')

# decode.c's tables and where the schema describes them
TABLES = {
    "top_keys": None,
    "unit_abi_keys": "properties/abi",
    "include_keys": "definitions/include",
    "struct_keys": "definitions/struct",
    "union_keys": "definitions/union",
    "op_keys": "definitions/op",
    "field_keys": "definitions/field",
    "enum_keys": "definitions/enum",
    "variant_keys": "definitions/variant",
    "bitmap_keys": "definitions/bitmap",
    "bit_keys": "definitions/bit",
    "alias_keys": "definitions/alias",
    "const_keys": "definitions/const",
    "only_keys": "definitions/only",
    "c_keys": "definitions/cNames",
    "abi_keys": "definitions/itemAbi",
    "arch_keys": "definitions/aliasType/anyOf/1",
}


def sync_test(ctx):
    def fn():
        with open(os.path.join(ctx.root, "src", "model", "decode.c"), encoding="utf-8") as f:
            src = f.read()
        schema = load_schema(ctx)
        found = dict(KEYSPEC.findall(src))
        problems = []
        for table, body in found.items():
            if table not in TABLES:
                problems.append("decode.c has a new table %s: describe it in %s and "
                                "tests/suites/schema.py" % (table, SCHEMA))
                continue
            where = schema
            for part in (TABLES[table] or "").split("/"):
                if part:
                    where = where[int(part)] if part.isdigit() else where[part]
            keys = ENTRY.findall(body)
            want = {k for k, _ in keys}
            have = set(where["properties"])
            if want != have:
                problems.append("%s: decode.c has %s, the schema %s"
                                % (table, sorted(want), sorted(have)))
            req = {k for k, r in keys if r == "true"}
            if table == "field_keys":
                req.discard("name")  # anonymous inline members: see anyOf
            if table in ("arch_keys",):
                continue
            have_req = set(where.get("required", []))
            if req != have_req:
                problems.append("%s: required %s in decode.c, %s in the schema"
                                % (table, sorted(req), sorted(have_req)))
        for table in TABLES:
            if table not in found:
                problems.append("decode.c no longer has %s" % table)
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
    for name in ("load.c", "decode.c", "check.c", "resolve.c", "names.c", "layout.c",
                 "abi.c"):
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
    """Every message of decode.c, check.c, resolve.c, names.c, layout.c, abi.c
    and load.c is in the page (a conversion like %s stands for any text there)."""
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
    """Every key of every table of decode.c is in the page, as `key`."""
    def fn():
        with open(os.path.join(ctx.root, DOC), encoding="utf-8") as f:
            doc = f.read()
        with open(os.path.join(ctx.root, "src", "model", "decode.c"), encoding="utf-8") as f:
            src = f.read()
        missing = sorted({k for _, body in KEYSPEC.findall(src) for k, _ in ENTRY.findall(body)
                          if "`%s`" % k not in doc})
        if missing:
            raise AssertionError("keys missing from %s: %s" % (DOC, ", ".join(missing)))
    return fn


def collect(ctx):
    run = _runner(ctx)
    tests = [run.Test("schema/valid", valid_test(ctx), needs(ctx, yaml=False)),
             run.Test("schema/sync", sync_test(ctx)),
             run.Test("schema/doc-messages", doc_messages_test(ctx)),
             run.Test("schema/doc-keys", doc_keys_test(ctx))]
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
