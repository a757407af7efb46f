"""The Rust backend (issue 6).

For the RFC's specs, ours (specs/xen) and the test specs in tests/rust/specs,
the generated crate must build offline, pass its tests, `cargo fmt --check`
and `cargo clippy -- -D warnings` as generated.  Hand-written tests in
tests/rust/*.rs are copied into a copy of the crate's tests/ directory (the
generated crate itself holds no test code) and exercise the API: guest
handles, Align64, open enums, bitmaps, Default, marker traits, names.

The cross-language test fills xen_domctl_createdomain and
xen_sysctl_readconsole in C, through the generated C headers, with a
distinct value in every field (taken from the engine's layout of the
host target, so new fields are covered without editing the test), and
reads the bytes back into the generated Rust structs.

The prelude of every crate's src/lib.rs is Rust source in the tool's tree,
src/emit/rust_prelude/*.rs, embedded at build time: rust/prelude checks
those files themselves with rustfmt, and with clippy in a crate that holds
them all.

Only the host's (x86_64) Rust standard library is installed, so the
assertions for other targets are compiled out; tests that need cargo say
so (under CI a missing cargo fails the run).
"""

import json
import os
import re
import shutil

from run import Need, Test, c_prelude, compare_trees, data_needs, expect_equal
from suites.c_backend import STRING_DECL

CARGO = [Need("cargo", command="cargo")]
RUSTFMT = [Need("rustfmt", command="rustfmt")]
HINT = "make rust"
# The C side of the cross-language tests: a tools build in the GNU dialect,
# as Xen's domctl.h needs (it includes hvm/save.h, whose anonymous members
# refuse strict ISO C).
GNU_C = "-std=gnu11"
RUST_NAMES = ("--rust-names", "rust")
PRELUDE = os.path.join("src", "emit", "rust_prelude")


def here(ctx, *parts):
    return os.path.join(ctx.root, "tests", "rust", *parts)


def spec_sets(ctx):
    return {
        "rfc": os.path.join(ctx.shared, "xenbindgen-rfc", "specs"),
        "xen": os.path.join(ctx.root, "specs", "xen"),
        "api": here(ctx, "specs", "api"),
        "naming": here(ctx, "specs", "naming"),
        "model": here(ctx, "specs", "model"),
        "long-names": here(ctx, "specs", "long"),
        "text": here(ctx, "specs", "text"),
        "dropin": os.path.join(ctx.root, "tests", "c", "specs", "dropin"),
        "exprs": os.path.join(ctx.root, "tests", "c", "specs", "exprs"),
    }


def generate(ctx, specs, out, *extra, lang="rust"):
    st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", lang, "--regen-hint", HINT, *extra)
    if st != 0:
        raise AssertionError("generation failed (%d):\n%s%s" % (st, so, se))
    return out


def cargo(ctx, crate, target, *args, env=None):
    e = {"CARGO_TARGET_DIR": target, "CARGO_TERM_COLOR": "never", "RUSTFLAGS": "-D warnings"}
    e.update(env or {})
    st, so, se = ctx.run(["cargo"] + list(args), cwd=crate, env=e, timeout=600)
    if st != 0:
        raise AssertionError("cargo %s failed (%d) in %s:\n%s%s"
                             % (" ".join(args), st, crate, so[-4000:], se[-8000:]))
    return so + se


def check_crate(ctx, crate, target):
    """The crate as generated: formatted, warning-free, clippy-clean,
    documented without a warning."""
    cargo(ctx, crate, target, "fmt", "--check")
    cargo(ctx, crate, target, "build", "--offline")
    cargo(ctx, crate, target, "clippy", "--offline", "--", "-D", "warnings")
    # descriptions are text, not Markdown: rustdoc must find no HTML tag,
    # broken link, bare URL or Rust code block in them
    cargo(ctx, crate, target, "doc", "--offline", "--no-deps",
          env={"RUSTDOCFLAGS": "-D warnings"})


def add_tests(crate, files):
    os.makedirs(os.path.join(crate, "tests"), exist_ok=True)
    for src in files:
        shutil.copy(src, os.path.join(crate, "tests", os.path.basename(src)))


def test_crate(ctx, name, specs, test_files, *extra):
    def fn():
        crate = generate(ctx, specs, ctx.mkdtemp("crate"), *extra)
        target = ctx.mkdtemp("target")
        check_crate(ctx, crate, target)
        add_tests(crate, [here(ctx, f) for f in test_files])
        out = cargo(ctx, crate, target, "test", "--offline")
        if test_files and "test result: ok" not in out:
            raise AssertionError("no test ran:\n" + out)
    return fn


# ---- the cross-language test ------------------------------------------------

KEYWORDS = set("""as async await become box break const continue crate do dyn else
enum extern false final fn for gen if impl in let loop macro match mod move mut
override priv pub ref return self Self static struct super trait true try type
typeof union unsafe unsized use virtual where while yield abstract""".split())
NOT_RAW = {"self", "Self", "super", "crate"}
SIGNED = {"i8", "i16", "i32", "i64", "int", "long", "int64_t", "schar", "short", "llong"}
ALIGN64 = {"u64", "i64"}
# the padding and reserved fields of a struct, private in the crate
# (private_field in src/emit/rust_items.c)
PRIVATE = re.compile(r"^_*(padding|pad|reserved|rsvd|spacer)[0-9]*$")


