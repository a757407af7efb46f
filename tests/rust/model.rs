//! The whole model in Rust, on the crate of tests/rust/specs/model:
//! constants, aliases, unions, native handles, computed and flexible
//! arrays, conditional fields, bitfields, multi-bit bitmap fields.  Copied
//! into the generated crate's tests/ directory by tests/suites/rust.py.

use std::mem::{align_of, offset_of, size_of};
use xen_abi::model::*;
use xen_abi::{GuestHandle, IsDomctl};

#[test]
fn constants() {
    let things: u32 = NR_THINGS;
    assert_eq!(things, 3);
    assert_eq!(DOMID_SELF, 0x7ff0u32);
    assert_eq!(MINUS, -2i32);
    assert_eq!(BIG, 1u64 << 32);
    assert_eq!(TYPED, 5u8);
    assert_eq!(TOOLS_ONLY, 2); // tools-only content is in the crate
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    assert_eq!(X86_ONLY, 1);
    #[cfg(target_arch = "x86_64")]
    assert_eq!(xen_abi::arch::ARCH_CONST, 86);
}

#[test]
fn aliases() {
    let d: DomidT = 7u16;
    let h: XenHandleT = [1u8; 16];
    let w: WideT = xen_abi::Align64(9u64);
    assert_eq!(d + h[0] as u16 + w.get() as u16, 17);
    assert_eq!(align_of::<WideT>(), 8);
    let mut e = Everything::default(); // its padding is private
    e.domain = 3;
    assert_eq!(e.domain, 3);
}

#[test]
fn unions() {
    let mut e = Everything::default();
    // pad is private: a value with it comes from Default, which zeroes it
    let mut pci = EverythingUPci::default();
    pci.bus = 1;
    pci.device = 2;
    e.u.pci = pci;
    // SAFETY: pci was written last
    assert_eq!(unsafe { e.u.pci.device }, 2);
    e.anon1.anon_b = 5;
    // SAFETY: both members are u32
    assert_eq!(unsafe { e.anon1.anon_a }, 5);
    e.named.word = 0x0403_0201;
    // SAFETY: the union is all-zero, then word was written
    assert_eq!(unsafe { e.named.bytes }, [1, 2, 3, 4, 0, 0, 0, 0]);
    assert_eq!(size_of::<EverythingU>(), 8);
    assert_eq!(format!("{:?}", e.u), "EverythingU { .. }");
    // a struct with a union is Debug, but shows the union opaque
    assert!(format!("{:?}", e).contains("u: EverythingU { .. }"));
    assert_eq!(IrqType::PCI, IrqType(1));
}

#[test]
fn native_handles() {
    let mut byte = 0u8;
    let mut e = Everything::default();
    assert!(e.buf.is_null());
    e.buf = GuestHandle::from_ptr(&mut byte);
    assert_eq!(e.buf.as_ptr(), &mut byte as *mut u8);
    assert_eq!(size_of::<GuestHandle<u8>>(), size_of::<usize>());
    assert_eq!(
        format!("{:?}", GuestHandle::<u8>::from_addr(16)),
        "GuestHandle(0x10)"
    );
    assert_eq!(GuestHandle::<u8>::default(), GuestHandle::null());
}

#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
#[test]
fn per_target_fields_on_x86_64() {
    let e = Everything::default();
    assert_eq!(e.words.len(), 2); // sizeof(xen_ulong_t) / 4
    assert_eq!(e.per_arch.len(), 86); // ARCH_CONST on x86
    assert_eq!(e.x86_only + e.x86_pad + e.new_field + e.tools_field, 0);
    assert_eq!(size_of::<Everything>(), 224);
    assert_eq!(offset_of!(Everything, tail), 224);
    assert_eq!(e.tail.len(), 0); // flexible array
    assert_eq!(<Everything as IsDomctl>::CMD, 9);
}

#[test]
fn bitfields() {
    let mut r = Ioreq::default();
    r.set_state(0xa);
    r.set_dir(1);
    r.set_pad1(1);
    assert_eq!(r.state(), 0xa);
    assert_eq!(r.dir(), 1);
    assert_eq!(r.df(), 0);
    assert_eq!(r._bitfield_1, [0xa | 1 << 5 | 1 << 7]);
    r.set_state(0x1f); // truncated to 4 bits
    assert_eq!(r.state(), 0xf);
    assert_eq!(r.data_is_ptr(), 0);
    assert_eq!(offset_of!(Ioreq, r#type), 19);
}

#[test]
fn overlapping_bitfield_units() {
    // C puts addr in a u32 unit over `type` and the u8 unit: bits 12..31
    let mut b = BufIoreq {
        r#type: 0x5a,
        data: 7,
        ..Default::default()
    };
    b.set_size(3);
    b.set_dir(1);
    b.set_addr(0xfedcb);
    b.set_pad(0);
    assert_eq!(b.addr(), 0xfedcb);
    assert_eq!(b.size(), 3);
    assert_eq!(b.dir(), 1);
    assert_eq!(b.r#type, 0x5a);
    assert_eq!(offset_of!(BufIoreq, _bitfield_1), 1);
    assert_eq!(size_of::<BufIoreq>(), 8);
    // the first word as C sees it: type, then bits 8.. of the bitfields
    let word = u32::from_le_bytes([
        b.r#type,
        b._bitfield_1[0],
        b._bitfield_1[1],
        b._bitfield_1[2],
    ]);
    assert_eq!(word, 0x5a | 0b10 << 8 | 0b11 << 10 | 0xfedcb << 12);
    b.set_addr(0x1ff_ffff); // truncated to 20 bits
    assert_eq!(b.addr(), 0xf_ffff);
    assert_eq!(b.r#type, 0x5a);

    let mut o = OnlyBits::default();
    assert_eq!(align_of::<OnlyBits>(), 4); // repr(align) from C's unit
    o.set_hi(0xabcde);
    o.set_lo(0x123);
    assert_eq!(o._bitfield_1, [0x23, 0xe1, 0xcd, 0xab]);
}

#[test]
fn bitmap_fields() {
    let mut o = GrantOpts::FLAG;
    o.set_field(GrantOpts::VERSION, 2);
    o.set_field(GrantOpts::HIGH, 0x1234);
    assert_eq!(o.field(GrantOpts::VERSION), 2);
    assert_eq!(o.field(GrantOpts::HIGH), 0x1234);
    assert_eq!(o.bits(), 0x1234_0012);
    assert_eq!(
        format!("{:?}", o),
        "GrantOpts(FLAG | VERSION=2 | HIGH=4660)"
    );
    o.set_field(GrantOpts::VERSION, 0x13); // truncated to 4 bits
    assert_eq!(o.field(GrantOpts::VERSION), 3);
    assert_eq!(GrantOpts::from_bits(1 << 5), None);
    assert_eq!(GrantOpts::ALL.bits(), 0xffff_001f);
}
