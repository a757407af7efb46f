"""ABI evolution: `xenbindgen diff` and the abi-summary backend
(docs/abi-evolution.md).  The end-to-end cases of tests/cases/diff/ hold
the exact output of each kind of change; these tests need more than a
command line:

  * diff/json-shape: the JSON of every case tree pair parses, is exactly
    {"changes": [...]} with the six keys of the issue per change, words from
    their sets, targets in order, and agrees with the exit status;
  * diff/git/rev-path: REV:PATH sides from a temporary git repository
    (two commits): the same output as the directories, and nothing left in
    TMPDIR;
  * diff/git/bad-rev, diff/git/not-a-tree: exit 2 with the exact message;
  * diff/git/missing: no git on PATH is an I/O error (exit 3), not a crash;
  * diff/git/error-paths: a spec error in a REV:PATH side is shown under
    REV:PATH, not the temporary copy;
  * diff/summary/fresh: tests/golden/abi-summary/xen is what specs/xen
    gives (`--check`, as a CI job would run it);
  * diff/summary/stable: the summary of a copy of specs/xen whose files
    were created in reverse order, under another locale, is the same bytes;
  * diff/summary/check-stale: --check reports a stale summary (exit 1,
    the diff shows the changed line).
"""

import json
import os
import shutil
import subprocess

from run import Need, Skip, Test, expect_equal

CASES = os.path.join("tests", "cases", "diff")
KEYS = ["target", "item", "kind", "change", "class", "detail"]
TARGETS = ["x86_32", "x86_64", "arm32", "arm64", "riscv64", "ppc64le"]
KINDS = {"type", "constant", "enumerator", "macro", "handle"}
CHANGES = {"added", "removed", "layout", "value", "type", "condition",
           "parameters", "body"}
CLASSES = {"compatible", "breaking", "needs-bump"}


def pairs(ctx):
    base = os.path.join(ctx.root, CASES)
    out = []
    for name in sorted(os.listdir(base)):
        d = os.path.join(base, name)
        if os.path.isdir(os.path.join(d, "old")) and os.path.isdir(os.path.join(d, "new")):
            out.append((name, os.path.join(d, "old"), os.path.join(d, "new")))
    return out


def test_json_shape(ctx):
    def fn():
        problems = []
        for name, old, new in pairs(ctx):
            st, so, se = ctx.xbg("diff", "--format", "json", old, new)
            try:
                doc = json.loads(so)
            except ValueError as e:
                problems.append("%s: not JSON (%s):\n%s" % (name, e, so))
                continue
            if list(doc) != ["changes"] or not isinstance(doc["changes"], list):
                problems.append("%s: not {\"changes\": [...]}" % name)
                continue
            failing = 0
            last = -1
            for c in doc["changes"]:
                if list(c) != KEYS:
                    problems.append("%s: keys %s" % (name, list(c)))
                    continue
                if not all(isinstance(c[k], str) and c[k] for k in KEYS):
                    problems.append("%s: an empty or non-string value in %s" % (name, c))
                if c["target"] not in TARGETS or c["kind"] not in KINDS or \
                   c["change"] not in CHANGES or c["class"] not in CLASSES:
                    problems.append("%s: a word outside its set in %s" % (name, c))
                    continue
                if TARGETS.index(c["target"]) < last:
                    problems.append("%s: targets out of order at %s" % (name, c))
                last = TARGETS.index(c["target"])
                failing += c["class"] != "compatible"
            if st != (1 if failing else 0):
                problems.append("%s: exit status %d with %d breaking or needs-bump "
                                "changes" % (name, st, failing))
            # the text says the same: as many failing lines, grouped
            st2, text, _ = ctx.xbg("diff", old, new)
            if st2 != st:
                problems.append("%s: text exits %d, JSON %d" % (name, st2, st))
        if problems:
            raise AssertionError("\n".join(problems))
    return fn


