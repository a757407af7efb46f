//! The crate of our specs (specs/xen), on the host (x86).  Copied into the
//! generated crate's tests/ directory by tests/suites/rust.py; the
//! cross-language test checks every field against C.  Only facts of the
//! ABI that do not change as the specs grow are used here.  The crate has
//! the C names (the default, --rust-names c).

use std::mem::{align_of, size_of};
use xen_abi::domctl::{
    xen_domctl, xen_domctl_cdf, xen_domctl_createdomain, xen_domctl_iommu,
    XEN_DOMCTL_INTERFACE_VERSION,
};
use xen_abi::sysctl::{xen_sysctl, xen_sysctl_readconsole, XEN_SYSCTL_INTERFACE_VERSION};
use xen_abi::{GuestHandle64, IsDomctl, IsSysctl};

fn bytes_of<T>(v: &T) -> &[u8] {
    // SAFETY: these structs have no padding, every byte is initialised.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }
}

#[test]
fn layouts() {
    // Xen 4.17 on x86_64
    assert_eq!(size_of::<xen_domctl_createdomain>(), 64);
    assert_eq!(align_of::<xen_domctl_createdomain>(), 4);
    assert_eq!(size_of::<xen_sysctl_readconsole>(), 24);
    assert_eq!(align_of::<xen_sysctl_readconsole>(), 8);
    assert_eq!(std::mem::offset_of!(xen_sysctl_readconsole, buffer), 8);
}

#[test]
fn handles() {
    let mut text = [0 as std::ffi::c_char; 128];
    // pad0 and pad1 are private: a value comes from Default
    let mut rc = xen_sysctl_readconsole::default();
    rc.buffer = GuestHandle64::from_ptr(text.as_mut_ptr());
    rc.count = text.len() as u32;
    assert_eq!(rc.buffer.as_ptr(), text.as_mut_ptr());
    assert_eq!(&bytes_of(&rc)[8..16], &rc.buffer.addr().to_ne_bytes());
    rc.buffer = GuestHandle64::null();
    assert!(rc.buffer.is_null());
    assert_eq!(format!("{:?}", rc.buffer), "GuestHandle64(0x0)");
}

#[test]
fn bitmaps() {
    let mut cd = xen_domctl_createdomain::default();
    cd.flags = xen_domctl_cdf::XEN_DOMCTL_CDF_hvm | xen_domctl_cdf::XEN_DOMCTL_CDF_hap;
    cd.iommu_opts
        .insert(xen_domctl_iommu::XEN_DOMCTL_IOMMU_no_sharept);
    assert_eq!(cd.flags.bits(), 3);
    assert_eq!(xen_domctl_cdf::from_bits(1 << 31), None);
    assert_eq!(
        !xen_domctl_cdf::XEN_DOMCTL_CDF_hvm,
        xen_domctl_cdf::ALL ^ xen_domctl_cdf::XEN_DOMCTL_CDF_hvm
    );
    assert_eq!(
        (!xen_domctl_cdf::XEN_DOMCTL_CDF_hvm).bits() & !xen_domctl_cdf::ALL.bits(),
        0
    );
    assert_eq!(
        format!("{:?}", cd.flags),
        "xen_domctl_cdf(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)"
    );
    assert_eq!(
        format!("{:?}", cd.iommu_opts),
        "xen_domctl_iommu(XEN_DOMCTL_IOMMU_no_sharept)"
    );
    assert_eq!(
        format!("{:?}", xen_domctl_cdf::from_bits_retain(1 << 31)),
        "xen_domctl_cdf(0x80000000)"
    );
    assert_eq!(size_of::<xen_domctl_cdf>(), 4);
}

fn domctl<T: IsDomctl>(_: &mut T) -> u32 {
    T::CMD
}

fn sysctl<T: IsSysctl>(_: &mut T) -> u32 {
    T::CMD
}

#[test]
fn marker_traits() {
    assert_eq!(domctl(&mut xen_domctl_createdomain::default()), 1);
    assert_eq!(sysctl(&mut xen_sysctl_readconsole::default()), 1);
    assert_eq!(xen_domctl_createdomain::NAME, "XEN_DOMCTL_createdomain");
    assert_eq!(xen_sysctl_readconsole::NAME, "XEN_SYSCTL_readconsole");
    assert_eq!(
        <xen_domctl_createdomain as IsDomctl>::HYPERCALL,
        xen_abi::xen::xen_hypercall::__HYPERVISOR_domctl.0
    );
    assert_eq!(<xen_sysctl_readconsole as IsSysctl>::HYPERCALL, 35);
}

#[test]
fn envelopes() {
    let mut cd = xen_domctl_createdomain::default();
    cd.max_vcpus = 4;
    let mut d = xen_domctl::new(cd);
    d.domain = 7;
    assert_eq!(d.cmd, 1);
    assert_eq!(d.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    // SAFETY: new() wrote createdomain
    assert_eq!(unsafe { d.u.createdomain }, cd);
    let mut rc = xen_sysctl_readconsole::default();
    rc.count = 9;
    let s = xen_sysctl::new(rc);
    assert_eq!(s.cmd, 1);
    assert_eq!(s.interface_version, XEN_SYSCTL_INTERFACE_VERSION);
    // SAFETY: new() wrote readconsole
    assert_eq!(unsafe { s.u.readconsole }.count, 9);
}

#[test]
fn default_is_all_zero_bytes() {
    let cd = xen_domctl_createdomain::default();
    assert!(bytes_of(&cd).iter().all(|&b| b == 0));
    let rc = xen_sysctl_readconsole::default();
    assert!(bytes_of(&rc).iter().all(|&b| b == 0));
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[test]
fn byte_views() {
    // no padding on x86: as_bytes; every type: from_bytes
    let mut cd = xen_domctl_createdomain::default();
    cd.max_vcpus = 0x01020304;
    cd.flags = xen_domctl_cdf::XEN_DOMCTL_CDF_hvm;
    let bytes = cd.as_bytes();
    assert_eq!(bytes.len(), 64);
    assert_eq!(&bytes[28..32], &0x01020304u32.to_ne_bytes());
    assert_eq!(bytes, bytes_of(&cd));
    let back = xen_domctl_createdomain::from_bytes(bytes).unwrap();
    assert_eq!(back, cd);
    // any alignment, and more bytes than needed
    let mut buf = vec![0u8; 66];
    buf[1..65].copy_from_slice(bytes);
    assert_eq!(xen_domctl_createdomain::from_bytes(&buf[1..]), Some(cd));
    assert_eq!(xen_domctl_createdomain::from_bytes(&buf[..63]), None);
    // tail padding: from_bytes only
    let mut raw = [0u8; 24];
    raw[16..20].copy_from_slice(&7u32.to_ne_bytes());
    assert_eq!(xen_sysctl_readconsole::from_bytes(&raw).unwrap().count, 7);
}
