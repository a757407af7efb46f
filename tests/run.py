#!/usr/bin/env python3
"""xenbindgen test runner.

Runs three kinds of tests and ends with the line "N passed, N failed"
(plus ", N skipped" when something was skipped):

  * unit tests: C programs build/<cc>/tests/test_* printing TAP lines
    ("ok - name" / "not ok - name"); a program passes when every line is
    "ok" and it exits 0;
  * end-to-end cases: tests/cases/<name>/ holds a spec tree, the command
    line (file `cmd`) and the expected `stdout`, `stderr` and `status`
    (missing files mean empty output and status 0).  `@OUT@` in cmd is a
    fresh temporary directory; an `out/` directory in the case is compared
    file by file with it.  The tool runs with the case directory as working
    directory so diagnostics show short relative paths;
  * suites: tests/suites/*.py, Python modules with a collect(ctx) function
    returning Test objects (conformance runs, compile matrices, ...).

A test may need an external tool or package.  When it is missing and we are
root on Debian, the runner installs it with apt-get; otherwise the test is
skipped, naming the package, and under CI=true a skip counts as a failure.

Usage: tests/run.py [--update] [--list] [-j N] [PATTERN...]
  PATTERN selects tests whose name contains it (^PATTERN: whose name
  starts with it).  --update rewrites the
  expected files of end-to-end cases from what the tool now prints.
"""

import concurrent.futures as cf
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))


class Skip(Exception):
    """Raised by a test that cannot run here (the message says why)."""


class Need:
    """Something a test needs: a command on PATH or a custom probe, and the
    Debian package that provides it."""

    def __init__(self, package, command=None, probe=None):
        self.package = package
        self.command = command
        self.probe = probe

    def met(self):
        if self.command and shutil.which(self.command) is None:
            return False
        if self.probe and not self.probe():
            return False
        return True


class Test:
    def __init__(self, name, fn, needs=()):
        self.name = name
        self.fn = fn
        self.needs = list(needs)


class Context:
    def __init__(self):
        self.root = ROOT
        self.tool = os.environ.get("XENBINDGEN", os.path.join(ROOT, "xenbindgen"))
        self.testbin = os.environ.get("TESTBIN", os.path.join(ROOT, "build", "cc", "tests"))
        # the tool built with its test hooks (XBG_TEST_HOOKS)
        self.hooks = os.environ.get("XBG_HOOKS", os.path.join(self.testbin, "xenbindgen-hooks"))
        self.shared = os.path.normpath(os.path.join(ROOT, "..", "shared"))
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
            tests.append(Test(name, case_test(ctx, d), needs))
            dirs[:] = []
    return tests


# ---- unit tests ----------------------------------------------------------

def unit_test(ctx, path):
    def fn():
        status, out, err = ctx.run([path])
        failed = [l for l in out.splitlines() if l.startswith("not ok")]
        oks = [l for l in out.splitlines() if l.startswith("ok")]
        if failed or status != 0 or not oks:
            raise AssertionError("%s\n%s(status %d)" % (out[-6000:], err[-3000:], status))
        return len(oks)
    return fn


def collect_units(ctx):
    tests = []
    if os.path.isdir(ctx.testbin):
        for fn in sorted(os.listdir(ctx.testbin)):
            p = os.path.join(ctx.testbin, fn)
            if fn.startswith("test_") and os.access(p, os.X_OK) and not fn.endswith((".o", ".d")):
                tests.append(Test("unit/" + fn[5:], unit_test(ctx, p)))
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


# ---- dependencies --------------------------------------------------------

def install_missing(tests):
    missing = sorted({n.package for t in tests for n in t.needs if not n.met()})
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing test dependencies: %s" % " ".join(missing), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                       env=env, check=False)


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
                 if any(t.name.startswith(p[1:]) if p.startswith("^") else p in t.name
                        for p in patterns)]
    if list_only:
        for t in tests:
            print(t.name)
        return 0
    install_missing(tests)

    passed = failed = skipped = 0

    def run_one(t):
        unmet = [n for n in t.needs if not n.met()]
        if unmet:
            return t, "skip", "needs %s" % ", ".join(n.package for n in unmet)
        try:
            t.fn()
            return t, "pass", ""
        except Skip as e:
            return t, "skip", str(e)
        except AssertionError as e:
            return t, "fail", str(e)
        except Exception:
            return t, "fail", traceback.format_exc()

    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        for t, res, msg in ex.map(run_one, tests):
            if res == "skip" and ctx.ci:
                res, msg = "fail", "skipped under CI=true: " + msg
            if res == "pass":
                passed += 1
                print("PASS %s" % t.name, flush=True)
            elif res == "skip":
                skipped += 1
                print("SKIP %s (%s)" % (t.name, msg), flush=True)
            else:
                failed += 1
                print("FAIL %s" % t.name)
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
