"""The dependency rule between the stages of src/ (docs/architecture.md),
checked on what is built rather than on what the sources say.

Each folder src/STAGE/ is a stage, each of its .c files one object
OBJDIR/STAGE/FILE.o of the build the tests run (OBJDIR is build/<cc>/, the
parent of TESTBIN).  ALLOWED below is the one table of which stage may use
which; a folder of src/ missing from it fails the check.

  * deps/calls: a file uses another when an undefined symbol of its object
    is defined by the other's (nm).  A file may use the files of its own
    stage and of the stages ALLOWED for it; and no file uses itself through
    others: any cycle fails, within a stage too.  A violation names both
    files and the symbols, a cycle is printed as the chain of its files.
  * deps/headers: every function or variable a header of src/STAGE/
    declares (clang's JSON AST; static functions excepted) is defined by a
    file of src/STAGE/, and every external symbol a file of src/STAGE/
    defines is declared by a header of src/STAGE/ (STAGE.h, or a private
    one beside it); main excepted.
  * deps/includes: no file of src/ #includes a header of a stage its own
    stage may not use (clang -H, includes skipped by their guards too).
  * deps/self-test: the checks fail, with their exact messages, on a small
    tree in a temporary directory that breaks each rule.

Alone: python3 tests/suites/deps.py [OBJDIR] (build/cc by default; build
first), or make check TESTS=^deps/.
"""

import json
import os
import re
import shutil
import subprocess
import sys

# Which stages the files of each stage may use, besides their own.  The one
# place this is written; docs/architecture.md points here.  "*": all.
ALLOWED = {
    "base": [],
    "read": ["base"],
    "model": ["base", "read"],
    "out": ["base"],
    "emit": ["base", "model", "out"],
    "tools": ["base", "read", "model"],
    # C headers: their facts (libclang), compare, and the importer to come
    "import": ["base", "read", "model", "tools"],
    # ABI evolution: two spec trees (a directory or git) compared through
    # emit's ABI facts, those the abi-summary backend writes
    "diff": ["base", "read", "model", "out", "emit"],
    "cli": "*",
}

# The one external symbol no header declares.
ENTRY_POINTS = {"main"}


def may_use(user, used, allowed=ALLOWED):
    return user == used or allowed[user] == "*" or used in allowed[user]


def stage_of(rel):
    """src/STAGE/file (or OBJDIR/STAGE/file, made by the build) -> STAGE."""
    return os.path.basename(os.path.dirname(rel))


# ---- the tree ----------------------------------------------------------------

def layout(root, allowed=ALLOWED, objdir=None):
    """(sources, headers, strays): the .c and .h files of each stage folder
    of ROOT/src, as paths relative to ROOT ("src/model/check.c"), and the
    folders of src/ that are no stage of ALLOWED (and its loose files).
    The sources include those the build made in OBJDIR/STAGE/ (the
    embedded Rust prelude), named from ROOT too when they are under it."""
    sources, headers, strays = {}, {}, []
    src = os.path.join(root, "src")
    for stage in sorted(os.listdir(src)):
        if not os.path.isdir(os.path.join(src, stage)):
            if stage.endswith((".c", ".h")):
                strays.append("src/%s: outside the stage folders" % stage)
            continue
        if stage not in allowed:
            strays.append("src/%s/: a folder that is no stage of the table ALLOWED "
                          "(tests/suites/deps.py)" % stage)
            continue
        names = sorted(os.listdir(os.path.join(src, stage)))
        sources[stage] = ["src/%s/%s" % (stage, n) for n in names if n.endswith(".c")]
        headers[stage] = ["src/%s/%s" % (stage, n) for n in names if n.endswith(".h")]
        made = os.path.join(objdir, stage) if objdir else None
        if made and os.path.isdir(made):
            for n in sorted(os.listdir(made)):
                if n.endswith(".c"):
                    path = os.path.join(made, n)
                    rel = os.path.relpath(path, root)
                    sources[stage].append(path if rel.startswith("..") else
                                          rel.replace(os.sep, "/"))
    return sources, headers, strays


