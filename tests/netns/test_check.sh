#!/bin/bash
# `xdpfw check`: exit 0 on every shipped config (conf/*.yaml,
# conf/examples/*.yaml); exit 1 on each tests/conf/broken/NAME.yaml, with
# exactly the FILE:LINE:COL: prefixes listed in NAME.expected, in order (FILE
# is a list file for an error in one, and a warning's prefix ends "warning:");
# exit 0 on each tests/conf/warn/NAME.yaml, with exactly its warnings.
# check never touches the kernel: it works with a pin dir that is not even
# on bpffs, and creates nothing there. Missing files are failures.
# --base-dir checks a copy elsewhere as if it were in place (Ansible's
# validate): its relative include patterns are read from there.
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

# A copy of conf/examples/conf-d.yaml, away from its conf.d/.
copy=$WORK/copy/conf-d.yaml
mkdir -p "$WORK/copy" && cp conf/examples/conf-d.yaml "$copy"
in_place=$(xcheck conf/examples/conf-d.yaml 2>&1)
check "the copy alone: its include matches nothing, a warning" \
	bash -c "'$XDPFW' --pin-dir '$NOPIN' check '$copy' 2>&1 | grep -q 'warning: include \"conf.d/\*.yaml\" matches no file'"
check_eq "check --base-dir: the copy is read as in place" \
	"$(xcheck --base-dir conf/examples "$copy" 2>&1 | sed "s|^$copy|conf/examples/conf-d.yaml|")" "$in_place"
mkdir -p "$WORK/base/conf.d"
printf 'rules:\n  - name: ephemeral-tcp\n    port: 22\n' >"$WORK/base/conf.d/10-dup.yaml"
check_fails "check --base-dir: an error in a file it includes fails the copy" \
	xcheck --base-dir "$WORK/base" "$copy" 2>"$WORK/err"
check "... naming that file and line" grep -q "^$WORK/base/conf.d/10-dup.yaml:2:11: rule name" "$WORK/err"
mkdir -p "$WORK/base/lists"
echo 198.18.9.0/24 >"$WORK/base/lists/bad.txt"
printf 'sets:\n  bad:\n    file: lists/bad.txt\nrules:\n  - name: bad\n    src: "@bad"\n' >"$WORK/copy/sets.yaml"
check_fails "a copy's relative set file is not there" xcheck "$WORK/copy/sets.yaml" 2>/dev/null
check_quiet() { xcheck "$@" >/dev/null; }
check "check --base-dir: it is read from there" check_quiet --base-dir "$WORK/base" "$WORK/copy/sets.yaml"
check_fails "check --base-dir with a missing folder fails" xcheck --base-dir "$WORK/none" "$copy" 2>"$WORK/err"
check "... saying so" grep -q -- "--base-dir $WORK/none: No such file or directory" "$WORK/err"
check_fails "check --base-dir with a file fails" xcheck --base-dir "$copy" "$copy" 2>"$WORK/err"
check "... saying it is not a folder" grep -q "not a folder" "$WORK/err"
"$XDPFW" --pin-dir "$NOPIN" apply --base-dir "$WORK/base" "$copy" 2>"$WORK/err"
check_eq "only check takes --base-dir: apply exits 2" "$?" 2

check_fails "check created nothing at the pin dir" test -e "$NOPIN"
check_fails "check of a missing file fails" xcheck "$WORK/does-not-exist.yaml" 2>/dev/null
finish
