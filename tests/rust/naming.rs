//! The documented naming rules (docs/rust.md), on the crate of
//! tests/rust/specs/naming.  Copied into the generated crate's tests/
//! directory by tests/suites/rust.py: if a name changes, this stops
//! compiling.

use xen_abi::naming::{Match, Self_, XenDomctlAltp2mMode, XenNames};

#[test]
fn keywords_and_case() {
    let mut n = XenNames::default();
    n.r#type = 1; // keyword: raw identifier
    n.self_ = 2; // self, Self, super, crate: trailing underscore
    n.r#match = 3;
    n.crate_ = 4;
    n.super_ = 5;
    n.r#fn = 6;
    n.rsvd0_a = [7, 8]; // digits do not start a word
    n.altp2m_mode = XenDomctlAltp2mMode::FOO_BAR; // fooBar
    n.foo_bar = 9; // fooBar
    n.a_b = 11; // a__b
    assert_eq!(n.r#type + n.self_ + n.r#match, 6);
    assert_eq!(n.crate_ + n.super_ + n.r#fn, 15);
    assert_eq!(n.rsvd0_a[1] + n.foo_bar, 17);
    assert_eq!(n.a_b, 11); // _pad is private (padding)
    assert_eq!(XenDomctlAltp2mMode::SELF.0, 2);
    assert_eq!(
        format!("{:?}", XenDomctlAltp2mMode::MIXED),
        "XenDomctlAltp2mMode::MIXED"
    );
    let debug = format!("{:?}", n);
    assert!(
        debug.starts_with("XenNames { type: 1, self_: 2, match: 3,"),
        "{}",
        debug
    );
}

#[test]
fn type_names() {
    let s = Self_ { x: 1 }; // struct self
    let m = Match { x: 2 }; // struct match
    assert_eq!(s.x + m.x, 3);
}

#[test]
fn module_names() {
    // r#type: a keyword; io and io::blkif: nested; io_x: a directory only
    let t = xen_abi::r#type::InTypeUnit::default();
    let r = xen_abi::io::blkif::BlkifReq {
        thing: xen_abi::io::IoThing { x: 1 },
    };
    let ring = xen_abi::io_x::ring::RingThing::default();
    // core, mod, self and arch are taken: trailing underscore
    let c = xen_abi::core_::CoreThing::default();
    let m = xen_abi::mod_::ModThing::default();
    let s = xen_abi::self_::SelfThing::default();
    let a = xen_abi::arch_::ArchThing::default();
    assert_eq!(t.x + r.thing.x + ring.x + c.x + m.x + s.x + a.x, 1);
    let n = XenNames::default();
    assert_eq!(n.in_type, t);
    assert_eq!(n.req.thing.x, 0);
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn arch_alias() {
    let a: xen_abi::arch::ArchStuff = xen_abi::arch_x86::ArchStuff { x86: 5 };
    let mut n = XenNames::default(); // _pad is private
    n.arch = a;
    assert_eq!(n.arch.x86, 5);
}
