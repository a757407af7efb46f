#!/usr/bin/env python3
"""xenbindgen test runner.

Runs three kinds of tests and ends with the line "N passed, N failed"
(plus ", N skipped" when something was skipped):

  * unit tests: C programs build/<cc>/tests/test_* printing TAP lines
    ("ok - test_name" / "not ok - test_name", then the plan "1..N").  Each
    case is a test of its own: test_hmap_grow of test_core is
    "unit/core/hmap-grow", and a failure shows the "#" lines the case
    printed.  A program that crashes, trips a sanitizer, stops before its
    plan or exits with a status its cases do not explain fails as
    "unit/core";
  * end-to-end cases: tests/cases/<name>/ holds a spec tree, the command
    line (file `cmd`) and the expected `stdout`, `stderr` and `status`
    (missing files mean empty output and status 0).  `@OUT@` in cmd is a
    fresh temporary directory; an `out/` directory in the case is compared
    file by file with it.  The tool runs with the case directory as working
    directory so diagnostics show short relative paths;
  * suites: tests/suites/*.py, Python modules with a collect(ctx) function
    returning Test objects (conformance runs, compile matrices, ...).

A test declares what it needs (class Need): a command or package, named by
the Debian package that provides it, or test data in ../shared
(Need.shared; an end-to-end case whose command names a path there needs
it).  When a need is not met the test is skipped with the reason, naming
the package to install or the data that is missing; under CI=true a skip
counts as a failure.  The runner installs nothing: .ci/run installs every
package the tests need.

Usage: tests/run.py [--update] [--list] [-j N] [PATTERN...]
  PATTERN selects tests whose name contains it (^PATTERN: whose name
  starts with it).  --update rewrites the
  expected files of end-to-end cases from what the tool now prints.
  --list prints the names; a unit-test program shows as "unit/core/*"
  (its cases are known once it runs).
"""

import concurrent.futures as cf
import difflib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
# Suites import this file as "run"; run as a script it is "__main__".  One
# module under both names, so that a suite's Skip is the class caught here.
sys.modules.setdefault("run", sys.modules[__name__])

# The test data the project reads and never copies (DEVELOPERS.md): Xen's
# headers and compat scripts, toml-test, JSONTestSuite, the RFC's specs.
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


class Skip(Exception):
    """Raised by a test that cannot run here (the message says why)."""


# How to get what no Debian package provides in a usable version.
INSTALL = {"cargo": "rustup's stable toolchain with clippy and rustfmt "
                    "(Debian's rustc lacks core::mem::offset_of!)"}


class Need:
    """Something a test needs: a command on PATH or a custom probe, and the
    Debian package that provides it; or, made by Need.shared, a file or
    directory of the test data in ../shared."""

    def __init__(self, package, command=None, probe=None, data=None):
        self.package = package
        self.command = command
        self.probe = probe
        self.data = data

    @classmethod
    def shared(cls, rel):
        """Test data: ../shared/REL must exist."""
        return cls(None, data=rel)

    def met(self):
        if self.data is not None:
            return os.path.exists(os.path.join(SHARED, self.data))
        if self.command and shutil.which(self.command) is None:
            return False
        if self.probe and not self.probe():
            return False
        return True

    def why(self):
        """The skip reason: what to install, or which data is missing."""
        if self.data is not None:
            return "needs the test data ../shared/%s (%s not found)" % (
                self.data, os.path.join(SHARED, self.data) if os.path.isdir(SHARED) else SHARED)
        return "needs %s (install: %s)" % (
            self.package, INSTALL.get(self.package, "apt-get install " + self.package))


def data_needs(*paths):
    """The needs of a test that reads PATHS: test data for those in
    ../shared, nothing for the project's own files."""
    needs = []
    for path in paths:
        rel = os.path.relpath(os.path.normpath(path), SHARED)
        if rel != "." and not rel.startswith(".." + os.sep) and rel != "..":
            needs.append(Need.shared(rel))
    return needs


class Test:
    """A test: fn() passes unless it raises (AssertionError: fails, Skip:
    skipped).  A group (group=True) is a test whose cases are known once it
    runs: its fn returns a list of (name, "pass"|"fail"|"skip", message),
    each reported as a test of its own."""

    def __init__(self, name, fn, needs=(), group=False):
        self.name = name
        self.fn = fn
        self.needs = list(needs)
        self.group = group