def git(ctx, repo, *args):
    st, so, se = ctx.run(["git", "-C", repo] + list(args),
                         env={"GIT_CONFIG_GLOBAL": "/dev/null",
                              "GIT_CONFIG_NOSYSTEM": "1",
                              "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                              "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})
    if st != 0:
        raise AssertionError("git %s: %s" % (" ".join(args), se))
    return so


def make_repo(ctx):
    """A repository whose first commit has rename/old as specs/ and whose
    second has rename/new; returns (repo, tmpdir for the tool)."""
    repo = ctx.mkdtemp("diff-git")
    git(ctx, repo, "init", "-q")
    specs = os.path.join(repo, "specs")
    shutil.copytree(os.path.join(ctx.root, CASES, "rename", "old"), specs)
    with open(os.path.join(repo, "README"), "w") as f:
        f.write("not a spec\n")
    git(ctx, repo, "add", "-A")
    git(ctx, repo, "commit", "-qm", "one")
    shutil.rmtree(specs)
    shutil.copytree(os.path.join(ctx.root, CASES, "rename", "new"), specs)
    git(ctx, repo, "add", "-A")
    git(ctx, repo, "commit", "-qm", "two")
    return repo, ctx.mkdtemp("diff-tmpdir")


def test_rev_path(ctx):
    def fn():
        repo, tmp = make_repo(ctx)
        env = {"TMPDIR": tmp}
        want_st, want, _ = ctx.xbg("diff", os.path.join(ctx.root, CASES, "rename", "old"),
                                   os.path.join(ctx.root, CASES, "rename", "new"))
        for old, new in (("HEAD~1:specs", "HEAD:specs"), ("HEAD~1:specs", "specs")):
            st, so, se = ctx.xbg("diff", old, new, cwd=repo, env=env)
            expect_equal(want.replace(" from %s to %s" % (
                os.path.join(ctx.root, CASES, "rename", "old"),
                os.path.join(ctx.root, CASES, "rename", "new")),
                " from %s to %s" % (old, new)), so, "stdout of diff %s %s" % (old, new))
            expect_equal("", se, "stderr")
            if st != want_st:
                raise AssertionError("exit status %d, expected %d" % (st, want_st))
        left = os.listdir(tmp)
        if left:
            raise AssertionError("left in TMPDIR: %s" % left)
    return fn


def test_bad_rev(ctx, arg, msg):
    def fn():
        repo, tmp = make_repo(ctx)
        st, so, se = ctx.xbg("diff", arg, "specs", cwd=repo, env={"TMPDIR": tmp})
        expect_equal("xenbindgen: error: '%s': %s\n" % (arg, msg), se, "stderr")
        expect_equal("", so, "stdout")
        if st != 2:
            raise AssertionError("exit status %d, expected 2" % st)
        if os.listdir(tmp):
            raise AssertionError("left in TMPDIR: %s" % os.listdir(tmp))
    return fn


def test_git_missing(ctx):
    def fn():
        tmp = ctx.mkdtemp("diff-tmpdir")
        st, so, se = ctx.xbg("diff", "HEAD:specs", "HEAD:specs", cwd=ctx.root,
                             env={"PATH": ctx.mkdtemp("empty-path"), "TMPDIR": tmp})
        expect_equal("xenbindgen: error: 'HEAD:specs': cannot run git: No such file "
                     "or directory\n" * 2, se, "stderr")
        if st != 3:
            raise AssertionError("exit status %d, expected 3" % st)
        if os.listdir(tmp):
            raise AssertionError("left in TMPDIR: %s" % os.listdir(tmp))
    return fn


def test_error_paths(ctx):
    def fn():
        repo, tmp = make_repo(ctx)
        with open(os.path.join(repo, "specs", "t", "t.toml"), "a") as f:
            f.write("bogus = 1\n")
        git(ctx, repo, "commit", "-qam", "three")
        st, so, se = ctx.xbg("diff", "HEAD~1:specs", "HEAD:specs", cwd=repo,
                             env={"TMPDIR": tmp})
        if st != 1 or not se.startswith("HEAD:specs/t/t.toml:9:1: error: unknown key 'bogus'"):
            raise AssertionError("status %d, stderr:\n%s" % (st, se))
        if tmp in se:
            raise AssertionError("the temporary copy shows:\n" + se)
    return fn


