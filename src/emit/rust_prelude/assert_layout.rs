// The layouts the engine computed for the targets being compiled: size,
// alignment and the offset of every field, checked at compile time.  One
// call per group of targets lists every type of a module laid out alike
// there.
#[allow(unused_macros)]
macro_rules! assert_layout {
    ($($t:ident: size $size:literal, align $align:literal $({ $($f:ident: $off:literal),* $(,)? })?;)*) => {
        $(const _: () = {
            assert!(
                ::core::mem::size_of::<$t>() == $size,
                concat!("size of ", stringify!($t)),
            );
            assert!(
                ::core::mem::align_of::<$t>() == $align,
                concat!("alignment of ", stringify!($t)),
            );
            $($(assert!(
                ::core::mem::offset_of!($t, $f) == $off,
                concat!("offset of ", stringify!($t), "::", stringify!($f)),
            );)*)?
        };)*
    };
}
