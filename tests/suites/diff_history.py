"""The proof of `xenbindgen diff` on real history (issue 18, point 3;
docs/abi-evolution.md section 6): Xen's public headers of 4.17.7, 4.18.0,
4.19.0, 4.20.0, 4.21.0 and 4.22.0 (../shared/xen-public/) are imported
(`xenbindgen import --tree --facts`), and `diff --format json` of each
consecutive pair and of 4.17.7 -> 4.22.0 is held against what libclang
says of the headers themselves (the --facts file: the tools view of every
target, records' layouts and integer values, from the same parses as the
import).  For every pair and target:

  * a struct or union that both spec trees describe and clang sees on
    both sides: diff reports a `layout` change of it (or of one of its
    inline types, TYPE.member) exactly when clang's layouts differ (size,
    alignment, or a member's access path, bit offset, size or bit width);
  * a constant or enumerator likewise: a `value` change exactly when
    clang's evaluated values differ;
  * `added` / `removed` exactly when the name is in one spec tree only,
    and then clang must not see it on the side without it, unless that
    side's spec does not describe it (the importer kept it as verbatim
    text): that is counted as coverage, not as an error of diff; a
    function-like macro (not in the summary) must be one clang sees on
    the side that has it;
  * needs-bump exactly for the op structs of NEEDS_BUMP;
  * and first of all, the imported specs are the headers: a struct or
    union both describe whose layout (size, alignment, a shared member's
    offset, size or bits) or a constant whose value is not clang's, on
    either side, fails the test, named with its target and release (no
    exclusion: an importer's error would make diff's verdict meaningless).

The imported trees have no [abi] bump rules; the test adds Xen's own
rules (those of specs/xen) to the imported domctl and sysctl units, then
reports every pair in which a domctl or sysctl op struct changed (by
clang) and whether XEN_DOMCTL_INTERFACE_VERSION or
XEN_SYSCTL_INTERFACE_VERSION changed with it.  The counts and findings
are printed (run `python3 tests/run.py -v diff/history` to read them) and
written to $TMPDIR/.../diff-history.txt.

It needs a xenbindgen built with libclang and the six trees in ../shared:
declared as Needs, so that under CI it fails instead of skipping.
"""

import json
import re
import os
import sys
import threading
import time

from run import Need, Test

RELEASES = ["4.17.7", "4.18.0", "4.19.0", "4.20.0", "4.21.0", "4.22.0"]
PAIRS = [(RELEASES[i], RELEASES[i + 1]) for i in range(len(RELEASES) - 1)] + \
        [(RELEASES[0], RELEASES[-1])]
TARGETS = ["x86_32", "x86_64", "arm32", "arm64"]
CLASSES = ["breaking", "needs-bump", "compatible"]

# Xen's rules, as specs/xen/domctl/domctl.toml and sysctl/sysctl.toml say
# them: appended to the imported units as a table of their own.
BUMPS = {
    os.path.join("domctl", "domctl.toml"):
        ("XEN_DOMCTL_INTERFACE_VERSION", "xen_domctl"),
    os.path.join("sysctl", "sysctl.toml"):
        ("XEN_SYSCTL_INTERFACE_VERSION", "xen_sysctl"),
}

# What diff must say needs a bump, per pair (the types, on any target):
# Xen changed these op structs without a new interface version.  4.21's
# xen_domctl_createdomain (altp2m_opts became the struct altp2m) and
# xen_domctl_getdomaininfo (arm's arch_config grew) are the domctl case;
# the others are sysctl's (docs/abi-evolution.md section 6).
NEEDS_BUMP = {
    ("4.18.0", "4.19.0"): ["xen_sysctl_livepatch_op"],
    ("4.20.0", "4.21.0"): ["xen_domctl_createdomain", "xen_domctl_getdomaininfo"],
    ("4.21.0", "4.22.0"): ["xen_sysctl_cpu_levelling_caps"],
}

_probe = {}


def has_libclang(ctx):
    if "clang" not in _probe:
        st, so, se = ctx.run([ctx.real_tool, "compare", "/nonexistent-a", "/nonexistent-b"])
        _probe["clang"] = "built without it" not in se
    return _probe["clang"]


