"""`xenbindgen import` (issue 15): C headers in, a spec tree out.

  * proof/4.17, proof/4.22: every public header of Xen 4.17 (the tree of
    libxen-dev, ../shared/xen-public/4.17.7) and of Xen 4.22
    (../shared/xen-public/4.22.0) imported into a temporary tree (never
    committed: it carries Xen's comments), C generated from it, and
    `xenbindgen compare` run on every header.  The report (per header:
    drop-in or the differences; the total) is printed.  The headers that
    are not drop-ins must be exactly those of GAPS, each with its reason:
    a header that becomes a drop-in leaves the list (the count only goes
    up).  The number of verbatim items may not grow above VERBATIM (a
    ratchet: lower it when it falls).
  * twice: two imports of the same tree, one thread and two, give the
    same bytes.
  * roundtrip/4.17, roundtrip/4.22: importing the generated headers gives
    the specs they were generated from: import(generate(import(H))) ==
    import(H).
  * located: what the language cannot say is kept as verbatim text and
    reported at header:line:col, counted in the summary; the spec written
    is checked whole.
  * rust/4.17: the Rust crate of the imported ABI builds, its tests pass
    and clippy is clean, warnings denied (io/9pfs.h is the module _9pfs).
  * usage: the command line's errors.

docs/import.md describes the importer.
"""

import filecmp
import os
import re
import threading

from run import Need, Skip, Test, expect_equal

TREES = {"4.17": ("xen-public/4.17.7", 74), "4.22": ("xen-public/4.22.0", 77)}

# The verbatim items of each tree at most (the summary's count): a change
# that leaves more of a header as text fails; one that leaves less lowers
# the number here.
VERBATIM = {"4.17": 297, "4.22": 336}

# The guest handles defined apart from their types that are `handle` items
# at least (xen.h's of primitives, of xen_pfn_t and xen_ulong_t; vcpu.h's
# of vcpu_time_info_t).
HANDLES = {"4.17": 15, "4.22": 15}

# The headers that are not drop-ins, and why (none today: the last five
# were headers without an include guard, which `unguarded = true` says).
GAPS = {"4.17": {}, "4.22": {}}

_probe = {}
_lock = threading.Lock()
_done = {}


def has_libclang(ctx):
    if "clang" not in _probe:
        st, so, se = ctx.run([ctx.real_tool, "compare", "/nonexistent-a", "/nonexistent-b"])
        _probe["clang"] = "built without it" not in se
    return _probe["clang"]


def needs(ctx):
    return [Need("libclang-dev", probe=lambda: has_libclang(ctx))]


def tree(ctx, ver):
    path = os.path.join(ctx.shared, TREES[ver][0])
    if not os.path.isdir(path):
        raise Skip("../shared/%s not found" % TREES[ver][0])
    return path


def imported(ctx, ver):
    """(Xen's tree, the imported specs, the C generated from them, the
    import's stdout), made once per tree for all the tests that use it."""
    with _lock:
        if ver not in _done:
            x = tree(ctx, ver)
            base = ctx.mkdtemp("import-" + ver)
            specs, gen = os.path.join(base, "specs"), os.path.join(base, "c")
            st, so, se = ctx.xbg("import", "-j2", "--tree", x, "-o", specs, timeout=900)
            assert st == 0, (st, so[-3000:], se[-3000:])
            st, so2, se2 = ctx.xbg("-i", specs, "-o", gen, "-l", "c", timeout=900)
            assert st == 0, (st, so2[-3000:], se2[-3000:])
            _done[ver] = (x, specs, gen, so)
        return _done[ver]


def same_trees(a, b):
    """The files of two trees, byte for byte: the differing paths."""
    bad = []
    for root, _, files in os.walk(a):
        for f in files:
            p = os.path.join(root, f)
            q = os.path.join(b, os.path.relpath(p, a))
            if not os.path.exists(q) or not filecmp.cmp(p, q, shallow=False):
                bad.append(os.path.relpath(p, a))
    for root, _, files in os.walk(b):
        for f in files:
            if not os.path.exists(os.path.join(a, os.path.relpath(os.path.join(root, f), b))):
                bad.append(os.path.relpath(os.path.join(root, f), b))
    return sorted(bad)


