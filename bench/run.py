#!/usr/bin/env python3
"""`make bench`: how fast and how lean xenbindgen is, and how it scales.

    bench/run.py --tool build/cc/xenbindgen [--out build/bench]
                 [--sizes 1000,10000,100000] [--runs 5] [--big-runs 3]
                 [--formats toml,yaml] [--modes validate,c,rust,check,convert,fmt]

For every input format, corpus size N (bench/gen.py: N structs, each with
an enum and a bitmap) and mode, the tool is run once to warm the page cache
(and, for C, to produce the up-to-date directory that check mode compares
with), then --runs times (--big-runs for N >= 100,000).  The bundled
specs/xen are measured the same way.  One table is printed, medians over
the runs:

  wall    elapsed time, time.perf_counter() around the run
  cpu     user + system time of the tool, from GNU time (/usr/bin/time,
          Debian package "time"; 10 ms resolution)
  MB/s    spec input bytes / wall (1 MB = 10^6 bytes)
  rss     peak resident set size of the tool (ru_maxrss from GNU time), MiB
  rss/in  peak RSS / input size
  x10k    (N = 100,000 rows) wall(100,000) / wall(10,000); cpu ratio after /
  yaml    (YAML rows) wall(YAML) / wall(TOML) for the same N and mode

Modes: validate = `xenbindgen validate -i IN`; c = `-l c` into an empty
directory (the whole job: parse, check, lay out, generate, write);
rust = `-l rust` likewise; check = `-l c --check` against an up-to-date
directory.  Every generation uses --regen-hint so that the outputs do not
depend on the output path.

The importer is measured too (row "import"): `xenbindgen import --tree`
of Xen 4.17's public headers (--import-tree, default
../shared/xen-public/4.17.7; '' to skip), every header parsed by libclang
for every target and configuration, the views merged and the model's
verdict taken; "MB in" counts the headers.  A tool built without libclang,
or a missing tree, leaves the row out (said under the table).

Each generating run writes into a directory of its own under OUT/out/,
all removed at the end: on ext4 without a journal, creating files right
after deleting many is slow (the allocator skips recently deleted inodes),
which would charge a previous run's cleanup to the next one.

A corpus the tool refuses because of its input limits (MAX_TOTAL_SIZE_MIB
in src/bounds.h: `make bench` builds a tool with a limit of 1 GiB, enough
for N = 100,000) is listed as NOT MEASURED under the table; any other
failure stops the bench.  Timings on a shared machine move with its load:
the table says what the load average was.  Outputs go under OUT only; the
corpora are kept (in OUT/corpus, regenerated when bench/gen.py changes) to
save time on the next run.  The table is also saved as OUT/results.txt.
See docs/performance.md for the method and the results.
"""

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(HERE, "gen.py")
MODES = ("validate", "c", "rust", "check", "convert", "fmt")
REGEN = "make bench"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def tree_bytes(path, exts=(".toml", ".yaml", ".yml", ".json")):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            if f.endswith(exts):
                total += os.path.getsize(os.path.join(d, f))
    return total


def corpus(out, fmt, n):
    """The corpus of n structs in fmt, generated unless up to date."""
    with open(GEN, "rb") as f:
        stamp = hashlib.sha256(f.read()).hexdigest()
    path = os.path.join(out, "corpus", "%s-%d" % (fmt, n))
    stamp_file = path + ".stamp"
    if os.path.isdir(path) and os.path.exists(stamp_file):
        with open(stamp_file) as f:
            if f.read().strip() == stamp:
                return path
    log("generating %s corpus of %d structs" % (fmt, n))
    if os.path.exists(stamp_file):
        os.unlink(stamp_file)
    subprocess.run([sys.executable, GEN, str(n), path, "--format", fmt],
                   check=True, stdout=subprocess.DEVNULL)
    with open(stamp_file, "w") as f:
        f.write(stamp + "\n")
    return path


TIME = "/usr/bin/time"


class ToolFailed(Exception):
    """The tool exited with an error: the message says what it printed."""