def rust_ident(name):
    if name in NOT_RAW or name == "_":
        return name + "_"
    return "r#" + name if name in KEYWORDS else name


def rust_snake(name):
    out = ""
    for i, c in enumerate(name):
        if c.isupper() and i and (name[i - 1].islower() or name[i - 1].isdigit()):
            out += "_"
        out += c.lower()
    lead = len(out) - len(out.lstrip("_"))
    trail = len(out) - len(out.rstrip("_"))
    mid = re.sub("_+", "_", out[lead:len(out) - trail])
    return rust_ident(out[:lead] + mid + out[len(out) - trail:])


def rust_module(unit):
    return "::".join(rust_snake(c.replace("-", "_")) for c in unit.split("/"))


PRIMS = {"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "char", "int", "uint",
         "long", "ulong", "uint64_t", "int64_t", "uchar", "schar", "short", "ushort",
         "llong", "ullong"}


class Filler:
    """Assignments in C and the matching checks in Rust for every field of
    a struct, with a distinct value per field: integers, enums, bitmaps
    and 64-bit handles by value, anything else (aliases, unions, native
    handles, arrays of computed length) byte by byte."""

    def __init__(self, types):
        self.types = types
        self.n = 0
        self.c = []
        self.rust = []

    def value(self, size, signed):
        self.n += 1
        assert self.n < 0x7f, "too many scalars"
        v = sum(((self.n + j) & 0x7f) << (8 * j) for j in range(size))
        return -v if signed else v

    def scalar(self, c, r, size, signed, cast):
        v = self.value(size, signed)
        self.c.append("    %s = %s;" % (c, ("-0x%x" % -v) if v < 0 else "0x%xu" % v))
        self.rust.append('    assert_eq!(%s as %s, %d, "%s");' % (r, cast, v, c))

    def raw(self, c, r, size):
        self.n += 1
        assert self.n < 0x7f, "too many fields"
        self.c.append("    fill(&%s, sizeof %s, %d);" % (c, c, self.n))
        self.rust.append('    check(bytes_of(&%s), %d, %d, "%s");' % (r, size, self.n, c))

    def kind(self, ty):
        return self.types.get(ty, {}).get("kind")

    def bitfield(self, c, r, bits):
        self.n += 1
        v = self.n % ((1 << bits) - 1) + 1 if bits > 1 else 1
        self.c.append("    %s = %d;" % (c, v))
        self.rust.append('    assert_eq!(%s() as u64, %d, "%s");' % (r, v, c))

    def fields(self, name, c, r):
        for f in self.types[name]["fields"]:
            # C11 anonymous members and flexible arrays have nothing to fill
            if f["name"] == "(anonymous)" or f["size"] == 0:
                continue
            # private in Rust (and zero, as Default makes them): not filled
            if self.kind(name) == "struct" and "bits" not in f and PRIVATE.match(f["name"]):
                continue
            cf, rf = "%s.%s" % (c, f["name"]), "%s.%s" % (r, rust_ident(f["name"]))
            if "bits" in f:
                self.bitfield(cf, rf, f["bits"])
            else:
                self.field(f["type"], f["size"], cf, rf)

    def field(self, ty, size, c, r):
        m = re.match(r"^(.*)\[(\d+)\]$", ty)
        named = ty.split(" ", 1)[1] if ty.startswith(("struct ", "enum ", "bitmap ")) else ty
        if m and (m.group(1) in PRIMS or m.group(1).startswith(("enum ", "bitmap "))):
            n = int(m.group(2))
            for i in range(n):
                self.field(m.group(1), size // n, "%s[%d]" % (c, i), "%s[%d]" % (r, i))
        elif ty.startswith("ptr<"):
            # 8 bytes whatever the handle's C shape (Xen's headers make it
            # a union on Arm and x86_32, a struct of a pointer on x86_64)
            v = self.value(8, False)
            self.c.append("    { uint64_t q_ = 0x%xu; memcpy(&%s, &q_, 8); }" % (v, c))
            self.rust.append('    assert_eq!(%s.addr() as u64, %d, "%s");' % (r, v, c))
        elif self.kind(named) == "struct" and "fields" in self.types[named]:
            self.fields(named, c, r)
        elif self.kind(named) in ("enum", "bitmap"):
            self.scalar(c, r + ".0", size, False, "u64")
        elif ty in ALIGN64:
            self.scalar(c, r + ".0", size, ty in SIGNED, "i64" if ty in SIGNED else "u64")
        elif ty in PRIMS:
            self.scalar(c, r, size, ty in SIGNED, "i64" if ty in SIGNED else "u64")
        else:
            self.raw(c, r, size)


def cross_sources(ctx, specs, names):
    """fill.c and tests/cross.rs for the structs `names`."""
    st, so, se = ctx.xbg("layout", "-i", specs, "--format", "json", "--target", "x86_64")
    assert st == 0, se
    types = {}
    for t in json.loads(so)["types"]:
        if "x86_64" in t["targets"]:
            types[t["name"]] = dict(t["targets"]["x86_64"], unit=t["unit"], kind=t["kind"])
    fill = Filler(types)
    c = ['#include "xen-prelude.h"']
    c += sorted({'#include "%s.h"' % types[n]["unit"].replace("-", "_") for n in names})
    c += ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>", "",
          "static void dump(const char *dir, const char *name, const void *p, size_t n)",
          "{", "    char path[4096];", "    FILE *f;",
          '    snprintf(path, sizeof path, "%s/%s.bin", dir, name);',
          '    f = fopen(path, "wb");',
          "    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {",
          "        perror(path);", "        exit(1);", "    }", "}", "",
          "static void fill(void *p, size_t n, int seed)",
          "{", "    size_t i;", "    for (i = 0; i < n; i++)",
          "        ((unsigned char *)p)[i] = (unsigned char)(seed + i);", "}", "",
          "int main(int argc, char **argv)", "{", "    (void)argc;", "    (void)fill;"]
    rust = ["//! Generated by tests/suites/rust.py: bytes written by C, read by Rust.",
            "", "use std::mem::size_of;", "",
            "fn load<T: Copy>(name: &str) -> T {",
            '    let dir = std::env::var("XBG_FILL_DIR").expect("XBG_FILL_DIR");',
            '    let bytes = std::fs::read(format!("{}/{}.bin", dir, name)).unwrap();',
            '    assert_eq!(bytes.len(), size_of::<T>(), "size of {}", name);',
            "    // SAFETY: every bit pattern is a valid value of a generated type.",
            "    unsafe { std::ptr::read_unaligned(bytes.as_ptr() as *const T) }",
            "}", "",
            "#[allow(dead_code)]",
            "fn bytes_of<T>(v: &T) -> &[u8] {",
            "    // SAFETY: a field written byte by byte by fill.c.",
            "    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }",
            "}", "",
            "#[allow(dead_code)]",
            "fn check(b: &[u8], size: usize, seed: usize, what: &str) {",
            '    assert_eq!(b.len(), size, "size of {}", what);',
            "    for (i, &x) in b.iter().enumerate() {",
            '        assert_eq!(x, (seed + i) as u8, "byte {} of {}", i, what);',
            "    }",
            "}"]
    for name in names:
        t = types[name]
        fill.c, fill.rust = [], []
        fill.fields(name, "v", "v")
        c += ["    {", "        struct %s v;" % name, "        memset(&v, 0, sizeof v);"]
        c += ["    " + line for line in fill.c]
        c += ['        dump(argv[1], "%s", &v, sizeof v);' % name, "    }"]
        rust += ["", "#[test]", "fn %s() {" % name,
                 '    let v: xen_abi::%s::%s = load("%s");'
                 % (rust_module(t["unit"]), rust_ident(name), name)]
        rust += fill.rust
        rust += ['    assert!(!format!("{:?}", v).is_empty());', "}"]
    c += ["    return 0;", "}", ""]
    return "\n".join(c), "\n".join(rust) + "\n", fill.n


