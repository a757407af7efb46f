"""The real Xen public ABI (issue 7): specs/xen against Debian's libxen-dev.

specs/xen describes Xen 4.17's public headers (/usr/include/xen, package
libxen-dev) as a tools build sees them.  These tests prove it, for x86_32,
x86_64, arm32 and arm64, with clang and the original headers:

  * against-header/<target>: the layout assertions generated with
    --against-header for every original header compile against those
    headers: every size, alignment and field offset the engine computed and
    every constant, enumerator, flag, bit number and compatibility name the
    specs define, with Xen's value (a name Xen lacks does not compile);
    plus the sub-op numbers of `op` entries.  Prints the counts.
  * api-coverage: every macro the generated headers define is one of those
    checked names or a checked op number: the generator adds no name.
  * generated/<target>: the generated headers, with support/xen-prelude.h
    and not Xen's headers, compile warning-free (tools and guest builds) and
    pass their own layout assertions.
  * records/<target>: clang's record layouts of the generated headers and
    of Xen's are the same (member names, types, offsets, bitfield positions,
    sizes), apart from the documented gaps; bitfields match the engine.
  * lint: `xenbindgen validate` reports as 32/64 differences exactly the
    expected types, and the invariant units' offenders say so.
  * lint-vs-compilers: sizeof/_Alignof/offsetof probes of the original
    headers, read back from object files, equal the engine's numbers, and
    the types whose x86_32 and x86_64 (or arm32 and arm64) layouts differ
    are exactly those the lint reports.

docs/xen-abi.md explains the findings and the gaps.
"""

import json
import os
import re
import sys
import threading

from run import Need, Test, c_prelude
from suites.c_backend import (STRING_DECL, assertion_errors, for_target, generate, headers,
                               tools_only)
from suites.compare import DROPIN

XEN = "/usr/include/xen"
# The original headers specs/xen describes, in an order that compiles.
ORIGINALS = ["xen.h", "event_channel.h", "grant_table.h", "memory.h", "vcpu.h",
             "sched.h", "physdev.h", "domctl.h", "sysctl.h", "platform.h",
             "hvm/save.h", "hvm/ioreq.h", "io/ring.h", "io/blkif.h",
             "version.h", "features.h", "elfnote.h", "nmi.h", "hypfs.h", "xencomm.h",
             "device_tree_defs.h", "trace.h", "hvm/e820.h", "hvm/hvm_info_table.h",
             "hvm/hvm_xs_strings.h", "hvm/pvdrivers.h", "hvm/params.h", "hvm/hvm_op.h",
             "hvm/hvm_vcpu.h", "hvm/dm_op.h", "io/xs_wire.h", "io/console.h",
             "io/xenbus.h", "io/protocols.h", "io/tpmif.h", "io/fbif.h", "io/kbdif.h",
             "xsm/flask_op.h",
             "io/pciif.h", "tmem.h", "xenoprof.h", "io/fsif.h", "arch-x86/guest-acpi.h",
             "arch-x86/cpuid.h", "arch-x86/hvm/start_info.h", "argo.h", "kexec.h",
             "io/vscsiif.h", "io/usbif.h", "io/9pfs.h", "io/pvcalls.h",
             "io/netif.h", "io/displif.h", "io/sndif.h", "io/cameraif.h", "callback.h",
             "pmu.h", "vm_event.h", "arch-x86/xen-mca.h", "arch-x86/cpufeatureset.h"]
TARGETS = [("x86_32", "i386-linux-gnu", "x86"), ("x86_64", "x86_64-linux-gnu", "x86"),
           ("arm32", "armv7a-linux-gnueabihf", "arm"), ("arm64", "aarch64-linux-gnu", "arm")]
CFLAGS = ["-ffreestanding", "-D__XEN_TOOLS__"]

# The corpus: every one must be described.
CORPUS = """evtchn_alloc_unbound evtchn_bind_interdomain evtchn_init_control
grant_entry_v1 gnttab_map_grant_ref vcpu_time_info xen_sysctl_physinfo
xen_domctl_getdomaininfo xen_sysctl_readconsole evtchn_status grant_entry_v2
gnttab_setup_table gnttab_copy gnttab_cache_flush xen_memory_reservation
xen_add_to_physmap_batch xen_mem_acquire_resource xen_vnuma_topology_info
vcpu_runstate_info vcpu_register_runstate_memory_area physdev_map_pirq mmuext_op
xenctl_bitmap xen_domctl_getvcpuinfo xen_domctl_scheduler_op blkif_sring
xen_arch_domainconfig xen_domctl_createdomain xen_domctl_bind_pt_irq
xen_domctl_ext_vcpucontext xen_domctl_cacheflush xen_domctl
xen_sysctl_page_offline_op xen_sysctl arch_vcpu_info vcpu_info arch_shared_info
shared_info start_info physdev_pci_device_add xen_processor_flags ioreq
blkif_request""".split()

