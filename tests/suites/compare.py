"""`xenbindgen compare` (issue 14): the identity checker, on Xen's own
headers (../shared/xen-public, read there, never copied).

  * self: Xen 4.17's tree against itself: every one of its 74 headers is a
    drop-in, in every view (4 targets x 8 configurations).
  * mutations: a copy of the tree with one deliberate change per kind (a
    member widened, a value changed, a C type changed, a macro added, one
    removed, a parameter renamed, a member moved, a hypervisor-only field
    made unconditional): each reported exactly, and only those.
  * threads: the output does not depend on the number of threads.
  * 4.18: 4.17 against 4.18.0: the known differences, and the counts.
  * compat: --xen-scripts runs Xen's compat pipeline (../shared/xen-compat)
    on both trees: a spelling that changes no fact (unsigned int for
    uint32_t) still changes the compat header; and Xen's header checks
    with the host's compilers, which reject what clang lets pass.
  * specs-xen: the ratchet of issue 14.7: the C generated from specs/xen,
    put in place of Xen's headers of DROPIN in a copy of Xen's tree, is a
    drop-in for each of them (every target and configuration).  A header
    that becomes a drop-in joins DROPIN; none leaves it.  The count is
    printed (make demo prints it too).
  * usage, io: the command line's errors and their statuses.
  * valgrind/compare: under make check-valgrind only, a run with
    differences under valgrind memcheck.

docs/compare.md describes the checker.
"""

import os
import shutil
import sys

from run import Need, Skip, Test, expect_equal

XEN417 = "xen-public/4.17.7"
XEN418 = "xen-public/4.18.0"
SCRIPTS = "xen-compat/4.17.7"

_probe = {}


def has_libclang(ctx):
    """The tool says when it was built without libclang."""
    if "clang" not in _probe:
        st, so, se = ctx.run([ctx.real_tool, "compare", "/nonexistent-a", "/nonexistent-b"])
        _probe["clang"] = "built without it" not in se
    return _probe["clang"]


def needs(ctx):
    return [Need("libclang-dev", probe=lambda: has_libclang(ctx))]


def tree(ctx, rel):
    """A tree of ../shared; the test is skipped without it (a failure under
    CI=true)."""
    path = os.path.join(ctx.shared, rel)
    if not os.path.isdir(path):
        raise Skip("../shared/%s not found" % rel)
    return path


def compare(ctx, *args, timeout=900):
    return ctx.xbg("compare", *args, timeout=timeout)


def test_self(ctx):
    def fn():
        x = tree(ctx, XEN417)
        st, so, se = compare(ctx, x, x)
        lines = so.splitlines()
        assert st == 0, (st, so[-3000:], se[-3000:])
        assert lines[-1] == "74/74 headers drop-in", lines[-1]
        bad = [l for l in lines[:-1] if not l.endswith(": drop-in")]
        assert not bad and len(lines) == 75, "\n".join(bad[:50])
        assert se == "", se
    return fn


# The headers of Xen 4.17 that specs/xen generates as drop-ins (issue 14.7).
DROPIN = ["arch-arm.h", "arch-arm/hvm/save.h", "arch-arm/smccc.h", "arch-x86/cpufeatureset.h",
          "arch-x86/cpuid.h", "arch-x86/guest-acpi.h", "arch-x86/hvm/save.h",
          "arch-x86/hvm/start_info.h", "arch-x86/pmu.h", "arch-x86/xen-mca.h",
          "arch-x86/xen-x86_32.h", "arch-x86/xen-x86_64.h", "arch-x86/xen.h", "arch-x86_32.h",
          "arch-x86_64.h", "argo.h", "callback.h", "device_tree_defs.h", "dom0_ops.h", "domctl.h", "elfnote.h",
          "errno.h", "event_channel.h", "features.h", "grant_table.h", "hvm/dm_op.h", "hvm/e820.h",
          "hvm/hvm_info_table.h", "hvm/hvm_op.h", "hvm/hvm_vcpu.h", "hvm/hvm_xs_strings.h",
          "hvm/ioreq.h", "hvm/params.h", "hvm/pvdrivers.h", "hvm/save.h", "hypfs.h", "io/9pfs.h",
          "io/blkif.h", "io/cameraif.h", "io/console.h", "io/displif.h", "io/fbif.h", "io/fsif.h",
          "io/kbdif.h", "io/libxenvchan.h", "io/netif.h", "io/pciif.h", "io/protocols.h",
          "io/pvcalls.h", "io/ring.h", "io/sndif.h", "io/tpmif.h", "io/usbif.h", "io/vscsiif.h",
          "io/xenbus.h", "io/xs_wire.h", "kexec.h", "memory.h", "nmi.h", "physdev.h", "platform.h",
          "pmu.h", "sched.h", "sysctl.h", "tmem.h", "trace.h", "vcpu.h", "version.h", "vm_event.h",
          "xen-compat.h", "xen.h", "xencomm.h", "xenoprof.h", "xsm/flask_op.h"]


