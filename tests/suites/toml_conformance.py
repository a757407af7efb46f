"""toml-test conformance of the TOML reader.

One test per case listed in ../shared/toml-test/files-toml-1.0.0, run through
the doc-decoder test tool:

  * valid/X.toml must decode (status 0) to JSON equal to valid/X.json,
    compared the way toml-test compares: same types, same keys, floats
    numerically (nan equals nan), integers as integers, date-times as the
    same instant (or the same local date/time) whatever their spelling;
  * invalid/X.toml must be rejected (status 1) with a first stderr line
    "invalid/X.toml:LINE:COL: error: ..." (a real position, no raw control
    characters in the message).

The test data is read from ../shared at test time, never copied here.
"""

import json
import os
import re
import sys

LIST = "files-toml-1.0.0"


def _runner(ctx):
    # Test and Skip come from the runner that made ctx, whatever its module
    # is called (run.py runs as __main__).
    return sys.modules[type(ctx).__module__]


# ---- comparing tagged JSON like toml-test ---------------------------------

DT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
                r"([Zz]|[+-]\d{2}:\d{2})?$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$")


def _nanos(frac):
    return int(((frac or ".")[1:] + "000000000")[:9])


def _days(y, m, d):
    """Days since 1970-01-01 (proleptic Gregorian)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _datetime_key(kind, text):
    """A value that two spellings of the same date-time share."""
    if kind == "date-local":
        m = DATE.match(text)
        return m and tuple(int(g) for g in m.groups())
    if kind == "time-local":
        m = TIME.match(text)
        return m and (int(m[1]), int(m[2]), int(m[3]), _nanos(m[4]))
    m = DT.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    zone = m[8]
    if kind == "datetime-local":
        return None if zone else (y, mo, d, h, mi, s, _nanos(m[7]))
    if not zone:
        return None
    off = 0
    if zone not in "Zz":
        off = (int(zone[1:3]) * 60 + int(zone[4:6])) * 60
        off = -off if zone[0] == "-" else off
    secs = _days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off
    return (secs, _nanos(m[7]))


def _is_tagged(v):
    return (isinstance(v, dict) and len(v) == 2 and
            isinstance(v.get("type"), str) and isinstance(v.get("value"), str))


def _same_scalar(want, got):
    kind = want["type"]
    a, b = want["value"], got["value"]
    if kind == "float":
        fa, fb = float(a), float(b)
        return (fa != fa and fb != fb) or fa == fb
    if kind == "integer":
        return int(a) == int(b)
    if kind in ("datetime", "datetime-local", "date-local", "time-local"):
        ka = _datetime_key(kind, a)
        return ka is not None and ka == _datetime_key(kind, b)
    return a == b


def compare(want, got, path, problems):
    where = path or "(root)"
    if _is_tagged(want):
        if not _is_tagged(got):
            problems.append("%s: expected %r, got %r" % (where, want, got))
        elif want["type"] != got["type"]:
            problems.append("%s: expected type %s, got %s (%r)"
                            % (where, want["type"], got["type"], got["value"]))
        elif not _same_scalar(want, got):
            problems.append("%s: expected %s %r, got %r"
                            % (where, want["type"], want["value"], got["value"]))
    elif isinstance(want, list):
        if not isinstance(got, list):
            problems.append("%s: expected an array, got %r" % (where, got))
        elif len(want) != len(got):
            problems.append("%s: expected %d elements, got %d"
                            % (where, len(want), len(got)))
        else:
            for i, (w, g) in enumerate(zip(want, got)):
                compare(w, g, "%s[%d]" % (path, i), problems)
    elif isinstance(want, dict):
        if not isinstance(got, dict) or _is_tagged(got):
            problems.append("%s: expected a table, got %r" % (where, got))
            return
        for k in sorted(set(want) | set(got)):
            sub = "%s.%s" % (path, json.dumps(k)) if path else json.dumps(k)
            if k not in got:
                problems.append("%s: missing" % sub)
            elif k not in want:
                problems.append("%s: unexpected key" % sub)
            else:
                compare(want[k], got[k], sub, problems)
    else:
        problems.append("%s: bad expected value %r" % (where, want))


# ---- the tests -------------------------------------------------------------

def _valid(ctx, base, rel):
    def fn():
        decoder = os.path.join(ctx.testbin, "doc-decoder")
        status, out, err = ctx.run([decoder, rel], cwd=base)
        if status != 0:
            raise AssertionError("exit status %d, expected 0\n%s" % (status, err))
        try:
            got = json.loads(out)
        except ValueError as e:
            raise AssertionError("output is not JSON (%s):\n%s" % (e, out[:2000]))
        with open(os.path.join(base, rel[:-5] + ".json"), encoding="utf-8") as f:
            want = json.load(f)
        problems = []
        compare(want, got, "", problems)
        if problems:
            raise AssertionError("\n".join(problems[:30]))
    return fn


def _invalid(ctx, base, rel):
    pattern = re.compile("^" + re.escape(rel) + r":(\d+):(\d+): error: (.*)$")

    def fn():
        decoder = os.path.join(ctx.testbin, "doc-decoder")
        status, out, err = ctx.run([decoder, rel], cwd=base)
        if status != 1:
            raise AssertionError("exit status %d, expected 1\nstdout: %s\nstderr: %s"
                                 % (status, out[:2000], err[:2000]))
        first = err.split("\n", 1)[0]
        m = pattern.match(first)
        if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
            raise AssertionError("first line of stderr is not "
                                 "'%s:LINE:COL: error: ...':\n%s" % (rel, err[:2000]))
        if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", m.group(3)):
            raise AssertionError("raw control character in message: %r" % first)
    return fn


def collect(ctx):
    run = _runner(ctx)
    base = os.path.join(ctx.shared, "toml-test")
    listing = os.path.join(base, LIST)
    need = run.Need.shared(os.path.join("toml-test", LIST))
    if not need.met():
        # the cases are listed there: one test stands for them all
        return [run.Test("toml-test", None, [need])]
    tests = []
    with open(listing, encoding="utf-8") as f:
        for line in f:
            rel = line.strip()
            if not rel.endswith(".toml"):
                continue
            name = "toml-test/" + rel[:-5]
            if rel.startswith("valid/"):
                tests.append(run.Test(name, _valid(ctx, base, rel), [need]))
            elif rel.startswith("invalid/"):
                tests.append(run.Test(name, _invalid(ctx, base, rel), [need]))
    return tests
