#!/bin/bash
# The daemon's /metrics with a real Prometheus (Debian's prometheus and
# promtool): `promtool check metrics` passes on what /metrics serves and on
# `stats --prometheus`, which has the same series and which node_exporter's
# textfile collector reads without an error; no address is a label; a
# Prometheus server on 127.0.0.1 scrapes the daemon every second and its HTTP
# API returns the packet counts `rules --json` gives after real frames, and the
# stats; the shipped alert rules load into it and pass `promtool check rules`
# and their `promtool test rules`; a failed reload is counted and makes
# XdpfwReloadFailed pending; reloads, some bringing new maps, never fail a
# scrape running meanwhile; an address that is taken is an error naming it
# while the rules still go in force; a config without metrics closes the
# listener. Prometheus runs once, in the firewall's namespace.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start
for tool in curl promtool prometheus prometheus-node-exporter ss; do
	command -v "$tool" >/dev/null || die "missing tool: $tool (make deps)"
done
CONTRIB=$ROOT/contrib/prometheus

# free_port FROM: the first TCP port from FROM that nothing listens on in $FW_NS.
free_port() {
	local port=$1
	while in_fw ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
	echo "$port"
}
MPORT=$(free_port 9740)
PPORT=$(free_port $((MPORT + 1)))
METRICS=http://127.0.0.1:$MPORT/metrics
PROM=http://127.0.0.1:$PPORT

# write_conf NAME METRICS [FILLERS [MAX_RULES]]: a config with the test's rules,
# settings.metrics METRICS ('-' for none) and FILLERS more rules.
write_conf() {
	{
		echo "interfaces:"
		echo "  - name: $FW_DEV"
		echo "settings:"
		echo "  default_action: pass"
		[ "$2" != - ] && echo "  metrics: $2"
		[ -n "${4:-}" ] && echo "  max_rules: $4"
		cat <<EOF
rules:
  - name: web-pass
    port: 80
    proto: tcp
    action: pass
  - name: dns-drop
    port: 5353
    proto: udp
  - name: blocked-b
    src: $PEER4B
EOF
		local i
		for ((i = 0; i < ${3:-0}; i++)); do
			printf '  - name: filler-%d\n    src: 10.%d.%d.%d\n' "$i" $((i >> 16 & 255)) \
				$((i >> 8 & 255)) $((i & 255))
		done
	} >"$WORK/$1"
	echo "$WORK/$1"
}

# scrape FILE: GET /metrics into FILE, whole: an HTTP error or a body cut short fails.
scrape() {
	in_fw curl -sf --max-time 10 -o "$1" "$METRICS" &&
		tail -n 1 "$1" | grep -qE '^xdpfw_rules [0-9]+$'
}
# series FILE: the series of a metrics text without their values, sorted.
series() { grep -v '^#' "$1" | sed 's/ [0-9]*$//' | sort; }
# sample FILE SERIES: the value of one series in a metrics text.
sample() { awk -v s="$2" '$1 == s { print $2; f = 1 } END { if (!f) print "missing" }' "$1"; }
# prom_query EXPR: the value of the first series the query returns, "none" if none.
prom_query() {
	in_fw curl -sfG --max-time 5 --data-urlencode "query=$1" "$PROM/api/v1/query" |
		jq -r 'if .status == "success" and (.data.result | length) > 0
			then .data.result[0].value[1] else "none" end' 2>/dev/null
}
prom_equals() { [ "$(prom_query "$1")" = "$2" ]; }
# alert_state NAME: pending or firing, or none.
alert_state() {
	in_fw curl -sf --max-time 5 "$PROM/api/v1/alerts" |
		jq -r --arg n "$1" '[.data.alerts[] | select(.labels.alertname == $n) | .state] |
			first // "none"' 2>/dev/null
}
listening() { in_fw ss -Hltn "sport = :$1" | grep -q .; }
not_listening() { ! listening "$1"; }
logged() { grep -qF -- "$1" "$DAEMON_LOG"; }
lacks() { ! grep -qF "$@"; }
# said CMD...: CMD, its output shown only when it fails.
said() {
	"$@" >"$WORK/said.out" 2>&1 && return 0
	sed 's/^/#   /' "$WORK/said.out" | head -20
	return 1
}
alert_is() { [ "$(alert_state "$1")" = "$2" ]; }
counter_is() { [ "$(rule_counter "$1" "$2")" = "$3" ]; }
# use_conf FILE: make FILE the daemon's config, replaced in one rename.
CFG=$WORK/live.yaml
use_conf() { cp "$1" "$CFG.tmp" && mv "$CFG.tmp" "$CFG"; }

