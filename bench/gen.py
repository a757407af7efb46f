#!/usr/bin/env python3
"""Synthetic spec corpus for `make bench`.

    bench/gen.py N OUTDIR [--format toml|yaml]

writes N structs, each with its own enum and bitmap, spread over output
directories of STRUCTS_PER_UNIT structs (FILES_PER_UNIT spec files each),
under OUTDIR/<unit>/.  The TOML follows the RFC's schema: adjacently tagged
types ({ tag = "u32" }, { tag = "array", args = [{ tag = "u8" }, 16] }) and
repeated [[structs.fields]] / [[enums.variants]] / [[bitmaps.bits]] tables,
as in the RFC's specs/domctl/createdomain.toml.  The YAML corpus is the
same document tree written as YAML block mappings and sequences.

Every struct is valid on all six targets (explicit padding, u64 fields
8-aligned), so the tool runs every stage: decode, check, layout, ABI rules
and code generation.  Each struct has 64-bit fields, an enum, a bitmap,
byte and u64 arrays and a guest pointer; all but the first of a unit embed
the unit's first struct, and every unit but the first imports a struct of
the previous unit (cross-unit includes and name resolution).

The output is deterministic: the same N gives the same bytes.
"""

import argparse
import os
import shutil
import sys

STRUCTS_PER_UNIT = 50
FILES_PER_UNIT = 2


# Descriptions about as long as the RFC's (54 characters on average in
# xenbindgen-rfc/specs, 42 in specs/xen; these average about 50).
VARIANTS = [
    ("off", "Keep the feature disabled."),
    ("on", "Enable the feature for the whole lifetime of the domain."),
    ("auto", "Let the hypervisor decide, based on the hardware."),
    ("forced", "Enable the feature even where it is not yet evaluated for safety."),
]
BITS = [
    ("hvm", "Set if this is an HVM guest. Cleared if it's PV."),
    ("hap", "Use hardware-assisted paging if available."),
    ("iommu", "Set if this domain can make use of the IOMMU."),
    ("vpmu", "Set to expose a virtual performance monitoring unit."),
]


def tname(u, s, what=""):
    return "bench_u%05d_s%02d%s" % (u, s, what)


