// Whether a `T` fits at the start of a `U` (size and alignment), checked
// when an envelope's `new` is compiled for `T`: the union of the envelope
// holds every sub-op struct, and this keeps a wrong pairing from writing
// past it.
trait FitsIn<U> {
    const OK: ();
}

impl<T, U> FitsIn<U> for T {
    const OK: () = assert!(
        ::core::mem::size_of::<T>() <= ::core::mem::size_of::<U>()
            && ::core::mem::align_of::<T>() <= ::core::mem::align_of::<U>(),
        "a sub-op struct larger or more aligned than the envelope's union",
    );
}
