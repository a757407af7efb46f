// The drop-in constructs in Rust (tests/c/specs/dropin): verbatim Rust
// text in place, variants and bits under conditions as the crate's
// configuration (a tools build at the latest interface version) sees them.

use xen_abi::xen::{xen_test_flags, xen_test_mode};

#[test]
fn verbatim_text_is_there() {
    assert_eq!(xen_abi::xen::xen_test_next(1), 2);
}

#[test]
fn variants_of_the_configuration() {
    // tools: present; until 4.6 and defined(...): left out
    assert_eq!(xen_test_mode::XEN_TEST_MODE_tools.0, 1);
    assert_eq!(
        xen_test_mode::XEN_TEST_MODE_tools.name(),
        Some("XEN_TEST_MODE_tools")
    );
    assert_eq!(xen_test_mode(2).name(), None);
    assert_eq!(xen_test_mode(3).name(), None);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn variant_of_one_architecture() {
    assert_eq!(xen_test_mode::XEN_TEST_MODE_x86.0, 4);
}

#[test]
fn bits_of_the_configuration() {
    assert_eq!(xen_test_flags::XEN_TEST_F_hv.0, 2);
    assert_eq!(xen_test_flags::XEN_TEST_F_kind_mask.0, 0x70);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn architecture_specific_unit() {
    let m = xen_abi::arch_x86::xen_mca::mcinfo_common::default();
    assert_eq!(m.size, 0);
}