# ---- symbols (nm) ----------------------------------------------------------

def ours(sym):
    # Names with "__" or a dot are the compiler's and the sanitizers'
    # (__asan_*, __odr_asan.x, foo.cold); C reserves them.
    return not sym.startswith("__") and "." not in sym


def symbols(root, objdir, sources, nm="nm"):
    """(defined, undefined, problems): the external symbols each source's
    object defines and those it leaves to others."""
    defined, undefined, problems = {}, {}, []
    for files in sources.values():
        for rel in files:
            obj = os.path.join(objdir, stage_of(rel), os.path.basename(rel)[:-2] + ".o")
            if not os.path.exists(obj):
                problems.append("%s: no object %s (build first)" % (rel, obj))
                continue
            p = subprocess.run([nm, "-P", "-g", obj], capture_output=True, text=True)
            if p.returncode != 0:
                problems.append("%s: nm failed: %s" % (obj, p.stderr.strip()))
                continue
            defs, undefs = set(), set()
            for line in p.stdout.splitlines():
                f = line.split()
                if len(f) < 2 or not ours(f[0]):
                    continue
                (undefs if f[1] in ("U", "w", "v") else defs).add(f[0])
            defined[rel], undefined[rel] = defs, undefs
    return defined, undefined, problems


def uses(defined, undefined):
    """{(user, used): [symbols]}: which file's object resolves which
    undefined symbols of which other's."""
    owner = {}
    for rel in sorted(defined):
        for sym in defined[rel]:
            owner.setdefault(sym, rel)
    edges = {}
    for rel in sorted(undefined):
        for sym in sorted(undefined[rel]):
            if sym in owner and owner[sym] != rel:
                edges.setdefault((rel, owner[sym]), []).append(sym)
    return edges


def edge_text(a, b, edges):
    return "%s -> %s: %s" % (a, b, ", ".join(edges[(a, b)]))


def cycles(edges):
    """The strongly connected components of more than one file (Tarjan),
    each as its shortest cycle through its first file: [[file, ...]]."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    for v in succ:
        succ[v].sort()
    index, low, on, stack, comps = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in sorted(succ):
        if v not in index:
            visit(v)
    found = []
    for comp in sorted(comps):
        start, members = comp[0], set(comp)
        # breadth first from start back to it, within the component
        prev, queue, path = {start: None}, [start], None
        while queue and path is None:
            nxt = []
            for v in queue:
                for w in succ[v]:
                    if w == start:
                        path = [w]
                        while v is not None:
                            path.append(v)
                            v = prev[v]
                        break
                    if w in members and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if path:
                    break
            queue = nxt
        found.append((path[::-1], comp))
    return found


def check_calls(root, objdir, allowed=ALLOWED, nm="nm"):
    sources, _, problems = layout(root, allowed, objdir)
    defined, undefined, more = symbols(root, objdir, sources, nm)
    problems += more
    edges = uses(defined, undefined)
    for (a, b) in sorted(edges):
        if not may_use(stage_of(a), stage_of(b), allowed):
            problems.append("%s (%s may not be used by %s)"
                            % (edge_text(a, b, edges), stage_of(b), stage_of(a)))
    for path, comp in cycles(edges):
        text = "cycle of %d files:" % (len(path) - 1)
        for a, b in zip(path, path[1:]):
            text += "\n  " + edge_text(a, b, edges)
        if len(comp) > len(path) - 1:
            text += "\n  (more files are tied to it: %s)" % ", ".join(
                c for c in comp if c not in path)
        problems.append(text)
    return problems


# ---- headers (clang's JSON AST) -------------------------------------------

def cflags(yaml):
    """The flags the build compiles with, as far as they decide what the
    headers declare: libyaml's, and libclang's (the Makefile passes its
    include directory in XBG_CLANG_INCDIR when the build has libclang)."""
    clang_inc = os.environ.get("XBG_CLANG_INCDIR", "")
    return (["-D_POSIX_C_SOURCE=200809L", "-Isrc"] + (["-DHAVE_LIBYAML"] if yaml else [])
            + (["-DHAVE_LIBCLANG", '-DXBG_LIBCLANG="libclang.so"', "-isystem", clang_inc]
               if clang_inc else []))


def declarations(root, header, flags, clang="clang"):
    """{name: "function" | "variable"} of the external functions and
    variables HEADER itself declares (not those of the headers it
    includes); static ones left out."""
    p = subprocess.run([clang, "-x", "c", "-std=c11", "-fsyntax-only", "-Xclang",
                        "-ast-dump=json"] + flags + [header],
                       cwd=root, capture_output=True)
    if p.returncode != 0:
        raise AssertionError("%s does not compile alone:\n%s"
                             % (header, p.stderr.decode("utf-8", "replace")[-3000:]))
    tree = json.loads(p.stdout)
    # A location names its file only when it differs from the location
    # written before it (in document order): follow them all to know
    # where each declaration is.
    state = {"file": None}
    want = os.path.normpath(header)

    def bare(loc):
        if "file" in loc:
            state["file"] = loc["file"]
        return state["file"]

    def place(loc):
        if "spellingLoc" in loc:
            bare(loc["spellingLoc"])
            return bare(loc["expansionLoc"])
        return bare(loc)

    def walk(node):
        """Follow the locations under NODE in document order; return the
        file of NODE's own location."""
        if isinstance(node, list):
            for n in node:
                walk(n)
            return None
        if not isinstance(node, dict):
            return None
        here = None
        for k, v in node.items():
            if k == "loc":
                here = place(v)
            elif k == "range":
                place(v.get("begin", {}))
                place(v.get("end", {}))
            elif k != "includedFrom":
                walk(v)
        return here

    found = {}
    for node in tree.get("inner", []):
        here = walk(node)
        if node.get("isImplicit") or here is None or os.path.normpath(here) != want:
            continue
        if node.get("storageClass") == "static":
            continue
        if node.get("kind") == "FunctionDecl":
            found[node["name"]] = "function"
        elif node.get("kind") == "VarDecl":
            found[node["name"]] = "variable"
    return found


