"""JSON and YAML through the libyaml-based reader (src/read/yaml.c, with
src/read/json.c for the checks of JSON that libyaml does not make).

One test per file of JSONTestSuite's test_parsing directory
(../shared/json-test-suite/test_parsing, read at test time, never copied into
the project), run through the doc-decoder test tool as a .json spec:

  * y_X.json must be accepted (status 0) and decode to the value Python's
    json module reads from it, with JSON types mapped to the document tree's
    (numbers without a fraction or exponent are integers);
  * n_X.json must be rejected (status 1) with a first stderr line
    "n_X.json:LINE:COL: error: ..." (a real position, no raw control
    characters in the message), unless listed in N_ACCEPTED;
  * i_X.json may go either way (status 0 or 1; a rejection is located).

Never a crash, a sanitizer report or a timeout.  A few y_ files are rejected
on purpose and listed in Y_REJECTED with the reason.

Then a few YAML files of our own, decoded and compared with the tagged JSON
expected (yaml/...).
"""

import json
import math
import os
import re
import shutil
import sys

SUITE = "json-test-suite/test_parsing"

# y_ files the reader rejects on purpose: name -> (reason, expected message).
Y_REJECTED = {
    # RFC 8259 only says names SHOULD be unique; a spec with a key twice is
    # a mistake, so JSON specs get the same error as YAML and TOML ones.
    "y_object_duplicated_key": ("duplicate keys are errors in specs",
                                "duplicate key 'a'"),
    "y_object_duplicated_key_and_value": ("duplicate keys are errors in specs",
                                          "duplicate key 'a'"),
}

# n_ files that libyaml accepts and the token scan cannot reject without
# becoming a JSON parser: name -> reason.  They must still not crash.
N_ACCEPTED = {
}

TIMEOUT = 60


def _runner(ctx):
    # Test, Need and Skip come from the runner that made ctx, whatever its
    # module is called (run.py runs as __main__).
    return sys.modules[type(ctx).__module__]


def _decode(ctx, name, data):
    """Write data to a fresh directory as name and run doc-decoder on it."""
    d = ctx.mkdtemp("json")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    decoder = os.path.join(ctx.testbin, "doc-decoder")
    return ctx.run([decoder, name], cwd=d, timeout=TIMEOUT)


def _check_located(name, status, out, err):
    """A rejection: status 1 and a located first line without raw control
    characters."""
    if status != 1:
        raise AssertionError("exit status %d, expected 1\nstdout: %s\nstderr: %s"
                             % (status, out[:2000], err[:2000]))
    first = err.split("\n", 1)[0]
    m = re.match("^" + re.escape(name) + r":(\d+):(\d+): error: (.*)$", first)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        raise AssertionError("first line of stderr is not '%s:LINE:COL: error: "
                             "...':\n%s" % (name, err[:2000]))
    if re.search(r"[\x00-\x1f\x7f-\x9f]", m.group(3)):
        raise AssertionError("raw control character in message: %r" % first)
    return m.group(3)


def _tagged(v):
    """Python's reading of a JSON value as doc-decoder prints it."""
    if isinstance(v, bool):
        return {"type": "bool", "value": "true" if v else "false"}
    if v is None:
        return {"type": "null", "value": ""}
    if isinstance(v, int):
        return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        return {"type": "float", "value": repr(v)}
    if isinstance(v, str):
        return {"type": "string", "value": v}
    if isinstance(v, list):
        return [_tagged(x) for x in v]
    return {k: _tagged(x) for k, x in v.items()}


def _same(want, got, path, problems):
    where = path or "(root)"
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            problems.append("%s: expected %r, got %r" % (where, want, got))
            return
        for i, (w, g) in enumerate(zip(want, got)):
            _same(w, g, "%s[%d]" % (path, i), problems)
    elif "type" in want and len(want) == 2 and isinstance(want.get("value"), str):
        if not isinstance(got, dict) or got.get("type") != want["type"]:
            problems.append("%s: expected %r, got %r" % (where, want, got))
        elif want["type"] == "float":
            a, b = float(want["value"]), float(got["value"])
            if not (a == b or (math.isnan(a) and math.isnan(b))):
                problems.append("%s: expected %s, got %s" % (where, a, b))
        elif want["value"] != got["value"]:
            problems.append("%s: expected %r, got %r"
                            % (where, want["value"], got["value"]))
    else:
        if not isinstance(got, dict) or list(got) != list(want):
            problems.append("%s: expected keys %r, got %r"
                            % (where, list(want), got))
            return
        for k in want:
            _same(want[k], got[k], "%s.%s" % (path, k), problems)


def _compare(want, out):
    try:
        got = json.loads(out)
    except ValueError as e:
        raise AssertionError("output is not JSON (%s):\n%s" % (e, out[:2000]))
    problems = []
    _same(want, got, "", problems)
    if problems:
        raise AssertionError("\n".join(problems[:30]))


# ---- JSONTestSuite ------------------------------------------------------------

def _case(ctx, path):
    base = os.path.basename(path)
    stem = base[:-5] if base.endswith(".json") else base
    name = stem + ".json"

    def fn():
        with open(path, "rb") as f:
            data = f.read()
        status, out, err = _decode(ctx, name, data)
        if stem in Y_REJECTED:
            msg = _check_located(name, status, out, err)
            if Y_REJECTED[stem][1] not in msg:
                raise AssertionError("expected %r, got %r"
                                     % (Y_REJECTED[stem][1], msg))
        elif stem.startswith("y_"):
            if status != 0:
                raise AssertionError("exit status %d, expected 0\n%s"
                                     % (status, err[:2000]))
            _compare(_tagged(json.loads(data.decode("utf-8"))), out)
        elif stem.startswith("n_"):
            if stem in N_ACCEPTED:
                if status not in (0, 1):
                    raise AssertionError("exit status %d\n%s" % (status, err))
                if status == 1:
                    _check_located(name, status, out, err)
            else:
                _check_located(name, status, out, err)
        else:
            if status not in (0, 1):
                raise AssertionError("exit status %d\n%s" % (status, err))
            if status == 1:
                _check_located(name, status, out, err)
    return fn


