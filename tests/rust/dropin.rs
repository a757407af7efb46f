// The drop-in constructs in Rust (tests/c/specs/dropin): verbatim Rust
// text in place, variants and bits under conditions as the crate's
// configuration (a tools build at the latest interface version) sees them.

use xen_sys::xen::{XenTestFlags, XenTestMode};

#[test]
fn verbatim_text_is_there() {
    assert_eq!(xen_sys::xen::xen_test_next(1), 2);
}

#[test]
fn variants_of_the_configuration() {
    // tools: present; until 4.6 and defined(...): left out
    assert_eq!(XenTestMode::TOOLS.0, 1);
    assert_eq!(XenTestMode::TOOLS.name(), Some("TOOLS"));
    assert_eq!(XenTestMode(2).name(), None);
    assert_eq!(XenTestMode(3).name(), None);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn variant_of_one_architecture() {
    assert_eq!(XenTestMode::X86.0, 4);
}

#[test]
fn bits_of_the_configuration() {
    assert_eq!(XenTestFlags::HV.0, 2);
    assert_eq!(XenTestFlags::KIND.0, 0x70);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn architecture_specific_unit() {
    let m = xen_sys::arch_x86::xen_mca::McinfoCommon::default();
    assert_eq!(m.size, 0);
}
