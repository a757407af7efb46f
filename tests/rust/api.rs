//! The generated API, on the crate of tests/rust/specs/api: handles,
//! Align64, open enums, bitmaps, Default, marker traits.  Copied into the
//! generated crate's tests/ directory by tests/suites/rust.py.

use std::mem::{align_of, size_of};
use xen_abi::api::*;
use xen_abi::{Align64, GuestHandle64, IsMemoryOp, IsSysctl};

fn bytes_of<T>(v: &T) -> &[u8] {
    // SAFETY: the generated types have no padding (the ABI rules forbid
    // it), so every byte is initialised.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }
}

#[test]
fn handle_is_eight_initialised_bytes() {
    assert_eq!(size_of::<GuestHandle64<u8>>(), 8);
    assert_eq!(align_of::<GuestHandle64<u8>>(), 8);
    assert_eq!(size_of::<GuestHandle64<AllTypes>>(), 8);
    assert_eq!(align_of::<GuestHandle64<std::ffi::c_void>>(), 8);

    let null = GuestHandle64::<u8>::null();
    assert!(null.is_null());
    assert_eq!(null.addr(), 0);
    assert!(null.as_ptr().is_null());
    assert_eq!(GuestHandle64::<u8>::default(), null);
    assert_eq!(bytes_of(&null), &[0u8; 8]);

    let mut buf = [0u8; 16];
    let h = GuestHandle64::from_ptr(buf.as_mut_ptr());
    assert_eq!(h.as_ptr(), buf.as_mut_ptr());
    assert_eq!(h.addr(), buf.as_mut_ptr() as usize as u64);
    assert_eq!(bytes_of(&h), &h.addr().to_ne_bytes());
    let copy = h;
    assert_eq!(copy, h);
    assert_ne!(h, null);
    assert_eq!(
        format!("{:?}", GuestHandle64::<u8>::from_addr(0x1234)),
        "GuestHandle64(0x1234)"
    );
}

#[test]
fn align64_is_eight_aligned() {
    assert_eq!(size_of::<Align64<u64>>(), 8);
    assert_eq!(align_of::<Align64<u64>>(), 8);
    assert_eq!(align_of::<Align64<i64>>(), 8);
    let mut a = Align64::new(5u64);
    assert_eq!(a.get(), 5);
    a.set(7);
    assert_eq!(a.0, 7);
    assert_eq!(Align64::from(9i64).get(), 9);
    assert_eq!(format!("{:?}", a), "7");
    assert_eq!(Align64::<u64>::default().0, 0);
}

#[test]
fn open_enums() {
    assert_eq!(format!("{:?}", SmallEnum::BIG), "SmallEnum::BIG");
    assert_eq!(format!("{:?}", SmallEnum(7)), "SmallEnum(7)");
    assert_eq!(SmallEnum(7).name(), None);
    assert_eq!(SmallEnum(1), SmallEnum::ONE);
    assert_eq!(SmallEnum::ONE.name(), Some("ONE"));
    assert!(SmallEnum::ZERO.is_known());
    assert!(!SmallEnum(9).is_known());
    assert_eq!(SmallEnum::default(), SmallEnum::ZERO);
    assert_eq!(u8::from(SmallEnum::BIG), 255);
    assert_eq!(SmallEnum::from(255u8), SmallEnum::BIG);
    assert_eq!(format!("{:?}", SignedEnum::MIN), "SignedEnum::MIN");
    assert_eq!(SignedEnum::MIN.0, i32::MIN);
    assert_eq!(format!("{:?}", SignedEnum(-7)), "SignedEnum(-7)");
    assert_eq!(format!("{:?}", EmptyEnum(3)), "EmptyEnum(3)");
    assert_eq!(EmptyEnum::default().0, 0);
    assert_eq!(size_of::<SmallEnum>(), 1);
    assert_eq!(size_of::<SignedEnum>(), 4);
    // u64 backing: uint64_aligned_t, 8-aligned everywhere
    assert_eq!(size_of::<WideEnum>(), 8);
    assert_eq!(align_of::<WideEnum>(), 8);
    assert_eq!(WideEnum::HUGE.0, i64::MAX as u64);

    // any value can sit in a field: no undefined behaviour
    let mut s = AllTypes::default();
    s.small = SmallEnum(200);
    assert_eq!(s.small.name(), None);
    match s.small {
        SmallEnum::ZERO | SmallEnum::ONE => panic!("not listed"),
        _ => {}
    }
}

