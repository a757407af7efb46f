"""JSONTestSuite through the whole tool (issue 8, point 7).

Every file of ../shared/json-test-suite/test_parsing (read at test time,
never copied into the project) is given to the main tool as a spec: copied
to <tmp>/in/unit/x.json and checked with `xenbindgen validate -i in`.  Almost
none of them is a spec, so the tool must exit 1 with a located error as its
first line ("in/unit/x.json:LINE:COL: error: ..."): a parse error for
malformed JSON, a schema error for valid JSON that is not a spec (an array,
a number, an object with keys that are not sections).  Never a crash, a
hang (each run has a timeout) or a sanitizer report.

tests/suites/json_parsing.py tests the reader alone, with doc-decoder; this
suite tests what a user sees.
"""

import os
import re
import shutil
import sys

SUITE = "json-test-suite/test_parsing"
TIMEOUT = 60

# Files that are valid specs, so validate succeeds (exit 0, no output on
# stderr): name -> why.
VALID_SPECS = {
    # {} is a spec file with no sections: nothing to generate, but valid.
    "y_object_empty.json": "an empty table: a spec with no sections",
    # the same {} after a UTF-8 byte order mark, which the reader skips
    "i_structure_UTF-8_BOM_empty_object.json": "{} after a byte order mark",
}

LOCATED = re.compile(r"^in/unit/x\.json:(\d+):(\d+): error: (.*)$")


def _runner(ctx):
    return sys.modules[type(ctx).__module__]


def file_test(ctx, path, name):
    def fn():
        d = ctx.mkdtemp("jst")
        os.makedirs(os.path.join(d, "in", "unit"))
        shutil.copyfile(path, os.path.join(d, "in", "unit", "x.json"))
        status, out, err = ctx.xbg("validate", "-i", "in", cwd=d, timeout=TIMEOUT)
        if name in VALID_SPECS:
            if status != 0 or err:
                raise AssertionError("%s is a valid spec (%s): status %d, expected 0\n%s"
                                     % (name, VALID_SPECS[name], status, err[:2000]))
            return
        if status != 1:
            raise AssertionError("status %d, expected 1\nstdout: %s\nstderr: %s"
                                 % (status, out[:2000], err[:2000]))
        if out:
            raise AssertionError("output on stdout after an error:\n" + out[:2000])
        first = err.split("\n", 1)[0]
        m = LOCATED.match(first)
        if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
            raise AssertionError("first line of stderr is not 'in/unit/x.json:LINE:COL: "
                                 "error: ...':\n" + err[:2000])
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err):
            raise AssertionError("raw control character in the diagnostics: %r" % err[:2000])
    return fn


def collect(ctx):
    run = _runner(ctx)
    base = os.path.join(ctx.shared, SUITE)
    need = [run.Need("libyaml-dev", probe=lambda: ctx.yaml), run.Need.shared(SUITE)]
    if not need[-1].met():
        # the cases are the files there: one test stands for them all
        return [run.Test("json_suite_tool", None, need)]
    tests = []
    for name in sorted(os.listdir(base)):
        if name.endswith(".json"):
            tests.append(run.Test("json_suite_tool/" + name[:-5],
                                  file_test(ctx, os.path.join(base, name), name), need))
    return tests