def unit_name(u):
    # Spread units over a second level so no directory gets huge, as in a
    # real tree (io/blkif, ...): g003/u00317.
    return "g%03d/u%05d" % (u // 100, u)


def unit_items(u, first, count):
    """The items of one spec file as a document tree (dicts, lists)."""
    doc = {}
    # Only a unit's first struct uses the previous unit; the others embed
    # their own unit's first struct, which needs no include.
    if first == 0 and u > 0:
        doc["includes"] = [{"from": unit_name(u - 1),
                            "imports": [tname(u - 1, 0)]}]
    enums, bitmaps, structs = [], [], []
    for s in range(first, first + count):
        enums.append({
            "name": tname(u, s, "_mode"),
            "description": "Operating mode of %s, in its `mode` field."
                           % tname(u, s),
            "typ": {"tag": "u8"},
            "variants": [
                {"name": v, "description": d, "value": i}
                for i, (v, d) in enumerate(VARIANTS)
            ],
        })
        bitmaps.append({
            "name": tname(u, s, "_flags"),
            "description": "Features of %s, in its `flags` field."
                           % tname(u, s),
            "typ": {"tag": "u32"},
            "bits": [
                {"name": b, "description": d, "shift": i}
                for i, (b, d) in enumerate(BITS)
            ],
        })
        fields = [
            ("id", {"tag": "u64"}, "IN: 64-bit identifier of the object, chosen by the toolstack."),
            ("flags", {"tag": "bitmap", "args": tname(u, s, "_flags")},
             "IN: Bitmap of features to enable for this object."),
            ("mode", {"tag": "enum", "args": tname(u, s, "_mode")},
             "IN: Which mode to configure the object with."),
            ("pad0", {"tag": "array", "args": [{"tag": "u8"}, 3]},
             "Unused padding. Reserved to zero."),
            ("handle", {"tag": "array", "args": [{"tag": "u8"}, 16]},
             "IN: Unique identifier given by the toolstack (a UUID, usually)."),
            ("count", {"tag": "u32"}, "IN: size of the buffer in entries; OUT: entries written."),
            ("pad1", {"tag": "u32"}, "Unused padding. Reserved to zero."),
            ("buffer", {"tag": "ptr", "args": {"tag": "u8"}},
             "IN: guest buffer that receives the entries."),
            ("values", {"tag": "array", "args": [{"tag": "u64"}, 4]},
             "OUT: 64-bit event counters, one per class of event."),
            ("signed_delta", {"tag": "i64"}, "OUT: signed change of the first counter since the last call."),
        ]
        if s > 0:
            fields.append(("base", {"tag": "struct", "args": tname(u, 0)},
                           "IN: base parameters shared by every struct of this unit."))
        elif u > 0:
            fields.append(("prev", {"tag": "struct", "args": tname(u - 1, 0)},
                           "IN: base parameters of the previous unit, imported from it."))
        structs.append({
            "name": tname(u, s),
            "description": "Synthetic hypercall argument %d of unit %d.\n\n"
                           "Generated by bench/gen.py." % (s, u),
            "fields": [{"name": n, "description": d, "typ": t}
                       for n, t, d in fields],
        })
    doc["enums"] = enums
    doc["bitmaps"] = bitmaps
    doc["structs"] = structs
    return doc


# ---- TOML ----------------------------------------------------------------

def toml_str(s):
    if "\n" in s:
        return '"""\n' + s + '"""'
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_inline(v):
    if isinstance(v, dict):
        return "{ " + ", ".join("%s = %s" % (k, toml_inline(x))
                                for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(toml_inline(x) for x in v) + "]"
    if isinstance(v, int):
        return str(v)
    return toml_str(v)


def toml_doc(doc):
    out = []
    for inc in doc.get("includes", []):
        out.append("[[includes]]\nfrom = %s\nimports = %s\n\n"
                   % (toml_str(inc["from"]), toml_inline(inc["imports"])))
    for section, sub in (("enums", "variants"), ("bitmaps", "bits"),
                         ("structs", "fields")):
        for item in doc[section]:
            out.append("#" * 80 + "\n\n[[%s]]\n" % section)
            for k in ("name", "description", "typ"):
                if k in item:
                    out.append("%s = %s\n" % (k, toml_inline(item[k])))
            for entry in item[sub]:
                out.append("\n[[%s.%s]]\n" % (section, sub))
                for k, x in entry.items():
                    out.append("%s = %s\n" % (k, toml_inline(x)))
            out.append("\n")
    return "".join(out)


# ---- YAML ----------------------------------------------------------------

def yaml_scalar(v):
    if isinstance(v, int):
        return str(v)
    if "\n" in v:
        return None  # block scalar, handled by the caller
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, yaml_flow(x))
                               for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_scalar(v)


def yaml_map(out, v, ind, lead=None):
    """Write mapping v at indentation ind (the first key after `lead`, the
    "- " of a sequence entry, if given).  Lists of mappings become block
    sequences, type trees flow collections: the way people write YAML."""
    for k, x in v.items():
        first = lead if lead is not None else " " * ind
        lead = None
        if isinstance(x, list) and x and isinstance(x[0], dict):
            out.append("%s%s:\n" % (first, k))
            for e in x:
                yaml_map(out, e, ind + 4, " " * (ind + 2) + "- ")
        elif isinstance(x, str) and "\n" in x:
            body = "".join((" " * (ind + 2) + line if line else "") + "\n"
                           for line in x.split("\n"))
            out.append("%s%s: |-\n%s" % (first, k, body))
        else:
            out.append("%s%s: %s\n" % (first, k, yaml_flow(x)))


def yaml_doc(doc):
    out = []
    yaml_map(out, doc, 0)
    return "".join(out)


def generate(n, outdir, fmt):
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    nunits = (n + STRUCTS_PER_UNIT - 1) // STRUCTS_PER_UNIT
    total = 0
    made = 0
    for u in range(nunits):
        udir = os.path.join(outdir, unit_name(u))
        os.makedirs(udir)
        in_unit = min(STRUCTS_PER_UNIT, n - made)
        per_file = (in_unit + FILES_PER_UNIT - 1) // FILES_PER_UNIT
        first = 0
        k = 0
        while first < in_unit:
            cnt = min(per_file, in_unit - first)
            doc = unit_items(u, first, cnt)
            text = toml_doc(doc) if fmt == "toml" else yaml_doc(doc)
            path = os.path.join(udir, "part%d.%s" % (k, fmt))
            with open(path, "w") as f:
                f.write(text)
            total += len(text.encode())
            first += cnt
            k += 1
        made += in_unit
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of structs")
    ap.add_argument("outdir")
    ap.add_argument("--format", choices=["toml", "yaml"], default="toml")
    a = ap.parse_args()
    total = generate(a.n, a.outdir, a.format)
    print("%s: %d structs, %d bytes" % (a.outdir, a.n, total))


if __name__ == "__main__":
    sys.exit(main())
