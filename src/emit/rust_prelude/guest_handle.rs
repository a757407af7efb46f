/// A native guest handle: Xen's `XEN_GUEST_HANDLE(T)`, the address of a
/// `T` in the caller's memory.
///
/// A pointer on targets where Xen's handle is one (on x86, 4 bytes on
/// 32-bit x86), otherwise 8 bytes and 8-aligned, with the address
/// zero-extended.  The default is the null handle.
#[repr(C)]
pub struct GuestHandle<T> {
    addr: HandleAddr,
    _marker: ::core::marker::PhantomData<*mut T>,
}

impl<T> GuestHandle<T> {
    /// The null handle (address 0).
    pub const fn null() -> Self {
        Self::from_addr(0)
    }

    /// A handle holding the address `addr` (truncated where a handle is
    /// a 32-bit pointer).
    pub const fn from_addr(addr: u64) -> Self {
        Self {
            addr: handle_addr(addr),
            _marker: ::core::marker::PhantomData,
        }
    }

    /// A handle to `ptr`.
    pub fn from_ptr(ptr: *mut T) -> Self {
        Self::from_addr(ptr as usize as u64)
    }

    /// The pointer.
    pub fn as_ptr(&self) -> *mut T {
        handle_value(self.addr) as usize as *mut T
    }

    /// The address.
    pub const fn addr(&self) -> u64 {
        handle_value(self.addr)
    }

    /// Whether this is the null handle.
    pub const fn is_null(&self) -> bool {
        handle_value(self.addr) == 0
    }
}

impl<T> ::core::clone::Clone for GuestHandle<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> ::core::marker::Copy for GuestHandle<T> {}

impl<T> ::core::cmp::PartialEq for GuestHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.addr() == other.addr()
    }
}

impl<T> ::core::cmp::Eq for GuestHandle<T> {}

impl<T> ::core::hash::Hash for GuestHandle<T> {
    fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
        ::core::hash::Hash::hash(&self.addr(), state);
    }
}

impl<T> ::core::default::Default for GuestHandle<T> {
    fn default() -> Self {
        Self::null()
    }
}

impl<T> ::core::fmt::Debug for GuestHandle<T> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        write!(f, "GuestHandle({:#x})", self.addr())
    }
}