def check_headers(root, objdir, yaml=True, allowed=ALLOWED, nm="nm", clang="clang"):
    sources, headers, _ = layout(root, allowed, objdir)
    problems = ["src/%s/%s.h: missing (each stage has one header)" % (stage, stage)
                for stage in sorted(headers)
                if "src/%s/%s.h" % (stage, stage) not in headers[stage]]
    defined, _, more = symbols(root, objdir, sources, nm)
    problems += [p for p in more if p not in problems]
    flags = cflags(yaml)
    declared = {}
    for stage in sorted(headers):
        for h in headers[stage]:
            try:
                declared[h] = declarations(root, h, flags, clang)
            except AssertionError as e:
                problems.append(str(e))
                declared[h] = {}
    definer = {}
    for rel in sorted(defined):
        for sym in defined[rel]:
            definer.setdefault(sym, rel)
    declarer = {}
    for h in sorted(declared):
        for sym in declared[h]:
            declarer.setdefault(sym, h)
    for stage in sorted(headers):
        mine = set()
        for rel in sources[stage]:
            mine |= defined.get(rel, set())
        for h in headers[stage]:
            for sym, kind in sorted(declared[h].items()):
                if sym not in mine:
                    elsewhere = definer.get(sym)
                    problems.append("%s: declares the %s %s, which no file of src/%s/ defines%s"
                                    % (h, kind, sym, stage,
                                       " (%s does)" % elsewhere if elsewhere else ""))
        ours_declared = set()
        for h in headers[stage]:
            ours_declared |= set(declared[h])
        for rel in sources[stage]:
            for sym in sorted(defined.get(rel, set()) - ours_declared - ENTRY_POINTS):
                elsewhere = declarer.get(sym)
                problems.append("%s: defines %s, which no header of src/%s/ declares%s"
                                % (rel, sym, stage,
                                   " (%s does)" % elsewhere if elsewhere else
                                   " (make it static?)"))
    return problems


# ---- includes (clang -H) --------------------------------------------------

INCLUDE_LINE = re.compile(r"^(\.+) (.+)$")


