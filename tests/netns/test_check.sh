#!/bin/bash
# `xdpfw check`: exit 0 on every shipped config (conf/*.yaml,
# conf/examples/*.yaml); exit 1 on each tests/conf/broken/NAME.yaml, with
# exactly the FILE:LINE:COL: prefixes listed in NAME.expected, in order (FILE
# is a list file for an error in one, and a warning's prefix ends "warning:");
# exit 0 on each tests/conf/warn/NAME.yaml, with exactly its warnings.
# check never touches the kernel: it works with a pin dir that is not even
# on bpffs, and creates nothing there. Missing files are failures.
. "$(dirname "$0")/lib.sh"

require_xdpfw
cd "$ROOT" || die "cd $ROOT"
NOPIN=$WORK/not-bpffs/xdpfw
xcheck() { "$XDPFW" --pin-dir "$NOPIN" check "$@"; }

shopt -s nullglob
good=(conf/*.yaml conf/examples/*.yaml)
check "conf/xdpfw.yaml exists" test -e conf/xdpfw.yaml
examples=(conf/examples/*.yaml)
check "conf/examples/ has configs (${#examples[@]})" test ${#examples[@]} -gt 0
for f in "${good[@]}"; do
	if xcheck "$f" >"$WORK/out" 2>"$WORK/err"; then
		ok "check $f: exit 0"
	else
		not_ok "check $f: exit 0"
		sed 's/^/#   /' "$WORK/err" | head -10
	fi
done

# Each fixture's messages must match its .expected; want_rc is check's exit code.
check_fixtures() {
	local dir=$1 want_rc=$2 f exp
	local fixtures=("$dir"/*.yaml)

	check "$dir/ has configs (${#fixtures[@]})" test ${#fixtures[@]} -gt 0
	for f in "${fixtures[@]}"; do
		check_fixture "$f" "$want_rc"
	done
	for exp in "$dir"/*.expected; do
		[ -f "${exp%.expected}.yaml" ] || not_ok "$exp has a .yaml beside it"
	done
}

check_fixture() {
	local f=$1 want_rc=$2 name exp rc
	name=${f%.yaml}
	exp=$name.expected
	if [ ! -f "$exp" ]; then
		not_ok "$f: has a .expected file"
		return
	fi
	xcheck "$f" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	check_eq "check $f: exit $want_rc" "$rc" "$want_rc"
	grep -oE "^[^ ]+:[0-9]+:[0-9]+:( warning:)?" "$WORK/err" >"$WORK/got"
	grep -v '^[[:space:]]*$' "$exp" >"$WORK/want"
	if [ ! -s "$WORK/want" ]; then
		not_ok "$exp lists at least one prefix"
	elif cmp -s "$WORK/got" "$WORK/want"; then
		ok "check $f: prints exactly the expected FILE:LINE:COL: prefixes"
	else
		not_ok "check $f: prints exactly the expected FILE:LINE:COL: prefixes"
		diff "$WORK/want" "$WORK/got" | sed 's/^/#   /'
		diag "stderr was:"
		sed 's/^/#   /' "$WORK/err" | head -20
	fi
}

check_fixtures tests/conf/broken 1
check_fixtures tests/conf/warn 0

check_fails "check created nothing at the pin dir" test -e "$NOPIN"
check_fails "check of a missing file fails" xcheck "$WORK/does-not-exist.yaml" 2>/dev/null
finish