# What the 32/64 lint must report: the types (and inline members) whose
# layout really differs between x86_32 and x86_64 in Xen 4.17, and between
# arm32 and arm64.  lint-vs-compilers proves these sets with the compilers.
X86_DIFFER = set("""livepatch_func xen_sysctl_meminfo xen_sysctl_psr_cmt_op xen_sysctl_psr_cmt_op.u
arch_vcpu_info arch_shared_info multicall_entry mmu_update
cpu_user_regs vcpu_guest_context
mmuext_op mmuext_op.arg1 mmuext_op.arg2 vcpu_time_info vcpu_info shared_info
start_info start_info.console start_info.console.domU
evtchn_init_control grant_entry_v2 grant_entry_v2.full_page grant_entry_v2.sub_page
gnttab_map_grant_ref gnttab_setup_table gnttab_copy_ptr gnttab_copy_ptr.u
gnttab_copy gnttab_cache_flush gnttab_cache_flush.a
xen_memory_reservation xen_add_to_physmap_batch xen_mem_acquire_resource
xen_vmemrange xen_vnuma_topology_info xen_vnuma_topology_info.vdistance
xen_vnuma_topology_info.vcpu_to_vnode xen_vnuma_topology_info.vmemrange
vcpu_runstate_info vcpu_register_runstate_memory_area
vcpu_register_runstate_memory_area.addr vcpu_set_singleshot_timer
vcpu_register_vcpu_info sched_poll physdev_map_pirq hvm_vmce_vcpu
ioreq shared_iopage blkif_request blkif_request_discard blkif_request_indirect
blkif_response blkif_sring_entry blkif_sring trap_info xen_msr_entry
xen_domctl_cacheflush xen_domctl.u xen_sysctl_page_offline_op xen_sysctl.u
xen_domctl_audit_p2m xen_domctl_psr_alloc
evtchn_expand_array gnttab_get_status_frames gnttab_transfer
gnttab_unmap_and_replace gnttab_unmap_grant_ref vcpu_get_physid
vcpu_register_time_memory_area vcpu_register_time_memory_area.addr
vcpu_set_periodic_timer blkif_front_ring blkif_back_ring xen_add_to_physmap
xen_foreign_memory_map xen_machphys_mapping xen_machphys_mfn_list xen_mem_access_op
xen_memory_exchange xen_memory_map xen_pod_target xen_remove_from_physmap
xen_reserved_device_memory xen_reserved_device_memory_map
tpmif_ring tpmif_tx_interface tpmif_tx_request vcpu_hvm_context
vcpu_hvm_context.cpu_regs vcpu_hvm_x86_32 vcpu_hvm_x86_64 xen_hvm_altp2m_change_gfn
xen_hvm_altp2m_mem_access xen_hvm_altp2m_op xen_hvm_altp2m_op.u
xen_hvm_altp2m_set_mem_access_multi xen_hvm_altp2m_suppress_ve
xen_hvm_altp2m_suppress_ve_multi xen_hvm_altp2m_vcpu_enable_notify
xen_hvm_get_mem_type xen_hvm_get_time xen_hvm_pagetable_dying xen_hvm_param
xen_platform_parameters xencomm_desc xenfb_page xennmi_callback
xen_dm_op_buf xen_dm_op_map_mem_type_to_ioreq_server
xen_flask_boolean xen_flask_devicetree_label xen_flask_load xen_flask_ocontext
xen_flask_op xen_flask_op.u xen_flask_sid_context
xsd_errors event_log xenoprof_buf xenoprof_counter xenoprof_get_buffer
xenoprof_ibs_counter xenoprof_passive fsif_read_request fsif_write_request
fsif_stat_response fsif_truncate_request fsif_request fsif_request.u fsif_response
fsif_response.u hvm_start_info hvm_modlist_entry hvm_memmap_table_entry xen_argo_iov
xen_kexec_image xen_kexec_load xen_kexec_load.segments xen_kexec_load_v1
xen_kexec_range xen_kexec_segment xen_kexec_segment.buf xen_pvcalls_socket
xen_pvcalls_connect xen_pvcalls_release xen_pvcalls_bind xen_pvcalls_listen
xen_pvcalls_accept xen_pvcalls_poll xen_pvcalls_request xen_pvcalls_request.u
xen_pvcalls_response xen_pvcalls_response.u xen_pvcalls_response.u.socket
xen_pvcalls_response.u.connect xen_pvcalls_response.u.release
xen_pvcalls_response.u.bind xen_pvcalls_response.u.listen
xen_pvcalls_response.u.accept xen_pvcalls_response.u.poll""".split())
# vcpu_register_runstate_memory_area.addr holds a plain C pointer, 4 bytes
# on arm32 and 8 on arm64: the union's size is the same, its member is not.
ARM_DIFFER = {"livepatch_func", "mmuext_op.arg1", "vcpu_register_runstate_memory_area.addr",
              "vcpu_register_time_memory_area.addr", "blkif_front_ring",
              "blkif_back_ring", "tpmif_ring", "tpmif_tx_interface", "tpmif_tx_request",
              "xenfb_page", "xennmi_callback", "xsd_errors", "xen_kexec_image",
              "xen_kexec_load_v1", "xen_kexec_range"}