# ---- YAML of our own -------------------------------------------------------------

def S(v):
    return {"type": "string", "value": v}


def I(v):
    return {"type": "integer", "value": str(v)}


def B(v):
    return {"type": "bool", "value": "true" if v else "false"}


NULL = {"type": "null", "value": ""}

YAML_CASES = {
    # The reviewer's spec shape.
    "spec-shape": (
        "structs:\n"
        "- name: xen_sysctl_readconsole\n"
        "  description: \"Read console content from Xen buffer ring.\"\n"
        "  fields:\n"
        "    - name: clear\n"
        "      typ: u8\n"
        "    - name: index\n"
        "      typ: {tag: u32}\n",
        {"structs": [{"name": S("xen_sysctl_readconsole"),
                      "description": S("Read console content from Xen buffer ring."),
                      "fields": [{"name": S("clear"), "typ": S("u8")},
                                 {"name": S("index"), "typ": {"tag": S("u32")}}]}]}),
    # YAML 1.2 core schema: no Norway problem, no sexagesimals, no 0b.
    "core-schema": (
        "a: [yes, no, on, off, y, n, NO]\n"
        "b: [0x10, 0o17, -12, +3, 1_000, 0b11, '1', 1:30]\n"
        "c: [~, null, Null, NULL, true, False, TRUE]\n"
        "d:\n",
        {"a": [S("yes"), S("no"), S("on"), S("off"), S("y"), S("n"), S("NO")],
         "b": [I(16), I(15), I(-12), I(3), S("1_000"), S("0b11"), S("1"), S("1:30")],
         "c": [NULL, NULL, NULL, NULL, B(True), B(False), B(True)],
         "d": NULL}),
    "floats": (
        "- 1e3\n- .5\n- -1.5e-3\n- .inf\n- -.Inf\n- .NAN\n- 1.\n",
        [{"type": "float", "value": v}
         for v in ("1000", "0.5", "-0.0015", "inf", "-inf", "nan", "1")]),
    "tags": (
        "a: !!str 12\nb: !!int \"12\"\nc: !!float 1\nd: !!bool true\n"
        "e: !!null ''\nf: !!map {x: 1}\ng: !!seq [1]\n",
        {"a": S("12"), "b": I(12), "c": {"type": "float", "value": "1"},
         "d": B(True), "e": NULL, "f": {"x": I(1)}, "g": [I(1)]}),
    "block-scalars": (
        "lit: |\n  one\n  two\nfold: >-\n  one\n  two\n",
        {"lit": S("one\ntwo\n"), "fold": S("one two")}),
    "comments-only": ("# nothing here\n\n# at all\n", {}),
    "empty": ("", {}),
}

YAML_ERRORS = {
    "alias": ("a: &x [1]\nb: *x\n",
              "t.yaml:1:4: error: YAML anchors are not supported in specs"),
    "duplicate": ("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: error: duplicate key 'a'"),
    "two-documents": ("a: 1\n---\nb: 2\n",
                      "t.yaml:2:1: error: more than one document in the file "
                      "(a spec is a single YAML document)"),
    "unknown-tag": ("a: !!binary aGk=\n",
                    "t.yaml:1:4: error: unsupported tag '!!binary' (specs may use "
                    "only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq)"),
    "too-big": ("a: 9223372036854775808\n",
                "t.yaml:1:4: error: integer 9223372036854775808 does not fit "
                "in 64 bits"),
    "nul": ("a: b\0\n", "t.yaml:1:5: error: control character '\\u0000' is "
            "not allowed in YAML"),
}


def _yaml_case(ctx, text, want):
    def fn():
        status, out, err = _decode(ctx, "t.yaml", text.encode("utf-8"))
        if status != 0:
            raise AssertionError("exit status %d, expected 0\n%s" % (status, err))
        _compare(want, out)
    return fn


def _yaml_error(ctx, text, first):
    def fn():
        status, out, err = _decode(ctx, "t.yaml", text.encode("utf-8"))
        _check_located("t.yaml", status, out, err)
        if err.split("\n", 1)[0] != first:
            raise AssertionError("expected %r, got:\n%s" % (first, err))
    return fn


def collect(ctx):
    run = _runner(ctx)
    needs = [run.Need("libyaml-dev", probe=lambda: ctx.yaml)]
    tests = []
    for name, (text, want) in sorted(YAML_CASES.items()):
        tests.append(run.Test("yaml-decoder/" + name, _yaml_case(ctx, text, want),
                              needs))
    for name, (text, first) in sorted(YAML_ERRORS.items()):
        tests.append(run.Test("yaml-decoder/error/" + name,
                              _yaml_error(ctx, text, first), needs))
    base = os.path.join(ctx.shared, SUITE)
    data = needs + [run.Need.shared(SUITE)]
    if not data[-1].met():
        # the cases are the files there: one test stands for them all
        return tests + [run.Test("json-test-suite", None, data)]
    for fn in sorted(os.listdir(base)):
        if fn[:2] in ("y_", "n_", "i_"):
            tests.append(run.Test("json-test-suite/" + fn[:-5] if fn.endswith(".json")
                                  else "json-test-suite/" + fn,
                                  _case(ctx, os.path.join(base, fn)), data))
    return tests
