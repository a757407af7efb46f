"""The C backend and the generation workflow (issue 4).

Golden headers, the compile matrix with real compilers, check mode, atomic
all-or-nothing writes, the depfile, file naming and determinism.
"""

import os
import re
import shutil
import stat
import subprocess
import time

from run import Need, Skip, Test, c_prelude, compare_trees, data_needs, expect_equal

CLANG_TARGETS = ["i386-linux-gnu", "x86_64-linux-gnu", "armv7a-linux-gnueabihf",
                 "aarch64-linux-gnu", "riscv64-linux-gnu", "powerpc64le-linux-gnu"]


def spec_sets(ctx):
    """Every spec tree whose C output must compile: the RFC's, ours, and the
    passing test specs."""
    sets = {
        "rfc": os.path.join(ctx.shared, "xenbindgen-rfc", "specs"),
        "xen": os.path.join(ctx.root, "specs", "xen"),
    }
    base = os.path.join(ctx.root, "tests", "c", "specs")
    for name in sorted(os.listdir(base)):
        sets[name] = os.path.join(base, name)
    return sets


def generate(ctx, specs, out, *extra, lang="c"):
    st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", lang, "--regen-hint", "make regen", *extra)
    if st != 0:
        raise AssertionError("generation failed (%d):\n%s%s" % (st, so, se))
    return out


def headers(out):
    found = []
    for d, _, files in os.walk(out):
        for f in files:
            if f.endswith(".h"):
                found.append(os.path.join(d, f))
    return sorted(found)


FAMILY = {"i386": "x86", "x86_64": "x86", "armv7a": "arm", "aarch64": "arm",
          "riscv64": "riscv", "powerpc64le": "ppc"}


def header_family(rel):
    """The architecture family of a generated header, by its path under the
    output directory: arch_x86.h, arch-arm.h, arch-x86/xen.h and
    arch-x86/xen-mca.h are x86's or arm's; None for a common header."""
    first = rel.replace(os.sep, "/").split("/")[0]
    if not first.startswith(("arch_", "arch-")):
        return None
    m = re.match(r"[a-z0-9]+", first[5:])
    return m.group(0) if m else None


def for_target(hs, family):
    """The headers a translation unit for one architecture includes: the
    common ones (they pull in their arch header through the #if chain) and
    that architecture's own, below arch-<family>/ too; another
    architecture's header is never meant to be compiled there."""
    keep = []
    for h in hs:
        parts = h.replace(os.sep, "/").split("/")
        fam = None
        # the output directory is above the first arch_*/arch-* component
        for i in range(len(parts)):
            fam = header_family("/".join(parts[i:]))
            if fam:
                break
        if fam is not None and fam != family:
            continue
        keep.append(h)
    return keep


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return f.read()


def gnu_only(path):
    """A header that, as Xen's, refuses strict ISO C (hvm/save.h: its
    anonymous members), or the layout header of one."""
    if path.endswith("_layout.h") and os.path.exists(path[:-9] + ".h"):
        path = path[:-9] + ".h"
    return "#if !defined(__GNUC__) || defined(__STRICT_ANSI__)" in read(path)


def tools_only(path):
    """A header that, as Xen's sysctl.h and domctl.h, stops a build that is
    not the toolstack's or the hypervisor's with #error, or the layout
    header of one: Xen's headers.chk compiles those with -D__XEN_TOOLS__."""
    if path.endswith("_layout.h") and os.path.exists(path[:-9] + ".h"):
        path = path[:-9] + ".h"
    return re.search(r"^#if !defined\(__XEN__\) && !defined\(__XEN_TOOLS__\)\n"
                     r"(?:/\*.*\*/\n)?#error ", read(path), re.M) is not None


def unguarded(path):
    """A header without an include guard (Xen's io/libxenvchan.h): its
    layout header, which includes it, stands for it."""
    text = read(path)
    return not path.endswith("_layout.h") and "#define __XEN" not in text and \
        "#pragma once" not in text and os.path.exists(path[:-2] + "_layout.h") and \
        not re.search(r"^#ifndef (\w+)\n#define \1$", text, re.M)


def hosted(path):
    """A header that includes the C library's system headers (Xen's
    io/libxenvchan.h: <sys/types.h>), which only the host's compilers
    have: left out of the freestanding builds for other targets."""
    if path.endswith("_layout.h") and os.path.exists(path[:-9] + ".h"):
        path = path[:-9] + ".h"
    return "#include <sys/" in read(path)