# physdev.h and platform.h in full: unsigned long, native guest handles,
# xen_pfn_t and plain uint64_t members, as in Xen.
X86_DIFFER |= set("""physdev_apic physdev_op physdev_op.u physdev_pci_mmcfg_reserved
physdev_pirq_eoi_gmfn physdev_set_iobitmap xen_pct_register xen_platform_op
xen_platform_op.u xen_power_register xen_processor_cx xen_processor_performance
xen_processor_power xen_processor_px xen_psd_package xenpf_add_memtype xenpf_change_freq
xenpf_efi_info xenpf_efi_info.apple_properties xenpf_efi_info.cfg xenpf_efi_info.mem
xenpf_efi_info.pci_rom xenpf_efi_info.vendor xenpf_efi_runtime_call
xenpf_efi_runtime_call.u xenpf_efi_runtime_call.u.get_next_variable_name
xenpf_efi_runtime_call.u.get_variable xenpf_efi_runtime_call.u.query_capsule_capabilities
xenpf_efi_runtime_call.u.query_variable_info xenpf_efi_runtime_call.u.update_capsule
xenpf_firmware_info xenpf_firmware_info.u xenpf_firmware_info.u.disk_info
xenpf_firmware_info.u.vbeddc_info xenpf_getidletime xenpf_mem_hotadd
xenpf_microcode_update xenpf_read_memtype xenpf_resource_entry xenpf_resource_op
xenpf_set_processor_pminfo xenpf_set_processor_pminfo.u xenpf_settime32 xenpf_settime64
xenpf_symdata""".split())
# physdev_apic's unsigned long apic_physbase, 4 bytes on arm32 and 8 on arm64.
ARM_DIFFER |= {"physdev_apic", "physdev_op.u"}
# The x86 save records, xen-mca.h, pmu.h, vm_event.h, callback.h and the
# display, sound and camera protocols: plain uint64_t (4-aligned on x86_32),
# unsigned long and native handles, as in Xen (lint-vs-compilers checks
# these are the compilers' differences on Xen's headers).
X86_DIFFER |= set("""dom0_memory_map_entry dom0_msr callback_register hvm_hw_cpu hvm_hw_cpu_compat hvm_hw_cpu_xsave hvm_hw_cpu_xsave.save_area
hvm_hw_cpu_xsave_hdr hvm_hw_hpet hvm_hw_hpet.timers hvm_hw_isa_irqs
hvm_hw_isa_irqs.(anonymous) hvm_hw_lapic hvm_hw_mtrr hvm_hw_pci_irqs
hvm_hw_pci_irqs.(anonymous) hvm_hw_rtc hvm_hw_vioapic hvm_msr hvm_one_msr hvm_save_header
hvm_tsc_adjust hvm_viridian_domain_context hvm_viridian_vcpu_context mc_info mcinfo_bank
mcinfo_extended mcinfo_global mcinfo_logical_cpu mcinfo_msr mcinfo_recovery xen_mc.u xen_mc_msrinject
mcinfo_recovery.action_info page_offline_action vioapic_redir_entry vm_event_debug
vm_event_desc_access vm_event_desc_access.arch vm_event_desc_access.arch.vmx
vm_event_interrupt_x86 vm_event_mem_access vm_event_mov_to_msr vm_event_paging
vm_event_regs_arm vm_event_regs_x86 vm_event_sharing vm_event_singlestep vm_event_st
vm_event_st.data vm_event_st.data.regs vm_event_st.u vm_event_st.u.interrupt vm_event_vmexit
vm_event_vmexit.arch vm_event_vmexit.arch.vmx vm_event_write_ctrlreg xen_mc_fetch
xen_mc_physcpuinfo xen_pmu_amd_ctxt xen_pmu_arch xen_pmu_arch.c xen_pmu_arch.l
xen_pmu_arch.r xen_pmu_cntr_pair xen_pmu_data xen_pmu_intel_ctxt xen_pmu_params xen_pmu_regs
xencamera_ctrl_enum_resp xencamera_ctrl_value xencamera_evt xencamera_evt.evt xencamera_req
xencamera_req.req xencamera_resp xencamera_resp.resp xendispl_dbuf_create_req
xendispl_dbuf_destroy_req xendispl_evt xendispl_evt.op xendispl_fb_attach_req
xendispl_fb_detach_req xendispl_page_flip_req xendispl_pg_flip_evt xendispl_req
xendispl_req.op xendispl_set_config_req xensnd_cur_pos_evt xensnd_evt xensnd_evt.op
xensnd_query_hw_param xensnd_req xensnd_req.op xensnd_resp xensnd_resp.resp""".split())
# Those that break the 32/64 invariance domctl and sysctl are designed for
# (audit_p2m and psr_alloc: plain uint64_t, 4-aligned on x86_32).
INVARIANT_BREAKERS = {"xen_domctl_cacheflush", "xen_domctl.u",
                      "xen_domctl_audit_p2m", "xen_domctl_psr_alloc",
                      "xen_sysctl_page_offline_op", "xen_sysctl.u",
                      # 4-aligned plain uint64_t on x86_32; the hypervisor's pointers
                      "xen_sysctl_meminfo", "xen_sysctl_psr_cmt_op", "xen_sysctl_psr_cmt_op.u",
                      "livepatch_func"}

# Differences between clang's record layouts of the generated headers and of
# Xen's that the spec language cannot avoid (docs/xen-abi.md, "Gaps").
# (record, member path) -> (Xen's type, generated type); None: not described.
RECORD_GAPS = {
}
# Xen's blkif.h makes these overridable macros, not typedefs.
MACRO_TYPES = {"blkif_vdev_t": "uint16_t", "blkif_sector_t": "uint64_t"}
# Records whose union u holds sub-ops the specs do not describe.
ENVELOPES = {"xen_domctl", "xen_sysctl"}

_lock = threading.Lock()
_state = {}


