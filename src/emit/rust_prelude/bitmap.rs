// The methods and traits of a bitmap, given its one-bit constants, its
// multi-bit field masks and `ALL`.  A bitmap may define no bits, or all of
// them: masks with ALL are meant.
#[allow(unused_macros)]
macro_rules! bitmap {
    ($t:ident($int:ty) { $($flag:ident,)* } fields { $($field:ident,)* }) => {
        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]
        impl $t {
            /// No bit set.
            pub const fn empty() -> Self {
                Self(0)
            }

            /// Every defined bit set.
            pub const fn all() -> Self {
                Self::ALL
            }

            /// The bits as an integer.
            pub const fn bits(self) -> $int {
                self.0
            }

            /// `bits`, or `None` if a bit that is not defined is set.
            pub const fn from_bits(bits: $int) -> ::core::option::Option<Self> {
                if bits & !Self::ALL.0 == 0 {
                    ::core::option::Option::Some(Self(bits))
                } else {
                    ::core::option::Option::None
                }
            }

            /// `bits` without the bits that are not defined.
            pub const fn from_bits_truncate(bits: $int) -> Self {
                Self(bits & Self::ALL.0)
            }

            /// `bits` as they are, undefined bits included.
            pub const fn from_bits_retain(bits: $int) -> Self {
                Self(bits)
            }

            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Whether every defined bit is set.
            pub const fn is_all(self) -> bool {
                self.0 & Self::ALL.0 == Self::ALL.0
            }

            /// Whether every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether some bit of `other` is set.
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// Sets the bits of `other`.
            pub fn insert(&mut self, other: Self) {
                self.0 |= other.0;
            }

            /// Clears the bits of `other`.
            pub fn remove(&mut self, other: Self) {
                self.0 &= !other.0;
            }

            /// Flips the bits of `other`.
            pub fn toggle(&mut self, other: Self) {
                self.0 ^= other.0;
            }

            /// Sets the bits of `other` if `value`, clears them otherwise.
            pub fn set(&mut self, other: Self, value: bool) {
                if value {
                    self.insert(other);
                } else {
                    self.remove(other);
                }
            }

            /// The value of the multi-bit field whose mask is `mask`.
            pub const fn field(self, mask: Self) -> $int {
                if mask.0 == 0 {
                    0
                } else {
                    (self.0 & mask.0) >> mask.0.trailing_zeros()
                }
            }

            /// Sets the multi-bit field whose mask is `mask` to `value`
            /// (truncated to the field).
            pub fn set_field(&mut self, mask: Self, value: $int) {
                if mask.0 != 0 {
                    let shift = mask.0.trailing_zeros();
                    self.0 = (self.0 & !mask.0) | ((value << shift) & mask.0);
                }
            }
        }

        impl ::core::ops::BitOr for $t {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl ::core::ops::BitAnd for $t {
            type Output = Self;
            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl ::core::ops::BitXor for $t {
            type Output = Self;
            fn bitxor(self, other: Self) -> Self {
                Self(self.0 ^ other.0)
            }
        }

        /// The complement within `ALL`: undefined bits stay clear.
        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]
        impl ::core::ops::Not for $t {
            type Output = Self;
            fn not(self) -> Self {
                Self(!self.0 & Self::ALL.0)
            }
        }

        impl ::core::ops::BitOrAssign for $t {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl ::core::ops::BitAndAssign for $t {
            fn bitand_assign(&mut self, other: Self) {
                self.0 &= other.0;
            }
        }

        impl ::core::ops::BitXorAssign for $t {
            fn bitxor_assign(&mut self, other: Self) {
                self.0 ^= other.0;
            }
        }

        impl ::core::convert::From<$t> for $int {
            fn from(value: $t) -> Self {
                value.0
            }
        }

        /// The names of the set bits, the values of the non-zero fields, then
        /// the undefined bits as a number: `Name(A | B | F=3 | 0x100)`;
        /// `Name(0x0)` when empty.
        #[allow(clippy::bad_bit_mask, clippy::erasing_op, clippy::identity_op)]
        impl ::core::fmt::Debug for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(concat!(stringify!($t), "("))?;
                #[allow(unused_mut)]
                let mut sep = "";
                $(if self.contains(Self::$flag) {
                    f.write_str(sep)?;
                    f.write_str(stringify!($flag))?;
                    sep = " | ";
                })*
                $(if self.field(Self::$field) != 0 {
                    write!(f, "{}{}={}", sep, stringify!($field), self.field(Self::$field))?;
                    sep = " | ";
                })*
                let unknown = self.0 & !Self::ALL.0;
                if unknown != 0 || sep.is_empty() {
                    write!(f, "{}{:#x}", sep, unknown)?;
                }
                f.write_str(")")
            }
        }
    };
}