# Xen's headers whose flexible rings (io/ring.h's DEFINE_XEN_FLEX_RING)
# define inline functions that call memcpy with size_t lengths: Xen's own
# checks compile them as C99 after <string.h> (its headers99.chk), never as
# ANSI C.  A translation unit that includes them declares memcpy first
# (STRING_DECL: a freestanding build for another target has no <string.h>).
C99_STRING = ("io/9pfs.h", "io/pvcalls.h")
STRING_DECL = ("#include <stddef.h>\n#ifdef __cplusplus\nextern \"C\"\n#endif\n"
               "void *memcpy(void *, const void *, size_t);\n")


def needs_string(path):
    """A header of C99_STRING, or the layout header of one."""
    if path.endswith("_layout.h"):
        path = path[:-9] + ".h"
    return path.replace(os.sep, "/").endswith(C99_STRING)


GNU_STD = {"-std=c89": "-std=gnu89", "-ansi": "-std=gnu89", "-std=c99": "-std=gnu99",
           "-std=c11": "-std=gnu11", "-std=c++17": "-std=gnu++17",
           "-std=c++20": "-std=gnu++20"}


def compile_all(ctx, out, cc, flags, prelude=True, cxx=False, whole=False):
    """Compile a translation unit including every generated header meant for
    the target; a failure says the end of the compiler's errors, or all of
    them (whole).  The headers that refuse strict ISO C, as Xen's
    hvm/save.h does (Xen's headers.chk leaves it out), are compiled in a
    unit of their own in the GNU dialect of the same standard; those that
    refuse a guest's build (tools_only), in one with -D__XEN_TOOLS__."""
    family = "x86"
    for f in flags:
        if f.startswith("--target="):
            family = FAMILY[f[9:].split("-")[0]]
    ansi = any(f in ("-std=c89", "-ansi") for f in flags)
    hs = [h for h in for_target(headers(out), family) if not unguarded(h) and
          not ("-ffreestanding" in flags and hosted(h)) and not (ansi and needs_string(h))]
    strict = any(f in GNU_STD for f in flags)
    tools = [h for h in hs if tools_only(h)]
    hs = [h for h in hs if h not in tools]
    units = [(flags, [h for h in hs if not (strict and gnu_only(h))])]
    if strict and any(gnu_only(h) for h in hs):
        units.append(([GNU_STD.get(f, f) for f in flags], [h for h in hs if gnu_only(h)]))
    if tools:
        units.append((flags + ["-D__XEN_TOOLS__"], tools))
    for fl, group in units:
        src = os.path.join(ctx.mkdtemp("tu"), "tu." + ("cc" if cxx else "c"))
        with open(src, "w") as f:
            if prelude:
                f.write(c_prelude(ctx, out))
            else:
                f.write("#include <stdint.h>\n#include <xen/xen.h>\n")
            if any(needs_string(h) for h in group):
                f.write(STRING_DECL)
            for h in group:
                f.write('#include "%s"\n' % h)
        cmd = [cc] + fl + ["-Wall", "-Wextra", "-Werror", "-fsyntax-only", src]
        st, so, se = ctx.run(cmd)
        if st != 0:
            raise AssertionError("%s failed:\n%s" % (" ".join(cmd), se if whole else se[-4000:]))


def test_golden(ctx, name, specs):
    def fn():
        out = generate(ctx, specs, ctx.mkdtemp("golden"))
        gold = os.path.join(ctx.root, "tests", "golden", "c", name)
        if ctx.update:
            shutil.rmtree(gold, ignore_errors=True)
            shutil.copytree(out, gold)
            return
        compare_trees(gold, out)
    return fn


def test_matrix(ctx, specs, compiler):
    """The headers and their layout assertions (-l c-layout, which include
    them) compile: every size, alignment and offset the engine computed is
    what this compiler computes for this target."""
    def fn():
        out = generate(ctx, specs, ctx.mkdtemp("matrix"))
        generate(ctx, specs, out, lang="c-layout")
        if compiler in ("gcc", "clang"):
            for std in ("-std=c89", "-ansi", "-std=c99", "-std=c11"):
                compile_all(ctx, out, compiler, [std])
        elif compiler == "g++":
            for std in ("-std=gnu++98", "-std=c++17", "-std=c++20"):
                compile_all(ctx, out, "g++", [std], cxx=True)
        elif compiler == "gcc -m32":
            compile_all(ctx, out, "gcc", ["-m32", "-std=c11"])
        else:
            # C, and C++17 (docs/integration.md promises it) on every
            # target: an empty struct is 1 byte in C++, 0 in GNU C
            for cc, std, cxx in (("clang", "-std=c11", False), ("clang++", "-std=c++17", True)):
                compile_all(ctx, out, cc, ["--target=" + compiler, "-ffreestanding", std], cxx=cxx)
    return fn