# --- The text the daemon serves ----------------------------------------------
base=$(write_conf metrics.yaml "127.0.0.1:$MPORT")
use_conf "$base"
daemon_start "$CFG" || die "the daemon did not start"
check "the daemon says where it serves the metrics" \
	wait_until 5 logged "serving Prometheus metrics on http://127.0.0.1:$MPORT/metrics"
check "GET /metrics answers with the whole text" wait_until 5 scrape "$WORK/m1.prom"
check_eq "its content type is the exposition format's" \
	"$(in_fw curl -sf -o /dev/null -w '%{content_type}' "$METRICS")" \
	"text/plain; version=0.0.4; charset=utf-8"
check_eq "other paths answer 404" \
	"$(in_fw curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/")" 404
check "promtool check metrics passes on /metrics" said promtool check metrics <"$WORK/m1.prom"
check_eq "the rules in force are there" "$(sample "$WORK/m1.prom" xdpfw_rules)" 3
xdpfw stats --prometheus >"$WORK/cli.prom" 2>"$WORK/cli.err"
check "stats --prometheus prints the text" grep -qx 'xdpfw_rules 3' "$WORK/cli.prom"
check "promtool check metrics passes on stats --prometheus" said promtool check metrics <"$WORK/cli.prom"
check "stats --prometheus has the series of /metrics" \
	diff <(series "$WORK/m1.prom") <(series "$WORK/cli.prom")

# node_exporter's textfile collector reads what stats --prometheus writes.
mkdir -p "$WORK/textfile"
xdpfw stats --prometheus >"$WORK/textfile/xdpfw.prom.tmp" &&
	mv "$WORK/textfile/xdpfw.prom.tmp" "$WORK/textfile/xdpfw.prom"
NPORT=$(free_port $((PPORT + 1)))
bg_start "$WORK/node_exporter.log" nsenter --net="/run/netns/$FW_NS" prometheus-node-exporter \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$WORK/textfile" --web.listen-address="127.0.0.1:$NPORT"
NODE_PID=$BG_PID
node_scrape() { in_fw curl -sf --max-time 5 -o "$WORK/node.prom" "http://127.0.0.1:$NPORT/metrics"; }
check "node_exporter serves" wait_until 20 node_scrape
check_eq "its textfile collector reads the file without an error" \
	"$(sample "$WORK/node.prom" node_textfile_scrape_error)" 0
check_eq "and exports xdpfw's metrics" "$(sample "$WORK/node.prom" xdpfw_rules)" 3
bg_kill "$NODE_PID"

check_eq "one successful reload counted" \
	"$(sample "$WORK/m1.prom" 'xdpfw_reloads_total{result="success"}')" 1

# Bans by origin, never by address.
xdpfw ban "$PEER4B" --reason scanner >/dev/null 2>&1
scrape "$WORK/m2.prom"
check_eq "a ban counts under its origin" "$(sample "$WORK/m2.prom" 'xdpfw_bans{origin="scanner"}')" 1
check "no address is in the text" lacks -e "$PEER4B" -e "$PEER4" -e "$FW4" "$WORK/m2.prom"
xdpfw unban "$PEER4B" >/dev/null 2>&1

