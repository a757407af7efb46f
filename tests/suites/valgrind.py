"""Generation runs for make check-valgrind (issue 9), which runs them,
the end-to-end cases and the fuzz regressions with the tool under valgrind
memcheck (tests/valgrind.sh): no memory error, no definitely or indirectly
lost block.  Collected only when VALGRIND=1 (make check-valgrind sets it):
under plain make check they would repeat what other suites do.

Each backend on the Xen specs (C headers, C layout assertions, Rust),
then --check mode on the same outputs (in sync, then stale after an edit),
validate, and the layout command in both formats."""

import os
import shutil
import sys


def _runner(ctx):
    return sys.modules[type(ctx).__module__]


def generate(ctx, lang):
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        out = os.path.join(ctx.mkdtemp("vg-" + lang), "out")
        st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", lang, timeout=900)
        assert st == 0, se[-3000:]
        st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", lang, "--check", timeout=900)
        assert st == 0, "not in sync:\n" + (so + se)[-3000:]
        # a stale output: --check prints a diff and exits 1
        for base, _, files in os.walk(out):
            victim = os.path.join(base, sorted(files)[0])
            with open(victim, "a") as f:
                f.write("/* edited */\n")
            break
        st, so, se = ctx.xbg("-i", specs, "-o", out, "-l", lang, "--check", timeout=900)
        assert st == 1 and "edited" in so, (st, se[-3000:])
        shutil.rmtree(out)
    return fn


def validate(ctx):
    def fn():
        specs = os.path.join(ctx.root, "specs", "xen")
        st, so, se = ctx.xbg("validate", "-i", specs, timeout=900)
        assert st == 0, se[-3000:]
        for fmt in ("text", "json"):
            st, so, se = ctx.xbg("layout", "-i", specs, "--format", fmt, timeout=900)
            assert st == 0, se[-3000:]
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") in ("", "0"):
        return []
    R = _runner(ctx)
    return [R.Test("valgrind/generate-" + lang, generate(ctx, lang))
            for lang in ("c", "c-layout", "rust")] + [R.Test("valgrind/validate", validate(ctx))]
