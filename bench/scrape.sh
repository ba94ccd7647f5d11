#!/bin/bash
# Issue 11's metrics target: `xdpfw run` of N rules with settings.metrics on
# 127.0.0.1 (a free port), then SCRAPES scrapes of /metrics by curl, each
# timed for the whole body, the daemon's VmRSS before the first and after
# each, once the scrape let go of the maps it mapped in (as many BPF map
# mappings in /proc/PID/maps as before it), and its peak (VmHWM, reset before
# the first); then `xdpfw stats --prometheus`, the same text without the daemon.
# usage: bench/scrape.sh SCRAPES N   Prints CSV:
#   rss,N,KB   scrape,N,I,SECONDS,BYTES,HTTP_CODE,RSS_KB,PEAK_KB
#   series,N,RULE_PACKET_SERIES   prom,N,SECONDS,BYTES
#   (or missing,REASON when the daemon serves no metrics)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # B is read by ctl_lib.sh
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
SCRAPES=$1 N=$2
WORK=$(mktemp -d /tmp/xfb-scrape.XXXXXX)
NS=xfbsc-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup

port=19740
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
url=http://127.0.0.1:$port/metrics
MKCONF_SETTINGS="metrics: 127.0.0.1:$port" "$ROOT/bench/mkconf.sh" "$N" >"$WORK/xdpfw.yaml"
pin=$WORK/bpffs/scrape
daemon_start "$pin" "$WORK/xdpfw.yaml"
kill -0 "$DAEMON" 2>/dev/null || missing "xdpfw run did not start: $(head -n 1 "$WORK/daemon.log" | tr , ' ')"
# The listener is up once something answers on it; nothing is fetched.
for _ in $(seq 1 100); do
	ss -Hltn "sport = :$port" | grep -q . && break
	sleep 0.1
done
ss -Hltn "sport = :$port" | grep -q . || missing "the daemon does not listen on 127.0.0.1:$port"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$DAEMON/status"; }
peak() { awk '/^VmHWM/ {print $2}' "/proc/$DAEMON/status"; }
mapped() { grep -c bpf-map "/proc/$DAEMON/maps" || true; }
echo 5 >"/proc/$DAEMON/clear_refs" # VmHWM starts again from VmRSS
mapped0=$(mapped)
echo "rss,$N,$(rss)"
for i in $(seq 1 "$SCRAPES"); do
	out=$(curl -s -o "$WORK/body" -w '%{time_total},%{size_download},%{http_code}' "$url" || true)
	for _ in $(seq 1 100); do
		[ "$(mapped)" -le "$mapped0" ] && break
		sleep 0.02
	done
	echo "scrape,$N,$i,$out,$(rss),$(peak)"
done
echo "series,$N,$(grep -c '^xdpfw_rule_packets_total{' "$WORK/body" || true)"
t=$(now)
"$XDPFW" --pin-dir "$pin" stats --prometheus >"$WORK/prom" 2>/dev/null || true
echo "prom,$N,$(since "$t"),$(wc -c <"$WORK/prom")"
daemon_stop "$pin"
