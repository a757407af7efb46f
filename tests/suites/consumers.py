"""Real consumers of the public headers (issue 16, point 3): the headers
of libxen-dev's libraries (xenctrl.h, xenguest.h, xenstore.h, libxl.h,
...) compile against a generated tree put in place of /usr/include/xen.

The include path is a copy of the system's: every entry of /usr/include
is linked from a fresh directory, except xen/, which is a copy of
/usr/include/xen whose public headers (those of Xen's
xen/include/public, as in ../shared/xen-public/4.17.7) are removed and
replaced by the generated ones; what is not a public header (the Linux
device interfaces xen/sys/*.h, privcmd.h, the xen/foreign/ headers Xen's
build derives) stays.  The compiler runs with -nostdinc and that path, so
a generated header that is missing is an error, not a silent fallback to
the system's.

One test program includes every library header, in the order their
users do (xenctrl.h first: it asks for the tools view of Xen's
headers, which those included before it would not get); each header that compiles
alone with the system's tree is also compiled alone.  With gcc and with
clang, -Wall -Werror.  The deprecated xs.h and xs_lib.h (a #warning and
an #include of xenstore.h) are left out; libxl_json.h needs libyajl-dev.

Trees: the one imported from Xen 4.17's headers (must compile: it is
drop-in for all 74 headers), and specs/xen (a ratchet: the number of
programs that compile may not fall below SPECS_XEN_OK, and those that
fail are printed with their first error).
"""

import os
import re
import shutil
import subprocess

from run import Need, Test, Skip

HEADERS = ["xenctrl.h", "xenctrl_compat.h", "xenguest.h", "xentoollog.h",
           "xencall.h", "xenevtchn.h", "xengnttab.h", "xenforeignmemory.h",
           "xendevicemodel.h", "xentoolcore.h", "xenstore.h", "xenstore_lib.h",
           "xenhypfs.h", "xenstat.h", "libxenvchan.h", "xen_list.h", "libxl.h",
           "libxl_event.h", "libxl_utils.h", "libxl_uuid.h", "_libxl_types.h",
           "libxlutil.h", "libxl_json.h", "_libxl_types_json.h"]

# programs compiling with specs/xen's tree: may only grow
SPECS_XEN_OK = 40


def compilers(ctx):
    out = []
    for cc in ("gcc", "clang"):
        if shutil.which(cc):
            out.append(cc)
    return out


def search_path(cc):
    """The compiler's <...> search list."""
    p = subprocess.run([cc, "-E", "-v", "-x", "c", "-"], input="", capture_output=True,
                       text=True)
    lines = p.stderr.splitlines()
    i = lines.index("#include <...> search starts here:")
    j = lines.index("End of search list.")
    return [l.strip() for l in lines[i + 1:j]]


def public_headers(ctx):
    root = os.path.join(ctx.shared, "xen-public", "4.17.7")
    return {os.path.relpath(os.path.join(r, n), root)
            for r, _, ns in os.walk(root) for n in ns if n.endswith(".h")}


def make_root(ctx, gen, tag):
    """A copy of /usr/include with gen in place of Xen's public headers."""
    root = ctx.mkdtemp("usr-include-" + tag)
    for e in sorted(os.listdir("/usr/include")):
        if e != "xen":
            os.symlink(os.path.join("/usr/include", e), os.path.join(root, e))
    xen = os.path.join(root, "xen")
    shutil.copytree("/usr/include/xen", xen, symlinks=True)
    for rel in public_headers(ctx):
        p = os.path.join(xen, rel)
        if os.path.exists(p):
            os.remove(p)
    for r, _, ns in os.walk(gen):
        for n in ns:
            if n.endswith(".h"):
                rel = os.path.relpath(os.path.join(r, n), gen)
                os.makedirs(os.path.dirname(os.path.join(xen, rel)), exist_ok=True)
                shutil.copy(os.path.join(r, n), os.path.join(xen, rel))
    return root


