// What every struct and union listed gets: `Default`, all-zero, and
// `from_bytes`, since every bit pattern is a valid value of a generated
// type (integers, open enums, bitmaps, guest handles, and unions of
// those).  `Default` is not derived: derive fails for arrays longer than
// 32 and for unions, and needs every field to be `Default`.
macro_rules! plain_data {
    ($($t:ident),* $(,)?) => {
        $(
            impl ::core::default::Default for $t {
                fn default() -> Self {
                    // SAFETY: all-zero is a valid value (see above).
                    unsafe { ::core::mem::zeroed() }
                }
            }

            impl $t {
                /// A value made of the first `size_of::<Self>()` bytes of
                /// `bytes` (any alignment), or `None` if there are fewer.
                pub fn from_bytes(bytes: &[u8]) -> ::core::option::Option<Self> {
                    if bytes.len() < ::core::mem::size_of::<Self>() {
                        return ::core::option::Option::None;
                    }
                    // SAFETY: there are enough bytes, read_unaligned needs no
                    // alignment, and every bit pattern is a valid value.
                    ::core::option::Option::Some(unsafe {
                        ::core::ptr::read_unaligned(bytes.as_ptr().cast::<Self>())
                    })
                }
            }
        )*
    };
}

// `as_bytes` for the types listed, on the targets where they have no
// padding: no implicit padding (which the ABI rules forbid unless a spec
// waives them), and no union with a member smaller than itself, in them
// or in the types they hold.  Padding bytes may be uninitialised.
macro_rules! as_bytes {
    ($($t:ident),* $(,)?) => {
        $(
            impl $t {
                /// The bytes of the value, as the hypervisor reads them.
                pub fn as_bytes(&self) -> &[u8] {
                    // SAFETY: the type has no padding on this target, so every
                    // byte of the value is initialised.
                    unsafe {
                        ::core::slice::from_raw_parts(
                            (self as *const Self).cast::<u8>(),
                            ::core::mem::size_of::<Self>(),
                        )
                    }
                }
            }
        )*
    };
}