def test_perturbed_engine_fails(ctx):
    """The proof can fail: one wrong number in the engine (a test-only
    switch) makes the arm32 build fail, naming type, field and target, and
    only there."""
    def fn():
        specs = os.path.join(ctx.shared, "xenbindgen-rfc", "specs")
        out = generate(ctx, specs, ctx.mkdtemp("perturb"))
        st, so, se = ctx.run([ctx.hooks, "-i", specs, "-o", out, "-l", "c-layout"],
                             env={"XBG_TEST_PERTURB": "xen_domctl_createdomain.cpupool_id@arm32"})
        assert st == 0, se
        for std, want in (("-std=c11", 'xen_domctl_createdomain.cpupool_id: offset is not 57 on arm32'),
                          ("-std=c89", "xbg_arm32__xen_domctl_createdomain__cpupool_id__offset")):
            try:
                compile_all(ctx, out, "clang", ["--target=armv7a-linux-gnueabihf", "-ffreestanding", std])
            except AssertionError as e:
                assert want in str(e), "failure does not name type, field and target:\n%s" % e
            else:
                raise AssertionError("perturbed layout compiled on arm32 (%s)" % std)
        compile_all(ctx, out, "clang", ["--target=aarch64-linux-gnu", "-ffreestanding"])
    return fn


def assertion_errors(err, path):
    """The messages of our failed assertions, each from the compiler's error
    line that carries it: one in the assertion file `path`, ending with the
    message quoted (clang: 'static_assert failed [due to requirement ...]
    "msg"', gcc: 'static assertion failed: "msg"')."""
    found = []
    for line in err.splitlines():
        m = re.match(r'(\S+):\d+:\d+: error: static.*"([^"]*)"$', line)
        if m and m.group(1).endswith(path):
            found.append(m.group(2))
    return found


def diagnostic(err, path, msg):
    return msg in assertion_errors(err, path)


def test_against_header(ctx):
    """Assertions naming the types of a hand-written header: they hold for a
    header the spec describes, and fail, precisely, for one it does not."""
    def fn():
        base = os.path.join(ctx.root, "tests", "c", "against")
        specs = os.path.join(base, "specs")
        for header, good in (("guest_abi.h", True), ("guest_abi_wrong.h", False)):
            out = ctx.mkdtemp("against")
            generate(ctx, specs, out, "--against-header", os.path.join(base, header), lang="c-layout")
            text = open(os.path.join(out, "guest_layout.h")).read()
            assert '#include "%s"' % os.path.join(base, header) in text
            assert "GUEST_FLAGS__ALL" not in text, "hand-written headers have no __ALL mask"
            for t in CLANG_TARGETS:
                try:
                    compile_all(ctx, out, "clang", ["--target=" + t, "-ffreestanding"], whole=True)
                    ok = True
                except AssertionError as e:
                    ok = False
                    err = str(e)
                assert ok == good, "%s on %s: compiled=%s" % (header, t, ok)
                if not good:
                    # mode is a uint16_t there: its size and type say so,
                    # and the offsets after it
                    family = t.split("-")[0]
                    name = {"i386": "x86_32", "x86_64": "x86_64", "armv7a": "arm32",
                            "aarch64": "arm64", "riscv64": "riscv64",
                            "powerpc64le": "ppc64le"}[family]
                    for msg in ("guest_flags.b: value is not (1U << 3), expected on every target",
                                "guest_op.mode: size is not 1 on " + name,
                                "guest_op.mode: type is not uint8_t on " + name,
                                "guest_op.pad: offset is not 5 on " + name):
                        assert diagnostic(err, "guest_layout.h", msg), "%s:\n%s" % (msg, err)
            # a guest's build of Xen's xen.h on x86_32: uint64_aligned_t is
            # plain uint64_t (4-aligned) and a 64-bit handle the native one;
            # the assertions hold for that layout too (arg and buf: the
            # numbers after them differ)
            guest = os.path.join(ctx.mkdtemp("against-guest"), "tu.c")
            with open(guest, "w") as f:
                f.write("#include <stdint.h>\n#define uint64_aligned_t uint64_t\n"
                        "typedef struct { uint8_t *p; } __guest_handle_uint8;\n"
                        "#define XEN_GUEST_HANDLE_64(name) __guest_handle_ ## name\n"
                        '#include "%s"\n' % os.path.join(out, "guest_layout.h"))
            st, _, err = ctx.run(["clang", "--target=i386-linux-gnu", "-ffreestanding",
                                  "-Wall", "-Wextra", "-Werror", "-fsyntax-only", guest])
            assert (st == 0) == good, "%s in a guest's x86_32 build: status %d\n%s" % (
                header, st, err[-3000:])
            got = assertion_errors(err, "guest_layout.h")
            for msg in [] if good else [
                    "guest_flags.b: value is not (1U << 3), expected on every target",
                    "guest_op.mode: size is not 1 on x86_32",
                    "guest_op.mode: type is not uint8_t on x86_32",
                    "guest_op.pad: offset is not 5 on x86_32",
                    "guest_op.flags: offset is not 24 (20 where uint64_aligned_t is "
                    "4-aligned) on x86_32"]:
                assert msg in got, "%s in a guest's x86_32 build:\n%s" % (msg, err[-3000:])
    return fn


