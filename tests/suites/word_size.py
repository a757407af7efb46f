"""32- and 64-bit targets of one architecture (issue 16, point 4):
`xenbindgen validate` says, per pair (x86_32 / x86_64, arm32 / arm64),
how many types differ and which op structs of the versioned families
(XEN_<FAMILY>_INTERFACE_VERSION: domctl, sysctl, ...) differ, and
`validate --differ` lists every type.

The proof is on Xen 4.17's headers, imported with the facts libclang
computes from the same parses (`import --tree --facts`): for every struct
and union the imported specs describe and clang sees once per target,
`--differ` lists it for a pair exactly when clang's layouts on the two
targets differ (size, alignment, a member's offset, size or bit width).
The op structs found are printed; the two Xen's own documentation knows
of (xen_domctl_cacheflush, xen_sysctl_page_offline_op) must be among them
with a size difference.  The same lists for specs/xen are checked to name
those two, the FLASK ones, two domctls and two of sysctl.h (SPECS_XEN).
"""

import os
import re

from run import Need, Test
from suites.diff_history import arch_ok
from suites.import_headers import has_libclang

TARGETS = ("x86_32", "x86_64", "arm32", "arm64")
PAIRS = (("x86_32", "x86_64"), ("arm32", "arm64"))
KNOWN = {"xen_domctl_cacheflush", "xen_sysctl_page_offline_op"}
# specs/xen's: those two, FLASK's (XEN_FLASK_INTERFACE_VERSION), whose
# native guest handles and plain uint64_t Xen's flask_op.h has too (the
# imported tree lists them as well), and the two domctls whose plain
# uint64_t is 4-aligned on x86_32 in Xen's domctl.h
SPECS_XEN = KNOWN | {"xen_flask_load", "xen_flask_sid_context", "xen_flask_boolean",
                     "xen_flask_ocontext", "xen_flask_devicetree_label", "xen_flask_op",
                     "xen_domctl_audit_p2m", "xen_domctl_psr_alloc"}
# sysctl.h's plain uint64_t members (4-aligned on x86_32), as imported
SPECS_XEN |= {"xen_sysctl_meminfo", "xen_sysctl_psr_cmt_op"}


def clang_records(path):
    """{target: {name: layout}} for the records clang sees once."""
    seen = {t: {} for t in TARGETS}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.rstrip("\n").split("\t")
            if len(w) < 6 or w[2] != "record" or w[1] not in seen or \
               not arch_ok(w[0], w[1]):
                continue
            seen[w[1]].setdefault(w[3], set()).add(tuple(w[4:]))
    return {t: {n: next(iter(v)) for n, v in seen[t].items() if len(v) == 1}
            for t in TARGETS}


def spec_records(summary):
    """{target: set of struct and union names} of an abi-summary."""
    out = {t: set() for t in TARGETS}
    with open(summary, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(\S+) type ([A-Za-z_]\w*): (struct|union) ", line)
            if m and m.group(1) in out:
                out[m.group(1)].add(m.group(2))
    return out


def differ_lists(text):
    """{(t, u): set of names} and the op lines of validate --differ."""
    lists, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^Layouts that differ between (\S+) and (\S+):$", line)
        if m:
            cur = lists.setdefault((m.group(1), m.group(2)), set())
            continue
        m = re.match(r"^  (?:struct|union|alias|enum|bitmap|handle) (\S+): ", line)
        if m and cur is not None:
            cur.add(m.group(1))
        elif not line.startswith("  "):
            cur = None
    ops = re.findall(r"^    (\w+) \((\S+) / (\S+)\): (.*)$", text, re.M)
    return lists, ops


def test_imported(ctx):
    def fn():
        x = os.path.join(ctx.shared, "xen-public", "4.17.7")
        base = ctx.mkdtemp("word-size")
        specs, facts = os.path.join(base, "specs"), os.path.join(base, "facts")
        st, so, se = ctx.xbg("import", "-j2", "--tree", x, "-o", specs, "--facts", facts,
                             timeout=900)
        assert st == 0, (st, so[-2000:], se[-2000:])
        summ = os.path.join(base, "summary")
        st, so, se = ctx.xbg("-i", specs, "-o", summ, "-l", "abi-summary", timeout=900)
        assert st == 0, (st, so[-2000:], se[-2000:])
        st, so, se = ctx.xbg("validate", "-i", specs, "--differ", timeout=900)
        assert st == 0, (st, so[-2000:], se[-2000:])
        lists, ops = differ_lists(so)
        clang = clang_records(facts)
        recs = spec_records(os.path.join(summ, "abi-summary.txt"))
        problems, checked = [], 0
        for t, u in PAIRS:
            listed = lists.get((t, u), set())
            for name in sorted(recs[t] & recs[u]):
                if name not in clang[t] or name not in clang[u]:
                    continue
                checked += 1
                if (clang[t][name] != clang[u][name]) != (name in listed):
                    problems.append("%s / %s %s: clang says the layouts %s, validate %s" % (
                        t, u, name, "differ" if clang[t][name] != clang[u][name] else "agree",
                        "lists it" if name in listed else "does not"))
        assert not problems, "\n".join(problems[:50])
        names = {n for n, _, _, _ in ops}
        assert KNOWN <= names, "not reported: %s" % sorted(KNOWN - names)
        for n, t, u, how in ops:
            if n in KNOWN:
                assert how.startswith("size "), (n, how)
        print("word-size/imported-4.17: %d record layouts held against clang; %s" % (
            checked, "; ".join("%s/%s %d types" % (t, u, len(lists.get((t, u), ())))
                               for t, u in PAIRS)), flush=True)
        for n, t, u, how in ops:
            print("    %s (%s / %s): %s" % (n, t, u, how), flush=True)
    return fn


def test_specs_xen(ctx):
    def fn():
        st, so, se = ctx.xbg("validate", "-i", os.path.join(ctx.root, "specs", "xen"))
        assert st == 0, se[-2000:]
        _, ops = differ_lists(so)
        assert {n for n, _, _, _ in ops} == SPECS_XEN, ops
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") not in ("", "0"):
        return []
    needs = [Need("libclang-dev", probe=lambda: has_libclang(ctx)),
             Need.shared(os.path.join("xen-public", "4.17.7"))]
    return [Test("word-size/imported-4.17", test_imported(ctx), needs),
            Test("word-size/specs-xen", test_specs_xen(ctx))]