def direct_includes(root, rel, flags, clang="clang"):
    """The files REL #includes itself, in order, as clang opens them (or
    skips them for their include guard)."""
    p = subprocess.run([clang, "-x", "c", "-std=c11", "-fsyntax-only", "-H",
                        "-fshow-skipped-includes"] + flags + [rel],
                       cwd=root, capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError("%s does not compile:\n%s" % (rel, p.stderr[-3000:]))
    found = []
    for line in p.stderr.splitlines():
        m = INCLUDE_LINE.match(line)
        if m and len(m.group(1)) == 1:
            found.append(m.group(2))
    return found


def check_includes(root, yaml=True, allowed=ALLOWED, clang="clang", objdir=None):
    sources, headers, _ = layout(root, allowed, objdir)
    problems = []
    flags = cflags(yaml)
    src = os.path.realpath(os.path.join(root, "src"))
    for stage in sorted(sources):
        for rel in sources[stage] + headers[stage]:
            try:
                incs = direct_includes(root, rel, flags, clang)
            except AssertionError as e:
                problems.append(str(e))
                continue
            for inc in incs:
                path = os.path.realpath(os.path.join(root, inc))
                if not path.startswith(src + os.sep):
                    continue
                used = os.path.relpath(path, os.path.realpath(root)).replace(os.sep, "/")
                if not may_use(stage, stage_of(used), allowed):
                    problems.append("%s includes %s (%s may not be used by %s)"
                                    % (rel, used, stage_of(used), stage))
    return problems


# ---- the self-test ---------------------------------------------------------

# A tree that breaks every rule once: model/run.c calls emit (wrong way)
# and includes emit.h; run.c and emit/c.c call each other (a cycle across
# stages); base/one.c and base/two.c too (a cycle within a stage); base.h
# declares a function nobody defines, model/run.c exports one no header
# declares, src/gadget is no stage and src/loose.h in none.
BROKEN = {
    "src/base/base.h": "int b_one(void);\nint b_two(void);\nint b_gone(void);\n"
                       "static inline int b_inline(void) { return 0; }\n",
    "src/base/one.c": '#include "base/base.h"\nint b_one(void) { return b_two(); }\n',
    "src/base/two.c": '#include "base/base.h"\nint b_two(void) { return b_one(); }\n',
    "src/model/model.h": '#include "base/base.h"\nint m_run(void);\n',
    "src/model/run.c": '#include "model/model.h"\n#include "emit/emit.h"\n'
                       "int m_run(void) { return e_c() + b_one(); }\n"
                       "int m_hidden(void) { return 0; }\n",
    "src/emit/emit.h": '#include "model/model.h"\nint e_c(void);\n',
    "src/emit/c.c": '#include "emit/emit.h"\nint e_c(void) { return m_run(); }\n',
    "src/gadget/g.c": "int g(void);\n",
    "src/loose.h": "",
}

BROKEN_CALLS = """\
src/gadget/: a folder that is no stage of the table ALLOWED (tests/suites/deps.py)
src/loose.h: outside the stage folders
src/model/run.c -> src/emit/c.c: e_c (emit may not be used by model)
cycle of 2 files:
  src/base/one.c -> src/base/two.c: b_two
  src/base/two.c -> src/base/one.c: b_one
cycle of 2 files:
  src/emit/c.c -> src/model/run.c: m_run
  src/model/run.c -> src/emit/c.c: e_c"""

BROKEN_HEADERS = """\
src/base/base.h: declares the function b_gone, which no file of src/base/ defines
src/model/run.c: defines m_hidden, which no header of src/model/ declares (make it static?)"""

BROKEN_INCLUDES = """\
src/model/run.c includes src/emit/emit.h (emit may not be used by model)"""


def build_tree(top, files, cc):
    """Write FILES under TOP (headers inside include guards) and compile
    each .c into TOP/obj/STAGE/X.o (those of obj/, made by the build in
    the real tree, beside themselves)."""
    for rel, text in files.items():
        if rel.endswith(".h"):
            guard = "T_" + re.sub(r"\W", "_", rel).upper()
            text = "#ifndef %s\n#define %s\n%s#endif\n" % (guard, guard, text)
        path = os.path.join(top, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    objdir = os.path.join(top, "obj")
    for rel in files:
        if rel.endswith(".c"):
            obj = os.path.join(objdir, stage_of(rel), os.path.basename(rel)[:-2] + ".o")
            os.makedirs(os.path.dirname(obj), exist_ok=True)
            p = subprocess.run(cc.split() + ["-c", "-Isrc", "-o", obj, rel], cwd=top,
                               capture_output=True, text=True)
            if p.returncode != 0:
                raise AssertionError("%s does not compile:\n%s" % (rel, p.stderr))
    return objdir


def expect(want, got, what):
    got = "\n".join(got)
    if got != want:
        raise AssertionError("%s on the broken tree:\n%s\n--- expected:\n%s" % (what, got, want))


def self_test(ctx):
    def fn():
        top = ctx.mkdtemp("deps")
        objdir = build_tree(top, BROKEN, ctx.cc)
        expect(BROKEN_CALLS, check_calls(top, objdir), "deps/calls")
        expect(BROKEN_HEADERS, check_headers(top, objdir, yaml=False), "deps/headers")
        expect(BROKEN_INCLUDES, check_includes(top, yaml=False), "deps/includes")
        # the same tree mended passes all three
        good = dict(BROKEN)
        del good["src/gadget/g.c"], good["src/loose.h"]
        good["src/base/base.h"] = "int b_one(void);\nint b_two(void);\n"
        good["src/base/two.c"] = '#include "base/base.h"\nint b_two(void) { return 2; }\n'
        good["src/model/run.c"] = ('#include "model/model.h"\n'
                                   "int m_run(void) { return b_one(); }\n")
        good["src/emit/c.c"] = '#include "emit/emit.h"\nint e_c(void) { return m_run(); }\n'
        # a source the build makes counts as one of its stage's
        good["src/emit/emit.h"] += "extern const int e_table;\n"
        good["obj/emit/table.c"] = '#include "emit/emit.h"\nconst int e_table = 1;\n'
        top = ctx.mkdtemp("deps-good")
        objdir = build_tree(top, good, ctx.cc)
        for what, got in (("deps/calls", check_calls(top, objdir)),
                          ("deps/headers", check_headers(top, objdir, yaml=False)),
                          ("deps/includes", check_includes(top, yaml=False))):
            if got:
                raise AssertionError("%s on the mended tree:\n%s" % (what, "\n".join(got)))
    return fn


# ---- the suite -------------------------------------------------------------

def report(problems):
    if problems:
        raise AssertionError("\n".join(problems))


def collect(ctx):
    run = sys.modules[type(ctx).__module__]
    objdir = os.path.dirname(ctx.testbin)
    nm = run.Need("binutils", command="nm")
    clang = run.Need("clang", command="clang")
    cc = run.Need("gcc", command=ctx.cc.split()[0])
    return [
        run.Test("deps/calls", lambda: report(check_calls(ctx.root, objdir)), [nm]),
        run.Test("deps/headers", lambda: report(check_headers(ctx.root, objdir, ctx.yaml)),
                 [nm, clang]),
        run.Test("deps/includes",
                 lambda: report(check_includes(ctx.root, ctx.yaml, objdir=objdir)), [clang]),
        run.Test("deps/self-test", self_test(ctx), [nm, clang, cc]),
    ]


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    objdir = os.path.abspath(argv[0] if argv else os.path.join(root, "build", "cc"))
    yaml = subprocess.run(["pkg-config", "--exists", "yaml-0.1"]).returncode == 0 \
        if shutil.which("pkg-config") else False
    problems = []
    for p in (check_calls(root, objdir) + check_headers(root, objdir, yaml)
              + check_includes(root, yaml, objdir=objdir)):
        if p not in problems:
            problems.append(p)
            print(p)
    if not problems:
        sources = layout(root, objdir=objdir)[0]
        print("%d files in %d stages: no use, header or include against the rule"
              % (sum(len(v) for v in sources.values()), len(sources)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
