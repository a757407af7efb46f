// Bit `bit + i` of a bitfield run's bytes, little-endian: bit 0 is the
// least significant bit of the first byte.
#[allow(dead_code)]
const fn bits_get(bytes: &[u8], bit: u32, width: u32) -> u64 {
    let mut value = 0u64;
    let mut i = 0;
    while i < width {
        let b = bit + i;
        if (bytes[(b / 8) as usize] >> (b % 8)) & 1 != 0 {
            value |= 1 << i;
        }
        i += 1;
    }
    value
}

#[allow(dead_code)]
fn bits_set(bytes: &mut [u8], bit: u32, width: u32, value: u64) {
    let mut i = 0;
    while i < width {
        let b = bit + i;
        let mask = 1u8 << (b % 8);
        if (value >> i) & 1 != 0 {
            bytes[(b / 8) as usize] |= mask;
        } else {
            bytes[(b / 8) as usize] &= !mask;
        }
        i += 1;
    }
}

// The accessors of bitfields: `name, set_name: bytes, type, bit, width;`.
#[allow(unused_macros)]
macro_rules! bitfields {
    ($t:ident { $($(#[$doc:meta])* $get:ident, $set:ident: $bytes:ident, $int:ty, $bit:literal, $width:literal;)* }) => {
        // A bitfield may be named `len` (Xen's livepatch_expectation): its
        // getter is a field's value, not the length of a collection.
        #[allow(clippy::len_without_is_empty)]
        impl $t {
            $(
                $(#[$doc])*
                pub const fn $get(&self) -> $int {
                    crate::bits_get(&self.$bytes, $bit, $width) as $int
                }

                #[doc = concat!("Sets the bitfield `", stringify!($get), "` (truncated to its width).")]
                pub fn $set(&mut self, value: $int) {
                    crate::bits_set(&mut self.$bytes, $bit, $width, value as u64);
                }
            )*
        }
    };
}