def test_proof(ctx, ver):
    def fn():
        x, specs, gen, imp = imported(ctx, ver)
        m = re.match(r"imported \d+ headers into .*: \d+ items, (\d+) of them verbatim text\n",
                     imp)
        assert m, imp[:300]
        assert int(m.group(1)) <= VERBATIM[ver], (
            "%s verbatim items, more than the %d of VERBATIM" % (m.group(1), VERBATIM[ver]))
        h = re.search(r"^items: .*\b(\d+) handle\b", imp, re.M)
        assert h and int(h.group(1)) >= HANDLES[ver], imp[:600]
        with open(os.path.join(specs, "xen", "xen.toml")) as f:
            assert 'handle = "xen_pfn_t"' in f.read(), "xen.h's handle of xen_pfn_t"
        st, so, se = ctx.xbg("compare", "-j2", x, gen, timeout=1800)
        assert se == "", se[-3000:]
        with _lock:
            print("import/proof/%s: Xen %s imported, generated and compared:" % (ver, ver))
            for line in so.splitlines():
                print("    " + line)
        lines = so.splitlines()
        total = TREES[ver][1]
        gaps = GAPS[ver]
        bad = sorted({l.split(":", 1)[0] for l in lines[:-1]
                      if not l.endswith(": drop-in")})
        assert bad == sorted(gaps), (
            "not drop-in: %s; the known gaps: %s" % (bad, sorted(gaps)))
        assert lines[-1] == "%d/%d headers drop-in" % (total - len(gaps), total), lines[-1]
        assert st == (1 if gaps else 0), st
    return fn


def test_twice(ctx):
    def fn():
        x, specs, _, so = imported(ctx, "4.17")
        again = os.path.join(ctx.mkdtemp("twice"), "specs")
        st, so2, se = ctx.xbg("import", "-j1", "--tree", x, "-o", again, timeout=900)
        assert st == 0, (st, se[-3000:])
        assert so2.replace(again, specs) == so, (so, so2)
        bad = same_trees(specs, again)
        assert not bad, "differ: %s" % bad[:20]
    return fn


def test_roundtrip(ctx, ver):
    def fn():
        _, specs, gen, _ = imported(ctx, ver)
        back = os.path.join(ctx.mkdtemp("roundtrip-" + ver), "specs")
        st, so, se = ctx.xbg("import", "-j2", "--tree", gen, "-o", back, timeout=900)
        assert st == 0, (st, se[-3000:])
        bad = same_trees(specs, back)
        assert not bad, "differ: %s" % bad[:20]
    return fn


DEMO_H = """\
/* SPDX-License-Identifier: MIT */
#ifndef __DEMO_H__
#define __DEMO_H__

#include <stdint.h>

/* The number of widgets. */
#define DEMO_MAX 16
#define DEMO_TWICE(x) ((x) * 2)
#define DEMO_NAME(x) demo_ ## x

/* A widget. */
struct demo_widget {
    uint32_t id;
    uint16_t flags : 3;
    uint8_t data[DEMO_MAX];
};
typedef struct demo_widget demo_widget_t;

static inline int demo_helper(void) { return 0; }

#endif /* __DEMO_H__ */
"""

DEMO_TOML = '''\
[header]
path = "demo.h"
guard = "__DEMO_H__"
spdx = "MIT"

[[items]]
include = "<stdint.h>"

[[items]]
const = "DEMO_MAX"
value = 16
description = "The number of widgets."

[[items]]
macro = "DEMO_TWICE"
params = ["x"]
expr = "((x) * 2)"
description = ""

[[items]]
verbatim = "#define DEMO_NAME(x) demo_ ## x"

[[items]]
struct = "demo_widget"
description = "A widget."
c = { typedef = "demo_widget_t" }
abi = { waive = ["padding"], reason = "the layout of Xen's header" }
fields = [
  { name = "id", typ = "u32" },
  { name = "flags", typ = "u16", bits = 3 },
  { name = "data", typ = { array = ["u8", "DEMO_MAX"] } },
]

[[items]]
verbatim = "static inline int demo_helper(void)"

[[items]]
verbatim = "{ return 0; }"
'''