#[test]
fn bitmaps() {
    // from_bits refuses reserved bits
    assert_eq!(FullFlags::from_bits(0xff), Some(FullFlags::ALL));
    assert_eq!(TopFlags::from_bits(0x8000_0001), Some(TopFlags::ALL));
    assert_eq!(TopFlags::from_bits(0x2), None);
    assert_eq!(TopFlags::from_bits_truncate(0x8000_0003), TopFlags::ALL);
    assert_eq!(TopFlags::from_bits_retain(0x2).bits(), 0x2);
    assert_eq!(NoFlags::from_bits(0), Some(NoFlags::empty()));
    assert_eq!(NoFlags::from_bits(1), None);

    // bits above 31 of a 64-bit bitmap
    assert_eq!(WideFlags::BIT31.bits(), 1 << 31);
    assert_eq!(WideFlags::BIT40.bits(), 1 << 40);
    assert_eq!(WideFlags::TOP.bits(), 1 << 63);
    assert_eq!(WideFlags::ALL.bits(), 0x8000_0100_8000_0001);
    assert_eq!(WideFlags::from_bits(1 << 41), None);
    assert_eq!(WideFlags::from_bits(1 << 40), Some(WideFlags::BIT40));
    assert_eq!(size_of::<WideFlags>(), 8);
    assert_eq!(align_of::<WideFlags>(), 8);

    // ! is the complement within ALL
    assert_eq!(
        !WideFlags::LOW,
        WideFlags::BIT31 | WideFlags::BIT40 | WideFlags::TOP
    );
    assert_eq!(!WideFlags::empty(), WideFlags::ALL);
    assert_eq!(!WideFlags::ALL, WideFlags::empty());
    assert_eq!((!TopFlags::from_bits_retain(0x6)).bits(), 0x8000_0001);
    assert_eq!(!NoFlags::from_bits_retain(0xffff), NoFlags::empty());

    // set operations
    let mut f = WideFlags::LOW | WideFlags::TOP;
    assert!(f.contains(WideFlags::TOP));
    assert!(!f.contains(WideFlags::TOP | WideFlags::BIT40));
    assert!(f.intersects(WideFlags::TOP | WideFlags::BIT40));
    f.insert(WideFlags::BIT40);
    f.remove(WideFlags::LOW);
    assert_eq!(f, WideFlags::BIT40 | WideFlags::TOP);
    f.toggle(WideFlags::BIT31);
    assert!(f.contains(WideFlags::BIT31));
    f.set(WideFlags::BIT31, false);
    assert!(!f.contains(WideFlags::BIT31));
    f &= WideFlags::TOP;
    assert_eq!(f, WideFlags::TOP);
    f |= WideFlags::LOW;
    f ^= WideFlags::TOP;
    assert_eq!(f, WideFlags::LOW);
    assert_eq!((WideFlags::ALL & WideFlags::LOW), WideFlags::LOW);
    assert_eq!((WideFlags::ALL ^ WideFlags::LOW), !WideFlags::LOW);
    assert!(WideFlags::empty().is_empty());
    assert!(WideFlags::all().is_all());
    assert!(FullFlags::ALL.is_all());
    assert_eq!(u64::from(WideFlags::TOP), 1 << 63);

    // Debug: the set flags, then unknown bits
    assert_eq!(
        format!("{:?}", WideFlags::LOW | WideFlags::TOP),
        "WideFlags(LOW | TOP)"
    );
    assert_eq!(format!("{:?}", WideFlags::empty()), "WideFlags(0x0)");
    assert_eq!(
        format!("{:?}", WideFlags::from_bits_retain(0x8000_0000_0000_0006)),
        "WideFlags(TOP | 0x6)"
    );
    assert_eq!(
        format!("{:?}", TopFlags::from_bits_retain(4)),
        "TopFlags(0x4)"
    );
    assert_eq!(
        format!("{:?}", FullFlags::B0 | FullFlags::B7),
        "FullFlags(B0 | B7)"
    );
    assert_eq!(
        format!("{:?}", NoFlags::from_bits_retain(3)),
        "NoFlags(0x3)"
    );
}

#[test]
fn default_is_all_zero_bytes() {
    let s = AllTypes::default();
    assert_eq!(size_of::<AllTypes>(), 256);
    assert_eq!(align_of::<AllTypes>(), 8);
    assert!(bytes_of(&s).iter().all(|&b| b == 0));
    assert!(s.bytes.is_null());
    assert_eq!(s.big, [0u8; 100]);
    assert_eq!(s.small, SmallEnum::ZERO);
    assert!(s.flags.is_empty());
    let e = EmptyStruct::default();
    assert_eq!(size_of::<EmptyStruct>(), 0);
    assert_eq!(e, EmptyStruct {});
    let o = xen_abi::other::OtherThing::default();
    assert_eq!(bytes_of(&o), &[0u8; 8]);
}

#[test]
fn struct_fields_and_traits() {
    let mut s = AllTypes::default();
    s.u64v = Align64(u64::MAX);
    s.u64s[1].set(3);
    s.matrix[1][2] = 9;
    s.other.b = 4;
    s.c = b'x' as std::ffi::c_char;
    s.int_v = -1;
    s.next = GuestHandle64::from_addr(0x10);
    let t = s; // Copy
    assert_eq!(t, s);
    assert_eq!(t.clone().u64s[1].get(), 3);
    let debug = format!("{:?}", t);
    assert!(debug.starts_with("AllTypes { u8v: 0,"), "{}", debug);
    assert!(debug.contains("u64v: 18446744073709551615"), "{}", debug);
    assert!(debug.contains("next: GuestHandle64(0x10)"), "{}", debug);
    assert!(debug.contains("small: SmallEnum::ZERO"), "{}", debug);
    assert!(debug.contains("flags: WideFlags(0x0)"), "{}", debug);
    assert_eq!(std::mem::offset_of!(AllTypes, u64v), 16);
    assert_eq!(std::mem::offset_of!(AllTypes, other), 248);
}

fn memory_op<T: IsMemoryOp>(_: &mut T) -> u32 {
    T::CMD
}

fn sysctl<T: IsSysctl>(_: &mut T) -> u32 {
    T::CMD
}

#[test]
fn marker_traits() {
    assert_eq!(memory_op(&mut AllTypes::default()), 7);
    assert_eq!(memory_op(&mut SecondOp::default()), 8);
    assert_eq!(sysctl(&mut SysctlThing::default()), 2);
    assert_eq!(<AllTypes as IsMemoryOp>::CMD, 7);
}