def add_bump_rules(specs):
    for rel, (const, prefix) in BUMPS.items():
        path = os.path.join(specs, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert "[abi]" not in text, path
        with open(path, "a", encoding="utf-8") as f:
            f.write('\n[abi]\nbump = [\n  { constant = "%s", types = ["%s", "%s_*"], '
                    'description = "Xen bumps it with every incompatible change of '
                    'an op." },\n]\n' % (const, prefix, prefix))


def arch_ok(header, target):
    """A header of one architecture describes nothing on the other's
    targets (libclang still parses it there, after xen.h); riscv and ppc
    headers are for targets the importer does not view."""
    if header.startswith("arch-x86"):
        return target.startswith("x86")
    if header.startswith("arch-arm"):
        return target.startswith("arm")
    return not header.startswith("arch-")


def read_clang(path):
    """{target: {"record": {name: {layouts}}, "value": {name: {values}}}}:
    a name a header defines differently from another is a set of
    facts."""
    out = {t: {"record": {}, "value": {}, "macro": {}} for t in TARGETS}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.rstrip("\n").split("\t")
            header, target, kind, name = w[0], w[1], w[2], w[3]
            if target not in out or kind not in ("record", "value", "macro") or \
               not arch_ok(header, target):
                continue
            fact = tuple(w[4:]) if kind != "value" else int(w[4]) % (1 << 64)
            out[target][kind].setdefault(name, set()).add(fact)
    return out


def summary_value(text):
    v = text.split(" ")[0]
    return int(v, 16 if v.startswith("0x") else 10) % (1 << 64)


def read_summary(path):
    """{target: {"type": {name: (what, size, align)}, "value": {name:
    value}, "macro": {name: text}}} from the abi-summary of a spec tree."""
    out = {t: {"type": {}, "value": {}, "member": {}, "macro": {}} for t in TARGETS}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = re.match(r"^(\S+) type (\S+) member (\S+): offset (\d+) size (\d+)"
                         r"(?: bits (\d+)@(\d+))?", line)
            if m:
                if m.group(1) in out:
                    # a bit-field: its bit offset in the record and width,
                    # as clang's facts give them
                    bits = (int(m.group(4)) * 8 + int(m.group(7)), int(m.group(6))) \
                        if m.group(6) else None
                    out[m.group(1)]["member"].setdefault(m.group(2), {})[m.group(3)] = \
                        (int(m.group(4)), int(m.group(5)), bits)
                continue
            if " member " in line:
                continue
            head, _, rest = line.rstrip("\n").partition(": ")
            w = head.split(" ")
            if len(w) != 3 or w[0] not in out:
                continue
            if w[1] == "type":
                r = rest.split(" ")
                out[w[0]]["type"][w[2]] = (r[0], r[2], r[4])
            elif w[1] in ("constant", "enumerator"):
                out[w[0]]["value"][w[2]] = summary_value(rest)
            elif w[1] == "macro":
                out[w[0]]["macro"][w[2]] = rest
    return out


def same_members(fact, spec):
    """Do the members both name have the same offset and size?  (A union
    holding a record with a flexible array the model lays out with the old
    interface's length keeps its size, but not its member's.)"""
    for m in fact[2:]:
        name, off, size, bits = m.rsplit(":", 3)
        if name in spec:
            size = max(int(size), 0)
            if int(bits) >= 0:
                # a bit-field: clang gives its first bit, the summary its
                # storage unit and the bits' place in it
                if (int(off), int(bits)) != spec[name][2] or size != spec[name][1]:
                    return False
            elif (int(off) // 8, size) != spec[name][:2]:
                return False
    return True


def sp_members(fact, spec):
    """The members whose offset or size the spec has otherwise, for the
    message."""
    out = []
    for m in fact[2:]:
        name, off, size, bits = m.rsplit(":", 3)
        if name in spec:
            out.append("%s clang %s:%s:%s spec %s" % (name, off, size, bits, spec[name]))
    return ", ".join(out[:6]) or "none"


def check_pair(old, new, changes, report):
    """Problems (diff against clang) and the counts of the pair."""
    problems = []
    counts = {"checked types": 0, "checked values": 0, "coverage": 0,
              "unfaithful": set()}
    by_target = {t: {} for t in TARGETS}
    for c in changes:
        if c["target"] in by_target:
            by_target[c["target"]].setdefault(c["change"], []).append(c)
    for t in TARGETS:
        so, sn = old["summary"][t], new["summary"][t]
        co, cn = old["clang"][t], new["clang"][t]
        ch = by_target[t]
        layout = {}
        for c in ch.get("layout", []):
            if c["kind"] == "type":
                layout.setdefault(c["item"].split(".")[0], []).append(c["detail"])
        value = {c["item"] for c in ch.get("value", [])}
        # function-like macros are not in the abi-summary: checked
        # against clang's macro facts below
        added = {c["item"] for c in ch.get("added", []) if c["kind"] not in ("handle", "macro")}
        removed = {c["item"] for c in ch.get("removed", []) if c["kind"] not in ("handle", "macro")}
        for c in ch.get("added", []) + ch.get("removed", []):
            if c["kind"] != "macro" or "." in c["item"]:
                continue
            there, other = (cn, co) if c["change"] == "added" else (co, cn)
            if c["item"] not in there["macro"]:
                problems.append("%s %s: diff says the macro is %s, clang does not see "
                                "it there" % (t, c["item"], c["change"]))
            elif c["item"] in other["macro"]:
                counts["coverage"] += 1
        # records
        for name in sorted(set(so["type"]) & set(sn["type"])):
            if "." in name or so["type"][name][0] not in ("struct", "union") or \
               name not in co["record"] or name not in cn["record"]:
                continue
            # the imported spec must lay the record out as clang does on
            # both sides: otherwise the importer is wrong, and diff's
            # verdict would say nothing
            bad = [(v, sorted(c[name]), sp["type"][name][1:])
                   for v, c, sp in ((old["version"], co["record"], so),
                                    (new["version"], cn["record"], sn))
                   if len(c[name]) != 1 or next(iter(c[name]))[:2] != sp["type"][name][1:] or
                   not same_members(next(iter(c[name])), sp["member"].get(name, {}))]
            if bad:
                for v, fact, spec in bad:
                    counts["unfaithful"].add(name)
                    problems.append("%s %s: the spec imported from %s is not the header: "
                                    "clang lays it out as %s, the spec as size %s align %s "
                                    "(members: %s)" % (
                                        t, name, v, [f[:2] for f in fact], spec[0], spec[1],
                                        (sp_members(fact, (so if v == old["version"] else sn)
                                                    ["member"].get(name, {})))))
                continue
            counts["checked types"] += 1
            clang_changed = co["record"][name] != cn["record"][name]
            if clang_changed != (name in layout):
                problems.append("%s %s: clang says the layout %s, diff says %s" % (
                    t, name, "changed" if clang_changed else "is the same",
                    layout.get(name, "nothing")))
        # values
        for name in sorted(set(so["value"]) & set(sn["value"])):
            if name not in co["value"] or name not in cn["value"]:
                continue
            bad = [(v, sorted(c[name]), sp[name])
                   for v, c, sp in ((old["version"], co["value"], so["value"]),
                                    (new["version"], cn["value"], sn["value"]))
                   if c[name] != {sp[name]}]
            if bad:
                for v, fact, spec in bad:
                    counts["unfaithful"].add(name)
                    problems.append("%s %s: the spec imported from %s is not the header: "
                                    "clang's value %s, the spec's %d" % (t, name, v, fact, spec))
                continue
            counts["checked values"] += 1
            clang_changed = co["value"][name] != cn["value"][name]
            if clang_changed != (name in value):
                problems.append("%s %s: clang says the value %s (%s -> %s), diff %s" % (
                    t, name, "changed" if clang_changed else "is the same",
                    sorted(co["value"][name]), sorted(cn["value"][name]),
                    "reports it" if name in value else "does not"))
        # added and removed: what diff says is what the spec trees hold
        # (function-like macros were checked against clang above)
        names_o = {n for n in so["type"] if "." not in n} | set(so["value"])
        names_n = {n for n in sn["type"] if "." not in n} | set(sn["value"])
        top_added = {n for n in added if "." not in n}
        top_removed = {n for n in removed if "." not in n}
        if top_added != names_n - names_o:
            problems.append("%s: diff's added %s, the trees' %s" % (
                t, sorted(top_added ^ (names_n - names_o))[:5], "differ"))
        if top_removed != names_o - names_n:
            problems.append("%s: diff's removed %s, the trees' %s" % (
                t, sorted(top_removed ^ (names_o - names_n))[:5], "differ"))
        # and clang: absent on the side without it, or not described there
        for name, side_c, side_s in [(n, co, so) for n in top_added] + \
                                   [(n, cn, sn) for n in top_removed]:
            kind = "value" if name in so["value"] or name in sn["value"] else "record"
            if name in side_c[kind]:
                counts["coverage"] += 1
    return problems, counts


def incompatible(old, new):
    """Does clang's layout new break old: size or alignment, or a member
    of old moved, resized, re-cut or gone (a member added in padding or
    in a union does not)?"""
    if len(old) != 1 or len(new) != 1:
        return old != new
    o, n = next(iter(old)), next(iter(new))
    if o[:2] != n[:2]:
        return True
    members = {m.rsplit(":", 3)[0]: m for m in n[2:]}
    return any(members.get(m.rsplit(":", 3)[0]) != m for m in o[2:])


def domctl_findings(pair, old, new, changes):
    lines = []
    for prefix, const in (("xen_domctl", "XEN_DOMCTL_INTERFACE_VERSION"),
                          ("xen_sysctl", "XEN_SYSCTL_INTERFACE_VERSION")):
        changed, breaks, gone = set(), set(), set()
        for t in TARGETS:
            co, cn = old["clang"][t]["record"], new["clang"][t]["record"]
            for name in co:
                if name != prefix and not name.startswith(prefix + "_"):
                    continue
                if name not in cn:
                    gone.add(name)
                elif co[name] != cn[name]:
                    changed.add(name)
                    if incompatible(co[name], cn[name]):
                        breaks.add(name)
        vo = old["clang"]["x86_64"]["value"].get(const)
        vn = new["clang"]["x86_64"]["value"].get(const)
        need = sorted({c["item"] for c in changes if c["class"] == "needs-bump"
                       and c["item"].startswith(prefix)})
        by_diff = sorted({c["item"].split(".")[0] for c in changes
                          if c["change"] == "layout" and c["kind"] == "type" and
                          c["class"] != "compatible" and c["item"].startswith(prefix)})
        fmt = lambda v: "/".join("0x%x" % x for x in sorted(v)) if v else "?"
        lines.append("  %s: %d op structs changed by clang%s, of which incompatibly: "
                     "%s; removed: %s; %s %s -> %s (%s); "
                     "diff: breaking layout changes of %s, needs-bump: %s" % (
                         prefix[4:], len(changed),
                         (" (" + ", ".join(sorted(changed)) + ")") if changed else "",
                         ", ".join(sorted(breaks)) or "none",
                         ", ".join(sorted(gone)) or "none",
                         const, fmt(vo), fmt(vn),
                         "bumped" if vo != vn else "unchanged",
                         ", ".join(by_diff) if by_diff else "none",
                         ", ".join(need) if need else "none"))
    return lines


def test_history(ctx):
    def fn():
        t0 = time.time()
        base = ctx.mkdtemp("history")
        trees = {}
        errors = []
        lock = threading.Lock()
        todo = list(RELEASES)

        def worker():
            while True:
                with lock:
                    if not todo:
                        return
                    v = todo.pop(0)
                specs = os.path.join(base, v)
                facts = os.path.join(base, v + ".facts")
                st, so, se = ctx.xbg("import", "-j1", "--tree",
                                     os.path.join(ctx.shared, "xen-public", v),
                                     "-o", specs, "--facts", facts, timeout=900)
                if st != 0:
                    with lock:
                        errors.append("import %s: %d %s" % (v, st, se[-2000:]))
                    continue
                add_bump_rules(specs)
                sdir = os.path.join(base, v + ".summary")
                st, so, se = ctx.xbg("-i", specs, "-o", sdir, "-l", "abi-summary",
                                     timeout=300)
                if st != 0:
                    with lock:
                        errors.append("abi-summary %s: %d %s" % (v, st, se[-2000:]))
                    continue
                data = {"version": v, "specs": specs, "clang": read_clang(facts),
                        "summary": read_summary(os.path.join(sdir, "abi-summary.txt"))}
                with lock:
                    trees[v] = data

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors, "\n".join(errors)
        t_import = time.time() - t0
        report, problems = [], []
        for a, b in PAIRS:
            st, so, se = ctx.xbg("diff", "--format", "json", trees[a]["specs"],
                                 trees[b]["specs"], timeout=300)
            assert st in (0, 1), (a, b, st, se[-2000:])
            changes = json.loads(so)["changes"]
            mine = [c for c in changes if c["target"] in TARGETS]
            p, counts = check_pair(trees[a], trees[b], mine, report)
            problems += ["%s -> %s: %s" % (a, b, x) for x in p]
            bump = sorted({c["item"].split(".")[0] for c in mine if c["class"] == "needs-bump"})
            if bump != NEEDS_BUMP.get((a, b), []):
                problems.append("%s -> %s: diff says %s need a new interface version, "
                                "expected %s" % (a, b, bump or "no types",
                                                 NEEDS_BUMP.get((a, b)) or "none"))
            per = {k: sum(c["class"] == k for c in mine) for k in CLASSES}
            report.append("%s -> %s: %d mismatches; %d changes on x86_32/x86_64/arm32/arm64: %s; "
                          "checked against clang: %d type layouts, %d values; "
                          "added/removed where clang sees the item but the spec "
                          "does not describe it: %d; specs that are not the "
                          "headers' (each a mismatch): %s" % (
                              a, b, len(p), len(mine), ", ".join("%d %s" % (per[k], k)
                                                          for k in CLASSES),
                              counts["checked types"], counts["checked values"],
                              counts["coverage"],
                              ", ".join(sorted(counts["unfaithful"])) or "none"))
            report += domctl_findings((a, b), trees[a], trees[b], mine)
        report.append("time: %.1f s (imports, facts and summaries %.1f s)" % (
            time.time() - t0, t_import))
        text = "\n".join(report) + "\n"
        with open(os.path.join(ctx.tmp, "diff-history.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        sys.stdout.write(text)
        assert not problems, "%d mismatches between diff and clang:\n%s" % (
            len(problems), "\n".join(problems[:60]))
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") not in ("", "0"):
        return []
    needs = [Need("libclang-dev", probe=lambda: has_libclang(ctx))]
    needs += [Need.shared(os.path.join("xen-public", v)) for v in RELEASES]
    return [Test("diff/history", test_history(ctx), needs)]