def test_located(ctx):
    """A function-like macro whose body is an expression is a macro item;
    one that pastes tokens and a function stay verbatim text, each
    reported where it is, and counted."""
    def fn():
        d = ctx.mkdtemp("located")
        h = os.path.join(d, "demo.h")
        with open(h, "w", encoding="utf-8") as f:
            f.write(DEMO_H)
        out = os.path.join(d, "out")
        st, so, se = ctx.xbg("import", "-j1", h, "-o", out)
        assert st == 0, (st, se)
        expect_equal(
            "%s:10:1: warning: a function-like macro: kept as verbatim text\n"
            "%s:20:1: warning: a function: kept as verbatim text\n"
            "%s:20:37: warning: code that no view compiles: kept as verbatim text\n"
            % (h, h, h), se, "stderr")
        expect_equal(
            "imported 1 header into %s: 7 items, 3 of them verbatim text\n"
            "items: 1 const, 1 include, 1 macro, 1 struct\n"
            "verbatim:\n"
            "      1 a function\n"
            "      1 a function-like macro\n"
            "      1 code that no view compiles\n"
            "raw conditions (c_if): 0; items with waived ABI rules: 1\n"
            "comments left out: 1 labels of #else/#endif, 0 after the last declaration\n"
            "diagnostics: 3; model rounds: 2\n" % out, so, "stdout")
        with open(os.path.join(out, "demo", "demo.toml"), encoding="utf-8") as f:
            expect_equal(DEMO_TOML, f.read(), "demo.toml")
    return fn


# A record that old interface versions know by another name (a #define
# renames it, as grant_table.h's grant_entry_v1), and a member declared by
# a macro call (as xen-x86_32.h's registers).
RENAMED_TREE = {
    "xen-compat.h": """\
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00041300

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ 0x00000000
#endif

#endif
""",
    "demo.h": """\
#ifndef DEMO_H
#define DEMO_H

#include <stdint.h>
#include "xen-compat.h"

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define DECL_REG(n) union { uint32_t e ## n; uint16_t n; }
#define DECL_REG64(n) union { uint64_t r ## n; uint32_t e ## n; uint16_t n; }
#else
#define DECL_REG(n) uint32_t e ## n
#define DECL_REG64(n) union { uint64_t r ## n, e ## n; uint32_t _e ## n; }
#endif

/* Old guests know it by its first name. */
#if __XEN_INTERFACE_VERSION__ < 0x00030205
#define entry_v1 entry
#define entry_v1_t entry_t
#endif
struct entry_v1 {
    uint16_t flags;
    uint16_t domid;
    uint32_t frame;
};
typedef struct entry_v1 entry_v1_t;

struct regs {
    DECL_REG(ax); /* the accumulator */
    uint32_t flags;
    DECL_REG64(bx);
};

struct list {
    uint16_t n;
    uint16_t item[];
};

#endif
""",
}

RENAMED_TOML = """\
verbatim = "#define entry_v1 entry"
description = "Old guests know it by its first name."
only = { until = 197125 }

[[items]]
verbatim = "#define entry_v1_t entry_t"
only = { until = 197125 }

[[items]]
struct = "entry_v1"
description = ""
c = { typedef = "entry_v1_t" }
fields = [
  { name = "flags", typ = "u16" },
  { name = "domid", typ = "u16" },
  { name = "frame", typ = "u32" },
]

[[items]]
struct = "regs"
description = ""
abi = { waive = ["identity", "alignment"], reason = "the layout of Xen's header" }
fields = [
  { name = "eax", typ = "u32", c = { decl = "DECL_REG(ax);" }, description = "the accumulator" },
  { name = "flags", typ = "u32" },
  { name = "rbx", typ = "uint64_t", c = { decl = "DECL_REG64(bx);" } },
]

[[items]]
struct = "list"
description = ""
fields = [
  { name = "n", typ = "u16" },
  { name = "item", typ = { array = ["u16"] }, c = { flex = "[]" } },
]
"""