def test_specs_xen(ctx):
    def fn():
        x = tree(ctx, XEN417)
        gen = ctx.mkdtemp("specs-xen-c")
        st, so, se = ctx.xbg("-i", os.path.join(ctx.root, "specs", "xen"), "-o", gen, "-l", "c")
        assert st == 0, (st, so, se)
        # the headers specs/xen does not generate as Xen's yet stay Xen's
        mixed = os.path.join(ctx.mkdtemp("specs-xen-tree"), "xen")
        shutil.copytree(x, mixed)
        for h in DROPIN:
            shutil.copyfile(os.path.join(gen, h), os.path.join(mixed, h))
        st, so, se = compare(ctx, x, mixed, *DROPIN)
        expect_equal("".join("%s: drop-in\n" % h for h in sorted(DROPIN)) +
                     "%d/%d headers drop-in\n" % (len(DROPIN), len(DROPIN)), so, "stdout")
        assert st == 0 and se == "", (st, se)
        sys.stdout.write("specs/xen: %d headers drop-in: %s\n" % (len(DROPIN), " ".join(DROPIN)))
        # with Xen's own scripts too (headers.chk, headers99.chk,
        # headers++.chk and the compat pipeline, which read the headers as
        # text): all but NOT_BY_SCRIPTS, a ratchet like DROPIN
        by_scripts = [h for h in DROPIN if h not in NOT_BY_SCRIPTS]
        st, so, se = compare(ctx, "--xen-scripts", tree(ctx, SCRIPTS), x, mixed, *by_scripts)
        expect_equal("".join("%s: drop-in\n" % h for h in sorted(by_scripts)) +
                     "%d/%d headers drop-in\n" % (len(by_scripts), len(by_scripts)), so,
                     "stdout (--xen-scripts)")
        assert st == 0 and se == "", (st, se)
        sys.stdout.write("specs/xen: %d of them drop-in with Xen's scripts too%s\n"
                         % (len(by_scripts), "; not yet: " + " ".join(sorted(NOT_BY_SCRIPTS))
                            if NOT_BY_SCRIPTS else ""))
    return fn


# The drop-ins whose text Xen's compat scripts read otherwise than Xen's
# (issue 14, point 1d): none left, a ratchet like DROPIN.
NOT_BY_SCRIPTS = []


# (path, old text, new text): each old text must occur exactly once.
MUTATIONS = [
    # a member's type widened
    ("grant_table.h", "    domid_t  dom;\n    uint32_t nr_frames;\n    /* OUT parameters. */\n"
     "    int16_t  status;              /* => enum grant_status */\n#if",
     "    domid_t  dom;\n    uint64_t nr_frames;\n    /* OUT parameters. */\n"
     "    int16_t  status;              /* => enum grant_status */\n#if"),
    # a constant's value changed
    ("sched.h", "#define SCHEDOP_block       1\n", "#define SCHEDOP_block       11\n"),
    # a constant's C type changed
    ("vcpu.h", "#define VCPUOP_up                    1\n",
     "#define VCPUOP_up                    1U\n"),
    # a macro added
    ("sched.h", "#define SCHEDOP_yield       0\n",
     "#define SCHEDOP_yield       0\n#define SCHEDOP_extra       99\n"),
    # a macro removed
    ("event_channel.h", "#define EVTCHNOP_status           5\n", ""),
    # a function-like macro's parameter renamed
    ("io/ring.h", "#define __RD2(_x)  (((_x) & 0x00000002) ? 0x2                  : ((_x) & 0x1))",
     "#define __RD2(_y)  (((_y) & 0x00000002) ? 0x2                  : ((_y) & 0x1))"),
    # a struct member moved
    ("event_channel.h", "    domid_t remote_dom;\n    evtchn_port_t remote_port;\n"
     "    /* OUT parameters. */\n    evtchn_port_t local_port;\n",
     "    domid_t remote_dom;\n    /* OUT parameters. */\n    evtchn_port_t local_port;\n"
     "    evtchn_port_t remote_port;\n"),
    # a field only under __XEN__ made unconditional
    ("domctl.h", "#ifdef __XEN__\n            struct dt_device_node *dev;",
     "#if 1\n            struct dt_device_node *dev;"),
]

