// `Default` as all-zero for the structs and unions listed.  Not derived:
// derive fails for arrays longer than 32 and for unions, and needs every
// field to be `Default`.
macro_rules! zeroed_default {
    ($($t:ident),* $(,)?) => {
        $(impl ::core::default::Default for $t {
            fn default() -> Self {
                // SAFETY: every generated type is made of integers, arrays,
                // guest handles, newtypes over integers and unions of
                // those: all-zero is valid.
                unsafe { ::core::mem::zeroed() }
            }
        })*
    };
}
