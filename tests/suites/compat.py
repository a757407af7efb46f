"""Compat (issue 17): -l c-compat against Xen's own compat pipeline.

For a spec tree and the Xen version it describes (specs/xen and 4.17.7 by
default; more with XBG_COMPAT_TREES, see below), Xen's pipeline is run the
way xen/include/Makefile runs it (compat-build-source.py, the preprocessor
with -m32, compat-build-header.py, get-fields.sh or, from 4.20,
compat-xlat-header.py) on Xen's public headers of that version, from
../shared (test oracles: run there, never copied), and:

  * layout (a): every struct and union of the compat headers, compiled for
    x86_64, has the layout of the native type compiled for x86_32 (the
    32-bit guest's view: uint64_aligned_t is a plain, 4-aligned uint64_t):
    size, alignment, and every member's (inline members' too) offset, size
    and type class (__builtin_classify_type, and signedness for integers),
    read back from object files with nm;
  * xen-macros (b): for every xlat.lst entry of a header Xen makes compat
    that names a type of the tree, Xen's pipeline and ours make the same
    macro (CHECK_ or XLAT_) and the same union enums, and ours make no
    other; how many are textually identical is printed;
  * xen-headers (b): every struct, union and compat typedef our compat
    headers declare for a header Xen makes compat, Xen's declare too, with
    the same size, alignment and member offsets and sizes (x86_64);
  * xlat (c): for every translated type, a native struct filled with
    random bytes is translated with Xen's XLAT_ macro and with ours, under
    every choice of its unions' members, and the results compared byte for
    byte; and back, from a random compat struct;
  * check (c): every CHECK_ macro compiles (with tests/c/compat/include/
    xen/compat.h, which does what the hypervisor's does), and for every
    checked type, a compat header with one member added to that type's
    compat struct fails to compile, naming the type.

XBG_COMPAT_TREES="name=SPECDIR@VERSION[,...]" adds trees (for instance the
importer's output for 4.17.7 and 4.22.0), each tested the same way.
"""

import json
import os
import re
import subprocess
import threading

from run import Need, Test, c_prelude
from suites.c_backend import STRING_DECL, for_target, generate, headers

_lock = threading.Lock()
_state = {}

CFLAGS = ["-ffreestanding", "-D__XEN_TOOLS__", "-Wall", "-Werror"]


def say(line):
    import sys
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def trees(ctx):
    # (None: the tree `xenbindgen import --xlat` makes of that version's
    # public headers, in the test's temporary directory)
    t = [("xen", os.path.join(ctx.root, "specs", "xen"), "4.17.7"),
         ("import-4.17", None, "4.17.7"), ("import-4.22", None, "4.22.0")]
    for item in filter(None, os.environ.get("XBG_COMPAT_TREES", "").split(",")):
        name, _, rest = item.partition("=")
        path, _, version = rest.rpartition("@")
        t.append((name, os.path.abspath(path), version))
    return t


def run_ok(ctx, cmd, what, input=None, cwd=None, env=None):
    status, out, err = ctx.run(cmd, input=input, cwd=cwd, env=env)
    if status != 0:
        raise AssertionError("%s failed: %s\n%s%s" % (what, " ".join(cmd), out[-3000:], err[-6000:]))
    return out, err


def strip_xen(name):
    m = re.match(r"xen_?(\w.*)$", name)
    return m.group(1) if m else name


# ---- Xen's pipeline -------------------------------------------------------------

def makefile_headers(makefile):
    """The compat headers of xen/include/Makefile, x86, every CONFIG_ on."""
    text = open(makefile).read().replace("\\\n", " ")
    hs = []
    for line in text.splitlines():
        if re.match(r"\s*headers-(y|\$\(CONFIG_\w+\))\s*[:+]?=", line):
            for h in re.findall(r"compat/([\w/$()\-]+\.h)", line):
                h = h.replace("$(compat-arch-y)", "x86_32")
                if h != "xlat.h" and h not in hs:
                    hs.append(h)
    return hs


def xlat_entries(lst):
    """(what, name, header) of xlat.lst, @arch@ as x86_32."""
    out = []
    for line in open(lst):
        if re.match(r"\s*#", line) or not line.strip():
            continue
        what, name, header = line.split()
        out.append((what, name, header.replace("@arch@", "x86_32")))
    return out


def xen_pipeline(ctx, version, work):
    scripts = os.path.join(ctx.shared, "xen-compat", version)
    public = os.path.join(ctx.shared, "xen-public", version)
    lst = os.path.join(scripts, "xlat.lst")
    hs = makefile_headers(os.path.join(scripts, "Makefile"))
    entries = xlat_entries(lst)
    os.symlink(public, os.path.join(work, "public"))
    env = dict(os.environ, PYTHON="python3")
    macros = {}
    for h in hs:
        base = os.path.join(work, "compat", h[:-2])
        os.makedirs(os.path.dirname(base), exist_ok=True)
        with open(os.path.join(public, h)) as f:
            src, _ = run_ok(ctx, ["python3", os.path.join(scripts, "compat-build-source.py"), lst],
                            "compat-build-source.py " + h, input=f.read().encode())
        with open(base + ".c", "w") as f:
            f.write(src)
        run_ok(ctx, ["gcc", "-E", "-m32", "-nostdinc", "-D__XEN__", "-include", "public/xen-compat.h",
                     "-DXEN_GENERATING_COMPAT_HEADERS", "-I" + work, "-o", base + ".i", base + ".c"],
               "the preprocessor on " + h, cwd=work)
        with open(base + ".i") as f:
            hdr, _ = run_ok(ctx, ["python3", os.path.join(scripts, "compat-build-header.py"),
                                  "compat/" + h], "compat-build-header.py " + h, input=f.read().encode(), cwd=work)
        with open(base + ".h", "w") as f:
            f.write(hdr)
        mine = [(w, n) for w, n, hh in entries if hh == h]
        if not mine:
            continue
        with open(base + ".lst", "w") as f:
            f.write("".join("%s\t%s\n" % e for e in mine))
        tool = os.path.join(scripts, "get-fields.sh")
        if os.path.exists(tool):
            text = ""
            for w, n in mine:
                out, _ = run_ok(ctx, ["sh", tool, w, "compat_" + n, "compat/" + h], "get-fields.sh " + n,
                                cwd=work, env=env)
                text += out
        else:
            text, _ = run_ok(ctx, ["python3", os.path.join(scripts, "compat-xlat-header.py"),
                                   "compat/" + h, base + ".lst"], "compat-xlat-header.py " + h, cwd=work)
        macros[h] = text
    return hs, entries, macros