def run_once(argv, scratch, ok=(0,)):
    """(wall s, cpu s, peak RSS KiB) of one run of argv.

    The child runs under GNU time, which reports its rusage: ru_maxrss
    cannot be had from a child of this process, because a forked child's
    peak RSS starts at the size of the Python interpreter it copies (and
    exec keeps that high-water mark)."""
    report = os.path.join(scratch, "time.out")
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        proc = subprocess.run([TIME, "-f", "%U %S %M", "-o", report] + argv,
                              stdout=null, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
    if proc.returncode not in ok:
        raise ToolFailed("%s failed with status %d:\n%s"
                         % (" ".join(argv), proc.returncode,
                            proc.stderr.decode(errors="replace")[:2000]))
    with open(report) as f:
        user, system, rss = f.read().split()[-3:]
    return wall, float(user) + float(system), int(rss)


class Bench:
    def __init__(self, args):
        self.tool = os.path.abspath(args.tool)
        self.out = os.path.abspath(args.out)
        self.scratch = os.path.join(self.out, "out")
        self.serial = 0

    def outdir(self, tag):
        self.serial += 1
        return os.path.join(self.scratch, "%s-%d" % (tag, self.serial))

    def argv(self, mode, indir, outdir):
        if mode == "validate":
            return [self.tool, "validate", "-i", indir]
        if mode == "import":
            return [self.tool, "import", "--tree", indir, "-o", outdir]
        if mode == "convert":
            # to the other format: every reader and writer of the pair
            to = "json" if indir.rstrip("/").split("/")[-1].startswith("toml") \
                else "toml"
            return [self.tool, "convert", "--to", to, "-o", outdir, indir]
        if mode == "fmt":
            return [self.tool, "fmt", "--check", indir]
        lang = "rust" if mode == "rust" else "c"
        argv = [self.tool, "-i", indir, "-o", outdir, "-l", lang,
                "--regen-hint", REGEN]
        if mode == "check":
            argv.append("--check")
        return argv

    def measure(self, tag, mode, indir, runs):
        """Medians of (wall, cpu, rss KiB) over runs after a warm-up."""
        ref = None
        if mode == "check":
            # the up-to-date directory check mode compares with
            ref = self.outdir(tag + "-ref")
            run_once(self.argv("c", indir, ref), self.scratch)
        samples = []
        for k in range(runs + 1):
            outdir = ref if mode == "check" else self.outdir(tag + "-" + mode)
            # fmt --check reads and formats every file, then says 1 when
            # one differs (the corpus is not in the canonical style)
            r = run_once(self.argv(mode, indir, outdir), self.scratch,
                         (0, 1) if mode == "fmt" else (0,))
            if k:  # the first run only warms the caches
                samples.append(r)
        return tuple(statistics.median(s[i] for s in samples)
                     for i in range(3))


def fmt_row(cols, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                     for i, (c, w) in enumerate(zip(cols, widths)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", required=True)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big-runs", type=int, default=3)
    ap.add_argument("--formats", default="toml,yaml")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--xen", default=os.path.join(ROOT, "specs", "xen"),
                    help="the bundled specs ('' to skip)")
    ap.add_argument("--import-tree",
                    default=os.path.join(os.path.dirname(ROOT), "shared",
                                         "xen-public", "4.17.7"),
                    help="headers for the import row ('' to skip)")
    args = ap.parse_args()

    sizes = [int(x) for x in args.sizes.split(",") if x]
    formats = [x for x in args.formats.split(",") if x]
    modes = [x for x in args.modes.split(",") if x]
    for m in modes:
        if m not in MODES:
            sys.exit("bench: unknown mode %s" % m)
    if not os.access(TIME, os.X_OK):
        sys.exit("bench: needs GNU time as %s (apt-get install time)" % TIME)
    b = Bench(args)
    if os.path.isdir(b.scratch):
        shutil.rmtree(b.scratch)
    os.makedirs(b.scratch)

    load0 = os.getloadavg()[0]
    results = {}  # (fmt, n, mode) -> (bytes, wall, cpu, rss)
    jobs = []
    if args.xen:
        jobs.append(("toml", "xen", os.path.abspath(args.xen), args.runs))
    for fmt in formats:
        for n in sizes:
            jobs.append((fmt, n, None, args.big_runs if n >= 100000
                         else args.runs))
    skipped = []
    if args.import_tree:
        # compare says so first thing when libclang is missing, as import does
        probe = subprocess.run([b.tool, "compare", "/nonexistent-a",
                                "/nonexistent-b"], capture_output=True)
        if not os.path.isdir(args.import_tree):
            skipped.append("import: no tree %s" % args.import_tree)
        elif b"built without" in probe.stderr:
            skipped.append("import: the tool was built without libclang")
        else:
            jobs.append(("h", "xen-4.17", os.path.abspath(args.import_tree),
                         args.big_runs))
    started = time.time()
    for fmt, n, indir, runs in jobs:
        if indir is None:
            indir = corpus(b.out, fmt, n)
        size = tree_bytes(indir, (".h",) if fmt == "h" else
                          (".toml", ".yaml", ".yml", ".json"))
        for mode in (["import"] if fmt == "h" else modes):
            log("%s %s %s: %d runs" % (fmt, n, mode, runs))
            try:
                wall, cpu, rss = b.measure("%s-%s" % (fmt, n), mode, indir,
                                           runs)
            except ToolFailed as e:
                # A build whose input limits refuse the big corpora still
                # gets the rest of the table; anything else is fatal.
                if "more than the limit" not in str(e):
                    shutil.rmtree(b.scratch)
                    sys.exit("bench: " + str(e))
                why = [x for x in str(e).splitlines()
                       if "more than the limit" in x][0].split(": ", 1)[-1]
                log("bench: skipped %s %s: %s" % (fmt, n, why))
                skipped.append("%s N=%s, the tool says: %s" % (fmt, n, why))
                break
            results[(fmt, n, mode)] = (size, wall, cpu, rss)
    load1 = os.getloadavg()[0]
    shutil.rmtree(b.scratch)

    head = ["input", "N", "mode", "MB in", "wall s", "cpu s", "MB/s",
            "rss MiB", "rss/in", "x10k", "yaml", "targets"]
    rows = []
    for (fmt, n, mode), (size, wall, cpu, rss) in results.items():
        mb = size / 1e6
        ratio = yaml = ""
        miss = []
        checked = False
        base = results.get((fmt, 10000, mode))
        if n == 100000 and base:
            ratio = "%.1f/%.1f" % (wall / base[1], cpu / base[2])
            checked = True
            if wall / base[1] > 12:
                miss.append("x10k")
        toml = results.get(("toml", n, mode))
        # (convert and fmt write another format for each: not comparable)
        if fmt == "yaml" and toml and mode not in ("convert", "fmt"):
            yaml = "%.2f" % (wall / toml[1])
            checked = True
            if wall / toml[1] > 2:
                miss.append("yaml")
        if fmt == "toml" and n != "xen" and mode == "c":
            checked = True
            if mb / wall < 50:
                miss.append("MB/s")
            if rss * 1024 > 3 * size + 10e6:
                miss.append("rss")
        rows.append([fmt if n not in ("xen", "xen-4.17") else
                     "specs/xen" if n == "xen" else "Xen 4.17 .h",
                     "{:,}".format(n) if isinstance(n, int) else "-", mode,
                     "%.2f" % mb if mb >= 1 else "%.3f" % mb,
                     "%.3f" % wall, "%.3f" % cpu,
                     "%.1f" % (mb / wall), "%.1f" % (rss / 1024),
                     "%.2f" % (rss * 1024 / size), ratio, yaml,
                     ("MISS " + ",".join(miss)) if miss else
                     ("ok" if checked else "")])
    widths = [max(len(str(r[i])) for r in rows + [head])
              for i in range(len(head))]
    lines = [
        "xenbindgen benchmark: %s, %d runs (%d for N >= 100,000) after a "
        "warm-up, medians" % (os.path.relpath(b.tool, ROOT), args.runs,
                              args.big_runs),
        "load average %.2f at start, %.2f at end; %.0f s in all"
        % (load0, load1, time.time() - started),
        "",
        fmt_row(head, widths),
        fmt_row(["-" * w for w in widths], widths),
    ]
    lines += [fmt_row(r, widths) for r in rows]
    lines += ["NOT MEASURED: " + x for x in skipped]
    lines += [
        "",
        "MB/s: input MB / wall.  rss/in: peak RSS / input size.  x10k: "
        "wall/cpu at 100,000 over 10,000.",
        "yaml: wall of YAML over TOML.  convert: TOML to JSON, YAML to "
        "TOML; fmt: fmt --check.  targets: x10k <= 12; toml c >= 50 "
        "MB/s and rss <= 3 x input + 10 MB; yaml <= 2.",
    ]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(b.out, "results.txt"), "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