# --- A real Prometheus scrapes it --------------------------------------------
check "promtool check rules passes on the shipped rules" said promtool check rules "$CONTRIB"/*.yml
rules_tested() { (cd "$CONTRIB" && promtool test rules tests/xdpfw.rules.test.yml); }
check "promtool test rules passes on their tests" said rules_tested
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $CONTRIB/xdpfw.rules.yml
scrape_configs:
  - job_name: xdpfw
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
bg_start "$WORK/prometheus.log" nsenter --net="/run/netns/$FW_NS" prometheus \
	--config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn
prom_ready() { in_fw curl -sf --max-time 2 "$PROM/-/ready" >/dev/null; }
if ! wait_until 60 prom_ready; then
	sed 's/^/#   /' "$WORK/prometheus.log" | tail -20
	die "Prometheus did not come up on $PROM"
fi
ok "Prometheus serves on $PROM"
check "Prometheus scrapes the daemon" wait_until 20 prom_equals 'up{job="xdpfw"}' 1
rules_loaded() {
	[ "$(in_fw curl -sf "$PROM/api/v1/rules" |
		jq -r '[.data.groups[] | select(.name == "xdpfw") | .rules[] | select(.health == "ok")] | length')" = 6 ]
}
check "the alert rules load into Prometheus and evaluate" wait_until 20 rules_loaded

send_frames <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [e / IP(src=PEER4, dst=FW4) / UDP(sport=4000 + i, dport=5353) / M("dns%d" % i) for i in range(5)]
frames += [e / IP(src=PEER4, dst=FW4) / TCP(sport=5000 + i, dport=80, flags="S") / M("web%d" % i) for i in range(3)]
EOF
check_eq "rules --json counts the dropped frames" "$(rule_counter dns-drop packets)" 5
for rule in dns-drop web-pass; do
	for field in packets bytes; do
		want=$(rule_counter "$rule" "$field")
		check "Prometheus has the $field of $rule that rules --json gives ($want)" \
			wait_until 20 prom_equals "xdpfw_rule_${field}_total{rule=\"$rule\"}" "$want"
	done
done
check_eq "the action is a label" "$(prom_query 'xdpfw_rule_packets_total{rule="dns-drop",action="drop"}')" 5
check "Prometheus has drop_rule as stats gives it" \
	wait_until 20 prom_equals 'xdpfw_packets_total{reason="drop_rule"}' "$(stat_counter drop_rule packets)"

# --- Reloads ------------------------------------------------------------------
printf 'rules: [\n' >"$WORK/broken.yaml"
check_fails "apply of a broken config fails" xdpfw apply "$WORK/broken.yaml" 2>/dev/null
check "the failed sync is counted" wait_until 20 prom_equals 'xdpfw_reloads_total{result="failure"}' 1
check "XdpfwReloadFailed goes pending in Prometheus" wait_until 20 alert_is XdpfwReloadFailed pending
check "a reload" daemon_reload
check "the daemon serves after it" scrape "$WORK/m3.prom"
check_eq "the successful syncs are counted" \
	"$(sample "$WORK/m3.prom" 'xdpfw_reloads_total{result="success"}')" 2
check_eq "the reload kept the server" "$(grep -c 'serving Prometheus metrics' "$DAEMON_LOG")" 1

# Scrapes back to back while reloads come, some onto new maps: none fails.
big=$(write_conf big.yaml "127.0.0.1:$MPORT" 20000 262144)
big2=$(write_conf big2.yaml "127.0.0.1:$MPORT" 20001)
cat >"$WORK/loop.sh" <<'EOF'
# scrape loop: curl /metrics until STOP exists; a line per scrape, ok or its failure.
fw_ns=$1 url=$2 stop=$3 body=$4
while [ ! -e "$stop" ]; do
	if nsenter --net="/run/netns/$fw_ns" curl -sf --max-time 10 -o "$body" "$url" &&
		tail -n 1 "$body" | grep -qE '^xdpfw_rules [0-9]+$'; then
		echo ok
	else
		echo "failed: curl $? $(tail -c 80 "$body" 2>/dev/null | tr '\n' ' ')"
	fi
done
EOF
bg_start "$WORK/loop.out" bash "$WORK/loop.sh" "$FW_NS" "$METRICS" "$WORK/loop.stop" "$WORK/loop.body"
LOOP_PID=$BG_PID
reloads_ok=0
for conf_file in "$big" "$big2" "$big" "$base" "$big2" "$base"; do
	use_conf "$conf_file"
	daemon_reload && reloads_ok=$((reloads_ok + 1))
done
touch "$WORK/loop.stop"
wait "$LOOP_PID" 2>/dev/null
check_eq "every reload during the scrape loop was put in force" "$reloads_ok" 6
scrapes=$(grep -c '^ok$' "$WORK/loop.out")
check "the loop scraped while the reloads ran ($scrapes scrapes)" [ "$scrapes" -ge 6 ]
if grep -q '^failed' "$WORK/loop.out"; then
	not_ok "no scrape failed during the reloads"
	grep '^failed' "$WORK/loop.out" | head -5 | sed 's/^/#   /'
else
	ok "no scrape failed during the reloads"
fi
check "XdpfwReloadFailed resolves after a good reload" wait_until 20 alert_is XdpfwReloadFailed none
check_eq "the server was kept through all of them" "$(grep -c 'serving Prometheus metrics' "$DAEMON_LOG")" 1

# --- Addresses ----------------------------------------------------------------
taken=$(write_conf taken.yaml "127.0.0.1:$PPORT")
sed -i 's/name: web-pass/name: web-moved/' "$taken"
use_conf "$taken"
kill -HUP "$DAEMON_PID"
check "an address that is taken is an error naming it" \
	wait_until 10 logged "settings.metrics 127.0.0.1:$PPORT (line 5): cannot serve /metrics there"
check "the rules went in force all the same" wait_until 10 counter_is web-moved packets 0
check "the old address is closed" wait_until 5 not_listening "$MPORT"
check "the daemon runs on" daemon_alive

use_conf "$base"
check "a reload back to the first address" daemon_reload
check "the daemon serves there again" wait_until 5 scrape "$WORK/m4.prom"
check "Prometheus scrapes it again" wait_until 20 prom_equals 'up{job="xdpfw"}' 1

use_conf "$(write_conf none.yaml -)"
check "a reload to a config without metrics" daemon_reload
check "closes the listener" wait_until 5 not_listening "$MPORT"
check "the daemon runs on without it" daemon_alive

finish