def test_with_xen_h(ctx):
    """Headers that define nothing xen.h defines also compile after Xen's own
    xen.h (libxen-dev, tools build)."""
    def fn():
        out = generate(ctx, os.path.join(ctx.shared, "xenbindgen-rfc", "specs"), ctx.mkdtemp("xenh"))
        only = ctx.mkdtemp("xenh-only")
        shutil.copy(os.path.join(out, "sysctl.h"), only)
        for cc, std in (("gcc", "-std=c89"), ("gcc", "-std=c99"), ("clang", "-std=c11"),
                        ("g++", "-std=gnu++98"), ("g++", "-std=c++17")):
            compile_all(ctx, only, cc, [std, "-D__XEN_TOOLS__"], prelude=False, cxx=cc == "g++")
    return fn


def test_shape(ctx):
    """RFC conventions and the improvements over them, on one header."""
    def fn():
        out = generate(ctx, os.path.join(ctx.shared, "xenbindgen-rfc", "specs"), ctx.mkdtemp("shape"))
        for h in headers(out):
            text = open(h).read()
            assert text.endswith(" */\n") and not text.endswith("\n\n"), h + ": trailing blank line"
            assert "generated by xenbindgen" in text[:1024], h + ": no marker"
            assert "make regen" in text[:1024], h + ": no regeneration command"
        dom = open(os.path.join(out, "domctl.h")).read()
        assert " *   domctl/createdomain.toml\n" in dom, "banner must name the spec file"
        assert "#define __XEN_AUTOGEN_DOMCTL_H" in dom
        assert '#if defined(__i386__) || defined(__x86_64__)\n#include "arch_x86.h"' in dom
        assert '#error "Unsupported architecture"' in dom
        assert "uint32_t flags; /* XEN_DOMCTL_CDF_* */" in dom
        assert "GREP FODDER" not in dom and "struct xen_domctl_cdf" not in dom
        assert "#define XEN_DOMCTL_CDF_VPMU (1U << 7)" in dom
        assert "#define XEN_DOMCTL_CDF__ALL (0xFFU)" in dom
        assert "XEN_DOMCTL_ALTP2M_MODE_LIMITED = 3," in dom
        sysctl = open(os.path.join(out, "sysctl.h")).read()
        assert "XEN_GUEST_HANDLE_64(uint8) buffer;" in sysctl
        wide = generate(ctx, os.path.join(ctx.root, "tests", "c", "specs", "wide"), ctx.mkdtemp("wide"))
        text = open(os.path.join(wide, "flags.h")).read()
        assert "#define XEN_WIDE_HIGH (1ULL << 40)" in text
        assert "#define XEN_WIDE__ALL (0x8000010080000001ULL)" in text
        ptr = generate(ctx, os.path.join(ctx.root, "tests", "c", "specs", "pointers"), ctx.mkdtemp("ptr"))
        text = open(os.path.join(ptr, "guest.h")).read()
        assert text.count("typedef struct node node_t;") == 1
        assert text.count("DEFINE_XEN_GUEST_HANDLE(node_t);") == 1
        # a struct that points to itself: its typedef and handle come first,
        # and the header says why; no other forward typedef
        assert "struct node points to itself" in text
        assert text.index("DEFINE_XEN_GUEST_HANDLE(node_t);") < text.index("struct node {")
        # one header needs these handles: no guard macro
        assert "__XEN_AUTOGEN_HANDLE_" not in text
        assert text.count("__DEFINE_XEN_GUEST_HANDLE(int64, int64_t);") == 1
        assert "XEN_GUEST_HANDLE_64(uint8) p_u8;" in text
        assert "XEN_GUEST_HANDLE_64(int16) p_enum;" in text
        # a struct's typedef right after its body, never ahead of it (Xen's
        # compat-build-header.py applies __alignof__ to it)
        feat = generate(ctx, os.path.join(ctx.root, "tests", "c", "specs", "features"),
                        ctx.mkdtemp("feat"))
        text = open(os.path.join(feat, "xen.h")).read()
        assert "};\ntypedef struct xen_test_status xen_test_status_t;\n" \
               "DEFINE_XEN_GUEST_HANDLE(xen_test_status_t);" in text
        # multi-bit fields: only the mask, unless c.accessors asks
        assert "XEN_TEST_CDF_version_mask (0xFU << 4)" in text
        assert "XEN_TEST_CDF_version_shift" not in text
        for h in headers(out) + headers(feat):
            for line in open(h).read().splitlines():
                assert len(line) <= 80 or not line.startswith(("#if", "#define", "/*", " *")), \
                    "%s: a line the backend lays out passes 80 columns:\n%s" % (h, line)
    return fn