MUTATED = ["domctl.h", "event_channel.h", "grant_table.h", "io/ring.h", "sched.h",
           "vcpu.h", "xen.h"]

# Each mutation, exactly: a widened member moves what follows it (and on
# x86_32, where uint64_t is 4-aligned, only the size changes), the
# hypervisor-only field shows in the tools builds (guest builds of domctl.h
# stop at its #error and have no layout to compare), the renamed parameter
# is one difference, not two.
EXPECTED_MUTATIONS = """\
domctl.h: tools, c++ on all targets: struct xen_domctl_assign_device: size 32, expected 24
domctl.h: tools, c++ on all targets: struct xen_domctl_assign_device: member u: size 24, expected 16
domctl.h: tools, c++ on all targets: struct xen_domctl_assign_device: member u.dt: size 24, expected 16
domctl.h: tools, c++ on all targets: struct xen_domctl_assign_device: member u.dt.dev: added
domctl.h: tools, c++ on all targets: struct xen_domctl: member u.assign_device: size 32, expected 24
domctl.h: tools, guest, default, c++ on all targets: struct dt_device_node: added
event_channel.h: everywhere: macro EVTCHNOP_status: missing
event_channel.h: everywhere: struct evtchn_bind_interdomain: member remote_port: offset 8, expected 4
event_channel.h: everywhere: struct evtchn_bind_interdomain: member local_port: offset 4, expected 8
grant_table.h: tools, guest, default, c89, c++ on x86_32: struct gnttab_setup_table: size 20, expected 16
grant_table.h: all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: size 32, expected 24
grant_table.h: all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member nr_frames: offset 8, expected 4
grant_table.h: tools, guest, default, c89, c++ on x86_32; all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member nr_frames: size 8, expected 4
grant_table.h: all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member nr_frames: alignment 8, expected 4
grant_table.h: tools, guest, default, c89, c++ on x86_32; all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member nr_frames: type uint64_t, expected uint32_t
grant_table.h: tools, guest, default, c89, c++ on x86_32: struct gnttab_setup_table: member status: offset 12, expected 8
grant_table.h: all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member status: offset 16, expected 8
grant_table.h: tools, guest, default, c89, c++ on x86_32: struct gnttab_setup_table: member frame_list: offset 16, expected 12
grant_table.h: all configurations on x86_64, arm32, arm64: struct gnttab_setup_table: member frame_list: offset 24, expected 16
io/ring.h: everywhere: macro __RD2: parameters (_y), expected (_x)
sched.h: everywhere: macro SCHEDOP_block: value 11, expected 1
sched.h: everywhere: macro SCHEDOP_extra: added
vcpu.h: everywhere: macro VCPUOP_up: C type unsigned int, expected int
xen.h: drop-in
1/7 headers drop-in
"""