def test_summary_fresh(ctx):
    def fn():
        st, so, se = ctx.xbg("-i", "specs/xen", "-o", "tests/golden/abi-summary/xen",
                             "-l", "abi-summary", "--check", cwd=ctx.root)
        if st != 0:
            raise AssertionError("tests/golden/abi-summary/xen is stale (regenerate "
                                 "with xenbindgen -i specs/xen -o "
                                 "tests/golden/abi-summary/xen -l abi-summary):\n"
                                 + so + se)
    return fn


def copy_reversed(src, dst):
    """Copy a tree creating entries in reverse order, so that readdir()
    order (on most file systems) differs from the original's."""
    os.makedirs(dst)
    for name in sorted(os.listdir(src), reverse=True):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(s):
            copy_reversed(s, d)
        else:
            shutil.copyfile(s, d)


def test_summary_stable(ctx):
    def fn():
        src = os.path.join(ctx.root, "specs", "xen")
        copy = os.path.join(ctx.mkdtemp("rev"), "xen")
        copy_reversed(src, copy)
        outs = []
        for specs, env in ((src, {"LC_ALL": "C"}), (copy, {"LC_ALL": "C.UTF-8",
                                                           "LANG": "de_DE.UTF-8"})):
            out = ctx.mkdtemp("summary")
            st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", "abi-summary", env=env)
            if st != 0:
                raise AssertionError(se)
            with open(os.path.join(out, "abi-summary.txt"), "rb") as f:
                outs.append(f.read())
        if outs[0] != outs[1]:
            raise AssertionError("the summary depends on the directory order or "
                                 "the locale")
    return fn


def test_summary_check_stale(ctx):
    def fn():
        out = ctx.mkdtemp("stale")
        shutil.copyfile(os.path.join(ctx.root, "tests", "golden", "abi-summary", "xen",
                                     "abi-summary.txt"), os.path.join(out, "abi-summary.txt"))
        specs = os.path.join(ctx.mkdtemp("specs"), "xen")
        shutil.copytree(os.path.join(ctx.root, "specs", "xen"), specs)
        path = os.path.join(specs, "domctl", "createdomain.toml")
        with open(path) as f:
            text = f.read()
        assert "value = 0x00000015" in text
        with open(path, "w") as f:
            f.write(text.replace("value = 0x00000015", "value = 0x00000016", 1))
        st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", "abi-summary", "--check")
        for line in ("-x86_64 constant XEN_DOMCTL_INTERFACE_VERSION: 0x15\n",
                     "+x86_64 constant XEN_DOMCTL_INTERFACE_VERSION: 0x16\n"):
            if line not in so:
                raise AssertionError("no %r in:\n%s" % (line, so))
        if st != 1:
            raise AssertionError("exit status %d, expected 1" % st)
    return fn


def collect(ctx):
    g = [Need("git", command="git")]
    return [
        Test("diff/json-shape", test_json_shape(ctx)),
        Test("diff/git/rev-path", test_rev_path(ctx), g),
        Test("diff/git/bad-rev", test_bad_rev(
            ctx, "nosuchrev:specs", "neither a directory nor a directory PATH of "
            "a git revision REV (REV:PATH)"), g),
        Test("diff/git/not-a-tree", test_bad_rev(
            ctx, "HEAD:README", "neither a directory nor a directory PATH of a "
            "git revision REV (REV:PATH)"), g),
        Test("diff/git/missing", test_git_missing(ctx)),
        Test("diff/git/error-paths", test_error_paths(ctx), g),
        Test("diff/summary/fresh", test_summary_fresh(ctx)),
        Test("diff/summary/stable", test_summary_stable(ctx)),
        Test("diff/summary/check-stale", test_summary_check_stale(ctx)),
    ]