MACRO = re.compile(r"^(#define ((?:CHECK|XLAT)_\w+)(?:[^\n]*\\\n)*[^\n]*)", re.M)
ENUM = re.compile(r"^(enum (XLAT_\w+) \{.*?\};)", re.M | re.S)


def parse_macros(text):
    out = {}
    for m in MACRO.finditer(text):
        out[m.group(2)] = m.group(1).strip()
    for m in ENUM.finditer(text):
        out["enum " + m.group(2)] = m.group(1)
    return out


# ---- The tree, generated once --------------------------------------------------

def shared(ctx, name, specs, version):
    with _lock:
        key = (ctx.tmp, name)
        if key in _state:
            return _state[key]
        base = ctx.mkdtemp("compat-" + name)
        # an imported tree has every header of Xen (xen-x86_32.h among
        # them) and no prelude; specs/xen has some of them
        imported = specs is None
        if specs is None:
            specs = os.path.join(base, "specs")
            status, out, err = ctx.xbg(
                "import", "-j2", "--xlat", os.path.join(ctx.shared, "xen-compat", version, "xlat.lst"),
                "--tree", os.path.join(ctx.shared, "xen-public", version), "-o", specs, timeout=900)
            assert status == 0, (status, out[-2000:], err[-3000:])
            say("%s: %s" % (name, out.strip().splitlines()[-1]))
            unmarked = re.findall(r"warning: (\w+) \(([\w/.-]+)\) is verbatim text", err)
            if unmarked:
                say("%s: verbatim, no compat mark: %s" % (name, " ".join(n for n, _ in unmarked)))
        st = {"specs": specs, "version": version}
        gen = generate(ctx, specs, os.path.join(base, "gen"))
        generate(ctx, specs, gen, lang="c-compat")
        st["gen"] = gen
        st["imported"] = imported
        inc = os.path.join(base, "inc")
        os.makedirs(inc)
        os.symlink(gen, os.path.join(inc, "public"))
        st["inc"] = [os.path.join(ctx.root, "tests", "c", "compat", "include"), inc]
        status, out, err = ctx.xbg("layout", "-i", specs, "--format", "json")
        assert status == 0, err
        st["layout"] = json.loads(out)["types"]
        xen = os.path.join(base, "xen")
        os.makedirs(xen)
        st["xen"] = xen
        st["xen_headers"], st["entries"], st["xen_macros"] = xen_pipeline(ctx, version, xen)
        st["ours"] = parse_macros(open(os.path.join(gen, "compat", "xlat.h")).read())
        st["compat_headers"] = sorted(h for h in headers(os.path.join(gen, "compat"))
                                      if not h.endswith("xlat.h"))
        st["xlat"] = os.path.join(gen, "compat", "xlat.h")
        st["units"] = None
        if True:
            # A tree may have every header of Xen (an imported one, and
            # more and more of specs/xen), and -l c-compat makes a compat
            # header for each with x86 types; some of those
            # (arch-x86/hvm/save.h, dom0_ops.h...) cannot be included
            # alone, in Xen either.  The test takes the headers Xen makes
            # compat, as the hypervisor does.
            keep = set(st["xen_headers"])
            text = open(st["xlat"]).read()
            text = re.sub(r'^#include "([^"]+)"\n',
                          lambda m: m.group(0) if m.group(1) in keep else "", text, flags=re.M)
            st["xlat"] = os.path.join(gen, "compat", "xlat-xen.h")
            with open(st["xlat"], "w") as f:
                f.write(text)
            st["compat_headers"] = [h for h in st["compat_headers"]
                                    if os.path.relpath(h, os.path.join(gen, "compat")) in keep]
            st["units"] = {"arch-x86" if h == "arch-x86/xen.h" else h[:-2] for h in keep}
        _state[key] = st
        return st


def top_types(st):
    """The structs and unions of the compat headers: name -> kind; a name
    defined per target (cpu_user_regs) counts once its definitions cover
    x86_32 and x86_64."""
    seen, native = {}, {}
    for t in st["layout"]:
        if t["kind"] not in ("struct", "union") or "." in t["name"]:
            continue
        # the native side of a name defined per target may be in a header
        # Xen makes no compat header of (xen-x86_64.h)
        native.setdefault(t["name"], set()).update(t["targets"])
        if st["units"] is None or t["unit"] in st["units"]:
            kind, targets = seen.get(t["name"], (t["kind"], set()))
            seen[t["name"]] = (kind, targets | set(t["targets"]))
    return {n: k for n, (k, ts) in seen.items()
            if "x86_32" in ts and "x86_64" in ts | native[n]}


def prelude(ctx, st):
    """What a TU includes before the generated headers: xenbindgen's
    prelude, or nothing but <stdint.h> for a tree that has Xen's own
    xen.h (an imported one: its headers are Xen's, drop-in)."""
    if st["imported"]:
        return "#include <stdint.h>\n"
    return c_prelude(ctx, st["gen"])


# An imported tree's xen-x86_32.h says, as Xen's does, what the tools see:
# 64-bit integers 8-aligned.  The guest's view (4-aligned, the 64-bit
# handle still 8 bytes, 8-aligned) is the same text with those defines
# changed, in a copy made for the native side of the layout test.
GUEST_VIEW = [
    (re.compile(r"(#define\s+(u?)int64_aligned_t\s+\2int64_t)\s+__attribute__\(\(aligned\(8\)\)\)"),
     r"\1"),
    (re.compile(r"\buint64_aligned_t q;"), "uint64_t __attribute__((__aligned__(8))) q;"),
]


def guest_view(ctx, st):
    if "gen32" not in st:
        gen32 = os.path.join(ctx.mkdtemp("guest-view"), "gen")
        subprocess.run(["cp", "-r", st["gen"], gen32], check=True)
        path = os.path.join(gen32, "arch-x86", "xen-x86_32.h")
        text = open(path).read()
        for pat, rep in GUEST_VIEW:
            text, n = pat.subn(rep, text)
            assert n, "%s: no %s" % (path, pat.pattern)
        with open(path, "w") as f:
            f.write(text)
        st["gen32"] = gen32
    return st["gen32"]