def test_cross(ctx, specs, names):
    def fn():
        work = ctx.mkdtemp("cross")
        cdir = generate(ctx, specs, os.path.join(work, "c"), lang="c")
        fill_c, cross_rs, nscalars = cross_sources(ctx, specs, names)
        assert nscalars > 10, "only %d fields" % nscalars
        with open(os.path.join(work, "fill.c"), "w") as f:
            f.write(fill_c.replace('#include "xen-prelude.h"\n', c_prelude(ctx, cdir), 1))
        exe = os.path.join(work, "fill")
        # a tools build at the latest interface version: what the crate is
        # (-iquote: the generated features.h, as Xen's, would hide libc's
        # <features.h> from <stdint.h>)
        st, so, se = ctx.run([ctx.cc, GNU_C, "-Wall", "-Werror", "-D__XEN_TOOLS__",
                              "-I", os.path.join(ctx.root, "support"), "-iquote", cdir,
                              "-o", exe, os.path.join(work, "fill.c")])
        assert st == 0, "fill.c does not compile:\n%s\n%s" % (se, fill_c)
        bins = ctx.mkdtemp("bins")
        st, so, se = ctx.run([exe, bins])
        assert st == 0, se
        crate = generate(ctx, specs, os.path.join(work, "crate"))
        os.makedirs(os.path.join(crate, "tests"))
        with open(os.path.join(crate, "tests", "cross.rs"), "w") as f:
            f.write(cross_rs)
        out = cargo(ctx, crate, ctx.mkdtemp("target"), "test", "--offline",
                    env={"XBG_FILL_DIR": bins})
        if "%d passed" % len(names) not in out:
            raise AssertionError("the cross-language tests did not run:\n" + out)
    return fn


ENVELOPE_C = r"""#include "xen-prelude.h"
#include "domctl.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct xen_domctl d;
    FILE *f;
    (void)argc;
    memset(&d, 0, sizeof d);
    d.cmd = XEN_DOMCTL_createdomain;
    d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d.domain = 7;
    d.u.createdomain.ssidref = 0x11223344u;
    d.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    d.u.createdomain.max_vcpus = 4;
    d.u.createdomain.max_evtchn_port = 1023;
    d.u.createdomain.handle[15] = 0xab;
    f = fopen(argv[1], "wb");
    if (!f || fwrite(&d, 1, sizeof d, f) != sizeof d || fclose(f) != 0)
        return 1;
    return 0;
}
"""