class Context:
    def __init__(self):
        self.root = ROOT
        self.tool = os.environ.get("XENBINDGEN", os.path.join(ROOT, "xenbindgen"))
        # the binary itself, for probes of what it was built with (under
        # make check-valgrind, self.tool is the valgrind wrapper)
        self.real_tool = os.environ.get("XBG_REAL", self.tool)
        self.testbin = os.environ.get("TESTBIN", os.path.join(ROOT, "build", "cc", "tests"))
        # the tool built with its test hooks (XBG_TEST_HOOKS)
        self.hooks = os.environ.get("XBG_HOOKS", os.path.join(self.testbin, "xenbindgen-hooks"))
        self.shared = SHARED
        self.ci = os.environ.get("CI", "") not in ("", "0", "false")
        self.asan = os.environ.get("ASAN", "") not in ("", "0")
        self.yaml = os.environ.get("YAML", "yes") == "yes"
        self.cc = os.environ.get("CC", "cc")
        self.update = False
        self.tmp = tempfile.mkdtemp(prefix="xbg-test-")

    def env(self, extra=None):
        e = dict(os.environ)
        e["LC_ALL"] = "C"
        e.pop("NO_COLOR", None)
        e["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0:exitcode=99"
        e["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99"
        if extra:
            e.update(extra)
        return e

    def run(self, args, cwd=None, input=None, env=None, timeout=300):
        """Run a command, returning (status, stdout, stderr) as text.
        Sanitizer reports (exit status 99) always fail the test."""
        p = subprocess.run(args, cwd=cwd, input=input, capture_output=True,
                           env=self.env(env), timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode == 99 or "Sanitizer" in err or p.returncode < 0:
            raise AssertionError("%s crashed or tripped a sanitizer (status %d):\n%s"
                                 % (" ".join(args), p.returncode, err[-4000:]))
        return p.returncode, out, err

    def xbg(self, *args, **kw):
        return self.run([self.tool] + list(args), **kw)

    def mkdtemp(self, prefix="t"):
        return tempfile.mkdtemp(prefix=prefix + "-", dir=self.tmp)


def text_diff(expected, actual, what):
    lines = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                 "expected " + what, "actual " + what)
    return "".join(lines)


def expect_equal(expected, actual, what):
    if expected != actual:
        raise AssertionError(text_diff(expected, actual, what) or
                             "%s differs (whitespace?)" % what)


def c_prelude(ctx, gen):
    """What a C translation unit includes before headers generated into
    GEN: <stdint.h> and the tree's own xen.h when it is Xen's, whose
    architecture headers declare the guest handle machinery (specs/xen's,
    an imported tree's); xenbindgen's support/xen-prelude.h for a spec
    tree without one."""
    xen_h = os.path.join(gen, "xen.h")
    if os.path.exists(xen_h) and any(
            "#define ___DEFINE_XEN_GUEST_HANDLE" in read_opt(os.path.join(gen, a))
            for a in ("arch-x86/xen.h", "arch-arm.h")):
        return '#include <stdint.h>\n#include "%s"\n' % xen_h
    return '#include "%s"\n' % os.path.join(ctx.root, "support", "xen-prelude.h")


# ---- end-to-end cases -----------------------------------------------------

def read_opt(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            return f.read()
    except FileNotFoundError:
        return default


def compare_trees(expected_dir, actual_dir):
    problems = []
    exp = set()
    act = set()
    for base, names in ((expected_dir, exp), (actual_dir, act)):
        for d, _, files in os.walk(base):
            for fn in files:
                names.add(os.path.relpath(os.path.join(d, fn), base))
    for name in sorted(exp | act):
        if name not in act:
            problems.append("missing output file %s" % name)
        elif name not in exp:
            problems.append("unexpected output file %s" % name)
        else:
            a = read_opt(os.path.join(actual_dir, name))
            e = read_opt(os.path.join(expected_dir, name))
            if a != e:
                problems.append(text_diff(e, a, name))
    if problems:
        raise AssertionError("\n".join(problems))


def case_test(ctx, case_dir):
    def fn():
        cmd = read_opt(os.path.join(case_dir, "cmd")).strip()
        out = ctx.mkdtemp("out")
        os.rmdir(out)  # the tool creates it; cases that need it present say so
        args = [a.replace("@OUT@", out) for a in shlex.split(cmd)]
        status, so, se = ctx.xbg(*args, cwd=case_dir)
        se = se.replace(out, "@OUT@")
        so = so.replace(out, "@OUT@")
        if ctx.update:
            for name, val, default in (("stdout", so, ""), ("stderr", se, ""),
                                       ("status", "%d\n" % status, "0\n")):
                path = os.path.join(case_dir, name)
                if val != default:
                    with open(path, "w") as f:
                        f.write(val)
                elif os.path.exists(path):
                    os.remove(path)
            if os.path.isdir(os.path.join(case_dir, "out")):
                shutil.rmtree(os.path.join(case_dir, "out"))
                if os.path.isdir(out):
                    shutil.copytree(out, os.path.join(case_dir, "out"))
            return
        want_status = int(read_opt(os.path.join(case_dir, "status"), "0").strip() or 0)
        expect_equal(read_opt(os.path.join(case_dir, "stderr")), se, "stderr")
        expect_equal(read_opt(os.path.join(case_dir, "stdout")), so, "stdout")
        if status != want_status:
            raise AssertionError("exit status %d, expected %d" % (status, want_status))
        if os.path.isdir(os.path.join(case_dir, "out")):
            compare_trees(os.path.join(case_dir, "out"), out if os.path.isdir(out) else ctx.mkdtemp())
    return fn


def shared_needs(case_dir, cmd):
    """A case whose command line names a path into ../shared (relative to
    the case directory) needs that data."""
    return data_needs(*[os.path.join(case_dir, a) for a in shlex.split(cmd)
                        if a.startswith("..")])


def collect_cases(ctx):
    base = os.path.join(ROOT, "tests", "cases")
    tests = []
    for d, dirs, files in os.walk(base):
        dirs.sort()
        if "cmd" in files:
            name = "case/" + os.path.relpath(d, base)
            needs = []
            if "yaml" in read_opt(os.path.join(d, "needs")):
                needs.append(Need("libyaml-dev", probe=lambda: ctx.yaml))
            needs += shared_needs(d, read_opt(os.path.join(d, "cmd")))
            tests.append(Test(name, case_test(ctx, d), needs))
            dirs[:] = []
    return tests


# ---- unit tests ----------------------------------------------------------

def unit_cases(name, status, out, err):
    """The results of one run of a unit-test program: one per TAP line, and
    one for the program itself when something went wrong outside its cases
    (crash, sanitizer report, no plan, a status its cases do not explain)."""
    results = []
    notes = []
    plan = None
    for line in out.splitlines():
        if line.startswith("#"):
            notes.append(line)
            continue
        verdict = None
        if line.startswith("not ok - "):
            verdict, case = "fail", line[9:]
        elif line.startswith("ok - "):
            verdict, case = "pass", line[5:]
        elif line.startswith("1.."):
            plan = line[3:]
        if verdict is None:
            continue
        msg = "\n".join(notes)
        notes = []
        case, _, directive = case.partition(" # ")
        if verdict == "pass" and directive.upper().startswith("SKIP"):
            verdict, msg = "skip", directive[4:].strip() or "skipped"
        case = case.strip()
        if case.startswith("test_"):
            case = case[5:]
        results.append(("%s/%s" % (name, case.replace("_", "-")), verdict, msg))
    failed = any(r[1] == "fail" for r in results)
    problems = []
    if status < 0:
        try:
            sig = signal.Signals(-status).name
        except ValueError:
            sig = "signal %d" % -status
        problems.append("killed by %s" % sig)
    elif status != (1 if failed else 0):
        problems.append("exit status %d%s" % (
            status, " (a sanitizer's)" if status == 99 else
            ", but no case failed" if not failed else ""))
    if "Sanitizer" in err and status >= 0 and status != 99:
        problems.append("a sanitizer reported")
    if not results:
        problems.append("no case ran")
    if plan is None:
        problems.append("no plan line (1..N): it stopped early")
    elif plan != str(len(results)):
        problems.append("%d results, but the plan says 1..%s" % (len(results), plan))
    if problems:
        last = results[-1][0] if results else "none"
        msg = "%s; last case reported: %s" % ("; ".join(problems), last)
        tail = "\n".join(notes)
        if tail:
            msg += "\n" + tail[-3000:]
        if err.strip():
            msg += "\nstderr:\n" + err[-4000:]
        results.append((name, "fail", msg))
    return results


def unit_test(ctx, name, path):
    def fn():
        p = subprocess.run([path], capture_output=True, env=ctx.env(), timeout=600)
        return unit_cases(name, p.returncode, p.stdout.decode("utf-8", "replace"),
                          p.stderr.decode("utf-8", "replace"))
    return fn


# What a unit-test program needs, by its name (test_NAME).
UNIT_NEEDS = {"yaml": lambda ctx: [Need("libyaml-dev", probe=lambda: ctx.yaml)]}


def collect_units(ctx):
    tests = []
    if os.path.isdir(ctx.testbin):
        for fn in sorted(os.listdir(ctx.testbin)):
            p = os.path.join(ctx.testbin, fn)
            if fn.startswith("test_") and os.access(p, os.X_OK) and not fn.endswith((".o", ".d")):
                needs = UNIT_NEEDS.get(fn[5:], lambda ctx: [])(ctx)
                tests.append(Test("unit/" + fn[5:], unit_test(ctx, "unit/" + fn[5:], p),
                                  needs, group=True))
    return tests


def collect_suites(ctx):
    import importlib
    tests = []
    sdir = os.path.join(ROOT, "tests", "suites")
    for fn in sorted(os.listdir(sdir)):
        if fn.endswith(".py") and not fn.startswith("_"):
            mod = importlib.import_module("suites." + fn[:-3])
            for t in mod.collect(ctx):
                tests.append(t)
    return tests


# ---- selection -------------------------------------------------------------

def matches(pattern, name):
    """PATTERN is a substring of NAME, or ^PREFIX a prefix of it."""
    if pattern.startswith("^"):
        return name.startswith(pattern[1:])
    return pattern in name


def may_match(pattern, group):
    """Whether PATTERN may select GROUP or one of its cases (GROUP/...),
    whose names are not known before it runs."""
    if pattern.startswith("^"):
        p = pattern[1:]
        return group.startswith(p) or p.startswith(group + "/")
    return True


def main(argv):
    ctx = Context()
    patterns = []
    jobs = os.cpu_count() or 2
    list_only = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--update":
            ctx.update = True
        elif a == "--list":
            list_only = True
        elif a == "-j":
            i += 1
            jobs = int(argv[i])
        else:
            patterns.append(a)
        i += 1

    tests = collect_units(ctx) + collect_cases(ctx) + collect_suites(ctx)
    if patterns:
        # "^case/" selects names that start with "case/"
        tests = [t for t in tests
                 if any((may_match if t.group else matches)(p, t.name) for p in patterns)]
    if list_only:
        for t in tests:
            print(t.name + ("/*" if t.group else ""))
        return 0

    passed = failed = skipped = 0

    def run_one(t):
        unmet = [n for n in t.needs if not n.met()]
        if unmet:
            return [(t.name, "skip", "; ".join(n.why() for n in unmet))]
        try:
            got = t.fn()
            if not t.group:
                return [(t.name, "pass", "")]
            # a case is selected by a pattern that selects it or its group;
            # the group's own failure (a crash) always shows
            return [r for r in got
                    if not patterns or r[0] == t.name
                    or any(matches(p, r[0]) or matches(p, t.name) for p in patterns)]
        except Skip as e:
            return [(t.name, "skip", str(e))]
        except AssertionError as e:
            return [(t.name, "fail", str(e))]
        except Exception:
            return [(t.name, "fail", traceback.format_exc())]

    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        for results in ex.map(run_one, tests):
            for name, res, msg in results:
                if res == "skip" and ctx.ci:
                    res, msg = "fail", "skipped under CI=true: " + msg
                if res == "pass":
                    passed += 1
                    print("PASS %s" % name, flush=True)
                elif res == "skip":
                    skipped += 1
                    print("SKIP %s (%s)" % (name, msg), flush=True)
                else:
                    failed += 1
                    print("FAIL %s" % name)
                    for line in msg.rstrip().splitlines()[:200]:
                        print("    " + line)
                    sys.stdout.flush()

    shutil.rmtree(ctx.tmp, ignore_errors=True)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