def test_renamed(ctx):
    """The record is the one of the name the header spells, its renaming
    #defines stay text under their condition; the member made by a macro
    call is a field with the call as its C text, named as a view names it
    or, when every view makes a union (DECL_REG64), after the member that
    fills the union in all of them (rbx, not ebx: 4 bytes in the tools'
    view); a flexible array written [] keeps that spelling (c.flex)."""
    def fn():
        d = ctx.mkdtemp("renamed")
        tree = os.path.join(d, "tree")
        os.makedirs(tree)
        for name, text in RENAMED_TREE.items():
            with open(os.path.join(tree, name), "w", encoding="utf-8") as f:
                f.write(text)
        out = os.path.join(d, "out")
        st, so, se = ctx.xbg("import", "-j1", "--tree", tree, "-o", out)
        assert st == 0, (st, se)
        h = os.path.join(tree, "demo.h")
        for line in (17, 18):
            want = ("%s:%d:1: warning: a macro that renames a declaration of the header: "
                    "kept as verbatim text\n" % (h, line))
            assert want in se, se
        with open(os.path.join(out, "demo", "demo.toml"), encoding="utf-8") as f:
            text = f.read()
        expect_equal(RENAMED_TOML, text[text.index('verbatim = "#define entry_v1 entry"'):],
                     "demo.toml")
    return fn


# Two headers of one architecture that its includer includes on one
# target each; an architecture's header that a compatibility header includes
# everywhere (arch-x86_32.h) and a record each architecture defines, riscv as
# an empty struct; a member whose length macro is 1 in the oldest interface
# and a flexible array from 0x00041300 on: as Xen 4.19 to 4.22 write them.
FAITHFUL_TREE = {
    'xen-compat.h': """\
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00041300

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ 0x00000000
#endif

#endif
""",
    'xen.h': """\
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

#include "xen-compat.h"

#if defined(__i386__) || defined(__x86_64__)
#include "arch-x86/xen.h"
#elif defined(__arm__) || defined(__aarch64__)
#include "arch-arm.h"
#elif defined(__riscv)
#include "arch-riscv.h"
#endif

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define XEN_FLEX_ARRAY_DIM
#elif defined(__GNUC__)
#define XEN_FLEX_ARRAY_DIM  0
#else
#define XEN_FLEX_ARRAY_DIM  1
#endif

#endif
""",
    'arch-x86_32.h': """\
#include "arch-x86/xen.h"
""",
    'arch-x86/xen.h': """\
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_H__

#if defined(__i386__)
#include "xen-x86_32.h"
#elif defined(__x86_64__)
#include "xen-x86_64.h"
#endif

struct demo_arch {
    uint32_t flags;
};

#endif
""",
    'arch-x86/xen-x86_32.h': """\
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__

/* The kernel's code segment. */
#define FLAT_KERNEL_CS 0xe019

#endif
""",
    'arch-x86/xen-x86_64.h': """\
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__

/* The kernel's code segment. */
#define FLAT_KERNEL_CS 0xe033

#endif
""",
    'arch-arm.h': """\
#ifndef __XEN_PUBLIC_ARCH_ARM_H__
#define __XEN_PUBLIC_ARCH_ARM_H__

struct demo_arch {
    uint64_t flags;
};

#endif
""",
    'arch-riscv.h': """\
#ifndef __XEN_PUBLIC_ARCH_RISCV_H__
#define __XEN_PUBLIC_ARCH_RISCV_H__

struct demo_arch {
};

#endif
""",
    'io/ring.h': """\
#ifndef __XEN_PUBLIC_IO_RING_H__
#define __XEN_PUBLIC_IO_RING_H__

#include "../xen-compat.h"

#if __XEN_INTERFACE_VERSION__ < 0x00041300
#define XENPV_FLEX_ARRAY_DIM  1 /* variable size */
#else
#define XENPV_FLEX_ARRAY_DIM  XEN_FLEX_ARRAY_DIM
#endif

#endif
""",
    'io/demo.h': """\
#ifndef __XEN_PUBLIC_IO_DEMO_H__
#define __XEN_PUBLIC_IO_DEMO_H__

#include "../xen.h"
#include "ring.h"

/* A request with its grant references. */
struct demo_request {
    uint32_t len;
    struct demo_arch arch;
    uint32_t grefs[XENPV_FLEX_ARRAY_DIM];
};

#endif
""",
}

FAITHFUL_DEMO = '''\
[header]
path = "io/demo.h"
guard = "__XEN_PUBLIC_IO_DEMO_H__"

[[includes]]
from = "arch"
imports = ["demo_arch"]

[[includes]]
from = "io/ring"
imports = ["XENPV_FLEX_ARRAY_DIM"]

[[items]]
include = "../xen.h"

[[items]]
include = "ring.h"

[[items]]
struct = "demo_request"
description = "A request with its grant references."
abi = { waive = ["padding"], reason = "the layout of Xen's header" }
fields = [
  { name = "len", typ = "u32" },
  { name = "arch", typ = { struct = "demo_arch" } },
  { name = "grefs", typ = { array = ["u32", "XENPV_FLEX_ARRAY_DIM"] }, only = { until = 267008 } },
  { name = "grefs", typ = { array = ["u32"] }, only = { since = 267008 } },
]
'''