ENVELOPE_RS = r"""//! Generated by tests/suites/rust.py: a domctl filled with the type-safe
//! API has the bytes of the same domctl filled through the C header.

use xen_abi::domctl::{xen_domctl, xen_domctl_cdf, xen_domctl_createdomain};

#[test]
fn domctl_createdomain() {
    let mut cd = xen_domctl_createdomain::default();
    cd.ssidref = 0x11223344;
    cd.flags = xen_domctl_cdf::XEN_DOMCTL_CDF_hvm | xen_domctl_cdf::XEN_DOMCTL_CDF_hap;
    cd.max_vcpus = 4;
    cd.max_evtchn_port = 1023;
    cd.handle[15] = 0xab;
    let mut d = xen_domctl::new(cd);
    d.domain = 7;
    // SAFETY: new() starts from all-zero bytes, so every byte is initialised
    let bytes = unsafe {
        std::slice::from_raw_parts(
            &d as *const xen_domctl as *const u8,
            std::mem::size_of::<xen_domctl>(),
        )
    };
    let c = std::fs::read(std::env::var("XBG_DOMCTL_BIN").unwrap()).unwrap();
    assert_eq!(bytes, &c[..]);
    // and back
    let back = xen_domctl::from_bytes(&c).unwrap();
    assert_eq!(back.cmd, 1);
    // SAFETY: the bytes hold a createdomain
    assert_eq!(unsafe { back.u.createdomain }, cd);
}
"""


def test_envelope(ctx):
    """A program using the crate fills a domctl with the type-safe API
    (xen_domctl::new of a createdomain): its bytes are those of the same
    domctl filled through the generated C header."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        work = ctx.mkdtemp("envelope")
        cdir = generate(ctx, specs, os.path.join(work, "c"), lang="c")
        with open(os.path.join(work, "fill.c"), "w") as f:
            f.write(ENVELOPE_C.replace('#include "xen-prelude.h"\n', c_prelude(ctx, cdir), 1))
        exe = os.path.join(work, "fill")
        st, so, se = ctx.run([ctx.cc, GNU_C, "-Wall", "-Werror", "-D__XEN_TOOLS__",
                              "-I", os.path.join(ctx.root, "support"), "-iquote", cdir,
                              "-o", exe, os.path.join(work, "fill.c")])
        assert st == 0, "fill.c does not compile:\n%s" % se
        binary = os.path.join(work, "domctl.bin")
        st, so, se = ctx.run([exe, binary])
        assert st == 0, se
        crate = generate(ctx, specs, os.path.join(work, "crate"))
        os.makedirs(os.path.join(crate, "tests"))
        with open(os.path.join(crate, "tests", "envelope.rs"), "w") as f:
            f.write(ENVELOPE_RS)
        out = cargo(ctx, crate, ctx.mkdtemp("target"), "test", "--offline",
                    env={"XBG_DOMCTL_BIN": binary})
        if "1 passed" not in out:
            raise AssertionError("the envelope test did not run:\n" + out)
    return fn


OP_IMPL = re.compile(r'unsafe impl crate::(Is\w+) for (\w+) \{\n'
                     r'    const CMD: u32 = (\d+);\n'
                     r'    const NAME: &\'static str = "(\w+)";')
OP_TRAIT = re.compile(r'pub unsafe trait (Is\w+) \{.*?'
                      r'/// The hypercall \(`(__HYPERVISOR_\w+)`\)\.\n'
                      r'    const HYPERCALL: u32 = (\d+);', re.S)

OPS_RS = r"""//! Generated by tests/suites/rust.py: a hypercall wrapper generic over
//! an op family's trait sends each struct with its own sub-op.

use xen_abi::event_channel::{evtchn_send, evtchnop};
use xen_abi::grant_table::{gnttab_copy, gnttabop};
use xen_abi::memory::{xen_memory_exchange, xen_memory_reservation, xenmem_op};
use xen_abi::{IsEventChannelOp, IsGrantTableOp, IsMemoryOp};

fn evtchn<T: IsEventChannelOp>(_op: &mut T) -> (u32, u32, &'static str) {
    (T::HYPERCALL, T::CMD, T::NAME)
}
fn gnttab<T: IsGrantTableOp>(_op: &mut [T]) -> (u32, u32) {
    (T::HYPERCALL, T::CMD)
}
fn memory<T: IsMemoryOp>(_op: &mut T) -> (u32, u32) {
    (T::HYPERCALL, T::CMD)
}

