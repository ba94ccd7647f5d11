#!/bin/bash
# Runs one libFuzzer harness as a TAP test: usage fuzz.sh NAME [VAR=VALUE ...]
#  1. replays every input in tests/fuzz/regress/NAME/ (crashes found before),
#  2. replays the seeds in tests/fuzz/corpus/NAME/, with the VAR=VALUE
#     settings in the environment (e.g. a harness's stricter seed checks),
#  3. fuzzes for FUZZ_SECONDS (default 20) from a scratch copy of the seeds,
#     so the repo's corpus is never written, and prints "# exec/s N".
# A crash is kept under build/fuzz/crashes/NAME/; once fixed, add it to regress/.
set -u
cd "$(dirname "$0")/../.." || exit 1
name=$1
shift
bin=build/fuzz/fuzz_$name
seconds=${FUZZ_SECONDS:-20}
failed=0

if [ ! -x "$bin" ]; then
	echo "not ok - $bin is not built (make fuzz-bins)"
	exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/xdpfw-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
crashes=build/fuzz/crashes/$name
mkdir -p "$crashes"

# The log's last lines as TAP comments, for a failure a person can read.
show_log() {
	tail -n "${2:-40}" "$1" | sed 's/^/#   /'
}

replayed=0
for input in tests/fuzz/regress/"$name"/*; do
	[ -f "$input" ] || continue
	replayed=$((replayed + 1))
	if "$bin" "$input" >"$work/log" 2>&1; then
		echo "ok - $name: regression input $(basename "$input") passes"
	else
		echo "not ok - $name: regression input $input fails"
		show_log "$work/log"
		failed=1
	fi
done
[ "$replayed" -eq 0 ] && echo "# $name: no regression inputs yet"

seeds=(tests/fuzz/corpus/"$name"/*)
if [ ! -f "${seeds[0]}" ]; then
	echo "not ok - $name: no seeds in tests/fuzz/corpus/$name/"
	exit 1
fi
if env "$@" "$bin" "${seeds[@]}" >"$work/log" 2>&1; then
	echo "ok - $name: the ${#seeds[@]} seed inputs pass${*:+ with $*}"
else
	echo "not ok - $name: a seed input fails${*:+ with $*}"
	show_log "$work/log"
	failed=1
fi

mkdir "$work/corpus"
cp "${seeds[@]}" "$work/corpus/"
"$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$crashes/" "$work/corpus" >"$work/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
echo "# exec/s ${rate:-0}"
echo "# $name: ${runs:-0} inputs run"
grep "^fuzz_$name: " "$work/log" | sed 's/^/# /'
if [ "$rc" -ne 0 ]; then
	echo "not ok - $name: fuzzing for $seconds s found a failing input (kept in $crashes/)"
	show_log "$work/log" 60
	failed=1
elif [ "${runs:-0}" -eq 0 ]; then
	echo "not ok - $name: the fuzzer ran no inputs"
	show_log "$work/log"
	failed=1
else
	echo "ok - $name: fuzzing for $seconds s found nothing"
fi
exit "$failed"
