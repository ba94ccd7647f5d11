#!/bin/bash
# Attach modes and pin dirs: native, generic and auto (native on a veth)
# each attach in that mode and filter on the wire; interfaces added to or
# removed from the config are attached or detached by the next apply; a pin
# dir off bpffs is refused with a message that says what to do, and
# XDPFW_PIN_DIR sets the pin dir.
. "$(dirname "$0")/lib.sh"

setup 3
require_xdpfw
server_start 8080 -
for i in 0 1 2; do
	use_pair "$i"
	eval "DEV$i=\$FW_DEV"
done

# conf_on NAME MODE0 MODE1 MODE2: a config banning .3 of every pair on the
# pairs given a mode ('-' leaves a pair out).
conf_on() {
	local name=$1 i mode
	shift
	{
		echo "interfaces:"
		i=0
		for mode in "$@"; do
			if [ "$mode" != - ]; then
				printf '  - name: %s\n    mode: %s\n' "$(eval echo "\$DEV$i")" "$mode"
			fi
			i=$((i + 1))
		done
		echo "rules:"
		for i in 0 1 2; do
			printf '  - name: ban-%d\n    src: 198.18.%d.3\n' "$i" "$i"
		done
	} >"$WORK/$name"
	echo "$WORK/$name"
}
banned() {
	use_pair "$1"
	tcp_dropped "$PEER4B" "$FW4" 8080 && tcp_ok "$PEER4" "$FW4" 8080
}
open_pair() {
	use_pair "$1"
	tcp_ok "$PEER4B" "$FW4" 8080
}

check "apply native / generic / auto" apply "$(conf_on m.yaml native generic auto)"
check_eq "pair 0: native" "$(xdp_mode "$DEV0")" native
check_eq "pair 1: generic" "$(xdp_mode "$DEV1")" generic
check_eq "pair 2: auto attaches natively on a veth" "$(xdp_mode "$DEV2")" native
check "native: filters on the wire" banned 0
check "generic: filters on the wire" banned 1
check "auto: filters on the wire" banned 2
check "the log names the mode attached" grep -q generic "$WORK/apply.log"

check "apply without pair 1" apply "$(conf_on m2.yaml native - auto)"
check_eq "pair 1 removed from the config: detached" "$(xdp_mode "$DEV1")" none
check "pair 1: open again" open_pair 1
check "pair 0 still filters" banned 0
check "pair 2 still filters" banned 2

check "apply with pair 1 back, pair 2 out" apply "$(conf_on m3.yaml native native -)"
check_eq "pair 1 added back: native now" "$(xdp_mode "$DEV1")" native
check_eq "pair 2 removed: detached" "$(xdp_mode "$DEV2")" none
check "pair 1 filters again" banned 1
check "pair 2: open" open_pair 2
check "down" xdpfw down

# A pin dir off bpffs: refused, with what to do; nothing attached.
mkdir -p "$WORK/plain"
use_pair 0
in_fw "$XDPFW" --pin-dir "$WORK/plain/xdpfw" apply "$WORK/m.yaml" >"$WORK/nobpf.out" 2>&1
rc=$?
check_eq "pin dir off bpffs: apply exits 1" "$rc" 1
check "pin dir off bpffs: the message says bpf and how to mount it" \
	grep -qi 'mount -t bpf' "$WORK/nobpf.out"
sed 's/^/#   /' "$WORK/nobpf.out"
check_eq "pin dir off bpffs: nothing attached" "$(xdp_mode "$DEV0")" none
check "pin dir off bpffs: the ban is not in force" open_pair 0

# XDPFW_PIN_DIR sets the pin dir.
env XDPFW_PIN_DIR="$BPFFS/from-env" nsenter --net="/run/netns/$FW_NS" "$XDPFW" apply "$WORK/m3.yaml" >/dev/null 2>&1
check "XDPFW_PIN_DIR: apply pins there" test -n "$(ls -A "$BPFFS/from-env" 2>/dev/null)"
PIN_DIR=$BPFFS/from-env # the drop counters are read there
check "XDPFW_PIN_DIR: enforcing" banned 0
env_xdpfw() { env XDPFW_PIN_DIR="$BPFFS/from-env" nsenter --net="/run/netns/$FW_NS" "$XDPFW" "$@"; }
check "XDPFW_PIN_DIR: rules lists the rules" eval 'env_xdpfw --json rules | jq -e "length == 3" >/dev/null'
check "XDPFW_PIN_DIR: down" env_xdpfw down
check_eq "XDPFW_PIN_DIR: detached" "$(xdp_mode "$DEV0")" none
finish
