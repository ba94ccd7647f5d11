#!/bin/bash
# A config that outgrows the pinned maps gets new ones: stage the new pins,
# switch the links, promote the pins. A crash between any two steps must
# leave one whole set in force, `rules` must agree with the wire, and the
# next command must finish or undo the switch (DESIGN §1: kill -9 at any
# moment leaves a consistent, enforcing datapath). XDPFW_FAILPOINT kills
# the process with SIGKILL at the named step; only build/xdpfw-test (built
# by `make test`) has that hook, and the binary that is installed ignores it.
. "$(dirname "$0")/lib.sh"

XDPFW_TEST=${XDPFW_TEST:-$ROOT/build/xdpfw-test}
setup
require_xdpfw
[ -x "$XDPFW_TEST" ] || die "no $XDPFW_TEST: run 'make test' or 'make $XDPFW_TEST'"
sniff_start

# gen NAME N: `watch` bans 198.19.9.1 in A; B adds N IPv6 bans (more than
# the maps sized for A hold) and lets watch's source through.
gen() {
	"$PY" - "$FW_DEV" "$@" <<'PYEOF'
import ipaddress, sys
dev, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(out, "w") as f:
    f.write("interfaces:\n  - name: %s\n    mode: native\nrules:\n" % dev)
    f.write("  - name: watch\n    src: 198.19.9.1\n    action: %s\n" % ("pass" if n else "drop"))
    f.write("  - name: ban-b\n    src: 198.19.9.2\n")
    base = int(ipaddress.IPv6Address("2001:2:0:f9::"))
    for i in range(n):
        f.write("  - name: g-%d\n    src: %s\n" % (i, ipaddress.IPv6Address(base + i + 1)))
PYEOF
}
probe() {
	send_frames <<PYEOF
frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src="$2", dst=FW4) / UDP(dport=9) / M("$1")]
PYEOF
}
count() { rules_json && jq length "$WORK/rules.json"; }
# crash_apply POINT FILE [BINARY]: apply FILE with XDPFW_FAILPOINT=POINT.
crash_apply() { in_fw env XDPFW_FAILPOINT="$1" "${3:-$XDPFW_TEST}" --pin-dir "$PIN_DIR" apply "$2" >"$WORK/crash.log" 2>&1; }

gen "$WORK/a.yaml" 0
gen "$WORK/b.yaml" 3000

for point in staged links-switched; do
	check "$point: set A applied" apply "$WORK/a.yaml"
	check_eq "$point: A lists 2 rules" "$(count)" 2
	crash_apply "$point" "$WORK/b.yaml"
	check_eq "$point: the apply was killed there" "$?" 137
	check_eq "$point: the program on the interface is still one" \
		"$(ip -n "$FW_NS" -d link show dev "$FW_DEV" | grep -c 'prog/xdp')" 1
	n=$(count)
	probe "$point-watch" 198.19.9.1
	probe "$point-ban" 198.19.9.2
	check_fails "$point: the source banned in both sets stays banned" arrived "$point-ban"
	if [ "$point" = staged ]; then
		check_eq "$point: the links never switched, so A is in force" "$n" 2
		check_fails "$point: A's verdict on the wire (watch dropped)" arrived "$point-watch"
	else
		check_eq "$point: the links switched, so rules lists B" "$n" 3002
		check "$point: B's verdict on the wire (watch passes)" arrived "$point-watch"
	fi
	check "$point: no staged pins are left behind" \
		bash -c "! ls '$PIN_DIR' | grep -q staged_"
	check "$point: the next apply of B works" apply "$WORK/b.yaml"
	check_eq "$point: B in force" "$(count)" 3002
	probe "$point-after" 198.19.9.1
	check "$point: B's verdict on the wire after it" arrived "$point-after"
	check "$point: down" xdpfw down
done

check "installed build: set A applied" apply "$WORK/a.yaml"
crash_apply staged "$WORK/b.yaml" "$XDPFW"
check_eq "installed build: XDPFW_FAILPOINT is ignored, the apply of B completes" "$?" 0
check_eq "installed build: B in force" "$(count)" 3002
check "installed build: no test hook is compiled in" \
	bash -c "! grep -qa XDPFW_FAILPOINT '$XDPFW' && grep -qa XDPFW_FAILPOINT '$XDPFW_TEST'"
finish
