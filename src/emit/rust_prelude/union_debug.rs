// A union's Debug: which member is live is not known.
#[allow(unused_macros)]
macro_rules! union_debug {
    ($t:ident) => {
        impl ::core::fmt::Debug for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(concat!(stringify!($t), " { .. }"))
            }
        }
    };
}