def mutate(ctx):
    x = tree(ctx, XEN417)
    mut = os.path.join(ctx.mkdtemp("mutated"), "public")
    shutil.copytree(x, mut)
    for rel, old, new in MUTATIONS:
        path = os.path.join(mut, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert text.count(old) == 1, "%s: %r occurs %d times" % (rel, old, text.count(old))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
    return x, mut


def test_mutations(ctx):
    def fn():
        x, mut = mutate(ctx)
        st, so, se = compare(ctx, x, mut, *MUTATED)
        assert se == "", se
        expect_equal(EXPECTED_MUTATIONS, so, "stdout")
        assert st == 1, st
    return fn


def test_threads(ctx):
    """One thread or two: the same bytes."""
    def fn():
        x, mut = mutate(ctx)
        outs = [compare(ctx, "-j", n, x, mut, "grant_table.h", "event_channel.h")
                for n in ("1", "2")]
        assert outs[0] == outs[1], outs
        assert outs[0][0] == 1, outs[0]
    return fn


def test_418(ctx):
    """Xen 4.17 against 4.18.0: what changed between the releases."""
    def fn():
        a, b = tree(ctx, XEN417), tree(ctx, XEN418)
        st, so, se = compare(ctx, a, b)
        assert st == 1 and se == "", (st, se)
        lines = so.splitlines()
        assert lines[-2:] == [
            "note: 1 header of %s not in %s (not compared)" % (b, a),
            "60/74 headers drop-in"], lines[-2:]
        headers = {l.split(":", 1)[0] for l in lines[:-2] if not l.endswith(": drop-in")}
        assert len(headers) == 14, sorted(headers)
        for known in (
                # the domctl interface version moved on
                "domctl.h: everywhere: macro XEN_DOMCTL_INTERFACE_VERSION: value 22, expected 21",
                # a new operation
                "platform.h: everywhere: macro XENPF_get_ucode_revision: added",
                "platform.h: everywhere: struct xenpf_ucode_revision: added",
                # a hypervisor-only pointer dropped from a domctl
                "domctl.h: hypervisor on all targets: struct xen_domctl_assign_device: member u.dt.dev: missing",
                # a member moved into a new sub-struct
                "sysctl.h: tools, hypervisor, c++ on all targets: struct xen_get_cpufreq_para: member scaling_governor: missing",
                "sysctl.h: tools, hypervisor, c++ on all targets: struct xen_get_cpufreq_para: member u.s.scaling_governor: added",
                # constants given a U suffix: the same value, another C type
                # (arch-arm.h is compared on the targets xen.h includes it on)
                "arch-arm.h: tools, hypervisor on arm32, arm64: macro PSR_THUMB: C type unsigned int, expected int",
                # parameters renamed
                "io/ring.h: everywhere: macro __RD2: parameters (x), expected (_x)",
                # an ARM-only field
                "arch-arm.h: tools, hypervisor on arm32, arm64: struct xen_arch_domainconfig: member sve_vl: added"):
            assert known in lines, known
    return fn


def test_compat(ctx):
    """--xen-scripts: Xen's compat pipeline on both trees."""
    def fn():
        x = tree(ctx, XEN417)
        scripts = tree(ctx, SCRIPTS)
        st, so, se = compare(ctx, "--xen-scripts", scripts, "--config", "tools",
                             "--target", "x86_32", x, x, "grant_table.h", "vcpu.h")
        expect_equal("grant_table.h: drop-in\nvcpu.h: drop-in\n2/2 headers drop-in\n", so,
                     "stdout")
        assert st == 0 and se == "", (st, se)
        # a spelling that changes no fact changes the compat header
        mut = os.path.join(ctx.mkdtemp("compat"), "public")
        shutil.copytree(x, mut)
        path = os.path.join(mut, "vcpu.h")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        old = "    uint64_t mfn;    /* mfn of page to place vcpu_info */\n    uint32_t offset;"
        assert text.count(old) == 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, old.replace("uint32_t offset", "unsigned int offset")))
        st, so, se = compare(ctx, "--xen-scripts", scripts, x, mut, "vcpu.h")
        expect_equal("vcpu.h: compat: compat/vcpu.h: `uint64_compat_t mfn ; unsigned int "
                     "offset ; uint32_t`, expected `uint64_compat_t mfn ; uint32_t offset ; "
                     "uint32_t`\n0/1 headers drop-in\n", so, "stdout")
        assert st == 1 and se == "", (st, se)
        # Xen's header checks with the host's compilers: gcc rejects an
        # unused static function in a header, clang does not
        old = "#define VCPUOP_up                    1\n"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert text.count(old) == 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, old + "static int vcpuop_helper(void) { return 0; }\n"))
        st, so, se = compare(ctx, "--xen-scripts", scripts, "--config", "c89",
                             "--config", "c++", x, mut, "vcpu.h")
        lines = so.splitlines()
        assert st == 1 and se == "", (st, se)
        for want in ("vcpu.h: c89, c++ on all targets: function vcpuop_helper: added",
                     "vcpu.h: headers.chk: fails: vcpu.h:39:12: error: 'vcpuop_helper' "
                     "defined but not used [-Werror=unused-function]",
                     "vcpu.h: headers++.chk: fails: vcpu.h:39:12: error: 'int "
                     "vcpuop_helper()' defined but not used [-Werror=unused-function]",
                     "0/1 headers drop-in"):
            assert want in lines, "%r not in:\n%s" % (want, so)
    return fn