def test_dropin_shape(ctx):
    """The constructs of the drop-in language in the generated C
    (tests/c/specs/dropin): header paths, guards, SPDX first, the
    assembler split, order with moves, cycles, conditions, items."""
    def fn():
        specs = os.path.join(ctx.root, "tests", "c", "specs", "dropin")
        out = generate(ctx, specs, ctx.mkdtemp("dropin"))
        names = sorted(os.path.relpath(h, out) for h in headers(out))
        assert names == ["arch-arm.h", "arch-x86/xen-mca.h", "arch-x86/xen.h",
                         "event_channel.h", "tools-only.h", "xen.h"], names
        xen = open(os.path.join(out, "xen.h")).read()
        assert xen.startswith("/* SPDX-License-Identifier: MIT */\n"), xen[:200]
        assert "#ifndef __XEN_PUBLIC_XEN_H__\n#define __XEN_PUBLIC_XEN_H__\n" in xen
        assert "#ifndef __ASSEMBLY__\n\n/* A domain id" in xen
        assert "#if defined(__ASSEMBLY__)\n/* A constant only the assembler sees. */" in xen
        assert "#if defined(XEN_TEST_HAVE_PV)\n#define XEN_TEST_MODE_pv 3\n#endif" in xen
        assert "#define XEN_TEST_NEXT(x) ((x) + 1)\n" in xen
        assert '#include "arch-x86/xen.h"' in xen and "Unsupported architecture" not in xen
        evt = open(os.path.join(out, "event_channel.h")).read()
        # spec order, but evt_outer after evt_inner, which it contains
        order = [evt.index(s) for s in ("#error", '#include "xen.h"', "#define EVT_N",
                                        "struct evt_inner {", "struct evt_outer {",
                                        "typedef struct evt_outer evt_outer_t;")]
        assert order == sorted(order), order
        assert evt.count('#include "xen.h"') == 1
        assert "Ahead of its body, for a cycle of guest handles" in evt
        # a primitive handle two headers define: guarded in both (the compile
        # matrix includes them together)
        for text in (xen, evt):
            assert "#ifndef __XEN_AUTOGEN_HANDLE_int16\n#define __XEN_AUTOGEN_HANDLE_int16\n" \
                   "__DEFINE_XEN_GUEST_HANDLE(int16, int16_t);\n#endif" in text
        mca = open(os.path.join(out, "arch-x86", "xen-mca.h")).read()
        assert '#include "xen.h"' in mca and "__i386__" not in mca
        tools = open(os.path.join(out, "tools-only.h")).read()
        assert "#if (defined(__XEN__) || defined(__XEN_TOOLS__))\n\n/* Laid out" in tools
        # a tools build sees the content, a guest build does not
        for flags, want in ((["-D__XEN_TOOLS__"], True), ([], False)):
            src = os.path.join(ctx.mkdtemp("tu"), "tu.c")
            with open(src, "w") as f:
                f.write('#include "%s"\n#include "%s"\nstruct tools_only t;\n'
                        % (os.path.join(ctx.root, "support", "xen-prelude.h"),
                           os.path.join(out, "tools-only.h")))
            st, so, se = ctx.run([ctx.cc.split()[0], "-fsyntax-only"] + flags + [src])
            assert (st == 0) == want, (flags, se)
        # the assembler (with Xen's -D__ASSEMBLY__) gets the constants, not
        # the types
        src = os.path.join(ctx.mkdtemp("asm"), "a.S")
        with open(src, "w") as f:
            f.write('#include "%s"\n.long XEN_TEST_PAGE_SHIFT, DOMID_SELF, XEN_TEST_ASM_ONLY\n'
                    % os.path.join(out, "xen.h"))
        st, so, se = ctx.run([ctx.cc.split()[0], "-D__ASSEMBLY__", "-c", "-o", os.devnull, src])
        assert st == 0, se
    return fn