# An imported tree's headers that a TU for x86_32 does not include itself:
# the other architecture's, and those that refuse (xen-compat.h is the
# hypervisor's; the x86_32/64 ones come in through arch-x86/xen.h).
NOT_ALONE = ("arch-x86/xen-x86_64.h", "arch-x86/xen-x86_32.h", "xen-compat.h", "dom0_ops.h")


def native_src(ctx, st):
    """The native headers as a 32-bit guest sees them."""
    if st["imported"]:
        gen = guest_view(ctx, st)
        src = prelude(ctx, st)
        for h in ["xen.h"] + sorted(st["xen_headers"]):
            if h not in NOT_ALONE:
                src += '#include "%s"\n' % os.path.join(gen, h)
        return src
    # (STRING_DECL: io/9pfs.h's and io/pvcalls.h's rings call memcpy)
    src = prelude(ctx, st) + STRING_DECL
    src += "#undef uint64_aligned_t\n#define uint64_aligned_t uint64_t\n"
    src += "#undef int64_aligned_t\n#define int64_aligned_t int64_t\n"
    # XEN_GUEST_HANDLE_64 stays the hypervisor's 8-aligned 8 bytes, as in
    # Xen's compat headers (a struct, as xen.h's for the 64-bit side and
    # its x86_32 header for the tools make it)
    src += ("#undef ___DEFINE_XEN_GUEST_HANDLE\n#define ___DEFINE_XEN_GUEST_HANDLE(name, type) "
            "typedef struct { type *p; } __guest_handle_ ## name; "
            "typedef struct { union { type *p; uint64_t __attribute__((__aligned__(8))) q; }; } "
            "__guest_handle_64_ ## name\n")
    # (dom0_ops.h refuses the latest interface version, as Xen's does)
    for h in for_target(headers(st["gen"]), "x86"):
        if "/compat/" not in h and not h.endswith("_layout.h") \
                and not h.endswith("/dom0_ops.h"):
            src += '#include "%s"\n' % h
    return src


def compat_src(ctx, st):
    # (an imported tree's native headers are Xen's, xen.h first as in the
    # hypervisor: 4.22's arch-x86/pmu.h uses its XEN_FLEX_ARRAY_DIM)
    return ('%s%s#include <stddef.h>\n#include "%s"\n'
            % (prelude(ctx, st), "#include <public/xen.h>\n" if st["imported"] else "", st["xlat"]))


def incs(st):
    return ["-I" + i for i in st["inc"]]


# ---- Probes: numbers read back from an object file -----------------------------

def probe(ctx, src, exprs, triple, flags):
    """The value of each expression (non-negative integers) on a target: each
    is the size of an array of an object file, read with nm."""
    d = ctx.mkdtemp("probe")
    path, obj = os.path.join(d, "p.c"), os.path.join(d, "p.o")
    with open(path, "w") as f:
        f.write(src + "#include <stddef.h>\n")
        for i, e in enumerate(exprs):
            f.write("char xbg_q%d[(%s) + 1];\n" % (i, e))
    run_ok(ctx, ["clang", "--target=" + triple] + CFLAGS + flags + ["-c", "-o", obj, path],
           "compiling probes for " + triple)
    out, _ = run_ok(ctx, ["nm", "-S", obj], "nm")
    got = {}
    for line in out.splitlines():
        m = re.match(r"[0-9a-f]+ ([0-9a-f]+) \w xbg_q(\d+)$", line)
        if m:
            got[int(m.group(2))] = int(m.group(1), 16) - 1
    assert len(got) == len(exprs), "%d of %d probes read back" % (len(got), len(exprs))
    return [got[i] for i in range(len(exprs))]


# The spec's integer primitives: a member of one of these has a signedness
# to compare (aliases may be arrays, so only these).
PRIMS = set("u8 u16 u32 u64 i8 i16 i32 i64 char int uint long ulong uint64_t int64_t "
            "uchar schar short ushort llong ullong".split())


def member_probes(st, ctype, top, with_class=True):
    """(key, expression) of a type's size, alignment and members."""
    out = [((top, "size"), "sizeof(%s)" % ctype), ((top, "align"), "_Alignof(%s)" % ctype)]
    # (a member of an inline struct that is an array's element, as
    # arch-x86/hvm/save.h's hvm_hw_hpet.timers, is reached through element 0)
    arrays = {t["name"] + "." + f["name"] for t in st["layout"]
              if t["name"].partition(".")[0] == top and t["targets"].get("x86_32")
              for f in t["targets"]["x86_32"]["fields"] if f["type"].endswith("]")}
    for t in st["layout"]:
        head, _, path = t["name"].partition(".")
        lay = t["targets"].get("x86_32")
        if head != top or not lay or "(anonymous)" in t["name"]:
            continue
        parts = path.split(".") if path else []
        path = ".".join(c + ("[0]" if ".".join([top] + parts[:i + 1]) in arrays else "")
                        for i, c in enumerate(parts))
        for f in lay["fields"]:
            if "bits" in f or f["name"] == "(anonymous)":
                continue
            member = (path + "." if path else "") + f["name"]
            obj = "((%s *)0)->%s" % (ctype, member)
            out.append(((top, member, "offset"), "offsetof(%s, %s)" % (ctype, member)))
            if f["type"].endswith("[]"):
                continue
            out.append(((top, member, "size"), "sizeof(%s)" % obj))
            # (a plain C pointer has no 32-bit type on x86_64: compat_ptr_t,
            # an integer, stands for it)
            if with_class and not f["type"].startswith("cptr"):
                out.append(((top, member, "class"), "__builtin_classify_type(%s)" % obj))
                if f["type"] in PRIMS:
                    out.append(((top, member, "signed"), "((__typeof__(%s))-1 < 0)" % obj))
    return out


# Headers that are GNU C as Xen writes them: hvm/save.h refuses strict ISO C
# and has an empty struct, and domctl.h includes it; arch-x86/pmu.h (and
# pmu.h, which includes it) holds a struct that ends in a flexible array in
# a union; the others end a struct with a zero-length array.
GNU_HEADERS = ("hvm/save.h", "domctl.h", "io/libxenvchan.h", "io/tpmif.h", "xencomm.h",
               "/pmu.h")


