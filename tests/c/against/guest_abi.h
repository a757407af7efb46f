/*
 * guest_abi.h - a small hand-written ABI header, written for xenbindgen's
 * tests: the kind of header a spec is checked against with
 * `xenbindgen -l c-layout --against-header`.  Include Xen's xen.h or
 * xenbindgen's xen-prelude.h first.
 */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

#define GUEST_OP_MODE_OFF 0
#define GUEST_OP_MODE_ON 1
#define GUEST_OP_MODE_AUTO 7

#define GUEST_FLAGS_A (1U << 0)
#define GUEST_FLAGS_B (1U << 3)

struct guest_op {
    uint32_t cmd;
    uint8_t mode;      /* GUEST_OP_MODE_* */
    uint8_t pad[3];
    uint64_aligned_t arg;
    XEN_GUEST_HANDLE_64(uint8) buf;
    uint32_t flags;    /* GUEST_FLAGS_* */
    uint32_t rsvd;
};

#endif