USAGE = "usage: xenbindgen compare [OPTIONS] ORIGINAL_DIR GENERATED_DIR [HEADER...]\n"


def test_usage(ctx):
    def fn():
        x = tree(ctx, XEN417)
        for args, err in (
                ((), "missing ORIGINAL_DIR and GENERATED_DIR"),
                ((x,), "missing GENERATED_DIR"),
                (("--target", "sparc", x, x), "unknown target 'sparc' (expected x86_32, "
                 "x86_64, arm32, arm64, riscv64 or ppc64le)"),
                (("--config=tool", x, x), "unknown configuration 'tool' (expected tools, "
                 "hypervisor, guest, default, asm, c89, c99 or c++)"),
                (("-j0", x, x), "--jobs takes a number from 1 to 256, not '0'"),
                (("--frob", x, x), "unknown option '--frob'"),
                (("--target",), "option '--target' needs a value")):
            st, so, se = compare(ctx, *args)
            expect_equal("xenbindgen: error: %s\n%s" % (err, USAGE), se, "stderr")
            assert st == 2 and so == "", (args, st, so)
        st, so, se = compare(ctx, x, x, "nosuch.h")
        expect_equal("xenbindgen: error: %s: no header nosuch.h\n" % x, se, "stderr")
        assert st == 2 and so == "", (st, so)
        st, so, se = compare(ctx, "--help")
        assert st == 0 and so.startswith("Usage: xenbindgen compare [OPTIONS] "
                                         "ORIGINAL_DIR") and se == "", (st, so, se)
    return fn


def test_io(ctx):
    def fn():
        x = tree(ctx, XEN417)
        missing = os.path.join(ctx.mkdtemp("io"), "nope")
        st, so, se = compare(ctx, x, missing)
        expect_equal("xenbindgen: error: cannot read directory %s: No such file or "
                     "directory\n" % missing, se, "stderr")
        assert st == 3 and so == "", (st, so)
        empty = ctx.mkdtemp("empty")
        st, so, se = compare(ctx, empty, x)
        expect_equal("xenbindgen: error: %s: no headers (*.h) found\n" % empty, se, "stderr")
        assert st == 3, st
        # a header of the original the generated tree lacks is not a drop-in
        part = os.path.join(ctx.mkdtemp("part"), "public")
        shutil.copytree(x, part)
        os.remove(os.path.join(part, "nmi.h"))
        st, so, se = compare(ctx, "--config", "tools", "--target", "x86_64", x, part,
                             "nmi.h", "callback.h")
        expect_equal("callback.h: drop-in\nnmi.h: missing from %s\n1/2 headers drop-in\n"
                     % part, so, "stdout")
        assert st == 1 and se == "", (st, se)
    return fn


def test_valgrind(ctx):
    """Under make check-valgrind: a comparison with differences, two
    threads, every kind of fact, no memory error and no leak."""
    def fn():
        x, mut = mutate(ctx)
        st, so, se = compare(ctx, "-j2", "--target", "x86_64", "--config", "tools",
                             "--config", "asm", x, mut, "grant_table.h", "sched.h",
                             "io/ring.h", "errno.h")
        assert st == 1, (st, se[-3000:])
        assert so.splitlines()[-1] == "1/4 headers drop-in", so
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") not in ("", "0"):
        return [Test("valgrind/compare", test_valgrind(ctx), needs(ctx))]
    return [
        Test("compare/self", test_self(ctx), needs(ctx)),
        Test("compare/mutations", test_mutations(ctx), needs(ctx)),
        Test("compare/threads", test_threads(ctx), needs(ctx)),
        Test("compare/4.18", test_418(ctx), needs(ctx)),
        Test("compare/compat", test_compat(ctx), needs(ctx) +
             [Need("python3", command="python3"), Need("gcc", command="cc"),
              Need("g++", command="c++")]),
        Test("compare/specs-xen", test_specs_xen(ctx), needs(ctx)),
        Test("compare/usage", test_usage(ctx), needs(ctx)),
        Test("compare/io", test_io(ctx), needs(ctx)),
    ]
