#!/bin/sh
# make demo: validate the bundled Xen specs on every target, generate the C
# headers (with their layout assertions) and the Rust crate into
# build/demo/, and say what was produced.
set -eu
tool=$1 specs=$2 out=$3
mkdir -p "$out"
echo "== $specs"
"$tool" validate -i "$specs" 2>"$out/validate.log" || {
	cat "$out/validate.log" >&2
	exit 1
}
echo
echo "== C headers -> $out/c"
# (the waived differences were listed by validate: not again per output)
quiet() { "$@" 2>&1 | grep -v "waived ABI difference" >&2 || true; }
quiet "$tool" -i "$specs" -o "$out/c" -l c --regen-hint "make demo"
quiet "$tool" -i "$specs" -o "$out/c" -l c-layout --regen-hint "make demo"
for f in $(cd "$out/c" && find . -name '*.h' | sort); do
	printf '   %-32s %5d lines\n' "${f#./}" "$(wc -l < "$out/c/$f")"
done
echo
echo "== Rust crate -> $out/rust"
quiet "$tool" -i "$specs" -o "$out/rust" -l rust --regen-hint "make demo"
for f in $(cd "$out/rust" && find . -type f | sort); do
	printf '   %-32s %5d lines\n' "${f#./}" "$(wc -l < "$out/rust/$f")"
done
echo
# Drop-in: each generated header at one of Xen's paths, put alone in place
# of Xen's in a copy of Xen's tree, compared by `xenbindgen compare`
# (docs/compare.md); the others stay Xen's. Needs Xen's headers (XEN_INCLUDE,
# default /usr/include/xen) and a tool built with libclang.
xen=${XEN_INCLUDE:-/usr/include/xen}
if [ -f "$xen/xen.h" ] && ! "$tool" compare /nonexistent-a /nonexistent-b 2>&1 |
	grep -q "built without"; then
	echo "== drop-in for Xen's headers ($xen)"
	rm -rf "$out/xen-tree"
	cp -R "$xen" "$out/xen-tree"
	chmod -R u+w "$out/xen-tree"
	total=0 good=0
	for f in $(cd "$out/c" && find . -name '*.h' ! -name '*_layout.h' | sort); do
		f=${f#./}
		[ -f "$xen/$f" ] || continue
		total=$((total + 1))
		cp "$out/c/$f" "$out/xen-tree/$f"
		if "$tool" compare -j2 "$xen" "$out/xen-tree" "$f" >"$out/compare.log" 2>&1; then
			good=$((good + 1))
			printf '   %-32s drop-in\n' "$f"
		else
			printf '   %-32s %5d differences\n' "$f" "$(($(wc -l < "$out/compare.log") - 1))"
		fi
		cp "$xen/$f" "$out/xen-tree/$f"
	done
	rm -f "$out/compare.log"
	echo "$good of Xen's headers are drop-in ($total generated at Xen's paths)"
else
	echo "(no drop-in count: needs Xen's headers in $xen and libclang)"
fi
n=$(grep -c "warning:" "$out/validate.log" || true)
echo
echo "$n waived ABI differences are listed in $out/validate.log"