#[test]
fn op_families() {
    let mut s = evtchn_send::default();
    assert_eq!(evtchn(&mut s), (32, evtchnop::EVTCHNOP_send.0, "EVTCHNOP_send"));
    let mut c = [gnttab_copy::default(); 2];
    assert_eq!(gnttab(&mut c), (20, gnttabop::GNTTABOP_copy.0));
    let mut x = xen_memory_exchange::default();
    assert_eq!(memory(&mut x), (12, xenmem_op::XENMEM_exchange.0));
    assert!(<xen_memory_exchange as IsMemoryOp>::ALSO.is_empty());
    // one struct, three sub-ops
    let mut r = xen_memory_reservation::default();
    assert_eq!(memory(&mut r), (12, xenmem_op::XENMEM_increase_reservation.0));
    assert_eq!(
        <xen_memory_reservation as IsMemoryOp>::ALSO,
        &[
            xenmem_op::XENMEM_decrease_reservation.0,
            xenmem_op::XENMEM_populate_physmap.0
        ]
    );
}
"""


def test_op_traits(ctx):
    """The op structs of every family (domctl, sysctl, event channels,
    grant tables, memory, physdev, platform) implement their family's trait: each impl's CMD
    and each trait's HYPERCALL are the values of the C header's constants
    (a C program checks them at compile time against the generated
    headers), a wrapper generic over the trait sends the right sub-op, and
    a struct of another family does not compile with it."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        work = ctx.mkdtemp("ops")
        crate = generate(ctx, specs, os.path.join(work, "crate"))
        impls, traits = [], []
        for root, _, names in sorted(os.walk(os.path.join(crate, "src"))):
            for n in sorted(names):
                with open(os.path.join(root, n)) as f:
                    text = f.read()
                impls += OP_IMPL.findall(text)
                traits += OP_TRAIT.findall(text)
        per_trait = {}
        for trait, _, _, _ in impls:
            per_trait[trait] = per_trait.get(trait, 0) + 1
        for want in ("IsDomctl", "IsSysctl", "IsEventChannelOp", "IsGrantTableOp",
                     "IsMemoryOp", "IsPhysdevOp", "IsPlatformOp"):
            assert per_trait.get(want), "no struct implements %s" % want
        assert len(traits) == 7, traits
        cdir = generate(ctx, specs, os.path.join(work, "c"), lang="c")
        incs = sorted(os.path.relpath(os.path.join(r, n), cdir)
                      for r, _, ns in os.walk(cdir) for n in ns
                      if n.endswith(".h") and not n.startswith("arch"))
        # (hvm/save.h, as Xen's, refuses strict ISO C; dom0_ops.h, as Xen's,
        # refuses interface versions from 3.2.4 on; neither has an op)
        incs = [h for h in incs if h not in ("hvm/save.h", "dom0_ops.h")]
        # (STRING_DECL: io/9pfs.h's and io/pvcalls.h's rings call memcpy)
        prog = [c_prelude(ctx, cdir) + STRING_DECL] + ['#include "%s"' % h for h in incs]
        for trait, struct, cmd, name in impls:
            prog.append('_Static_assert(%s == %s, "%s::CMD");' % (name, cmd, struct))
            prog.append('_Static_assert(sizeof(struct %s) > 0, "%s");' % (struct, struct))
        for trait, hyper, num in traits:
            prog.append('_Static_assert(%s == %s, "%s::HYPERCALL");' % (hyper, num, trait))
        prog.append("int main(void) { return 0; }")
        with open(os.path.join(work, "ops.c"), "w") as f:
            f.write("\n".join(prog) + "\n")
        st, so, se = ctx.run([ctx.cc, GNU_C, "-Wall", "-Werror", "-D__XEN_TOOLS__",
                              "-I", os.path.join(ctx.root, "support"), "-iquote", cdir,
                              "-o", os.path.join(work, "ops"), os.path.join(work, "ops.c")])
        assert st == 0, "the op numbers disagree with the C header:\n%s" % se
        os.makedirs(os.path.join(crate, "tests"))
        with open(os.path.join(crate, "tests", "ops.rs"), "w") as f:
            f.write(OPS_RS)
        out = cargo(ctx, crate, ctx.mkdtemp("target"), "test", "--offline", "--test", "ops")
        if "1 passed" not in out:
            raise AssertionError("the op test did not run:\n" + out)
        # a grant-table struct in the event-channel wrapper
        with open(os.path.join(crate, "tests", "ops.rs"), "a") as f:
            f.write("\n#[test]\nfn wrong() {\n"
                    "    let mut c = gnttab_copy::default();\n"
                    "    let _ = evtchn(&mut c);\n}\n")
        try:
            cargo(ctx, crate, ctx.mkdtemp("target"), "test", "--offline", "--no-run",
                  "--test", "ops")
        except AssertionError as e:
            want = "the trait bound `gnttab_copy: IsEventChannelOp` is not satisfied"
            assert want in str(e), "not the expected error:\n%s" % e
        else:
            raise AssertionError("a grant-table op compiled as an event-channel op")
        print("rust/cross-language/op-traits: %d op structs: %s" % (len(impls), ", ".join(
            "%s %d" % kv for kv in sorted(per_trait.items()))), flush=True)
    return fn


# ---- diagnostics --------------------------------------------------------------