# ---- check mode --------------------------------------------------------------

def test_check_mode(ctx):
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        out = generate(ctx, specs, ctx.mkdtemp("check"))
        args = ["-i", specs, "-o", out, "-l", "c", "--regen-hint", "make regen", "--check"]
        st, so, se = ctx.xbg(*args)
        assert (st, so, se) == (0, "", ""), "in sync: %d %r %r" % (st, so, se)
        # the outputs do not depend on how the tool was run: generated
        # without --regen-hint from one directory, in sync when checked from
        # another and with other spellings of the same paths
        plain = ctx.mkdtemp("plain")
        st, so, se = ctx.run([ctx.tool, "-i", specs, "-o", plain, "-l", "c"])
        assert st == 0, se
        other = ctx.mkdtemp("elsewhere")
        for cwd, i, o in ((other, specs, plain),
                          (ctx.root, "./specs/xen", os.path.relpath(plain, ctx.root)),
                          (ctx.root, "specs//xen/", plain + "/"),
                          (os.path.join(ctx.root, "specs"), "xen", os.path.join(plain, ".", ""))):
            st, so, se = ctx.run([ctx.tool, "-i", i, "-o", o, "-l", "c", "--check"], cwd=cwd)
            assert (st, so, se) == (0, "", ""), "--check -i %s -o %s from %s: %d\n%s%s" % (
                i, o, cwd, st, so, se)
        # stale
        path = os.path.join(out, "sysctl.h")
        text = open(path).read()
        open(path, "w").write(text.replace("uint32_t count;", "uint32_t count_renamed;"))
        st, so, se = ctx.xbg(*args)
        assert st == 1, "stale: status %d" % st
        assert "-    uint32_t count_renamed;\n+    uint32_t count;\n" in so, so
        assert "make regen" in so + se, "no regeneration command"
        open(path, "w").write(text)
        # missing
        os.remove(os.path.join(out, "domctl.h"))
        st, so, se = ctx.xbg(*args)
        assert st == 1 and "domctl.h" in so and "+#define __XEN_AUTOGEN_DOMCTL_H" in so, so
        generate(ctx, specs, out)
        # extra: an output the specs no longer produce (a deleted spec)
        shutil.copy(path, os.path.join(out, "gone.h"))
        open(os.path.join(out, "handwritten.h"), "w").write("/* not ours */\n")
        st, so, se = ctx.xbg(*args)
        assert st == 1 and "gone.h" in so and "handwritten.h" not in so, so
        # writing removes the stale generated file, keeps the hand-written one
        generate(ctx, specs, out)
        assert not os.path.exists(os.path.join(out, "gone.h"))
        assert os.path.exists(os.path.join(out, "handwritten.h"))
        st, so, se = ctx.xbg(*args)
        assert st == 0, so
    return fn


# ---- output writer -----------------------------------------------------------

def tree_state(d):
    state = {}
    for base, _, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            st = os.stat(p)
            state[os.path.relpath(p, d)] = (open(p, "rb").read(), st.st_mtime_ns)
    return state


def test_unchanged_keeps_mtime(ctx):
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        out = generate(ctx, specs, ctx.mkdtemp("mtime"))
        old = 1000000000
        for h in headers(out):
            os.utime(h, (old, old))
        generate(ctx, specs, out)
        for h in headers(out):
            assert os.stat(h).st_mtime == old, h + " was rewritten"
        assert not [f for f in os.listdir(out) if f.startswith(".")], "temporary files left"
    return fn


def test_error_touches_nothing(ctx):
    def fn():
        tmp = ctx.mkdtemp("atomic")
        specs = os.path.join(tmp, "specs")
        shutil.copytree(os.path.join(ctx.root, "specs", "xen"), specs)
        out = generate(ctx, specs, os.path.join(tmp, "out"))
        before = tree_state(out)
        # change a good spec (its output would change) and break another
        p = os.path.join(specs, "sysctl", "readconsole.toml")
        open(p, "a").write('\n[[enums]]\nname = "new_enum"\ndescription = "x"\ntyp = "u8"\n')
        open(os.path.join(specs, "domctl", "broken.toml"), "w").write("[[structs]]\nname = 1\n")
        st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", "c", "--regen-hint", "make regen")
        assert st == 1 and "broken.toml:2:8: error:" in se, se
        assert tree_state(out) == before, "an output changed despite an error"
        # a fresh outdir is not even created
        st, so, se = ctx.xbg("-i", specs, "-o", os.path.join(tmp, "fresh"), "-l", "c")
        assert st == 1 and not os.path.exists(os.path.join(tmp, "fresh"))
    return fn