def say(line):
    """One line of the suite's findings on stdout (the runner shows it)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def needs(nm=False):
    n = [Need("libxen-dev", probe=lambda: os.path.exists(os.path.join(XEN, "domctl.h"))),
         Need("clang", command="clang"), Need("clang++", command="clang++")]
    if nm:
        n.append(Need("binutils", command="nm"))
    return n


def specs(ctx):
    return os.path.join(ctx.root, "specs", "xen")


def shared(ctx):
    """Everything the tests share, made once per run: generated headers,
    layout assertions (own and against Xen's), the engine's layouts, the
    lint's output."""
    with _lock:
        st = _state.get(ctx.tmp)
        if st is not None:
            return st
        st = {}
        base = ctx.mkdtemp("xen-abi")
        st["gen"] = generate(ctx, specs(ctx), os.path.join(base, "gen"))
        generate(ctx, specs(ctx), st["gen"], lang="c-layout")
        against = []
        for h in ORIGINALS:
            against += ["--against-header", os.path.join(XEN, h)]
        st["against"] = generate(ctx, specs(ctx), os.path.join(base, "against"), *against,
                                 lang="c-layout")
        status, out, err = ctx.xbg("layout", "-i", specs(ctx), "--format", "json")
        assert status == 0, err
        st["layout"] = json.loads(out)["types"]
        status, out, err = ctx.xbg("validate", "-i", specs(ctx))
        assert status == 0, "validate failed (%d):\n%s" % (status, err[-4000:])
        st["validate"] = err
        st["base"] = base
        _state[ctx.tmp] = st
        return st


def run_ok(ctx, cmd, what, input=None):
    status, out, err = ctx.run(cmd, input=input)
    if status != 0:
        raise AssertionError("%s failed: %s\n%s" % (what, " ".join(cmd), err[-6000:]))
    return out, err


def originals_src():
    return "#include <stdint.h>\n" + STRING_DECL + "".join("#include <xen/%s>\n" % h for h in ORIGINALS)


# Left out of this suite (not in ORIGINALS): io/libxenvchan.h includes the
# host's <sys/types.h>, which cannot be cross-compiled freestanding, and has
# no include guard; Xen's arch-arm/smccc.h includes "public/xen.h", which
# only Xen's own build resolves (it has constants only, no records).
# dom0_ops.h, as Xen's, refuses the latest interface version, which the
# suite compiles.  compare/specs-xen proves them drop-ins, consumers
# compile the first.
# Their headers, and their records.
LEFT_OUT = ("io/libxenvchan.h", "io/libxenvchan_layout.h", "arch-arm/smccc.h",
            "arch-arm/smccc_layout.h", "dom0_ops.h", "dom0_ops_layout.h")
LEFT_OUT_RECORDS = {"ring_shared", "vchan_interface"}
# sysctl.h's hypervisor-only records (its #ifdef __XEN__ part): this suite
# compiles a toolstack's build, -D__XEN_TOOLS__, which does not have them.
LEFT_OUT_RECORDS |= {"livepatch_expectation", "livepatch_func"}
# dom0_ops.h's (the header is left out, above).
LEFT_OUT_RECORDS |= {"dom0_msr", "dom0_memory_map_entry"}
# Inline records that are the elements of an array member: offsetof cannot
# name their members by a path through the array.
ARRAY_ELEMENTS = {"xen_sysctl_arinc653_schedule.sched_entries", "hvm_hw_hpet.timers"}


def generated_src(ctx, gen, family, layout=True, guest=False):
    """The generated headers for a family, in one unit; for a guest build
    (guest) without those that refuse guests (domctl.h, as Xen's)."""
    src = c_prelude(ctx, gen) + STRING_DECL
    for h in for_target(headers(gen), family):
        if h.endswith(LEFT_OUT) or (guest and tools_only(h)):
            continue
        if layout or not h.endswith("_layout.h"):
            src += '#include "%s"\n' % h
    return src


def layout_files(d, family):
    return [h for h in for_target(headers(d), family)
            if h.endswith("_layout.h") and not h.endswith(LEFT_OUT)]


MSG = re.compile(r'_Static_assert\s*\(.*?,\s*"([^"]*)"\s*\)', re.S)


# Xen's pvcalls.h defines structs inside another, which C++ (unlike C)
# scopes to the enclosing one (xen_pvcalls_request::xen_pvcalls_socket):
# its layout file names them as they are outside, so it compiles in C only
# against Xen's headers.  Those declared in a member by c.declare
# (gnttab_copy_ptr, xen_add_to_physmap_batch_extra, hvm_hw_pit_channel)
# are named through the member instead and compile in C++ too.
CXX_NESTED = {"pvcalls_layout.h": "xen_pvcalls_socket and the other commands' arguments, "
                                  "in xen_pvcalls_request"}


def verified(ctx, src, triple, flags, cxx_src=None):
    """Compile src for a target, in C and in C++17 (which alone can see
    bitfield widths; cxx_src if C++ needs other files), then count what its
    static assertions checked there: (types, members, constants) after the
    preprocessor's choices; a member counts once its offset or width, its
    size and its C type are checked."""
    d = ctx.mkdtemp("tu")
    path = os.path.join(d, "tu.c")
    with open(path, "w") as f:
        f.write(src)
    base = ["clang", "--target=" + triple] + CFLAGS + flags
    run_ok(ctx, base + ["-fsyntax-only", path], "compiling for " + triple)
    cxx = os.path.join(d, "tu.cc")
    with open(cxx, "w") as f:
        f.write(src if cxx_src is None else cxx_src)
    run_ok(ctx, ["clang++", "--target=" + triple, "-std=gnu++17"] + CFLAGS + flags +
           ["-fsyntax-only", cxx], "compiling C++17 for " + triple)
    out, _ = run_ok(ctx, base + ["-E", path], "preprocessing for " + triple)
    types, consts, checks = set(), set(), {}
    for msg in MSG.findall(out):
        m = re.match(r"([\w.\[\]]+): (\w+) is not ", msg)
        if not m:
            continue
        if m.group(2) == "size" and "." not in m.group(1):
            types.add(m.group(1))
        elif m.group(2) in ("value", "bit_number"):
            consts.add(msg)
        elif "." in m.group(1):
            checks.setdefault(m.group(1), set()).add(m.group(2))
    members = {n for n, what in checks.items()
               if "type" in what and ("width" in what or {"offset", "size"} <= what)}
    return types, members, consts


# ---- op numbers ---------------------------------------------------------------

OP = re.compile(r"/\* The \w+ sub-op that takes struct \w+\. \*/\n#define (\w+) (\d+)\n")


def op_numbers(gen):
    ops = {}
    for h in headers(gen):
        with open(h) as f:
            for name, value in OP.findall(f.read()):
                ops[name] = int(value)
    return ops


def op_probe(ops):
    return "".join('_Static_assert(%s == %d, "%s: value is not %d on any");\n'
                   % (n, v, n, v) for n, v in sorted(ops.items()))


# ---- the tests -----------------------------------------------------------------

def test_corpus(ctx):
    def fn():
        st = shared(ctx)
        described = {}
        for t in st["layout"]:
            described.setdefault(t["name"], set()).add(t["unit"])
        missing = [n for n in CORPUS if n not in described]
        assert not missing, "corpus types not described: %s" % " ".join(missing)
        assert len(set(CORPUS)) == 43, len(set(CORPUS))
        assert described["xen_arch_domainconfig"] == {"arch-x86", "arch-arm"}, \
            described["xen_arch_domainconfig"]
        units = {t["unit"] for t in st["layout"]}
        for u in ("xen", "event_channel", "grant_table", "memory", "vcpu", "sched", "physdev",
                  "domctl", "sysctl", "platform", "hvm/ioreq", "io/blkif", "arch-x86", "arch-arm"):
            assert u in units, "no unit %s" % u
    return fn


def test_against(ctx, tname, triple, family):
    def fn():
        st = shared(ctx)
        ops = op_numbers(st["gen"])
        src = cxx = originals_src()
        for h in layout_files(st["against"], family):
            src += '#include "%s"\n' % h
            if not any(h.endswith("/" + k) for k in CXX_NESTED):
                cxx += '#include "%s"\n' % h
        src += op_probe(ops)
        types, members, consts = verified(ctx, src, triple, [], cxx)
        assert len(types) > 60 and len(members) > 300 and len(consts) > 300, (
            len(types), len(members), len(consts))
        say("xen-abi %s: %d types, %d members (offset or width, size and C type), %d "
            "constants verified against Xen's headers (%s)"
            % (tname, len(types), len(members), len(consts), XEN))
    return fn


DEFINE = re.compile(r"^#define (\w+)(\(?)", re.M)
ENUMERATOR = re.compile(r"^    (\w+) = -?\d+,$", re.M)
GUARD = re.compile(r"^#ifndef (\w+)\n#define \1\n", re.M)
ASSERTED = re.compile(r'XBG_STATIC_ASSERT\((\w+) == [^\n]*\n\s*"[^"]*: (?:value|bit_number) is not')


def macro_defs(text):
    """(name, definition without spaces) of each #define of a header's
    text, continuation lines joined."""
    text = re.sub(r"\\\n", " ", re.sub(r"/\*.*?\*/", " ", text, flags=re.S))
    return [(m.group(1), re.sub(r"\s+", "", m.group(0)))
            for m in re.finditer(r"^\s*#\s*define\s+(\w+)(.*)$", text, re.M)]


def xen_defs():
    """Every macro definition of Xen's headers, as macro_defs() gives it."""
    out = set()
    for h in headers(XEN):
        with open(h, errors="replace") as f:
            out.update(macro_defs(f.read()))
    return out


def test_api_coverage(ctx):
    """Every macro of the generated headers is checked against Xen's headers,
    or is a sub-op number (checked too); there is no generator extra."""
    def fn():
        st = shared(ctx)
        defined, in_dropin = {}, set()
        for h in headers(st["gen"]):
            if h.endswith("_layout.h"):
                continue
            # every name of a drop-in header is compared with Xen's by
            # compare/specs-xen (suites/compare.py): function-like macros and
            # the preprocessor's own names only there
            dropin = os.path.relpath(h, st["gen"]) in DROPIN
            with open(h) as f:
                text = f.read()
                # an include guard is no API
                guards = set(GUARD.findall(text))
                for name, paren in DEFINE.findall(text):
                    if paren and dropin:
                        continue
                    if dropin:
                        in_dropin.add(name)
                    if not name.startswith("__XEN_AUTOGEN_") and name not in guards:
                        defined[name] = bool(paren)
                for name in ENUMERATOR.findall(text):
                    defined[name] = False
        asserted = set()
        for h in headers(st["against"]):
            with open(h) as f:
                asserted.update(ASSERTED.findall(f.read()))
        ops = set(op_numbers(st["gen"]))
        # verbatim text of a header that is not a drop-in yet (the guest
        # handle machinery of arch-x86/xen.h): each definition is one of
        # Xen's headers, token for token
        xen, as_xen = xen_defs(), set()
        for h in headers(st["gen"]):
            if not h.endswith("_layout.h") and os.path.relpath(h, st["gen"]) not in DROPIN:
                with open(h) as f:
                    mine = macro_defs(f.read())
                for name in {n for n, _ in mine}:
                    if all((n, d) in xen for n, d in mine if n == name):
                        as_xen.add(name)
        # no generator extras: a name Xen lacks is there only if the spec
        # asks for it (c.accessors, which specs/xen does not use)
        unchecked = sorted(set(defined) - asserted - ops - in_dropin - as_xen)
        assert not unchecked, "macros of the generated headers that nothing checks " \
            "against Xen's headers: %s" % " ".join(unchecked)
        not_generated = sorted(asserted - set(defined))
        assert not not_generated, "asserted but not generated: %s" % " ".join(not_generated)
        say("xen-abi api: %d macros: %d checked values, %d sub-op numbers, %d as Xen defines "
            "them, no generator extras" % (len(defined), len(asserted), len(ops), len(as_xen)))
    return fn


def test_generated(ctx, tname, triple, family):
    def fn():
        st = shared(ctx)
        src = generated_src(ctx, st["gen"], family)
        strict = ["-Wall", "-Wextra", "-Werror"]
        types, members, consts = verified(ctx, src, triple, strict)
        # a guest build sees less (no tools-only content) but must compile
        guest = ["clang", "--target=" + triple, "-ffreestanding", "-fsyntax-only"] + strict
        path = os.path.join(ctx.mkdtemp("guest"), "guest.c")
        with open(path, "w") as f:
            f.write(generated_src(ctx, st["gen"], family, guest=True))
        run_ok(ctx, guest + [path], "compiling a guest build for " + triple)
        assert len(types) > 60 and len(members) > 300 and len(consts) > 300, (
            len(types), len(members), len(consts))
        say("xen-abi %s: generated headers: %d types, %d members, %d constants verified by "
            "their own layout assertions" % (tname, len(types), len(members), len(consts)))
    return fn


# ---- record layouts ---------------------------------------------------------------

def record_dumps(ctx, src, triple):
    """clang's layouts of every complete struct/union by tag: {(kind, tag):
    {member path: (offset, type)}, with "<size>" for sizeof/align}.  Nested
    records are expanded, guest handles are not (their internals are the
    header's business)."""
    out, _ = run_ok(ctx, ["clang", "--target=" + triple] + CFLAGS +
                    ["-fsyntax-only", "-Xclang", "-fdump-record-layouts", "-x", "c", "-"],
                    "dumping record layouts for " + triple, input=src.encode())
    recs = {}
    for block in out.split("*** Dumping AST Record Layout"):
        lines = [l for l in block.strip("\n").split("\n") if "|" in l]
        m = re.match(r"\s*0 \| (struct|union) (\w+)$", lines[0]) if lines else None
        if not m:
            continue
        rec, skip, stack = {}, None, []
        for line in lines[1:]:
            off, rest = line.split("|", 1)
            indent = len(rest) - len(rest.lstrip(" "))
            if rest.strip().startswith("[sizeof"):
                rec["<size>"] = rest.strip()
                continue
            if skip is not None and indent > skip:
                continue
            skip = None
            rest = re.sub(r"\((unnamed|anonymous)( struct| union)? at [^)]*\)", "(anon)", rest)
            rest = re.sub(r"\w+::\(anon\)", "(anon)", rest).replace("__guest_handle_64_",
                                                                     "__guest_handle_")
            if "__guest_handle_" in rest:
                skip = indent
            typ, _, name = rest.strip().rpartition(" ")
            stack = stack[:(indent - 3) // 2] + [name]
            rec[".".join(stack)] = (off.strip(), typ)
        recs[(m.group(1), m.group(2))] = rec
    return recs


def described_records(st, tname):
    return [(t["kind"], t["name"]) for t in st["layout"]
            if t["kind"] in ("struct", "union") and "." not in t["name"] and tname in t["targets"]
            and t["name"] not in LEFT_OUT_RECORDS]


def test_records(ctx, tname, triple, family):
    def fn():
        st = shared(ctx)
        recs = described_records(st, tname)
        use = "int xbg_use = 0%s;\n" % "".join(" + (int)sizeof(%s %s)" % r for r in recs)
        xen = record_dumps(ctx, originals_src() + use, triple)
        gen = record_dumps(ctx, generated_src(ctx, st["gen"], family, layout=False) + use, triple)
        typedefs = {}
        for h in headers(st["gen"]):
            with open(h) as f:
                for kind, tag, name in re.findall(r"typedef (struct|union) (\w+) (\w+);", f.read()):
                    typedefs[name] = "%s %s" % (kind, tag)

        def norm(typ):
            return re.sub(r"\b\w+_t\b", lambda m: typedefs.get(m.group(0), m.group(0)), typ)

        problems, gaps = [], 0
        for kind, name in recs:
            a, b = xen.get((kind, name)), gen.get((kind, name))
            if a is None or b is None:
                problems.append("%s %s: no layout in %s" % (kind, name, "Xen's headers"
                                                            if a is None else "generated"))
                continue
            if a.get("<size>") != b.get("<size>"):
                problems.append("%s %s: %s in Xen's headers, %s generated" % (
                    kind, name, a.get("<size>"), b.get("<size>")))
            for path in b:
                if path == "<size>":
                    continue
                off, typ = b[path]
                want = a.get(path)
                if want is not None and want[0] == off and norm(want[1]) == norm(typ):
                    continue
                gap = RECORD_GAPS.get((name, path))
                if want is not None and want[0] == off and (
                        gap == (want[1], typ) or MACRO_TYPES.get(typ.split("[")[0]) == want[1]):
                    gaps += 1
                    continue
                problems.append("%s %s.%s: %s in Xen's headers, %s generated" % (
                    kind, name, path, want, (off, typ)))
            for path in a:
                if path in b:
                    continue
                if name in ENVELOPES and path.startswith("u."):
                    continue  # sub-ops not described
                if (name, path) in RECORD_GAPS and RECORD_GAPS[(name, path)] is None:
                    gaps += 1
                    continue
                problems.append("%s %s.%s: in Xen's headers, not described" % (kind, name, path))
        # bitfields: the engine's bit positions are clang's
        for t in st["layout"]:
            lay = t["targets"].get(tname)
            if not lay or "." in t["name"] or t["name"] in LEFT_OUT_RECORDS:
                continue
            for f in lay.get("fields", []):
                if "bits" not in f:
                    continue
                start = f["offset"] * 8 + f["bit_offset"]
                off, _ = xen[(t["kind"], t["name"])].get(f["name"], ("absent", None))
                if ":" not in off:
                    problems.append("%s.%s: not a bitfield in Xen's headers"
                                    % (t["name"], f["name"]))
                    continue
                byte, bits = off.split(":")
                lo, hi = (int(x) for x in bits.split("-"))
                if (int(byte) * 8 + lo, int(byte) * 8 + hi) != (start, start + f["bits"] - 1):
                    problems.append("%s.%s: bits %s in Xen, engine says bit %d, %d wide"
                                    % (t["name"], f["name"], off, start, f["bits"]))
        assert not problems, "%s: generated headers differ from Xen's:\n%s" % (
            tname, "\n".join(problems))
        say("xen-abi %s: %d records as in Xen's headers, member by member (%d known gaps)"
            % (tname, len(recs), gaps))
    return fn


# ---- the 32/64 lint ---------------------------------------------------------------

LINT = re.compile(r"warning: layout of (?:struct|union) '([^']+)' differs between targets: "
                  r"(.*?)(; '[\w/-]+' is declared the same for 32- and "
                  r"64-bit callers \(\[abi\] invariant\))?(?: \(waived: .*\))?$", re.M)


def lint_findings(text):
    """{type: (groups, invariant)}: groups maps each target to its group."""
    found = {}
    for name, groups, inv in LINT.findall(text):
        group = found.setdefault(name, ({}, bool(inv)))[0]
        for k, part in enumerate(groups.split("; ")):
            m = re.match(r"size \d+, alignment \d+ on (.*)$", part)
            assert m, "unexpected lint message: %s" % part
            for t in m.group(1).split(", "):
                group[t] = "%d:%d" % (len(found), k)
    return found


def differing(found, a, b):
    return {n for n, (g, _) in found.items() if a in g and b in g and g[a] != g[b]}


def test_lint(ctx):
    def fn():
        found = lint_findings(shared(ctx)["validate"])
        for want, (a, b) in ((X86_DIFFER, ("x86_32", "x86_64")), (ARM_DIFFER, ("arm32", "arm64"))):
            got = differing(found, a, b)
            assert got == want, "lint: %s/%s differences: unexpected %s, missing %s" % (
                a, b, sorted(got - want), sorted(want - got))
        inv = {n for n, (_, i) in found.items() if i}
        assert inv == INVARIANT_BREAKERS, "invariance breakers: %s" % sorted(inv)
        say("xen-abi lint: %d types differ between x86_32 and x86_64, %d between arm32 and "
            "arm64; %s break domctl/sysctl's invariance" % (
                len(X86_DIFFER), len(ARM_DIFFER), ", ".join(sorted(INVARIANT_BREAKERS))))
    return fn


def probe_layouts(ctx, st, tname, triple):
    """Sizes, alignments, field offsets and sizes of every described struct and
    union (and inline member) in Xen's own headers, as the compiler computes
    them: each is the size of an array in an object file, read with nm."""
    kinds = {t["name"]: t["kind"] for t in st["layout"]}
    probes, lines = [], []

    def add(key, expr):
        lines.append("char xbg_p%d[(%s) + 1];\n" % (len(probes), expr))
        probes.append(key)

    for t in st["layout"]:
        lay = t["targets"].get(tname)
        if t["kind"] not in ("struct", "union") or not lay or "(anonymous)" in t["name"]:
            continue
        top, _, path = t["name"].partition(".")
        if top in LEFT_OUT_RECORDS or t["name"] in ARRAY_ELEMENTS:
            continue
        ctype = "%s %s" % (kinds[top], top)
        if path:
            obj = "((%s *)0)->%s" % (ctype, path)
            add((t["name"], "size"), "sizeof(%s)" % obj)
            add((t["name"], "align"), "_Alignof(__typeof__(%s))" % obj)
            base = "offsetof(%s, %s)" % (ctype, path)
        else:
            obj = "((%s *)0)" % ctype
            add((t["name"], "size"), "sizeof(%s)" % ctype)
            add((t["name"], "align"), "_Alignof(%s)" % ctype)
            base = "0"
        for f in lay["fields"]:
            if "bits" in f or f["name"] == "(anonymous)":
                continue
            member = (path + "." if path else "") + f["name"]
            add((t["name"], "offset", f["name"]), "offsetof(%s, %s) - %s" % (ctype, member, base))
            if not f["type"].endswith("[]"):
                add((t["name"], "fsize", f["name"]), "sizeof(%s->%s)" % (
                    obj if not path else "((%s *)0)" % ctype, member))
    d = ctx.mkdtemp("probe")
    src, obj = os.path.join(d, "probe.c"), os.path.join(d, "probe.o")
    with open(src, "w") as f:
        f.write(originals_src() + "#include <stddef.h>\n" + "".join(lines))
    run_ok(ctx, ["clang", "--target=" + triple] + CFLAGS + ["-c", "-o", obj, src],
           "probing Xen's headers for " + triple)
    out, _ = run_ok(ctx, ["nm", "-S", obj], "nm")
    real = {}
    for line in out.splitlines():
        m = re.match(r"[0-9a-f]+ ([0-9a-f]+) \w xbg_p(\d+)$", line)
        if m:
            real[probes[int(m.group(2))]] = int(m.group(1), 16) - 1
    assert len(real) == len(probes), "%d of %d probes read back" % (len(real), len(probes))
    return real


def test_lint_vs_compilers(ctx):
    def fn():
        st = shared(ctx)
        real, problems = {}, []
        for tname, triple, _ in TARGETS:
            real[tname] = probe_layouts(ctx, st, tname, triple)
            # the compiler's numbers are the engine's
            for t in st["layout"]:
                lay = t["targets"].get(tname)
                if not lay:
                    continue
                engine = {(t["name"], "size"): lay["size"], (t["name"], "align"): lay["align"]}
                for f in lay.get("fields", []):
                    engine[(t["name"], "offset", f["name"])] = f["offset"]
                    engine[(t["name"], "fsize", f["name"])] = f["size"]
                for key, value in engine.items():
                    if key in real[tname] and real[tname][key] != value:
                        problems.append("%s on %s: %s is %d in Xen's headers, %d in the "
                                        "engine" % (key[0], tname, " ".join(key[1:]),
                                                    real[tname][key], value))
        assert not problems, "\n".join(problems)
        found = lint_findings(st["validate"])

        def shape(tname, name):
            return sorted((k[1:], v) for k, v in real[tname].items() if k[0] == name)

        names = {k[0] for k in real["x86_64"]} | {k[0] for k in real["arm64"]}
        # what DEFINE_RING_TYPES declares for a ring item is Xen's macro's,
        # which the lint leaves alone (src/model/abi.c): its differences are
        # those of the request and response, which the lint reports
        made = set()
        for h in headers(st["gen"]):
            with open(h) as f:
                for ring in re.findall(r"^DEFINE_RING_TYPES\((\w+),", f.read(), re.M):
                    made |= {ring + s for s in ("_sring_entry", "_sring", "_front_ring",
                                                "_back_ring")}
        names = {n for n in names if n.partition(".")[0] not in made}
        for a, b in (("x86_32", "x86_64"), ("arm32", "arm64")):
            really = {n for n in names
                      if shape(a, n) and shape(b, n) and shape(a, n) != shape(b, n)}
            # (the probes cannot name an array's inline element type or an
            # anonymous member: their members count in the parent's)
            lint = {n for n in differing(found, a, b) - LEFT_OUT_RECORDS
                    if n not in ARRAY_ELEMENTS and "(anonymous)" not in n}
            assert really == lint, "%s/%s: the compilers see differences in %s that the lint " \
                "does not report, and the lint reports %s that the compilers do not see" % (
                    a, b, sorted(really - lint), sorted(lint - really))
        say("xen-abi lint-vs-compilers: %d probes of Xen's headers on 4 targets agree with "
            "the engine; the lint's difference sets are the compilers'"
            % sum(len(r) for r in real.values()))
    return fn


# ---- specs that are wrong on purpose ----------------------------------------------

# tests/c/wrong-width/<case>: a copy of specs/xen items with one mistake that
# keeps every offset and size of the types Xen's; what the layout assertions
# against Xen's headers say, in C and in C++17, on each target ("{t}").
WRONG = {
    "u16-for-u32": (["evtchn_status.vcpu: size is not 2 on {t}",
                     "evtchn_status.vcpu: type is not uint16_t on {t}"], None),
    "u8-array-length": (["evtchn_init_control._pad: size is not 6 on {t}",
                         "evtchn_init_control._pad: type is not uint8_t[6] on {t}"], None),
    "signed-unsigned": (["vcpu_time_info.tsc_shift: type is not uint8_t on {t}"], None),
    # C has no way to see a bitfield's width: only C++17 does
    "bitfield-width": ([], ["ioreq.state: width is not 3 on {t}",
                            "ioreq._pad1: width is not 2 on {t}"]),
}


def test_wrong(ctx, case):
    def fn():
        in_c, in_cxx = WRONG[case]
        in_cxx = in_c if in_cxx is None else in_cxx
        against = []
        for h in ORIGINALS:
            against += ["--against-header", os.path.join(XEN, h)]
        out = generate(ctx, os.path.join(ctx.root, "tests", "c", "wrong-width", case),
                       ctx.mkdtemp("wrong"), *against, lang="c-layout")
        lays = [h for h in headers(out) if h.endswith("_layout.h")]
        assert len(lays) == 1, lays
        d = ctx.mkdtemp("wrong-tu")
        for tname, triple, _ in TARGETS:
            for cc, ext, std, want in (("clang", "c", "-std=gnu17", in_c),
                                       ("clang++", "cc", "-std=gnu++17", in_cxx)):
                path = os.path.join(d, "tu." + ext)
                with open(path, "w") as f:
                    f.write(originals_src() + '#include "%s"\n' % lays[0])
                st, _, err = ctx.run([cc, "--target=" + triple, std] + CFLAGS +
                                     ["-fsyntax-only", path])
                got = assertion_errors(err, lays[0])
                want = [w.format(t=tname) for w in want]
                assert sorted(got) == sorted(want) and (st != 0) == bool(want), (
                    "%s %s on %s: status %d, assertions failed: %s, expected: %s\n%s"
                    % (case, cc, tname, st, got, want, err[-3000:]))
        say("xen-abi wrong-width/%s: fails on x86_32, x86_64, arm32 and arm64 naming %s"
            % (case, ", ".join(sorted({w.split(":")[0] for w in in_c + in_cxx}))))
    return fn


def collect(ctx):
    tests = [Test("xen-abi/corpus", test_corpus(ctx), needs()),
             Test("xen-abi/api-coverage", test_api_coverage(ctx), needs())]
    for tname, triple, family in TARGETS:
        tests.append(Test("xen-abi/against-header/" + tname,
                          test_against(ctx, tname, triple, family), needs()))
        tests.append(Test("xen-abi/generated/" + tname,
                          test_generated(ctx, tname, triple, family), needs()))
        tests.append(Test("xen-abi/records/" + tname,
                          test_records(ctx, tname, triple, family), needs()))
    for case in WRONG:
        tests.append(Test("xen-abi/wrong-width/" + case, test_wrong(ctx, case), needs()))
    tests += [Test("xen-abi/lint", test_lint(ctx), needs()),
              Test("xen-abi/lint-vs-compilers", test_lint_vs_compilers(ctx), needs(nm=True))]
    return tests
