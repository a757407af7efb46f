#!/usr/bin/env python3
"""Build the seed corpora of the fuzz targets from the project's own specs
and tests (nothing is copied into the source tree):

  toml, yaml, json   every spec file of that format under specs/ and
                     tests/ (generated outputs excluded), plus the YAML and
                     JSON conversions of specs/xen when a built xenbindgen
                     is given (--tool);
  convert            the same files, each after a byte that names its
                     format (0 TOML, 1 YAML, 2 JSON: see fuzz_convert.c);
  pipeline           every spec tree (specs/xen, tests/cases/*/in,
                     tests/*/specs/*) as one input, files joined with
                     "%%% <path>" lines (see fuzz_pipeline.c), and each
                     output unit of a tree on its own with the tree's
                     architecture directories.

The regression inputs of tests/fuzz-regressions/<target>/ are added too.

Usage: fuzz/seeds.py OUTDIR [--tool XENBINDGEN]
"""

import hashlib
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTS = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def spec_files():
    for top in ("specs", "tests"):
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(x for x in dirs if x != "out" and not x.startswith("."))
            for f in sorted(files):
                ext = os.path.splitext(f)[1]
                if ext in EXTS and not f.startswith("."):
                    yield os.path.join(d, f), EXTS[ext]


def tree_root(path):
    """The --indir a spec file belongs to."""
    parts = os.path.relpath(path, ROOT).split(os.sep)
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "in":
            return os.path.join(ROOT, *parts[:i + 1])
    for i in range(len(parts) - 3, 0, -1):
        if parts[i - 1] == "specs":
            return os.path.join(ROOT, *parts[:i + 1])
    return os.path.join(ROOT, *parts[:-2])


def save(outdir, target, data):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def joined(files):
    """files: [(relative path, bytes)] -> one pipeline input."""
    out = b""
    for rel, data in sorted(files):
        if data and not data.endswith(b"\n"):
            data += b"\n"
        out += b"%%% " + rel.encode() + b"\n" + data
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main(argv):
    outdir = argv[0]
    tool = argv[argv.index("--tool") + 1] if "--tool" in argv else None
    trees = {}
    prefix = {"toml": b"\x00", "yaml": b"\x01", "json": b"\x02"}
    for path, fmt in spec_files():
        data = read(path)
        save(outdir, fmt, data)
        save(outdir, "convert", prefix[fmt] + data)
        root = tree_root(path)
        trees.setdefault(root, []).append((os.path.relpath(path, root), data))
    for root, files in sorted(trees.items()):
        save(outdir, "pipeline", joined(files))
        arch = [f for f in files if f[0].startswith("arch-")]
        units = sorted({os.path.dirname(rel) for rel, _ in files})
        if len(units) > 1:
            for u in units:
                mine = [f for f in files if os.path.dirname(f[0]) == u]
                save(outdir, "pipeline", joined(mine + [f for f in arch if f not in mine]))
    if tool:
        # the Xen specs in the other formats (skipped if convert fails)
        for fmt in ("yaml", "json"):
            with tempfile.TemporaryDirectory() as tmp:
                p = subprocess.run([tool, "convert", "--to", fmt, "-o", tmp,
                                    os.path.join(ROOT, "specs", "xen")],
                                   capture_output=True)
                if p.returncode != 0:
                    continue
                files = []
                for d, _, names in os.walk(tmp):
                    for f in sorted(names):
                        data = read(os.path.join(d, f))
                        save(outdir, fmt, data)
                        save(outdir, "convert", prefix[fmt] + data)
                        files.append((os.path.relpath(os.path.join(d, f), tmp), data))
                save(outdir, "pipeline", joined(files))
    regress = os.path.join(ROOT, "tests", "fuzz-regressions")
    if os.path.isdir(regress):
        for target in sorted(os.listdir(regress)):
            tdir = os.path.join(regress, target)
            for f in sorted(os.listdir(tdir)):
                save(outdir, target, read(os.path.join(tdir, f)))
    for target in sorted(os.listdir(outdir)):
        print("%s: %d seeds" % (target, len(os.listdir(os.path.join(outdir, target)))))


if __name__ == "__main__":
    main(sys.argv[1:])