def test_collide(ctx, case, *extra):
    """Names distinct in C that meet in Rust: exit 1, the exact located
    diagnostics, nothing written.  The C backend has no such problem."""
    def fn():
        base = here(ctx, "specs")
        out = os.path.join(ctx.mkdtemp("collide"), "out")
        st, so, se = ctx.xbg("-i", case, "-o", out, "-l", "rust", "--color", "never", *extra,
                             cwd=base)
        with open(here(ctx, "expected", case + ".stderr")) as f:
            want = f.read()
        if ctx.update:
            with open(here(ctx, "expected", case + ".stderr"), "w") as f:
                f.write(se)
            return
        expect_equal(want, se, "stderr")
        assert st == 1, "exit status %d, expected 1" % st
        assert not os.path.exists(out), "output written despite errors"
        if case in ("collide", "collide_c"):
            st, so, se = ctx.xbg("-i", case, "-o", out + "-c", "-l", "c", cwd=base)
            assert st == 0, "the C backend rejects it too:\n" + se
    return fn


def test_unsupported(ctx):
    """The bitfields the Rust backend cannot map are located errors, not a
    crate that silently lacks them."""
    def fn():
        out = os.path.join(ctx.mkdtemp("unsupported"), "out")
        st, so, se = ctx.xbg("-i", "unsupported", "-o", out, "-l", "rust", "--color", "never",
                             cwd=here(ctx, "specs"))
        assert st == 1, "exit status %d:\n%s" % (st, se)
        errors = [l for l in se.splitlines() if ": error: " in l]
        assert len(errors) == 4, se
        for line in errors:
            assert re.match(r"^unsupported/u/u\.toml:\d+:\d+: error: bitfield .*not supported "
                            r"by the Rust backend$", line), line
        assert not os.path.exists(out), "output written despite errors"
    return fn


def test_crate_name(ctx):
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        out = generate(ctx, specs, ctx.mkdtemp("name"), "--crate-name", "my-xen_sys")
        with open(os.path.join(out, "Cargo.toml")) as f:
            toml = f.read()
        assert 'name = "my-xen_sys"' in toml, toml
        for bad in ("9xen", "xen sys", "fn", "", "x\u202ey"):
            st, so, se = ctx.xbg("-i", specs, "-o", ctx.mkdtemp("bad"), "-l", "rust",
                                 "--crate-name", bad)
            assert st == 1 and "error: invalid crate name" in se, (bad, st, se)
            assert "\u202e" not in se
    return fn


# ---- the prelude -------------------------------------------------------------------

def test_prelude(ctx):
    """src/emit/rust_prelude/*.rs, the Rust source that the tool embeds
    verbatim into src/lib.rs: each file passes `rustfmt --check` on its own,
    with the edition that the generated Cargo.toml names, and the crate
    generated from specs/xen, whose lib.rs holds every one of them (checked
    here), passes `cargo clippy -- -D warnings`."""
    def fn():
        files = sorted(n for n in os.listdir(os.path.join(ctx.root, PRELUDE))
                       if n.endswith(".rs"))
        assert files, "no .rs file in " + PRELUDE
        crate = generate(ctx, os.path.join(ctx.root, "specs", "xen"), ctx.mkdtemp("prelude"))
        with open(os.path.join(crate, "Cargo.toml")) as f:
            edition = re.search(r'^edition = "(\d+)"$', f.read(), re.M).group(1)
        with open(os.path.join(crate, "src", "lib.rs")) as f:
            lib = f.read()
        for name in files:
            path = os.path.join(PRELUDE, name)
            st, so, se = ctx.run(["rustfmt", "--check", "--color", "never",
                                  "--edition", edition, path], cwd=ctx.root)
            if st != 0:
                raise AssertionError("rustfmt --check --edition %s %s failed (%d):\n%s%s"
                                     % (edition, path, st, so, se))
            with open(os.path.join(ctx.root, path)) as f:
                text = f.read()
            assert "\n" + text in lib, \
                "%s is not in the lib.rs generated from specs/xen: clippy would miss it" % path
        try:
            cargo(ctx, crate, ctx.mkdtemp("target"), "clippy", "--offline", "--",
                  "-D", "warnings")
        except AssertionError as e:
            raise AssertionError("clippy on the crate of specs/xen, whose src/lib.rs holds "
                                 "%s/{%s}:\n%s" % (PRELUDE, ",".join(files), e))
    return fn


# ---- shape and determinism -------------------------------------------------------

def files_of(tree):
    out = {}
    for d, _, names in os.walk(tree):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, tree)] = f.read()
    return out


