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
n=$(grep -c "warning:" "$out/validate.log" || true)
echo
echo "$n waived ABI differences are listed in $out/validate.log"