def programs():
    """(name, text): the program with every header, then one per header."""
    out = [("all", "".join("#include <%s>\n" % h for h in HEADERS if usable(h)))]
    out += [(h, "#include <%s>\n" % h) for h in HEADERS if usable(h)]
    return [(n, t + "int main(void) { return 0; }\n") for n, t in out]


def usable(h):
    return "json" not in h or os.path.isdir("/usr/include/yajl")


def compile_all(ctx, root, tag):
    """{(cc, program): None or its first error}; programs that do not
    compile with the system's own tree are left out (a header that wants
    another first)."""
    work = ctx.mkdtemp("consumer-" + tag)
    res = {}
    for cc in compilers(ctx):
        sysinc = search_path(cc)
        mine = []
        for d in sysinc:
            if d == "/usr/include":
                mine.append(root)
            elif d.startswith("/usr/include/"):
                mine.append(os.path.join(root, d[len("/usr/include/"):]))
            else:
                mine.append(d)
        for name, text in programs():
            src = os.path.join(work, re.sub(r"\W", "_", name) + ".c")
            with open(src, "w") as f:
                f.write(text)
            # libxl_json.h asks its user's configure whether yajl has
            # yajl_version.h (yajl 2 does)
            base = [cc, "-std=gnu11", "-Wall", "-Werror", "-fsyntax-only",
                    "-DHAVE_YAJL_YAJL_VERSION_H", src]
            st, _, _ = ctx.run(base)
            if st != 0:
                if name == "all":
                    raise AssertionError("the test program does not compile with "
                                         "/usr/include itself (%s)" % cc)
                continue
            args = base[:1] + ["-nostdinc"] + [a for d in mine for a in ("-isystem", d)] + \
                base[1:]
            st, so, se = ctx.run(args)
            first = next((l for l in se.splitlines() if "error" in l), se.strip()[:200])
            res[(cc, name)] = None if st == 0 else first.replace(root, "<root>")
    return res


def check_root(ctx, gen, tag, floor):
    root = make_root(ctx, gen, tag)
    res = compile_all(ctx, root, tag)
    ok = sum(1 for v in res.values() if v is None)
    print("consumers/%s: %d of %d programs compile (gcc and clang)" % (tag, ok, len(res)),
          flush=True)
    bad = ["%s %s: %s" % (cc, n, e) for (cc, n), e in sorted(res.items()) if e]
    for line in bad[:30]:
        print("    " + line, flush=True)
    if floor is None:
        assert not bad, "\n".join(bad[:30])
    else:
        assert ok >= floor, "%d programs compile, fewer than %d:\n%s" % (
            ok, floor, "\n".join(bad[:30]))


def test_imported(ctx):
    def fn():
        from suites import import_headers
        _, _, gen, _ = import_headers.imported(ctx, "4.17")
        check_root(ctx, gen, "imported-4.17", None)
    return fn


def test_specs_xen(ctx):
    def fn():
        gen = ctx.mkdtemp("consumers-specs-xen")
        st, so, se = ctx.xbg("-i", os.path.join(ctx.root, "specs", "xen"), "-o", gen,
                             "-l", "c")
        assert st == 0, se[-2000:]
        check_root(ctx, gen, "specs-xen", SPECS_XEN_OK)
    return fn


def collect(ctx):
    if os.environ.get("VALGRIND", "") not in ("", "0"):
        return []
    from suites import import_headers
    dev = [Need("libxen-dev", probe=lambda: os.path.exists("/usr/include/xenctrl.h")),
           Need("libyajl-dev", probe=lambda: os.path.isdir("/usr/include/yajl")),
           Need.shared(os.path.join("xen-public", "4.17.7"))]
    return [Test("consumers/imported-4.17", test_imported(ctx),
                 dev + import_headers.needs(ctx)),
            Test("consumers/specs-xen", test_specs_xen(ctx), dev)]