def test_shape(ctx):
    """What every generated file promises: the banner (marker, spec files,
    regeneration command), the Cargo.toml settings, clean text."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        out = generate(ctx, specs, ctx.mkdtemp("shape"))
        files = files_of(out)
        for name in ("Cargo.toml", "src/lib.rs", "src/domctl.rs", "src/sysctl.rs"):
            assert name in files, "no %s in %s" % (name, sorted(files))
        # (a module file, or a directory when the architecture has units of
        # its own: arch-x86/hvm/save, arch-arm/hvm/save)
        for arch in ("arch_arm", "arch_x86"):
            assert "src/%s.rs" % arch in files or "src/%s/mod.rs" % arch in files, sorted(files)
        for name, data in files.items():
            text = data.decode("utf-8")
            # the banner: lib.rs lists every spec file of the crate
            head = text[:text.find("\n\n") + 1]
            assert "generated by xenbindgen" in head, name
            assert HINT in head, name
            for line in text.split("\n"):
                assert line == line.rstrip(), "%s: trailing whitespace: %r" % (name, line)
                assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", line), (name, line)
            assert text.endswith("\n") and not text.endswith("\n\n"), name
        assert "domctl/createdomain.toml" in files["src/domctl.rs"].decode()[:1024]
        # an array whose length the spec names by a constant, as C does
        assert "pub cmd_line: [i8; MAX_GUEST_CMDLINE as usize]," in files["src/xen.rs"].decode()
        assert "pub vcpu_info: [vcpu_info; crate::arch::XEN_LEGACY_MAX_VCPUS as usize]," \
            in files["src/xen.rs"].decode()
        toml = files["Cargo.toml"].decode()
        for want in ('name = "xen-abi"', 'version = "0.1.0"', 'edition = "2021"',
                     "[lib]\ndoctest = false"):
            assert want in toml, want
        assert "dependencies" not in toml
        lib = files["src/lib.rs"].decode()
        # no filler documentation: what the specs leave undocumented has no
        # doc comment, so missing_docs cannot be denied
        assert "missing_docs" not in lib
        for want in ("#![no_std]", "pub struct GuestHandle64<T>",
                     "pub struct Align64<T>", "pub unsafe trait IsDomctl",
                     "pub unsafe trait IsSysctl", "pub use arch_x86 as arch;",
                     '#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]\npub mod arch_x86;'):
            assert want in lib, want
    return fn


def test_private(ctx):
    """Padding and reserved fields are private: code outside the crate
    cannot set them (a value comes from Default, which zeroes them); a
    type with implicit padding has no as_bytes (its padding bytes may be
    uninitialised)."""
    def fn():
        crate = generate(ctx, os.path.join(ctx.root, "specs", "xen"), ctx.mkdtemp("private"))
        os.makedirs(os.path.join(crate, "tests"))
        with open(os.path.join(crate, "tests", "private.rs"), "w") as f:
            f.write("#[test]\nfn set_padding() {\n"
                    "    let mut g = xen_abi::domctl::xen_domctl_getdomaininfo::default();\n"
                    "    g.pad1 = 1;\n"
                    "    assert_eq!(g.domain, 0);\n"
                    "    // tail padding: no as_bytes\n"
                    "    let r = xen_abi::sysctl::xen_sysctl_readconsole::default();\n"
                    "    assert_eq!(r.as_bytes().len(), 24);\n"
                    "    // a sysctl op in a domctl envelope\n"
                    "    let _ = xen_abi::domctl::xen_domctl::new(r);\n}\n")
        try:
            cargo(ctx, crate, ctx.mkdtemp("target"), "test", "--offline", "--no-run")
        except AssertionError as e:
            for want in ("field `pad1` of struct `xen_domctl_getdomaininfo` is private",
                         "no method named `as_bytes` found for struct `xen_sysctl_readconsole`",
                         "the trait bound `xen_sysctl_readconsole: IsDomctl` is not satisfied"):
                assert want in str(e), "not the expected error:\n%s" % e
        else:
            raise AssertionError("a padding field could be set outside the crate")
    return fn


def test_size(ctx):
    """The crate for specs/xen stays compact: at most about twice the lines
    of its C headers (one assertion call per group of targets and one
    Default call per module, not a block and an impl per type)."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        crate = generate(ctx, specs, ctx.mkdtemp("size-rust"))
        headers = generate(ctx, specs, ctx.mkdtemp("size-c"), lang="c")

        def lines(tree, ext):
            return sum(data.count(b"\n") for name, data in files_of(tree).items()
                       if name.endswith(ext))
        rust, c = lines(crate, ".rs"), lines(headers, ".h")
        assert c > 1000, "only %d lines of C" % c
        assert rust <= 2.2 * c, "%d lines of Rust for %d lines of C (%.2f times)" \
            % (rust, c, rust / c)
    return fn


def test_determinism(ctx):
    """Two runs give byte-identical trees; a third into the same directory
    changes nothing, and --check agrees."""
    def fn():
        for specs in spec_sets(ctx).values():
            a = generate(ctx, specs, ctx.mkdtemp("det-a"))
            b = generate(ctx, specs, ctx.mkdtemp("det-b"))
            compare_trees(a, b)
            assert files_of(a) == files_of(b)
            st, so, se = ctx.xbg("-i", specs, "-o", a, "-l", "rust", "--regen-hint", HINT, "-v")
            assert st == 0 and so.startswith("0 written"), so + se
            st, so, se = ctx.xbg("-i", specs, "-o", a, "-l", "rust", "--regen-hint", HINT,
                                 "--check")
            assert st == 0, so + se
    return fn


def test_text(ctx):
    """Hostile text in descriptions, file names and the regeneration
    command: no control characters, no bidirectional overrides (rustc
    rejects them in comments), valid UTF-8; the crate still builds."""
    def fn():
        work = ctx.mkdtemp("text")
        specs = os.path.join(work, "specs")
        shutil.copytree(here(ctx, "specs", "text"), specs)
        weird = os.path.join(specs, "text", "we\u202eird\x1bname\t.toml")
        with open(weird, "w") as f:
            f.write("")
        out = os.path.join(work, "crate")
        hint = "make \x1b[31mrust\u202e\nrm -rf /\t\udcff".encode("utf-8", "surrogateescape")
        st, so, se = ctx.run([ctx.tool, "-i", specs, "-o", out, "-l", "rust",
                              "--regen-hint", hint.decode("utf-8", "surrogateescape")])
        assert st == 0, se
        for name, data in files_of(out).items():
            text = data.decode("utf-8")  # valid UTF-8
            for c in "\u202e\u2066\u200f\x1b\t\r\x00\x01\x7f\x85":
                assert c not in text, "%s holds %r" % (name, c)
            for line in text.split("\n"):
                assert line == line.rstrip(), "%s: trailing whitespace: %r" % (name, line)
        check_crate(ctx, out, ctx.mkdtemp("target"))
    return fn


