//! The naming rules of the default, C names (docs/rust.md), on the crate
//! of tests/rust/specs/naming: every name as the C header spells it, but
//! keywords.  Copied into the generated crate's tests/ directory by
//! tests/suites/rust.py: if a name changes, this stops compiling.

use xen_abi::naming::{r#match, self_, xen_domctl_altp2m_mode, xen_names};

#[test]
fn keywords_and_c_names() {
    let mut n = xen_names::default();
    n.r#type = 1; // keyword: raw identifier
    n.self_ = 2; // self, Self, super, crate: trailing underscore
    n.r#match = 3;
    n.crate_ = 4;
    n.super_ = 5;
    n.r#fn = 6;
    n.rsvd0_a = [7, 8];
    // variants: their C macros
    n.altp2m_mode = xen_domctl_altp2m_mode::XEN_DOMCTL_ALTP2M_MODE_FOOBAR;
    n.fooBar = 9; // as in C: no snake_case
    n.a__b = 11; // as in C: no squeezed underscores
    assert_eq!(n.r#type + n.self_ + n.r#match, 6);
    assert_eq!(n.crate_ + n.super_ + n.r#fn, 15);
    assert_eq!(n.rsvd0_a[1] + n.fooBar, 17);
    assert_eq!(n.a__b, 11); // _pad is private (padding)
    assert_eq!(xen_domctl_altp2m_mode::XEN_DOMCTL_ALTP2M_MODE_SELF.0, 2);
    assert_eq!(
        format!("{:?}", xen_domctl_altp2m_mode::XEN_DOMCTL_ALTP2M_MODE_MIXED),
        "xen_domctl_altp2m_mode::XEN_DOMCTL_ALTP2M_MODE_MIXED"
    );
    let debug = format!("{:?}", n);
    assert!(
        debug.starts_with("xen_names { type: 1, self_: 2, match: 3,"),
        "{}",
        debug
    );
}

#[test]
fn type_names() {
    let s = self_ { x: 1 }; // struct self
    let m = r#match { x: 2 }; // struct match
    assert_eq!(s.x + m.x, 3);
}

#[test]
fn module_names() {
    // modules are named as with Rust names
    let t = xen_abi::r#type::in_type_unit::default();
    let r = xen_abi::io::blkif::blkif_req {
        thing: xen_abi::io::io_thing { x: 1 },
    };
    let ring = xen_abi::io_x::ring::ring_thing::default();
    let c = xen_abi::core_::core_thing::default();
    let m = xen_abi::mod_::mod_thing::default();
    let s = xen_abi::self_::self_thing::default();
    let a = xen_abi::arch_::arch_thing::default();
    assert_eq!(t.x + r.thing.x + ring.x + c.x + m.x + s.x + a.x, 1);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn arch_alias() {
    let a: xen_abi::arch::arch_stuff = xen_abi::arch_x86::arch_stuff { x86: 5 };
    let mut n = xen_names::default(); // _pad is private
    n.arch = a;
    assert_eq!(n.arch.x86, 5);
}