FAITHFUL_X86_32 = '''\
[header]
path = "arch-x86/xen-x86_32.h"
guard = "__XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__"
only = { targets = ["x86_32"] }

[[items]]
const = "FLAT_KERNEL_CS"
value = 57369
description = "The kernel's code segment."
c = { hex = true }
'''

FAITHFUL_X86_64 = '''\
[header]
path = "arch-x86/xen-x86_64.h"
guard = "__XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__"
only = { targets = ["x86_64"] }

[[items]]
const = "FLAT_KERNEL_CS"
value = 57395
description = "The kernel's code segment."
c = { hex = true }
'''


def test_faithful(ctx):
    """What the spec says is what the headers mean on every target and at
    the latest interface version: xen-x86_32.h's constant exists on x86_32
    only, and its x86_64 twin on x86_64 (the units say so in [header] only:
    a name defined per target); an arch-x86/
    header is x86's (parsed on arm it would redefine arch-arm.h's record),
    arch-riscv.h riscv's, so that a common record can use what every
    architecture defines (`from = "arch"`); grefs[XENPV_FLEX_ARRAY_DIM] is
    the sized array until the version where the macro becomes
    XEN_FLEX_ARRAY_DIM, a flexible one from then on, so that the layout
    engine gives clang's layout."""
    def fn():
        d = ctx.mkdtemp("faithful")
        root = os.path.join(d, "public")
        for rel, text in FAITHFUL_TREE.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        out, facts = os.path.join(d, "out"), os.path.join(d, "facts")
        st, so, se = ctx.xbg("import", "-j1", "--tree", root, "-o", out, "--facts", facts)
        assert st == 0, (st, se)
        with open(os.path.join(out, "io", "demo", "demo.toml"), encoding="utf-8") as f:
            expect_equal(FAITHFUL_DEMO, f.read(), "io/demo.toml")
        with open(os.path.join(out, "arch-x86", "xen-x86_32", "xen-x86_32.toml"),
                  encoding="utf-8") as f:
            expect_equal(FAITHFUL_X86_32, f.read(), "arch-x86/xen-x86_32.toml")
        # its x86_64 twin is an item too: one name per target
        with open(os.path.join(out, "arch-x86", "xen-x86_64", "xen-x86_64.toml"),
                  encoding="utf-8") as f:
            expect_equal(FAITHFUL_X86_64, f.read(), "arch-x86/xen-x86_64.toml")
        # clang's facts of a header are those of the targets that include it
        with open(facts, encoding="utf-8") as f:
            got = [line for line in f if "FLAT_KERNEL_CS" in line or "demo_" in line]
        expect_equal("arch-arm.h\tarm32\trecord\tdemo_arch\t8\t8\tflags:0:8:-1\n"
                     "arch-arm.h\tarm64\trecord\tdemo_arch\t8\t8\tflags:0:8:-1\n"
                     "arch-riscv.h\triscv64\trecord\tdemo_arch\t0\t1\n"
                     "arch-x86/xen-x86_32.h\tx86_32\tvalue\tFLAT_KERNEL_CS\t57369\n"
                     "arch-x86/xen-x86_64.h\tx86_64\tvalue\tFLAT_KERNEL_CS\t57395\n"
                     "arch-x86/xen.h\tx86_32\trecord\tdemo_arch\t4\t4\tflags:0:4:-1\n"
                     "arch-x86/xen.h\tx86_64\trecord\tdemo_arch\t4\t4\tflags:0:4:-1\n" +
                     "".join("io/demo.h\t%s\trecord\tdemo_request\t%s\n" % (t, r) for t, r in (
                         ("x86_32", "8\t4\tlen:0:4:-1\tarch:32:4:-1\tgrefs:64:-1:-1"),
                         ("x86_64", "8\t4\tlen:0:4:-1\tarch:32:4:-1\tgrefs:64:-1:-1"),
                         ("arm32", "16\t8\tlen:0:4:-1\tarch:64:8:-1\tgrefs:128:-1:-1"),
                         ("arm64", "16\t8\tlen:0:4:-1\tarch:64:8:-1\tgrefs:128:-1:-1"))),
                     "".join(got), "facts")
        # and the layout engine agrees
        st, so, se = ctx.xbg("-i", out, "-o", os.path.join(d, "sum"), "-l", "abi-summary")
        assert st == 0, (st, se)
        with open(os.path.join(d, "sum", "abi-summary.txt"), encoding="utf-8") as f:
            got = [line for line in f if line.startswith("x86_64 ") and
                   ("demo_" in line or "FLAT_" in line)]
        expect_equal("x86_64 constant FLAT_KERNEL_CS: 0xe033\n"
                     "x86_64 type demo_arch: struct size 4 align 4\n"
                     "x86_64 type demo_arch member flags: offset 0 size 4 u32\n"
                     "x86_64 type demo_request: struct size 8 align 4\n"
                     "x86_64 type demo_request member len: offset 0 size 4 u32\n"
                     "x86_64 type demo_request member arch: offset 4 size 4 struct demo_arch\n"
                     "x86_64 type demo_request member grefs: offset 8 size 0 u32[]\n",
                     "".join(got), "x86_64 summary")
    return fn