# ---- The tests --------------------------------------------------------------------

def test_generated(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        n = len(st["compat_headers"])
        assert n, "no compat header generated"
        # the compat headers and xlat.h compile for the hypervisor, alone
        # and together, without a warning
        for h in st["compat_headers"] + [st["xlat"]]:
            # (an imported tree's headers are Xen's: the hypervisor has
            # xen.h first, which arch-x86/pmu.h needs)
            src = '%s%s#include "%s"\n' % (prelude(ctx, st),
                                           "#include <public/xen.h>\n" if st["imported"] else "", h)
            d = ctx.mkdtemp("tu")
            with open(os.path.join(d, "tu.c"), "w") as f:
                f.write(src)
            # (an imported tree's native headers are Xen's, GNU C; so are
            # those of GNU_HEADERS in any tree, and xlat.h, which includes
            # them: the other headers are checked pedantically)
            gnu = st["imported"] or h.endswith(GNU_HEADERS + ("xlat.h", "xlat-xen.h"))
            run_ok(ctx, ["clang", "--target=x86_64-linux-gnu",
                         "-std=gnu11" if gnu else "-std=c11"] +
                   ([] if gnu else ["-Wpedantic"]) + CFLAGS +
                   incs(st) + ["-fsyntax-only", os.path.join(d, "tu.c")], "compiling " + h)
        say("%s: %d compat headers and xlat.h compile for x86_64" % (tree[0], n))
    return fn


def test_layout(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        keys, nat, com = [], [], []
        for top, kind in sorted(top_types(st).items()):
            for (k, e), (_, c) in zip(member_probes(st, "%s %s" % (kind, top), top),
                                       member_probes(st, "%s compat_%s" % (kind, strip_xen(top)), top)):
                keys.append(k)
                nat.append(e)
                com.append(c)
        a = probe(ctx, native_src(ctx, st), nat, "i386-linux-gnu", [])
        b = probe(ctx, compat_src(ctx, st), com, "x86_64-linux-gnu", incs(st))
        bad = ["%s: x86_32 native %d, x86_64 compat %d" % (".".join(k), x, y)
               for k, x, y in zip(keys, a, b) if x != y]
        assert not bad, "compat layouts differ from x86_32's:\n" + "\n".join(bad[:40])
        say("%s: %d types, %d numbers: compat on x86_64 == native on x86_32"
            % (tree[0], len(top_types(st)), len(keys)))
    return fn


# The xlat.lst entries each tree covers at least (a ratchet: a change that
# covers fewer fails; one that covers more raises the number here).  The
# imported trees miss the records that stay verbatim text (docs/compat.md).
COVERED = {"xen": 160, "import-4.17": 160, "import-4.22": 164}


def split_types(st):
    """The structs and unions of x86_32 alone (xen-x86_32.h's
    cpu_user_regs, whose x86_64 definition is xen-x86_64.h's): their
    compat struct is x86_32's, their macros pair its members with
    x86_64's by name (docs/compat.md)."""
    return {t["name"]: t["kind"] for t in st["layout"]
            if t["kind"] in ("struct", "union") and "." not in t["name"]
            and "x86_32" in t["targets"] and "x86_64" not in t["targets"]
            and (st["units"] is None or t["unit"] in st["units"])}


def covered(st):
    """The xlat.lst entries of headers Xen makes compat that name a type of
    the tree: (what, entry, spec name)."""
    tops = top_types(st)
    # a type of x86_32 alone counts where it is marked (specs/xen leaves
    # its cpu_user_regs unmarked): where ours has its macro
    tops.update({n: k for n, k in split_types(st).items()
                 if any(m + strip_xen(n) in st["ours"] for m in ("CHECK_", "XLAT_"))})
    out = []
    for what, name, h in st["entries"]:
        if h not in st["xen_headers"]:
            continue
        for cand in (name, "xen_" + name, "xen" + name):
            if cand in tops:
                out.append((what, name, cand))
                break
    return out


def test_xen_macros(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        xen = {}
        for text in st["xen_macros"].values():
            xen.update(parse_macros(text))
        ours = st["ours"]
        want = set()
        names = {strip_xen(n) for _, n, _ in st["entries"]}
        for what, name, cand in covered(st):
            m = ("CHECK_" if what == "?" else "XLAT_") + strip_xen(name)
            assert m in xen, "Xen's pipeline made no %s" % m
            want.add(m)
            # (the longest entry name owns an enum: add_to_physmap_batch's
            # are not add_to_physmap's)
            want |= {k for k in xen if k.startswith("enum XLAT_" + strip_xen(name) + "_")
                     and not any(len(o) > len(strip_xen(name))
                                 and k.startswith("enum XLAT_" + o + "_") for o in names)} \
                if what == "!" else set()
        got = set(ours)
        # xlat.lst entries of a header Xen makes no compat header of (4.22
        # lists xenoprof.h's, and builds no compat/xenoprof.h): the
        # importer marks them, Xen's pipeline makes no macro
        outside = {("CHECK_" if w == "?" else "XLAT_") + strip_xen(n)
                   for w, n, h in st["entries"] if h not in st["xen_headers"]}
        if outside & got:
            say("%s: ours also has %s (their header is not among Xen's compat headers)"
                % (tree[0], " ".join(sorted(outside & got))))
            got -= outside
        assert got == want, "macros: only ours %s; only Xen's %s" % (
            sorted(got - want), sorted(want - got))
        same = sum(1 for k in got if ours[k] == xen[k])
        if os.environ.get("XBG_COMPAT_DIFFS"):
            with open(os.path.join(os.environ["XBG_COMPAT_DIFFS"], tree[0] + ".diff"), "w") as f:
                for k in sorted(got):
                    if ours[k] != xen[k]:
                        f.write("=== %s\n--- xen\n%s\n+++ ours\n%s\n" % (k, xen[k], ours[k]))
        assert len(covered(st)) >= COVERED.get(tree[0], 0), (
            "%d xlat.lst entries covered, fewer than the %d of COVERED"
            % (len(covered(st)), COVERED[tree[0]]))
        nx = sum(1 for k in xen if not k.startswith("enum"))
        nm = sum(1 for k in got if not k.startswith("enum"))
        say("%s: %d of %d xlat.lst entries covered (%d checks, %d translations) -> %d macros "
            "and %d union enums, the same as Xen %s's (%d macros in all); %d of %d textually "
            "identical"
            % (tree[0], len(covered(st)), len(st["entries"]),
               sum(1 for w, _, _ in covered(st) if w == "?"),
               sum(1 for w, _, _ in covered(st) if w == "!"), nm, len(got) - nm, tree[2], nx,
               same, len(got)))
        if same != len(got):
            say("%s: not textually identical: %s" % (tree[0], " ".join(sorted(k for k in got if ours[k] != xen[k]))))
    return fn


def declared(path):
    text = open(path).read()
    recs = set(re.findall(r"^\s*(?:typedef )?(?:struct|union) (compat_\w+)\s*\{", text, re.M))
    tds = set(re.findall(r"^typedef [^;]*?\b(\w+_compat_t|compat_\w+_t)(?:\[\d+\])*;", text, re.M))
    tds |= set(re.findall(r"^\} (\w+_compat_t|compat_\w+_t);", text, re.M))
    return recs, tds


# Xen's xen.h declares shared_info_t and vcpu_info_t only outside the
# hypervisor (#ifndef __XEN__), so its compat headers have no compat
# typedef of them; the specs' typedefs have no such condition.
TYPEDEF_GAPS = {"shared_info_compat_t", "vcpu_info_compat_t"}


# Xen's compat headers keep vcpu_register_runstate_memory_area.addr.v a
# plain C pointer, 8 bytes (and 8-aligned) in the hypervisor, where the
# 32-bit guest's is 4: ours is compat_ptr_t (the x86_32 layout, which
# `layout` proves); the union's size is 8 either way.
# vcpu_register_time_memory_area.addr.v is the same case.
LAYOUT_GAPS = {("vcpu_register_runstate_memory_area", "align"),
               ("vcpu_register_runstate_memory_area", "addr.v", "size"),
               ("vcpu_register_time_memory_area", "align"),
               ("vcpu_register_time_memory_area", "addr.v", "size")}


def test_xen_headers(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        units = {}
        for h in st["compat_headers"]:
            rel = os.path.relpath(h, os.path.join(st["gen"], "compat"))
            # specs/xen's arch-x86 unit is Xen's arch-x86/xen.h
            units[rel] = {"arch_x86.h": "arch-x86/xen.h", "arch-x86.h": "arch-x86/xen.h"}.get(rel, rel)
        ours_r, ours_t, xen_r, xen_t = set(), set(), set(), set()
        for rel, xrel in units.items():
            xh = os.path.join(st["xen"], "compat", xrel)
            if xrel not in st["xen_headers"] and not os.path.exists(xh):
                continue
            r, t = declared(os.path.join(st["gen"], "compat", rel))
            ours_r |= r
            ours_t |= t
        for xh in st["xen_headers"]:
            r, t = declared(os.path.join(st["xen"], "compat", xh))
            xen_r |= r
            xen_t |= t
        assert ours_r, "no compat header of a header Xen makes compat"
        missing = sorted((ours_r - xen_r) | (ours_t - xen_t) - TYPEDEF_GAPS)
        assert not missing, "declared by ours, not by Xen's compat headers: %s" % missing
        # the same layouts, on the hypervisor's side
        tops = top_types(st)
        keys, exprs = [], []
        for top, kind in sorted(tops.items()):
            if "compat_" + strip_xen(top) not in ours_r:
                continue
            for k, e in member_probes(st, "%s compat_%s" % (kind, strip_xen(top)), top, False):
                keys.append(k)
                exprs.append(e)
        ours = probe(ctx, compat_src(ctx, st), exprs, "x86_64-linux-gnu", incs(st))
        # Xen's compat headers of our units, xen.h first (as the hypervisor
        # includes them: arch-x86/xen.h needs it first); the hypervisor's
        # x86 headers define COMPAT_LEGACY_MAX_VCPUS and the COMPAT_HAVE_ macros
        mine = [x for x in units.values() if x in st["xen_headers"]]
        xsrc = xen_compat_src(st, sorted(mine))
        xen = probe(ctx, xsrc, exprs, "x86_64-linux-gnu",
                    ["-D__XEN__", "-DCOMPAT_LEGACY_MAX_VCPUS=32", "-DCOMPAT_HAVE_PV_GUEST_ENTRY",
                     "-DCOMPAT_HAVE_PV_UPCALL_MASK", "-Wno-error",
                     "-I" + st["inc"][0], "-I" + st["xen"]])
        bad = ["%s: ours %d, Xen's %d" % (".".join(k), a, b)
               for k, a, b in zip(keys, ours, xen) if a != b and k not in LAYOUT_GAPS]
        assert not bad, "compat layouts differ from Xen's:\n" + "\n".join(bad[:40])
        say("%s: %d compat records and %d compat typedefs, all declared by Xen %s's compat "
            "headers; %d numbers (sizes, alignments, offsets) the same"
            % (tree[0], len(ours_r), len(ours_t), tree[2], len(keys)))
    return fn


# A translated type whose macro from Xen's pipeline does not compile, so
# that Xen's hypervisor cannot use it: xen-mca.h's mc_physcpuinfo.info is
# a guest handle that Xen's compat header spells as the handle's type name
# (not COMPAT_HANDLE()), so get-fields.sh assigns it (`(_d_)->info =
# (_s_)->info`) between a guest and a compat handle; ours calls the hook
# XLAT_mc_physcpuinfo_HNDL_info, as get-fields.sh does for every other
# handle.  The test runs Xen's macro with that one assignment made the
# hook call (HANDLE_ASSIGNED), and compares the rest byte for byte.
HANDLE_ASSIGNED = {"mc_physcpuinfo": ["info"]}

# xen-x86_32.h's cpu_user_regs declares its registers with macros, which
# Xen's compat header keeps as text (`__DECL_REG_LO8(b);`): get-fields.sh
# takes the calls for member names (`(_d_)->__DECL_REG_LO8(b) = ...`),
# which compile where Xen uses the macro because Xen's compat
# arch-x86/xen.h then defines them as the names (`e ## which ## x`, below:
# XEN_REG_NAMES).  Ours copies the members by name (ebx, ...).
XEN_REG_NAMES = ("#define __DECL_REG_LO8(which) e ## which ## x\n"
                 "#define __DECL_REG_LO16(name) e ## name\n")


def paths_of(st, top):
    """Every member path of a type (x86_32), inline members included, with
    its layout type."""
    out = {}
    for t in st["layout"]:
        head, _, path = t["name"].partition(".")
        lay = t["targets"].get("x86_32")
        if head != top or not lay:
            continue
        for f in lay["fields"]:
            out[(path + "." if path else "") + f["name"]] = f["type"]
    return out


def test_xlat(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        xen = {}
        for text in st["xen_macros"].values():
            xen.update(parse_macros(text))
        tops = top_types(st)
        xl = [(name, cand) for what, name, cand in covered(st) if what == "!"]
        defined = set()
        nested_own = ""
        assert xl, "no translated type"
        # Xen's macros under other names; the enums are ours (the same)
        xdefs = ""
        for name, _ in xl:
            body = xen["XLAT_" + strip_xen(name)]
            for p in HANDLE_ASSIGNED.get(strip_xen(name), []):
                line = "(_d_)->%s = (_s_)->%s;" % (p, p)
                assert line in body, "Xen's XLAT_%s no longer assigns %s" % (strip_xen(name), p)
                body = body.replace(line, "XLAT_%s_HNDL_%s(_d_, _s_);" % (strip_xen(name), p))
            body = re.sub(r"\bXLAT_(\w+)\((?!_d_, _s_\) do)", lambda m: "XEN_XLAT_%s(" % m.group(1)
                          if "_HNDL_" not in m.group(1) else m.group(0), body)
            xdefs += body.replace("#define XLAT_", "#define XEN_XLAT_", 1) + "\n"
        prog = compat_src(ctx, st) + "#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n"
        if "__DECL_REG_" in xdefs:
            prog += XEN_REG_NAMES
        prog += xdefs
        prog += """
static unsigned long xbg_seed = 17;
static void fill(void *p, size_t n)
{
	unsigned char *c = p;
	while (n--) {
		xbg_seed = xbg_seed * 6364136223846793005UL + 1442695040888963407UL;
		*c++ = (unsigned char)(xbg_seed >> 56);
	}
}
static int failures;
static void same(const void *a, const void *b, size_t n, const char *what)
{
	if (memcmp(a, b, n) != 0) {
		printf("DIFFERENT %s\\n", what);
		failures++;
	}
}
"""
        main = "int main(void)\n{\n"
        runs = 0
        # every hook before every test: a translated type's macro uses the
        # hooks of the translated types inside it (memory_map in
        # foreign_memory_map), whatever their order
        hook_src, test_src = "", ""
        for name, cand in xl:
            m = strip_xen(name)
            # (an imported tree's x86_64 cpu_user_regs is verbatim text,
            # with no layout: the x86_32 definition says the kind)
            kind = tops.get(cand) or next(t["kind"] for t in st["layout"]
                                          if t["name"] == cand and "x86_32" in t["targets"])
            paths = paths_of(st, cand)
            hooks = [p for p, t in paths.items() if t.startswith("handle<")]
            for p in hooks:
                hk = "XLAT_%s_HNDL_%s" % (m, p.replace(".", "_"))
                # (before every test: a nested type's hook is used by the
                # types that hold it)
                nested_own += "#define %s(_d_, _s_) xbg_handle_%s(&(_d_)->%s, &(_s_)->%s)\n" % (
                    hk, m, p, p)
                defined.add(hk)
            enums = re.findall(r"^enum XLAT_%s_(\w+) \{(.*?)\};" % m,
                               open(os.path.join(st["gen"], "compat", "xlat.h")).read(), re.M | re.S)
            choices = [(var, re.findall(r"(XLAT_\w+),", body)) for var, body in enums]
            combos = [[]]
            for var, vals in choices:
                combos = [c + [(var, v)] for c in combos for v in vals]
            fnn = "xbg_test_%s" % m
            test_src += "static void %s(void)\n{\n" % fnn
            test_src += "\t%s %s n0, n1, n2;\n\tstruct compat_%s c0, c1, c2;\n" % (kind, cand, m) \
                if kind == "struct" else \
                "\t%s %s n0, n1, n2;\n\tunion compat_%s c0, c1, c2;\n" % (kind, cand, m)
            test_src += "\tint k;\n"
            for var, vals in choices:
                test_src += "\tenum XLAT_%s_%s %s;\n" % (m, var, var)
            for combo in combos:
                for var, v in combo:
                    test_src += "\t%s = %s;\n" % (var, v)
                what = "%s %s" % (m, " ".join(v for _, v in combo))
                # native -> compat; a record of a few narrow bitfields
                # (processor_flags) may by chance get the same bits in both
                # fills, so "nothing copied" takes four fills in a row
                test_src += ("\tfor (k = 0; k < 4; k++) {\n"
                         "\tfill(&n0, sizeof n0); fill(&c0, sizeof c0);\n"
                         "\tmemcpy(&c1, &c0, sizeof c0); memcpy(&c2, &c0, sizeof c0);\n"
                         "\tXLAT_%s(&c1, &n0);\n\tXEN_XLAT_%s(&c2, &n0);\n"
                         "\tsame(&c1, &c2, sizeof c1, \"%s to compat\");\n"
                         "\tif (memcmp(&c1, &c0, sizeof c0)) break;\n\t}\n"
                         "\tif (k == 4) { printf(\"NOTHING COPIED %s\\n\"); failures++; }\n"
                         % (m, m, what, what))
                # compat -> native
                test_src += ("\tfill(&c0, sizeof c0); fill(&n0, sizeof n0);\n"
                         "\tmemcpy(&n1, &n0, sizeof n0); memcpy(&n2, &n0, sizeof n0);\n"
                         "\tXLAT_%s(&n1, &c0);\n\tXEN_XLAT_%s(&n2, &c0);\n"
                         "\tsame(&n1, &n2, sizeof n1, \"%s to native\");\n" % (m, m, what))
                runs += 2
            for var, _ in choices:
                test_src += "\t(void)%s;\n" % var
            test_src += "}\n"
            main += "\t%s();\n" % fnn
        prog += hook_src + test_src
        # the handle hooks: a guest handle's value crosses as the hypervisor's
        # would move it (a 32-bit guest pointer); both directions
        hook = """
#define xbg_handle_any(d, s) xbg_handle_copy(d, s, sizeof *(d), sizeof *(s))
static void xbg_handle_copy(void *d, const void *s, size_t dn, size_t sn)
{
	uint64_t v = 0;
	memcpy(&v, s, sn < sizeof v ? sn : sizeof v);
	v &= 0xffffffffu;
	memset(d, 0, dn);
	memcpy(d, &v, dn < sizeof v ? dn : sizeof v);
}
"""
        # the hooks of translated types nested in these (memory_map in
        # foreign_memory_map), found in the macros that call them
        nested = ""
        for hk in sorted(set(re.findall(r"\b(XLAT_\w+?_HNDL_\w+)\(", prog + open(st["xlat"]).read()))
                         - defined):
            for top in sorted(tops, key=len, reverse=True):
                pre = "XLAT_%s_HNDL_" % strip_xen(top)
                if hk.startswith(pre):
                    p = [q for q in paths_of(st, top) if q.replace(".", "_") == hk[len(pre):]]
                    if p:
                        nested += "#define %s(_d_, _s_) xbg_handle_any(&(_d_)->%s, &(_s_)->%s)\n" % (
                            hk, p[0], p[0])
                        break
        hooks_defs = nested_own + nested + "".join("#define xbg_handle_%s(d, s) xbg_handle_any(d, s)\n" % strip_xen(n)
                             for n, _ in xl)
        prog = prog.replace(xdefs, xdefs + hook + hooks_defs, 1)
        main += '\tprintf("%d translations compared, %d failures\\n", ' + str(runs) + ', failures);\n'
        main += "\treturn failures != 0;\n}\n"
        prog += main
        d = ctx.mkdtemp("xlat")
        if os.environ.get("XBG_KEEP"): d = os.environ["XBG_KEEP"]
        src, exe = os.path.join(d, "xlat.c"), os.path.join(d, "xlat")
        with open(src, "w") as f:
            f.write(prog)
        run_ok(ctx, ["clang", "-std=gnu11", "-O1"] + CFLAGS[:3] + ["-Wno-unused-function"] + incs(st)
               + ["-o", exe, src], "compiling the translation test")
        out, _ = run_ok(ctx, [exe], "the translation test")
        say("%s: %d translated types: %s" % (tree[0], len(xl), out.strip().splitlines()[-1]))
    return fn


def check_prog(ctx, st):
    """A TU that invokes every CHECK_ macro, with each native name reached as
    xen_<name> as the hypervisor's sources do."""
    src = compat_src(ctx, st)
    checks = [(w, n, c) for w, n, c in covered(st) if w == "?"]
    for _, name, cand in checks:
        m = strip_xen(name)
        if "xen_" + m != cand:
            src += "#define xen_%s %s\n" % (m, cand)
    for _, name, _ in checks:
        src += "CHECK_%s;\n" % strip_xen(name)
    return src, checks


def failing_checks(src, err):
    """The names of the CHECK_ invocations of src that err reports."""
    lines = src.split("\n")
    out = set()
    for m in re.finditer(r"check\.c:(\d+):\d+: error", err):
        line = lines[int(m.group(1)) - 1]
        if line.startswith("CHECK_"):
            out.add(line[6:-1])
    return out


def xen_compat_src(st, hs):
    """Xen's compat headers hs after xen.h's, each after its native header
    (as the hypervisor includes them: the checked types' compat typedefs
    name the native types)."""
    return "#include <xen/compat.h>\n" + "".join(
        '#include <public/%s>\n#include <compat/%s>\n' % (h, h) for h in ["xen.h"] + hs
        if h not in NOT_ALONE)


def xen_check_prog(ctx, st, checks):
    """Xen's CHECK_ macros over Xen's compat headers, compiled as the
    hypervisor would (tests/c/compat's xen/compat.h): (src, stderr)."""
    src = xen_compat_src(st, sorted(st["xen_headers"]))
    src += "".join(st["xen_macros"].values())
    for _, name, cand in checks:
        m = strip_xen(name)
        if "xen_" + m != cand:
            src += "#define xen_%s %s\n" % (m, cand)
    src += "".join("CHECK_%s;\n" % strip_xen(n) for _, n, _ in checks)
    d = ctx.mkdtemp("xcheck")
    path = os.path.join(d, "check.c")
    with open(path, "w") as f:
        f.write(src)
    _, _, err = ctx.run(["clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-ferror-limit=0",
                         "-ffreestanding", "-Wall", "-Werror", "-D__XEN__",
                         "-DCOMPAT_LEGACY_MAX_VCPUS=32", "-DCOMPAT_HAVE_PV_GUEST_ENTRY",
                         "-DCOMPAT_HAVE_PV_UPCALL_MASK", "-I" + st["inc"][0], "-I" + st["xen"],
                         "-fsyntax-only", path])
    return src, err


def compile_tu(ctx, st, src, gen=None):
    d = ctx.mkdtemp("check")
    path = os.path.join(d, "check.c")
    with open(path, "w") as f:
        f.write(src if gen is None else src.replace(st["gen"], gen))
    inc = incs(st) if gen is None else ["-I" + st["inc"][0], "-I" + os.path.dirname(gen) + "/inc"]
    return ctx.run(["clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-ferror-limit=0"] + CFLAGS + inc +
                   ["-fsyntax-only", path])


def test_check(ctx, tree):
    def fn():
        st = shared(ctx, *tree)
        src, checks = check_prog(ctx, st)
        assert checks, "no checked type"
        # The macros that do not compile must be among those of Xen's
        # pipeline that do not compile either (xlat.lst lists a few types
        # whose layouts differ between x86_32 and x86_64, or that hold a
        # translated type, and the hypervisor does not use their checks)
        bad = failing_checks(src, compile_tu(ctx, st, src)[2])
        xbad = failing_checks(*xen_check_prog(ctx, st, checks))
        if os.environ.get("XBG_COMPAT_DIFFS"):
            with open(os.path.join(os.environ["XBG_COMPAT_DIFFS"], tree[0] + ".check"), "w") as f:
                f.write("ours %s\nxen %s\n" % (sorted(bad), sorted(xbad)))
        assert bad <= xbad, "CHECK_ macros that compile with Xen's pipeline, not with ours: %s" % (
            sorted(bad - xbad))
        checks = [c for c in checks if strip_xen(c[1]) not in bad]
        src = "\n".join(l for l in src.split("\n")
                        if not (l.startswith("CHECK_") and l[6:-1] in bad)) + "\n"
        status, out, err = compile_tu(ctx, st, src)
        assert status == 0, "the CHECK_ macros do not compile:\n" + err[-4000:]
        # perturb each checked type's compat struct: one member more
        failed = []
        shown = None
        for _, name, cand in checks:
            m = strip_xen(name)
            base = ctx.mkdtemp("perturbed")
            gen = os.path.join(base, "gen")
            subprocess.run(["cp", "-r", st["gen"], gen], check=True)
            os.makedirs(os.path.join(base, "inc"))
            os.symlink(gen, os.path.join(base, "inc", "public"))
            hit = False
            for h in headers(os.path.join(gen, "compat")):
                text = open(h).read()
                pat = re.compile(r"^((struct|union) compat_%s \{\n)" % re.escape(m), re.M)
                if pat.search(text):
                    # a struct's members move, a union grows
                    text = pat.sub(lambda x: x.group(1) + (
                        "    uint16_t xbg_perturbed;\n" if x.group(2) == "struct"
                        else "    uint8_t xbg_perturbed[4096];\n"), text, count=1)
                    with open(h, "w") as f:
                        f.write(text)
                    hit = True
            assert hit, "no compat struct for %s" % m
            status, out, err = compile_tu(ctx, st, src, gen)
            if status == 0:
                failed.append(m)
                continue
            if not re.search(r"\b%s\b" % re.escape(m), err):
                failed.append(m + " (the error does not name it)")
            if shown is None:
                shown = [line for line in err.splitlines() if "error" in line][:2]
        assert not failed, "still compiles with a perturbed compat type: %s" % failed
        if xbad:
            say("%s: %d CHECK_ macros of Xen's pipeline do not compile (Xen does not use them), "
                "%d of ours: %s" % (tree[0], len(xbad), len(bad), " ".join(sorted(bad))))
        say("%s: %d CHECK_ macros compile; each fails with its compat type perturbed, e.g.:\n  %s"
            % (tree[0], len(checks), "\n  ".join(shown)))
    return fn


XLAT_H = """\
#ifndef __DEMO_H__
#define __DEMO_H__
#include <stdint.h>
struct xen_demo_a { uint32_t x; };
typedef struct xen_demo_a xen_demo_a_t;
union demo_b { uint32_t x; uint64_t y; };
#define DEMO_WORD(x) (x ## 1) /* token pasting: stays text */
struct demo_text { uint32_t v[DEMO_WORD(1)]; };
#endif
"""

XLAT_LST = """\
# comments and empty lines are skipped

?\tdemo_a\t\tdemo.h
!  demo_b  demo.h
? demo_text demo.h
! demo_none demo.h
? other other.h
"""


def test_import_xlat(ctx):
    """`import --xlat`: the marks, what cannot be marked (reported at its
    line of the list), the summary, and a malformed list."""
    def fn():
        d = ctx.mkdtemp("xlat-import")
        h, lst = os.path.join(d, "demo.h"), os.path.join(d, "xlat.lst")
        with open(h, "w") as f:
            f.write(XLAT_H)
        with open(lst, "w") as f:
            f.write(XLAT_LST)
        out = os.path.join(d, "specs")
        status, so, se = ctx.xbg("import", "-j1", "--xlat", lst, h, "-o", out)
        assert status == 0, (status, se)
        warnings = [l for l in se.splitlines() if "xlat.lst" in l]
        assert warnings == [
            "%s:5:1: warning: demo_text (demo.h) is verbatim text in the spec: no compat mark" % lst,
            "%s:6:1: warning: demo.h: no struct or union demo_none: no compat mark" % lst], warnings
        assert so.splitlines()[-1] == ("compat marks from %s: 2 of 4 entries; 1 verbatim text, "
                                       "1 not declared" % lst), so
        spec = open(os.path.join(out, "demo", "demo.toml")).read()
        assert re.search(r'struct = "xen_demo_a"\n(.*\n)*?compat = "check"', spec), spec
        assert re.search(r'union = "demo_b"\n(.*\n)*?compat = "translate"', spec), spec
        with open(lst, "w") as f:
            f.write("? demo_a demo.h\n+ demo_b demo.h\n")
        status, so, se = ctx.xbg("import", "-j1", "--xlat", lst, h, "-o", os.path.join(d, "bad"))
        assert status == 1 and so == "", (status, so)
        assert "%s:2:1: error: expected '? NAME HEADER' or '! NAME HEADER'" % lst in se, se
        status, so, se = ctx.xbg("import", "-j1", "--xlat", os.path.join(d, "none.lst"), h,
                                 "-o", os.path.join(d, "bad2"))
        assert status == 3 and "none.lst: error: cannot read it: No such file or directory" in se, (
            status, se)
    return fn


def import_needs(ctx):
    from suites.import_headers import needs
    return needs(ctx)


def collect(ctx):
    tests = []
    if os.environ.get("VALGRIND", "") in ("", "0"):
        tests.append(Test("compat/import-xlat", test_import_xlat(ctx), import_needs(ctx)))
    for tree in trees(ctx):
        if tree[1] is None and os.environ.get("VALGRIND", "") not in ("", "0"):
            continue  # (the importer's suite is not run under valgrind either)
        needs = [Need("clang", command="clang"), Need("gcc", command="gcc"),
                 Need("binutils", command="nm"),
                 Need.shared(os.path.join("xen-compat", tree[2])),
                 Need.shared(os.path.join("xen-public", tree[2]))]
        if tree[1] is None:
            needs += import_needs(ctx)
        name = tree[0]
        tests += [
            Test("compat/%s/generated" % name, test_generated(ctx, tree), needs),
            Test("compat/%s/layout" % name, test_layout(ctx, tree), needs),
            Test("compat/%s/xen-macros" % name, test_xen_macros(ctx, tree), needs),
            Test("compat/%s/xen-headers" % name, test_xen_headers(ctx, tree), needs),
            Test("compat/%s/xlat" % name, test_xlat(ctx, tree), needs),
            Test("compat/%s/check" % name, test_check(ctx, tree), needs),
        ]
    return tests
