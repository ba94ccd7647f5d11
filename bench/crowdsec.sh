#!/bin/bash
# A CrowdSec decision to enforcement: a throwaway Local API (`crowdsec -no-cs
# -no-capi`, SQLite in $WORK) on 127.0.0.1, `xdpfw run` as its bouncer
# polling every POLL_MS, then REPS times `cscli decisions add --ip` of a fresh
# address (198.18.199.1, 198.18.200.0-REPS: no rule of mkconf.sh 1000 holds
# them), timed by bench/enforcewait until the pinned program drops it; the
# adds are spread over the poll's phase.
# usage: bench/crowdsec.sh REPS POLL_MS   Prints CSV:
#   poll,MS   decision,REP,MS_FROM_START,CSCLI_MS,MS_FROM_CSCLI_EXIT
#   (or missing,REASON when CrowdSec or xdpfw's bouncer is not there)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
REPS=$1 POLL=$2
WORK=$(mktemp -d /tmp/xfb-cs.XXXXXX)
NS=xfbcs-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup
LAPI=
cs_cleanup() {
	[ -z "$LAPI" ] || ctl_stop "$LAPI"
	ctl_cleanup
}
trap cs_cleanup EXIT

if [ -x "$ROOT/tests/install-crowdsec.sh" ]; then
	"$ROOT/tests/install-crowdsec.sh" >&2 || missing "the crowdsec package could not be installed"
fi
if ! command -v crowdsec >/dev/null || ! command -v cscli >/dev/null; then
	missing "the crowdsec package is not installed"
fi
port=18400
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done

cat >"$WORK/cs.yaml" <<EOF2
common:
  daemonize: false
  log_media: stdout
  log_level: warning
  working_dir: $WORK
config_paths:
  config_dir: $WORK/
  data_dir: $WORK/data/
  simulation_path: $WORK/simulation.yaml
  hub_dir: $WORK/hub/
  index_path: $WORK/hub/.index.json
db_config:
  type: sqlite
  db_path: $WORK/data/crowdsec.db
  use_wal: true
api:
  client:
    credentials_path: $WORK/machine.yaml
  server:
    listen_uri: 127.0.0.1:$port
    profiles_path: /etc/crowdsec/profiles.yaml
    trusted_ips: [127.0.0.1]
prometheus:
  enabled: false
EOF2
mkdir -p "$WORK/data" "$WORK/hub"
echo "simulation: off" >"$WORK/simulation.yaml"
echo '{}' >"$WORK/hub/.index.json" # cscli reads a hub index, even an empty one
cs() { cscli -c "$WORK/cs.yaml" "$@"; }
cs machines add bench --auto -f "$WORK/machine.yaml" >/dev/null 2>&1
cs bouncers add xdpfw-bench -o raw >"$WORK/cs.key"
crowdsec -c "$WORK/cs.yaml" -no-cs -no-capi >"$WORK/lapi.log" 2>&1 &
LAPI=$!
lapi_up() {
	curl -sf -o /dev/null -H "X-Api-Key: $(cat "$WORK/cs.key")" "http://127.0.0.1:$port/v1/decisions"
}
for _ in $(seq 1 100); do
	lapi_up && break
	sleep 0.1
done
lapi_up || { tail -n 5 "$WORK/lapi.log" >&2; missing "the Local API did not start"; }

"$ROOT/bench/mkconf.sh" 1000 >"$WORK/xdpfw.yaml"
printf 'crowdsec:\n  url: http://127.0.0.1:%s/\n  api_key_file: cs.key\n  poll: %sms\n' "$port" "$POLL" >>"$WORK/xdpfw.yaml"
cs decisions add --ip 198.18.199.1 --duration 1h >/dev/null 2>&1 || missing "cscli decisions add failed"
"$XDPFW" check "$WORK/xdpfw.yaml" >/dev/null 2>"$WORK/check.log" ||
	missing "xdpfw does not take the crowdsec section: $(head -n 1 "$WORK/check.log" | tr , ' ')"
pin=$WORK/bpffs/cs
daemon_start "$pin" "$WORK/xdpfw.yaml"
echo "poll,$POLL"
# A first decision, untimed: the bouncer has connected once it is enforced.
"$B/enforcewait" "$pin/xdpfw_prog" 198.18.200.0 30000 cscli -c "$WORK/cs.yaml" decisions add --ip 198.18.200.0 --duration 1h >/dev/null 2>&1 ||
	{ tail -n 5 "$WORK/daemon.log" >&2; missing "xdpfw never enforced a first decision (see the daemon's log above)"; }
for rep in $(seq 1 "$REPS"); do
	# Golden-ratio steps through the poll interval, so adds do not line up with polls.
	sleep "$(awk -v r="$rep" -v p="$POLL" 'BEGIN {x = r * 0.6180339887; printf "%.3f", (x - int(x)) * p / 1000}')"
	addr=198.18.200.$rep
	out=$("$B/enforcewait" "$pin/xdpfw_prog" "$addr" $((3 * POLL + 2000)) \
		cscli -c "$WORK/cs.yaml" decisions add --ip "$addr" --duration 1h 2>/dev/null || true)
	IFS=, read -r _ ms cmd <<<"$out"
	if [ "$ms" = timeout ] || [ -z "$ms" ]; then
		echo "decision,$rep,timeout,$cmd,timeout"
	else
		echo "decision,$rep,$ms,$cmd,$(awk -v a="$ms" -v b="$cmd" 'BEGIN {printf "%.1f", a - b}')"
	fi
done
daemon_stop "$pin"