def test_rust(ctx):
    def fn():
        _, specs, _, _ = imported(ctx, "4.17")
        d = ctx.mkdtemp("rust")
        crate = os.path.join(d, "crate")
        st, so, se = ctx.xbg("-i", specs, "-o", crate, "-l", "rust", timeout=900)
        assert st == 0, (st, se[-3000:])
        with open(os.path.join(crate, "src", "io", "mod.rs"), encoding="utf-8") as f:
            assert "pub mod _9pfs;\n" in f.read()
        e = {"CARGO_TARGET_DIR": os.path.join(d, "target"), "CARGO_TERM_COLOR": "never",
             "RUSTFLAGS": "-D warnings"}
        st, so, se = ctx.run(["cargo", "test", "--offline", "-j1"], cwd=crate, env=e,
                             timeout=1800)
        assert st == 0, (st, so[-3000:], se[-6000:])
        st, so, se = ctx.run(["cargo", "clippy", "--offline", "-j1", "--all-targets", "--",
                              "-D", "warnings"], cwd=crate, env=e, timeout=1800)
        assert st == 0, (st, so[-3000:], se[-6000:])
    return fn


USAGE = ("usage: xenbindgen import [OPTIONS] HEADER... -o SPECDIR "
         "[--to toml|yaml|json]\n")


def test_usage(ctx):
    def fn():
        d = ctx.mkdtemp("usage")
        for args, err in (
                ((), "missing -o SPECDIR"),
                (("-o", d), "missing HEADER (or --tree DIR)"),
                (("--tree", d, "-o", d, "x.h"), "--tree takes no HEADER operands"),
                (("--tree", d, "--root", d, "-o", d), "--tree is its own root: no --root"),
                (("-j0", "-o", d, "x.h"), "--jobs takes a number from 1 to 256, not '0'")):
            st, so, se = ctx.xbg("import", *args)
            expect_equal("xenbindgen: error: %s\n%s" % (err, USAGE), se, "stderr")
            assert st == 2 and so == "", (args, st, so)
        st, so, se = ctx.xbg("import", "--help")
        assert st == 0 and so.startswith("Usage: xenbindgen import") and se == "", (st, se)
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") not in ("", "0"):
        return []
    tests = [Test("import/proof/" + v, test_proof(ctx, v), needs(ctx)) for v in TREES]
    tests += [Test("import/roundtrip/" + v, test_roundtrip(ctx, v), needs(ctx))
              for v in TREES]
    tests += [Test("import/twice", test_twice(ctx), needs(ctx)),
              Test("import/rust/4.17", test_rust(ctx),
                   needs(ctx) + [Need("cargo", command="cargo"),
                                 Need("clippy", command="cargo-clippy")]),
              Test("import/located", test_located(ctx), needs(ctx)),
              Test("import/renamed", test_renamed(ctx), needs(ctx)),
              Test("import/faithful", test_faithful(ctx), needs(ctx)),
              Test("import/usage", test_usage(ctx), needs(ctx))]
    return tests
