//! The crate of our specs (specs/xen), on the host (x86).  Copied into the
//! generated crate's tests/ directory by tests/suites/rust.py; the
//! cross-language test checks every field against C.  Only facts of the
//! ABI that do not change as the specs grow are used here.

use std::mem::{align_of, size_of};
use xen_sys::domctl::{XenDomctlCdf, XenDomctlCreatedomain, XenDomctlIommu};
use xen_sys::sysctl::XenSysctlReadconsole;
use xen_sys::{GuestHandle64, IsDomctl, IsSysctl};

fn bytes_of<T>(v: &T) -> &[u8] {
    // SAFETY: these structs have no padding, every byte is initialised.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }
}

#[test]
fn layouts() {
    // Xen 4.17 on x86_64
    assert_eq!(size_of::<XenDomctlCreatedomain>(), 64);
    assert_eq!(align_of::<XenDomctlCreatedomain>(), 4);
    assert_eq!(size_of::<XenSysctlReadconsole>(), 24);
    assert_eq!(align_of::<XenSysctlReadconsole>(), 8);
    assert_eq!(std::mem::offset_of!(XenSysctlReadconsole, buffer), 8);
}

#[test]
fn handles() {
    let mut text = [0 as std::ffi::c_char; 128];
    let mut rc = XenSysctlReadconsole {
        buffer: GuestHandle64::from_ptr(text.as_mut_ptr()),
        count: text.len() as u32,
        ..Default::default()
    };
    assert_eq!(rc.buffer.as_ptr(), text.as_mut_ptr());
    assert_eq!(&bytes_of(&rc)[8..16], &rc.buffer.addr().to_ne_bytes());
    rc.buffer = GuestHandle64::null();
    assert!(rc.buffer.is_null());
    assert_eq!(format!("{:?}", rc.buffer), "GuestHandle64(0x0)");
}

#[test]
fn bitmaps() {
    let mut cd = XenDomctlCreatedomain::default();
    cd.flags = XenDomctlCdf::HVM | XenDomctlCdf::HAP;
    cd.iommu_opts.insert(XenDomctlIommu::NO_SHAREPT);
    assert_eq!(cd.flags.bits(), 3);
    assert_eq!(XenDomctlCdf::from_bits(1 << 31), None);
    assert_eq!(!XenDomctlCdf::HVM, XenDomctlCdf::ALL ^ XenDomctlCdf::HVM);
    assert_eq!((!XenDomctlCdf::HVM).bits() & !XenDomctlCdf::ALL.bits(), 0);
    assert_eq!(format!("{:?}", cd.flags), "XenDomctlCdf(HVM | HAP)");
    assert_eq!(format!("{:?}", cd.iommu_opts), "XenDomctlIommu(NO_SHAREPT)");
    assert_eq!(
        format!("{:?}", XenDomctlCdf::from_bits_retain(1 << 31)),
        "XenDomctlCdf(0x80000000)"
    );
    assert_eq!(size_of::<XenDomctlCdf>(), 4);
}

fn domctl<T: IsDomctl>(_: &mut T) -> u32 {
    T::CMD
}

fn sysctl<T: IsSysctl>(_: &mut T) -> u32 {
    T::CMD
}

#[test]
fn marker_traits() {
    assert_eq!(domctl(&mut XenDomctlCreatedomain::default()), 1);
    assert_eq!(sysctl(&mut XenSysctlReadconsole::default()), 1);
}

#[test]
fn default_is_all_zero_bytes() {
    let cd = XenDomctlCreatedomain::default();
    assert!(bytes_of(&cd).iter().all(|&b| b == 0));
    let rc = XenSysctlReadconsole::default();
    assert!(bytes_of(&rc).iter().all(|&b| b == 0));
}