def test_perturbed(ctx):
    """The layout assertions can fail: one wrong number in the engine (a
    test-only switch) breaks the x86_64 build and names type and field;
    a wrong number for another target does not matter here."""
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        for perturb, want in (("xen_sysctl_readconsole.count@x86_64",
                               "offset of xen_sysctl_readconsole::count"),
                              ("xen_domctl_createdomain@x86_64",
                               "size of xen_domctl_createdomain"),
                              ("xen_domctl_createdomain.flags@arm32", None)):
            out = ctx.mkdtemp("perturb")
            st, so, se = ctx.run([ctx.hooks, "-i", specs, "-o", out, "-l", "rust"],
                                 env={"XBG_TEST_PERTURB": perturb})
            assert st == 0, se
            # a target directory of its own: cargo may reuse the artifacts
            # of a same-named crate at another path
            target = ctx.mkdtemp("target")
            if want is None:
                cargo(ctx, out, target, "build", "--offline")
                continue
            try:
                cargo(ctx, out, target, "build", "--offline")
            except AssertionError as e:
                assert want in str(e), "failure does not name type and field:\n%s" % e
            else:
                raise AssertionError("perturbed layout (%s) compiled" % perturb)
    return fn


def collect(ctx):
    sets = spec_sets(ctx)
    tests = [
        # the crates with C names (the default) and with Rust names: the
        # API tests are written for one or the other
        Test("rust/rfc", test_crate(ctx, "rfc", sets["rfc"], ["rfc.rs"], *RUST_NAMES),
             CARGO + data_needs(sets["rfc"])),
        Test("rust/xen", test_crate(ctx, "xen", sets["xen"], ["xen.rs"]), CARGO),
        Test("rust/xen/rust-names", test_crate(ctx, "xen", sets["xen"], [], *RUST_NAMES),
             CARGO),
        Test("rust/api", test_crate(ctx, "api", sets["api"], ["api.rs"], *RUST_NAMES), CARGO),
        Test("rust/naming", test_crate(ctx, "naming", sets["naming"], ["naming.rs"],
                                       *RUST_NAMES), CARGO),
        Test("rust/naming/c", test_crate(ctx, "naming", sets["naming"], ["naming_c.rs"]),
             CARGO),
        Test("rust/model", test_crate(ctx, "model", sets["model"], ["model.rs"], *RUST_NAMES),
             CARGO),
        Test("rust/long-names", test_crate(ctx, "long", sets["long-names"], []), CARGO),
        # constants as expressions and macros as const fn, in both styles
        Test("rust/exprs", test_crate(ctx, "exprs", sets["exprs"], []), CARGO),
        Test("rust/exprs/rust-names", test_crate(ctx, "exprs", sets["exprs"], [], *RUST_NAMES),
             CARGO),
        Test("rust/dropin", test_crate(ctx, "dropin", sets["dropin"], ["dropin.rs"]), CARGO),
        Test("rust/text", test_text(ctx), CARGO),
        Test("rust/prelude", test_prelude(ctx), CARGO + RUSTFMT),
        Test("rust/cross-language/xen",
             test_cross(ctx, sets["xen"], ["xen_domctl_createdomain", "xen_sysctl_readconsole"]),
             CARGO + [Need("gcc", command=ctx.cc.split()[0])]),
        Test("rust/cross-language/model", test_cross(ctx, sets["model"],
                                                               ["everything", "ioreq", "buf_ioreq",
                                                                "only_bits", "c_words"]),
             CARGO + [Need("gcc", command=ctx.cc.split()[0])]),
        Test("rust/cross-language/envelope", test_envelope(ctx),
             CARGO + [Need("gcc", command=ctx.cc.split()[0])]),
        Test("rust/cross-language/op-traits", test_op_traits(ctx),
             CARGO + [Need("gcc", command=ctx.cc.split()[0])]),
        Test("rust/layout/perturbed-engine-fails", test_perturbed(ctx), CARGO),
        Test("rust/collide/names", test_collide(ctx, "collide", *RUST_NAMES)),
        Test("rust/collide/c-names", test_collide(ctx, "collide_c")),
        Test("rust/collide/modules", test_collide(ctx, "collide_modules")),
        Test("rust/unsupported", test_unsupported(ctx)),
        Test("rust/crate-name", test_crate_name(ctx)),
        Test("rust/shape", test_shape(ctx)),
        Test("rust/size", test_size(ctx)),
        Test("rust/private-padding", test_private(ctx), CARGO),
        Test("rust/determinism", test_determinism(ctx), data_needs(sets["rfc"])),
    ]
    return tests
