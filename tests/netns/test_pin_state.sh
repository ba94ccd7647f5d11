#!/bin/bash
# The pin directory: pinned state from an incompatible build is detected
# and reported with what to do, never adopted; the flock on the directory
# serialises commands (DESIGN §1 pinned layout, xdp-tools' lock).
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw

CFG=$(ban_conf xdpfw.yaml)

# --- a layout version this build does not know
check "apply" apply "$CFG"
# fw_params is one entry of words; word 1 is the layout: set it to 99, keep the others.
params=$(bpftool -j map lookup pinned "$PIN_DIR/fw_params" key 0 0 0 0 |
	jq -r '.value | .[4:8] = ["0x63", "0x00", "0x00", "0x00"] | map(ltrimstr("0x")) | join(" ")')
# shellcheck disable=SC2086 # one word per byte
check "bpftool can write the pinned params" \
	bpftool map update pinned "$PIN_DIR/fw_params" key 0 0 0 0 value hex $params
xdpfw rules >"$WORK/rules.out" 2>&1
check_eq "rules on layout 99: exit 1" "$?" 1
check "the message names the layout" grep -q "layout 99" "$WORK/rules.out"
check "the message says to run down" grep -q "down" "$WORK/rules.out"
xdpfw apply "$CFG" >"$WORK/apply.out" 2>&1
check_eq "apply on layout 99: exit 1, nothing adopted" "$?" 1
# (stats refuses layout 99 too: no counters to read)
check "the old datapath still drops the banned source" probe_blocked icmp "$PEER4B" "$FW4" -
check "down removes the incompatible state" xdpfw down
check "apply starts afresh" apply "$CFG"

# --- a map whose value size differs from this build's
check "replace fw_counters with a map of another shape" bash -c "
	rm '$PIN_DIR/fw_counters' &&
	bpftool map create '$PIN_DIR/fw_counters' type array key 4 value 8 entries 4 name fw_counters"
xdpfw stats >"$WORK/stats.out" 2>&1
check_eq "stats on a foreign map: exit 1" "$?" 1
check "the message names the map and the sizes" grep -q "fw_counters.*value 8" "$WORK/stats.out"
check "down" xdpfw down

# --- the lock: a command waits while another holds the pin dir
check "apply" apply "$CFG"
# One process holds the lock (flock(1) would leave it with its sleeping child).
bg_start "$WORK/holder.log" "$PY" -c 'import fcntl, os, sys, time
fcntl.flock(os.open(sys.argv[1], os.O_RDONLY), fcntl.LOCK_EX)
time.sleep(30)' "$PIN_DIR"
HOLDER=$BG_PID
check "the holder has the lock" wait_until 5 bash -c "! flock -n '$PIN_DIR' true"
bg_start "$WORK/waiter.log" nsenter --net="/run/netns/$FW_NS" "$XDPFW" --pin-dir "$PIN_DIR" apply "$CFG"
WAITER=$BG_PID
# The kernel lists a process blocked in flock(2) as "-> FLOCK ... PID".
lock_waiter() { grep -qE -- "-> FLOCK +ADVISORY +[A-Z]+ +$1 " /proc/locks; }
check "apply waits for the lock while another process holds it" wait_until 5 lock_waiter "$WAITER"
check_fails "and has applied nothing meanwhile" grep -q "rules in force" "$WORK/waiter.log"
bg_kill "$HOLDER"
check "apply finishes once the lock is released" wait_until 10 grep -q "rules in force" "$WORK/waiter.log"
wait "$WAITER"
check_eq "and succeeds" "$?" 0
check "down" xdpfw down
finish
