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
# (the waived differences were listed by validate: not again per output)
quiet() { "$@" 2>&1 | grep -v "waived ABI difference" >&2 || true; }
# "N files, M lines" of the files under a directory matching a find test
count() {
	dir=$1
	shift
	n=$(find "$dir" -type f "$@" | wc -l)
	l=$(find "$dir" -type f "$@" -exec cat {} + | wc -l)
	echo "$n files, $l lines"
}
# a list of words, wrapped and indented
list() { echo "$*" | fold -s -w 72 | sed 's/^/     /; s/ *$//'; }
quiet "$tool" -i "$specs" -o "$out/c" -l c --regen-hint "make demo"
quiet "$tool" -i "$specs" -o "$out/c" -l c-layout --regen-hint "make demo"
echo "== C headers -> $out/c: $(count "$out/c" -name '*.h' ! -name '*_layout.h'),"
echo "   and their layout assertions (-l c-layout): $(count "$out/c" -name '*_layout.h')"
quiet "$tool" -i "$specs" -o "$out/rust" -l rust --regen-hint "make demo"
echo "== Rust crate -> $out/rust: $(count "$out/rust")"
echo
# Drop-in: each generated header at one of Xen's paths, put alone in place
# of Xen's in a copy of Xen's tree, compared by `xenbindgen compare`
# (docs/compare.md); the others stay Xen's. Needs Xen's headers (XEN_INCLUDE,
# default /usr/include/xen) and a tool built with libclang.
xen=${XEN_INCLUDE:-/usr/include/xen}
if [ -f "$xen/xen.h" ] && ! "$tool" compare /nonexistent-a /nonexistent-b 2>&1 |
	grep -q "built without"; then
	rm -rf "$out/xen-tree"
	cp -R "$xen" "$out/xen-tree"
	chmod -R u+w "$out/xen-tree"
	total=0 good=0 yes="" no=""
	for f in $(cd "$out/c" && find . -name '*.h' ! -name '*_layout.h' | sort); do
		f=${f#./}
		[ -f "$xen/$f" ] || continue
		total=$((total + 1))
		cp "$out/c/$f" "$out/xen-tree/$f"
		if "$tool" compare -j2 "$xen" "$out/xen-tree" "$f" >"$out/compare.log" 2>&1; then
			good=$((good + 1))
			yes="$yes $f"
		else
			no="$no $f($(($(wc -l < "$out/compare.log") - 1)))"
		fi
		cp "$xen/$f" "$out/xen-tree/$f"
	done
	rm -f "$out/compare.log"
	echo "== drop-in for Xen's headers ($xen):"
	echo "$good of Xen's headers are drop-in ($total generated at Xen's paths;"
	echo "   the list is in $out/dropin.txt)"
	printf '%s\n' $yes >"$out/dropin.txt"
	if [ -n "$no" ]; then
		echo "   not yet (differences; \`xenbindgen compare\` lists them):"
		list $no
	fi
else
	echo "(no drop-in count: needs Xen's headers in $xen and libclang)"
fi
n=$(grep -c "warning:" "$out/validate.log" || true)
echo
echo "$n waived ABI differences are listed in $out/validate.log"
