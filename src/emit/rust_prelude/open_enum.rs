// The traits of an open enum, given its constants.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($t:ident($int:ty) { $($v:ident,)* }) => {
        impl $t {
            /// The name of this value's constant, or `None` for a value the
            /// specs do not list.
            pub const fn name(self) -> ::core::option::Option<&'static str> {
                $(if self.0 == Self::$v.0 {
                    return ::core::option::Option::Some(stringify!($v));
                })*
                ::core::option::Option::None
            }

            /// Whether the specs list this value.
            pub const fn is_known(self) -> bool {
                self.name().is_some()
            }
        }

        impl ::core::convert::From<$int> for $t {
            fn from(value: $int) -> Self {
                Self(value)
            }
        }

        impl ::core::convert::From<$t> for $int {
            fn from(value: $t) -> Self {
                value.0
            }
        }

        impl ::core::fmt::Debug for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    ::core::option::Option::Some(name) => {
                        write!(f, "{}::{}", stringify!($t), name)
                    }
                    ::core::option::Option::None => write!(f, "{}({})", stringify!($t), self.0),
                }
            }
        }
    };
}
