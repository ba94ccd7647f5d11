#!/bin/bash
# Runs every unit test binary and every netns script; ends with "N passed, N failed".
# Each test prints TAP lines ("ok ..." / "not ok ..."); a program that exits
# non-zero without reporting a failure counts as one failure.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
only=${1:-}

run_one() {
	local name=$1
	shift
	local log
	log=$(mktemp)
	"$@" >"$log" 2>&1
	local rc=$?
	local ok notok
	ok=$(grep -cE '^ok ' "$log")
	notok=$(grep -cE '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		notok=1
		echo "not ok - $name exited with $rc" >>"$log"
	fi
	if [ "$notok" -gt 0 ]; then
		echo "FAIL $name ($ok passed, $notok failed)"
		sed 's/^/    /' "$log" | tail -n 60
	else
		echo "PASS $name ($ok passed)"
	fi
	passed=$((passed + ok))
	failed=$((failed + notok))
	rm -f "$log"
}

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

for src in tests/unit/test_*.c; do
	t=build/tests/$(basename "$src" .c)
	[ -n "$only" ] && [[ "$t" != *"$only"* ]] && continue
	CMOCKA_MESSAGE_OUTPUT=TAP run_one "$(basename "$t")" "$t"
done
for t in tests/netns/test_*.sh; do
	[ -f "$t" ] || continue
	[ -n "$only" ] && [[ "$t" != *"$only"* ]] && continue
	run_one "$(basename "$t" .sh)" bash "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
