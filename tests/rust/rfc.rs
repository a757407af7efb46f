//! The crate of the RFC's specs (../shared/xenbindgen-rfc/specs): the
//! defects the RFC's Rust output had are gone.  Copied into the generated
//! crate's tests/ directory by tests/suites/rust.py.

use std::mem::{align_of, size_of};
use xen_abi::domctl::{XenDomctlAltp2mMode, XenDomctlCdf, XenDomctlCreatedomain};
use xen_abi::sysctl::XenSysctlReadconsole;
use xen_abi::GuestHandle64;

fn bytes_of<T>(v: &T) -> &[u8] {
    // SAFETY: the generated types have no padding, every byte is initialised.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }
}

#[test]
fn handle_not_align64_pointer() {
    // The RFC used Align64<*mut u8>: 4 bytes of padding on 32-bit targets.
    let mut buf = [0u8; 64];
    let mut rc = XenSysctlReadconsole::default();
    assert!(rc.buffer.is_null());
    rc.buffer = GuestHandle64::from_ptr(buf.as_mut_ptr());
    rc.count = buf.len() as u32;
    assert_eq!(rc.buffer.as_ptr(), buf.as_mut_ptr());
    assert_eq!(rc.buffer.addr(), buf.as_ptr() as usize as u64);
    assert_eq!(size_of::<GuestHandle64<u8>>(), 8);
    assert_eq!(align_of::<GuestHandle64<u8>>(), 8);
    assert_eq!(size_of::<XenSysctlReadconsole>(), 24);
    assert_eq!(std::mem::offset_of!(XenSysctlReadconsole, buffer), 8);
    assert_eq!(&bytes_of(&rc)[8..16], &rc.buffer.addr().to_ne_bytes());
    rc.buffer = GuestHandle64::null();
    assert_eq!(&bytes_of(&rc)[8..16], &[0; 8]);
}

#[test]
fn open_enum_not_rust_enum() {
    // The RFC used a Rust enum: a value it does not list was UB.
    let mut cd = XenDomctlCreatedomain::default();
    assert_eq!(cd.altp2m_mode, 0);
    let unknown = XenDomctlAltp2mMode(7);
    assert_eq!(format!("{:?}", unknown), "XenDomctlAltp2mMode(7)");
    assert_eq!(
        format!("{:?}", XenDomctlAltp2mMode::LIMITED),
        "XenDomctlAltp2mMode::LIMITED"
    );
    cd.altp2m_mode = XenDomctlAltp2mMode::EXTERNAL.0;
    assert_eq!(
        XenDomctlAltp2mMode(cd.altp2m_mode),
        XenDomctlAltp2mMode::EXTERNAL
    );
    assert_eq!(
        XenDomctlAltp2mMode::default(),
        XenDomctlAltp2mMode::DISABLED
    );
}

#[test]
fn bitmap_without_bitflags() {
    assert_eq!(XenDomctlCdf::from_bits(1 << 8), None);
    assert_eq!(
        XenDomctlCdf::from_bits(0x3),
        Some(XenDomctlCdf::HVM | XenDomctlCdf::HAP)
    );
    assert_eq!(!XenDomctlCdf::HVM, XenDomctlCdf::from_bits_truncate(0xfe));
    assert_eq!((!XenDomctlCdf::HVM).bits(), 0xfe);
    assert_eq!(
        format!("{:?}", XenDomctlCdf::HVM | XenDomctlCdf::IOMMU),
        "XenDomctlCdf(HVM | IOMMU)"
    );
    assert_eq!(
        format!("{:?}", XenDomctlCdf::from_bits_retain(0x301)),
        "XenDomctlCdf(HVM | 0x300)"
    );
}

#[test]
fn names_keep_digits() {
    // The RFC's converter made rsvd_0_a and altp_2_m_mode.
    let cd = XenDomctlCreatedomain::default();
    assert_eq!(cd.rsvd0_a, [0; 3]);
    assert_eq!(cd.altp2m_mode, 0);
    let rc = XenSysctlReadconsole::default();
    assert_eq!(rc.rsvd0_a, 0); // _pad is private
}

#[test]
fn default_is_all_zero_bytes() {
    let cd = XenDomctlCreatedomain::default();
    assert!(bytes_of(&cd).iter().all(|&b| b == 0));
    let rc = XenSysctlReadconsole::default();
    assert!(bytes_of(&rc).iter().all(|&b| b == 0));
}
