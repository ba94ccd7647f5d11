#!/bin/bash
# Runs every unit test binary (plain and sanitized) and every tests/*/test_*.sh
# script, several at a time; ends with "N passed, N failed".
#
#   tests/run.sh [NAME]   only the tests whose path contains NAME
#   XDPFW_TEST_JOBS=N     tests at a time (default 6: the netns scripts
#                         mostly wait on the kernel, not on the CPU)
#   XDPFW_TEST_TIMEOUT=S  seconds a test may take before its whole process
#                         group is killed and it counts as failed (default 180)
#   XDPFW_TEST_LOGS=DIR   keep every test's output in DIR/NAME.log
#
# Each test prints TAP lines ("ok ..." / "not ok ..."); a program that exits
# non-zero without reporting a failure counts as one failure. Every test runs
# in its own process group, and the netns scripts in namespaces named after
# their pid, so they cannot see each other. The longest tests start first, by
# the times of the last run here (build/test-times), else by tests/test-times;
# a test in neither starts before all others.
set -u
cd "$(dirname "$0")/.." || exit 1
only=${1:-}
jobs=${XDPFW_TEST_JOBS:-6}
limit=${XDPFW_TEST_TIMEOUT:-180}
times_file=build/test-times
times_hint=tests/test-times

names=() # display name of test i
cmds=()  # its command, words without spaces inside

declare -A known # every test, matched or not
# add_test NAME PATH CMD: PATH is what the name filter matches.
add_test() {
	known[$1]=1
	[ -n "$only" ] && [[ "$2" != *"$only"* ]] && return
	names+=("$1")
	cmds+=("$3")
}

for src in tests/unit/test_*.c; do
	t=$(basename "$src" .c)
	add_test "$t" "build/tests/$t" "build/tests/$t"
	add_test "asan/$t" "build/asan/tests/$t" "build/asan/tests/$t"
done
for script in tests/*/test_*.sh; do
	[ -f "$script" ] || continue
	dir=$(basename "$(dirname "$script")")
	add_test "$dir/$(basename "$script" .sh)" "$script" "bash $script"
done
if [ "${#names[@]}" -eq 0 ]; then
	echo "no test matches '$only'"
	echo "0 passed, 0 failed"
	exit 1
fi

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

# Longest first; a test never timed may be the longest.
declare -A last
for f in "$times_hint" "$times_file"; do
	[ -r "$f" ] || continue
	while read -r n s; do
		[ -n "${known[$n]:-}" ] && last[$n]=$s
	done < <(grep -v '^#' "$f")
done
mapfile -t order < <(for i in "${!names[@]}"; do
	echo "${last[${names[$i]}]:-999999} $i"
done | sort -k1,1nr -k2,2n | cut -d' ' -f2)

declare -A job_of   # pid -> test index
declare -A start_of # test index -> start time

# The tests are in process groups of their own, which a ^C does not reach:
# stop them through their timeout(1), which passes the signal on.
abort() {
	local i test_pid timeout_pid
	for i in "${job_of[@]}"; do
		read -r test_pid timeout_pid 2>/dev/null <"$out/$i.pid" &&
			kill -TERM "$timeout_pid" 2>/dev/null
	done
	wait
	exit 130
}
# XDPFW_TEST_LOGS=DIR keeps each test's output there, as NAME.log (make bench reads them).
out=$(mktemp -d /tmp/xdpfw-run.XXXXXX)
keep=${XDPFW_TEST_LOGS:-}
save_logs() {
	local i
	[ -n "$keep" ] || return 0
	for i in "${!names[@]}"; do
		[ -f "$out/$i.log" ] || continue
		mkdir -p "$keep/$(dirname "${names[$i]}")"
		cp "$out/$i.log" "$keep/${names[$i]}.log"
	done
}
trap 'save_logs; rm -rf "$out"' EXIT
trap abort INT TERM
passed=0
failed=0

start_test() {
	local i=$1 cmd
	read -ra cmd <<<"${cmds[$i]}"
	start_of[$i]=$EPOCHREALTIME
	# timeout(1) leads its own process group and signals all of it; the
	# wrapper leaves the test's pid (its namespaces are named after it) and
	# timeout's. The subshell turns a kill into a status, and hides "Killed".
	# shellcheck disable=SC2016 # expanded by the inner shell
	(
		CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 "$limit" \
			bash -c 'echo $$ $PPID >"$0"; exec "$@"' "$out/$i.pid" "${cmd[@]}" \
			>"$out/$i.log" 2>&1 </dev/null
		exit $?
	) 2>/dev/null &
	job_of[$!]=$i
}

# sweep_namespaces PID: what a killed test left behind (its cleanup is
# killed with it when it ignores SIGTERM).
sweep_namespaces() {
	local ns
	for ns in $(ip netns list | awk '{ print $1 }' | grep -E -- "-$1-(fw|p[0-9]+)\$"); do
		ip netns del "$ns" 2>/dev/null
	done
}

finish_test() {
	local i=$1 rc=$2 name=${names[$1]} log=$out/$1.log
	local secs ok notok
	secs=$(awk -v a="${start_of[$i]}" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	last[$name]=$secs
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "not ok - $name killed after the ${limit} s timeout" >>"$log"
		local test_pid
		read -r test_pid _ 2>/dev/null <"$out/$i.pid" && sweep_namespaces "$test_pid"
	fi
	ok=$(grep -cE '^ok ' "$log")
	notok=$(grep -cE '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		notok=1
		echo "not ok - $name exited with $rc" >>"$log"
	fi
	if [ "$notok" -gt 0 ]; then
		echo "FAIL $name ($ok passed, $notok failed) ${secs}s"
		sed 's/^/    /' "$log" | tail -n 60
	else
		echo "PASS $name ($ok passed) ${secs}s"
	fi
	passed=$((passed + ok))
	failed=$((failed + notok))
}

next=0
running=0
while [ "$next" -lt "${#order[@]}" ] || [ "$running" -gt 0 ]; do
	while [ "$running" -lt "$jobs" ] && [ "$next" -lt "${#order[@]}" ]; do
		start_test "${order[$next]}"
		next=$((next + 1))
		running=$((running + 1))
	done
	wait -n -p pid
	rc=$?
	[ -n "${pid:-}" ] || continue
	finish_test "${job_of[$pid]}" "$rc"
	unset "job_of[$pid]"
	running=$((running - 1))
done

mkdir -p "$(dirname "$times_file")"
for n in "${!last[@]}"; do echo "$n ${last[$n]}"; done | sort >"$times_file.tmp" &&
	mv "$times_file.tmp" "$times_file"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