def as_other_user():
    """Root ignores directory permissions; run the tool as nobody instead."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        raise Skip("setpriv (util-linux) is needed to drop root for this test")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_readonly_outdir(ctx):
    def fn():
        tmp = ctx.mkdtemp("ro")
        os.chmod(tmp, 0o755)
        specs = os.path.join(ctx.root, "specs", "xen")
        out = os.path.join(tmp, "out")
        generate(ctx, specs, out)
        # make one output stale so a write is needed, then lock the directory
        p = os.path.join(out, "sysctl.h")
        open(p, "w").write("/* generated by xenbindgen, but stale */\n")
        before = tree_state(out)
        os.chmod(out, 0o555)
        for d, _, _ in os.walk(out):
            os.chmod(d, 0o555)
        try:
            cmd = as_other_user() + [ctx.tool, "-i", specs, "-o", out, "-l", "c",
                                     "--regen-hint", "make regen"]
            st, so, se = ctx.run(cmd)
        finally:
            for d, _, _ in os.walk(out):
                os.chmod(d, 0o755)
        assert st == 3, "status %d, expected 3 (I/O error)\n%s" % (st, se)
        assert "error:" in se and ("ermission" in se or "ead-only" in se), se
        assert tree_state(out) == before, "outputs changed"
        # an outdir that is a file
        f = os.path.join(tmp, "file")
        open(f, "w").write("x")
        st, so, se = ctx.xbg("-i", specs, "-o", f, "-l", "c")
        assert st == 3 and "error:" in se, se
        assert open(f).read() == "x"
    return fn


def test_depfile(ctx):
    def fn():
        tmp = ctx.mkdtemp("dep")
        specs = os.path.join(ctx.root, "tests", "c", "specs", "nested")
        out = os.path.join(tmp, "out dir")
        dep = os.path.join(tmp, "gen.d")
        generate(ctx, specs, out, "--depfile", dep)
        text = open(dep).read()
        ins = ["%s/io/blkif/blkif.toml" % specs, "%s/io/ring/ring.toml" % specs,
               "%s/xen/base.toml" % specs]
        outs = ["%s/io/blkif.h" % out, "%s/io/ring.h" % out, "%s/xen.h" % out]
        esc = lambda p: p.replace(" ", "\\ ")
        # one rule, every output a target of it (linear in outputs +
        # inputs), then an empty rule per spec
        rule = " %s " % text.partition(":")[0].replace(" \\\n", "")
        for o in outs:
            assert " %s " % esc(o) in rule, "%s is not a target in\n%s" % (o, text)
        for i in ins:
            assert text.count(esc(i)) == 2, "%s must be a prerequisite once and have an empty rule:\n%s" % (i, text)
            assert "\n%s:\n" % esc(i) in text
        # make understands it: touching a spec makes every output out of date
        mk = os.path.join(tmp, "Makefile")
        open(mk, "w").write("all: %s\n-include gen.d\n%%.h:\n\t@echo regenerate $@\n"
                            % " ".join(esc(o) for o in outs))
        later = time.time() + 100
        os.utime(ins[0], None)
        for o in outs:
            os.utime(o, (later, later))
        st, so, se = ctx.run(["make", "-q", "-C", tmp])
        assert st == 0, "outputs should be up to date: " + so + se
        os.utime(ins[2], (later + 10, later + 10))
        st, so, se = ctx.run(["make", "-q", "-C", tmp])
        assert st == 1, "a touched spec must make outputs stale"
        os.utime(ins[2], None)
    return fn


def test_keep_dashes(ctx):
    def fn():
        specs = os.path.join(ctx.shared, "xenbindgen-rfc", "specs")
        out = generate(ctx, specs, ctx.mkdtemp("dashes"), "--keep-dashes")
        names = sorted(os.listdir(out))
        assert names == ["arch-arm.h", "arch-ppc.h", "arch-riscv.h", "arch-x86.h",
                         "domctl.h", "sysctl.h"], names
        assert '#include "arch-x86.h"' in open(os.path.join(out, "domctl.h")).read()
        compile_all(ctx, out, "gcc", ["-std=c99"])
    return fn


def test_determinism(ctx):
    """Same specs, same bytes: whatever the order files were created in
    (directory order), the locale, the time zone or the time."""
    def fn():
        src = os.path.join(ctx.root, "specs", "xen")
        trees = []
        for i, order in enumerate((sorted, lambda l: sorted(l, reverse=True))):
            tmp = ctx.mkdtemp("det")
            specs = os.path.join(tmp, "specs")
            def copy(s, d):
                os.mkdir(d)
                for name in order(os.listdir(s)):
                    if os.path.isdir(os.path.join(s, name)):
                        copy(os.path.join(s, name), os.path.join(d, name))
                    else:
                        shutil.copy(os.path.join(s, name), os.path.join(d, name))
            copy(src, specs)
            # decoys that must not matter
            open(os.path.join(specs, "sysctl", "zz.toml.orig"), "w").write("junk = = =")
            out = os.path.join(tmp, "out")
            env = {"LC_ALL": ("C", "tr_TR.UTF-8")[i], "TZ": ("UTC", "Asia/Kolkata")[i]}
            st, so, se = ctx.run([ctx.tool, "-i", "specs", "-o", "out", "-l", "c"], cwd=tmp, env=env)
            assert st == 0, se
            trees.append(out)
            if i == 0:
                time.sleep(1.1)
        compare_trees(trees[0], trees[1])
    return fn


def covered_targets(ctx, specs):
    """The clang triples of the targets the specs can be laid out for (a
    spec tree without arch-riscv has nothing to compile for riscv64)."""
    try:
        st, so, se = ctx.xbg("validate", "-i", specs)
    except AssertionError:
        # a crash here is reported by the tests themselves; collecting
        # must not stop the whole run
        return list(CLANG_TARGETS)
    names = {"x86_32": "i386-linux-gnu", "x86_64": "x86_64-linux-gnu",
             "arm32": "armv7a-linux-gnueabihf", "arm64": "aarch64-linux-gnu",
             "riscv64": "riscv64-linux-gnu", "ppc64le": "powerpc64le-linux-gnu"}
    found = []
    for line in so.splitlines():
        words = line.split()
        if len(words) == 4 and words[0] in names and words[1].isdigit():
            found.append(names[words[0]])
    return found or list(names.values())


def collect(ctx):
    tests = []
    have = lambda cmd: Need(cmd if cmd != "g++" else "g++", command=cmd)
    sets = spec_sets(ctx)
    rfc = data_needs(sets["rfc"])
    for name, path in sets.items():
        data = data_needs(path)
        tests.append(Test("c/golden/" + name, test_golden(ctx, name, path), data))
        for comp in ("gcc", "clang", "g++"):
            tests.append(Test("c/matrix/%s/%s" % (name, comp), test_matrix(ctx, path, comp),
                              data + ([Need("clang", command="clang")] if comp == "clang"
                                      else [have(comp)])))
        for t in covered_targets(ctx, path):
            tests.append(Test("c/matrix/%s/clang-%s" % (name, t), test_matrix(ctx, path, t),
                              data + [Need("clang", command="clang")]))
        tests.append(Test("c/matrix/%s/gcc-m32" % name, test_matrix(ctx, path, "gcc -m32"),
                          data + [Need("gcc-multilib", probe=lambda: os.path.exists("/usr/include/x86_64-linux-gnu/gnu/stubs-32.h")
                                       or os.path.exists("/usr/lib/gcc/x86_64-linux-gnu/12/32"))]))
    tests += [
        Test("c/with-xen-h", test_with_xen_h(ctx),
             rfc + [Need("libxen-dev", probe=lambda: os.path.exists("/usr/include/xen/domctl.h"))]),
        Test("c/shape", test_shape(ctx), rfc),
        Test("c/dropin-shape", test_dropin_shape(ctx), [Need("gcc", command="gcc")]),
        Test("c/layout/perturbed-engine-fails", test_perturbed_engine_fails(ctx),
             rfc + [Need("clang", command="clang")]),
        Test("c/layout/against-header", test_against_header(ctx), [Need("clang", command="clang")]),
        Test("c/check-mode", test_check_mode(ctx)),
        Test("c/unchanged-keeps-mtime", test_unchanged_keeps_mtime(ctx)),
        Test("c/error-touches-nothing", test_error_touches_nothing(ctx)),
        Test("c/readonly-outdir", test_readonly_outdir(ctx)),
        Test("c/depfile", test_depfile(ctx), [Need("make", command="make")]),
        Test("c/keep-dashes", test_keep_dashes(ctx), rfc),
        Test("c/determinism", test_determinism(ctx)),
    ]
    return tests
