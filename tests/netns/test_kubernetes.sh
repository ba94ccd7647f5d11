#!/bin/bash
# The Kubernetes deployment (deploy/kubernetes/), with no cluster: every
# manifest validates against the API schemas (tests/kube/validate.cjs) and a
# broken one is rejected; then the DaemonSet's pod, as the YAML describes it
# (its command line, capabilities, volumes and readiness probe, read from the
# YAML), runs in the test's namespace through tests/kube/pod.sh: the probe
# fails until the rules are in force, a kubelet-like ConfigMap update changes
# the verdicts, and killing the pod and starting a new one never lets a
# banned frame through (the pins keep enforcing). Each added capability is
# needed: without any one of them the pod never becomes ready.
. "$(dirname "$0")/lib.sh"

KUBE=$ROOT/deploy/kubernetes
VALIDATE=$ROOT/tests/kube/validate.cjs
POD_SH=$ROOT/tests/kube/pod.sh

require_root_tools
require_xdpfw
for t in node setpriv unshare capsh flock; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
if ! make -C "$ROOT" --no-print-directory kube-validator >"$WORK/npm.log" 2>&1; then
	sed 's/^/#   /' "$WORK/npm.log" | tail -5
	die "make kube-validator: the validator's npm packages"
fi

# ---------------------------------------------------------------- manifests

mapfile -t manifests < <(find "$KUBE" -name '*.yaml' | sort)
check "there are manifests" test "${#manifests[@]}" -ge 3
if node "$VALIDATE" "${manifests[@]}" >"$WORK/validate.out" 2>&1; then
	ok "every object of deploy/kubernetes validates: $(tail -1 "$WORK/validate.out")"
else
	not_ok "every object of deploy/kubernetes validates"
	sed 's/^/#   /' "$WORK/validate.out"
fi

# validate_rejects DESC SED WANT: a copy of daemonset.yaml edited by SED is
# rejected, with an error naming the object, field and reason (WANT, after
# FILE:LINE:COL).
validate_rejects() {
	local broken=$WORK/broken.yaml
	sed "$2" "$KUBE/daemonset.yaml" >"$broken"
	if cmp -s "$broken" "$KUBE/daemonset.yaml"; then
		not_ok "$1: the edit changed nothing"
		return
	fi
	if node "$VALIDATE" "$broken" >"$WORK/broken.out" 2>&1; then
		not_ok "$1: rejected"
	else
		ok "$1: rejected"
	fi
	if grep -qxF -- "$WANT_AT: DaemonSet kube-system/xdpfw: $3" \
		<(sed -E "s|^$broken:[0-9]+:[0-9]+|$WANT_AT|" "$WORK/broken.out"); then
		ok "$1: the error names the object, field and reason"
	else
		not_ok "$1: the error names the object, field and reason"
		diag "want: FILE:LINE:COL: DaemonSet kube-system/xdpfw: $3"
		sed 's/^/#   got: /' "$WORK/broken.out"
	fi
}
WANT_AT=broken.yaml:L:C
validate_rejects "a probe period that is not a number" 's/periodSeconds: 5/periodSeconds: soon/' \
	"spec.template.spec.containers[0].readinessProbe.periodSeconds: must be integer"
validate_rejects "a DaemonSet without a selector" '/^  selector:/,/^      app.kubernetes.io\/name: xdpfw/d' \
	"spec: required field selector is missing"
validate_rejects "a misspelt field" 's/readOnlyRootFilesystem: true/readOnlyRootFilesystm: true/' \
	"spec.template.spec.containers[0].securityContext.readOnlyRootFilesystm: unknown field"
validate_rejects "an unknown mount propagation" 's/mountPropagation: HostToContainer/mountPropagation: HostOnly/' \
	"spec.template.spec.containers[0].volumeMounts[1].mountPropagation: must be equal to one of the allowed values: Bidirectional, HostToContainer, None"

# ---------------------------------------------------------------- the pod, from the YAML

node "$VALIDATE" --json "$KUBE/daemonset.yaml" | jq -c 'select(.kind == "DaemonSet")' >"$WORK/ds.json" ||
	die "daemonset.yaml: no DaemonSet"
pod() { jq -r "$1" "$WORK/ds.json"; }
POD='.spec.template.spec'
CTR="$POD.containers[0]"
check_eq "the DaemonSet has one container" "$(pod "$POD.containers | length")" 1
check_eq "the pod is on the host network" "$(pod "$POD.hostNetwork")" true
check_eq "it tolerates every taint" "$(pod "$POD.tolerations | map(select(.operator == \"Exists\" and (.key == null) and (.effect == null))) | length")" 1
check_eq "capabilities: drop ALL" "$(pod "$CTR.securityContext.capabilities.drop | join(\",\")")" ALL
check_eq "not privileged" "$(pod "$CTR.securityContext.privileged")" false
check_eq "runs as root (without root's capabilities)" "$(pod "$CTR.securityContext.runAsUser")" 0

mapfile -t POD_CMD < <(pod "$CTR | (.command // []) + (.args // []) | .[]")
mapfile -t PROBE < <(pod "$CTR.readinessProbe.exec.command[]")
CAPS=$(pod "$CTR.securityContext.capabilities.add | map(\"+\" + ascii_downcase) | join(\",\")")
diag "pod command: ${POD_CMD[*]}"
diag "readiness probe: ${PROBE[*]}"
diag "capabilities: $CAPS"
check "the pod runs xdpfw run --watch --ready-file" \
	test "${POD_CMD[0]}" = xdpfw -a "${POD_CMD[1]}" = run -a "${POD_CMD[2]}" = --watch -a "${POD_CMD[3]}" = --ready-file
READY_FILE=${POD_CMD[4]}
CONFIG=${POD_CMD[5]}
check_eq "the probe tests the ready file" "${PROBE[*]}" "test -e $READY_FILE"

POD_OPTS=(--caps "$CAPS")
[ "$(pod "$CTR.securityContext.allowPrivilegeEscalation")" = false ] && POD_OPTS+=(--no-new-privs)
[ "$(pod "$CTR.securityContext.readOnlyRootFilesystem")" = true ] && POD_OPTS+=(--read-only-root)

setup
sniff_start
mkdir -p "$WORK/bin" "$WORK/host"
ln -s "$XDPFW" "$WORK/bin/xdpfw" # the image's /usr/sbin/xdpfw

# The volumes, as the kubelet makes them: the ConfigMap's folder ($CM), the
# host's bpffs (this test's private one) for the hostPath, and a new folder
# per pod for the emptyDir.
CM=$WORK/host/configmap
mkdir "$CM"
# volume_source NAME POD_N: the host folder of volume NAME for pod POD_N.
volume_source() {
	local kind
	kind=$(pod "$POD.volumes[] | select(.name == \"$1\") | if .configMap then \"configMap\" elif .hostPath then \"hostPath:\" + .hostPath.path elif .emptyDir then \"emptyDir\" else \"other\" end")
	case $kind in
	configMap) echo "$CM" ;;
	hostPath:/sys/fs/bpf) echo "$BPFFS" ;;
	emptyDir) echo "$WORK/host/pod.$2/$1" ;;
	*) echo "unknown volume $1 ($kind)" >&2 && return 1 ;;
	esac
}

# pod_start N [CAPS]: start pod N (its emptyDirs new) with the DaemonSet's
# capabilities, or CAPS; POD_PID is xdpfw's pid, POD_LOG its output.
pod_start() {
	local n=$1 opts=("${POD_OPTS[@]}") name mount_path ro src
	[ $# -gt 1 ] && opts+=(--caps "$2")
	mkdir -p "$WORK/host/pod.$n/scratch"
	while IFS=$'\t' read -r name mount_path ro; do
		src=$(volume_source "$name" "$n") || return 1
		mkdir -p "$src"
		opts+=(--mount "$src:$mount_path:$([ "$ro" = true ] && echo ro || echo rw)")
	done < <(pod "$CTR.volumeMounts[] | [.name, .mountPath, (.readOnly // false | tostring)] | @tsv")
	POD_LOG=$WORK/host/pod.$n/log
	bg_start "$POD_LOG" nsenter --net="/run/netns/$FW_NS" unshare --mount --propagation private \
		"$POD_SH" --scratch "$WORK/host/pod.$n/scratch" --path "$WORK/bin" "${opts[@]}" -- "${POD_CMD[@]}"
	POD_PID=$BG_PID
}
pod_alive() { kill -0 "$POD_PID" 2>/dev/null; }
# probe: the readiness probe, run in the pod's mount and network namespaces
# as the kubelet's exec probe is.
probe() { nsenter --target "$POD_PID" --mount --net -- "${PROBE[@]}"; }
pod_ready() { pod_alive && probe; }
pod_exited() { ! pod_alive; }
show_pod_log() { sed 's/^/#   /' "$POD_LOG" | tail -"${1:-10}"; }

# cm_update [DIR] STAMP KEY=FILE...: what the kubelet does to a ConfigMap's
# folder (DIR, default $CM): the keys in a new folder ..STAMP, ..data
# swapped to it in one rename, a KEY -> ..data/KEY link per key, the old
# folder removed.
cm_update() {
	local CM=$CM stamp kv old
	[ -d "$1" ] && CM=$1 && shift
	stamp=$1
	shift
	mkdir "$CM/..$stamp"
	for kv in "$@"; do cp "${kv#*=}" "$CM/..$stamp/${kv%%=*}"; done
	old=$(readlink "$CM/..data" || true)
	ln -s "..$stamp" "$CM/..data_tmp"
	mv -T "$CM/..data_tmp" "$CM/..data"
	for kv in "$@"; do
		[ -L "$CM/${kv%%=*}" ] || ln -s "..data/${kv%%=*}" "$CM/${kv%%=*}"
	done
	if [ -n "$old" ]; then rm -rf "${CM:?}/$old"; fi
}

# ---------------------------------------------------------------- the ConfigMap example

# Its keys, as the kubelet projects them, pass `xdpfw check`.
EXAMPLE=$WORK/host/example
mkdir -p "$EXAMPLE"
node "$VALIDATE" --json "$KUBE/configmap.yaml" | jq -c 'select(.kind == "ConfigMap")' >"$WORK/cm.json"
mapfile -t example_keys < <(jq -r '.data | keys[]' "$WORK/cm.json")
example_args=()
for key in "${example_keys[@]}"; do
	jq -j --arg k "$key" '.data[$k]' "$WORK/cm.json" >"$WORK/example.$key"
	example_args+=("$key=$WORK/example.$key")
done
cm_update "$EXAMPLE" 2026_12_01_09_00_00.1 "${example_args[@]}"
check "the ConfigMap example has xdpfw.yaml" test -L "$EXAMPLE/$(basename "$CONFIG")"
# Needs helper include's `include:` (on v2 once merged).
if "$XDPFW" check "$EXAMPLE/$(basename "$CONFIG")" >"$WORK/example.out" 2>&1; then
	ok "the ConfigMap example passes xdpfw check"
else
	not_ok "the ConfigMap example passes xdpfw check"
	sed 's/^/#   /' "$WORK/example.out"
fi

# ---------------------------------------------------------------- each capability is needed

# Against a bpffs of its own: a failed start must leave nothing behind.
MIN_BPFFS=$WORK/host/bpffs-min
mkdir -p "$MIN_BPFFS"
mount -t bpf bpf "$MIN_BPFFS" || die "mount -t bpf bpf $MIN_BPFFS"
CLEAN_MOUNTS+=("$MIN_BPFFS")
IFS=, read -r -a cap_list <<<"$CAPS"
conf a.yaml >/dev/null <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
  log_rate: 100/s
  metrics: 127.0.0.1:9740
rules:
  - name: ban-b
    src: $PEER4B
    log: true
  - name: ban-x
    src: 198.19.9.2
EOF
cm_update 2026_12_01_10_00_00.1 "xdpfw.yaml=$WORK/a.yaml"
i=0
for cap in "${cap_list[@]}"; do
	i=$((i + 1))
	fewer=$(printf '%s\n' "${cap_list[@]}" | grep -vx -- "$cap" | paste -sd,)
	SAVED_BPFFS=$BPFFS
	BPFFS=$MIN_BPFFS
	pod_start "min$i" "${fewer:--all}"
	BPFFS=$SAVED_BPFFS
	if wait_until 10 pod_exited && tail -1 "$POD_LOG" | grep -q '^xdpfw: '; then
		ok "without ${cap#+}, the pod's xdpfw exits: $(tail -1 "$POD_LOG")"
	elif pod_ready; then
		not_ok "without ${cap#+}, the pod's xdpfw exits (it became ready: ${cap#+} is not needed)"
	else
		not_ok "without ${cap#+}, the pod's xdpfw exits (it did not, or not as xdpfw)"
		show_pod_log
	fi
	check "without ${cap#+}, the error names the capabilities xdpfw needs" \
		grep -q 'xdpfw needs CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON' "$POD_LOG"
	bg_kill "$POD_PID"
	in_fw "$XDPFW" --pin-dir "$MIN_BPFFS/xdpfw" down >/dev/null 2>&1
done
check_fails "no XDP program left on $FW_DEV" xdp_attached

# ---------------------------------------------------------------- ready only once enforcing

# within SECONDS CMD...: CMD succeeds before SECONDS have passed; for a CMD
# that itself takes a while (wait_until counts tries, not time).
within() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}
# udp_passes SRC: a datagram from SRC gets through.
udp_passes() {
	probe_blocked udp "$1" "$FW4" 9 >/dev/null && return 1
	arrived "$PROBE_ID"
}
# hold_pin_lock: take the flock that xdpfw takes on its pin dir before it
# touches the datapath, so a starting pod waits before enforcing.
hold_pin_lock() {
	mkdir -p "$PIN_DIR"
	rm -f "$WORK/locked"
	bg_start "$WORK/lock.log" "$PY" -c 'import fcntl, os, signal, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
signal.pause()' "$PIN_DIR" "$WORK/locked"
	LOCK_PID=$BG_PID
	wait_until 5 test -e "$WORK/locked" || die "could not lock $PIN_DIR"
}
# waits_for_lock: the pod's xdpfw is blocked on that flock.
waits_for_lock() { grep -qE "^[0-9]+: -> FLOCK +ADVISORY +WRITE +$POD_PID " /proc/locks; }

hold_pin_lock
pod_start 1
check "pod 1 starts and waits for the pin dir" wait_until 10 waits_for_lock
check_fails "pod 1 not ready before its rules are in force" probe
check_fails "nothing attached yet" xdp_attached
check "a banned source still gets through" udp_passes "$PEER4B"
bg_kill "$LOCK_PID"
if wait_until 20 pod_ready; then ok "pod 1 ready once enforcing"; else
	not_ok "pod 1 ready once enforcing"
	show_pod_log
fi
check "the banned source is dropped" udp_dropped "$PEER4B" "$FW4" 9
check "198.19.9.1 passes (config A)" udp_passes 198.19.9.1
# Events and metrics need no capability beyond these (the pod's own network
# namespace is the test's, so the metrics port is its own).
event_logged() { grep -q "ban-b.*$PEER4B" "$POD_LOG"; }
check "events: the drop of the banned source is logged" wait_until 5 event_logged
metrics_served() { in_fw curl -sf http://127.0.0.1:9740/metrics | grep -q '^xdpfw_build_info'; }
check "metrics: served" metrics_served
check_eq "the ready file names the config" \
	"$(nsenter --target "$POD_PID" --mount cat "$READY_FILE")" "enforcing $CONFIG"

# The capabilities the pod's xdpfw holds: the added ones, no others.
want_caps=$(printf "%s\n" "${cap_list[@]}" | sed "s/^+/cap_/" | sort | paste -sd,)
for set in CapBnd CapPrm CapEff CapInh CapAmb; do
	mask=$(awk -v s="$set:" '$1 == s { print $2 }' "/proc/$POD_PID/status")
	got=$(capsh --decode="$mask" | sed 's/.*=//' | tr , '\n' | sort | paste -sd,)
	check_eq "pod 1's $set: exactly the DaemonSet's capabilities" "$got" "$want_caps"
done
check_eq "pod 1 runs with no_new_privs" "$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$POD_PID/status")" 1

# ---------------------------------------------------------------- a ConfigMap update

# Needs helper watch's --watch (on v2 once merged): before it, the swap
# changes nothing and this part fails.
# B: A and a ban on 198.19.9.1.
{
	cat "$WORK/a.yaml"
	printf '  - name: ban-w\n    src: 198.19.9.1\n'
} >"$WORK/b.yaml"
w_dropped() { udp_dropped 198.19.9.1 "$FW4" 9 2>/dev/null >&2; }
cm_update 2026_12_01_10_05_00.2 "xdpfw.yaml=$WORK/b.yaml"
check "the ConfigMap folder was swapped" test "$(readlink "$CM/..data")" = ..2026_12_01_10_05_00.2 -a ! -e "$CM/..2026_12_01_10_00_00.1"
if within 10 w_dropped; then ok "after the ..data swap, 198.19.9.1 is dropped (config B)"; else
	not_ok "after the ..data swap, 198.19.9.1 is dropped (config B)"
	show_pod_log
fi
check "the banned source is still dropped" udp_dropped "$PEER4B" "$FW4" 9
check "pod 1 still ready" pod_ready

# A broken update: logged, and the rules in force stay.
printf 'interfaces:\n  - name: %s\nrules:\n  - name: bad\n    src: 198.19.9.300\n' "$FW_DEV" >"$WORK/broken-config.yaml"
cm_update 2026_12_01_10_10_00.3 "xdpfw.yaml=$WORK/broken-config.yaml"
broken_logged() { grep -qE "$(basename "$CONFIG"):5:[0-9]+:" "$POD_LOG"; }
if wait_until 10 broken_logged; then ok "a broken update is logged with its line"; else
	not_ok "a broken update is logged with its line"
	show_pod_log
fi
check "after the broken update: 198.19.9.1 still dropped" w_dropped
check "after the broken update: pod 1 still ready" pod_ready
cm_update 2026_12_01_10_15_00.4 "xdpfw.yaml=$WORK/b.yaml"

# ---------------------------------------------------------------- pod restarts

# Frames from a banned source (x) and from one that passes (y) flow all the
# time; pod 1 is killed and pod 2 starts (and, for a while, waits: the new
# pod is not ready, the pins of the old one enforce). No x ever gets through.
x_before=$(rule_counter ban-x packets)
y_grew() { [ "$(arrivals y)" -gt "$1" ]; }
stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src="198.19.9.2", dst=FW4) / UDP(dport=9) / M("x"),
    e / IP(src="198.19.9.3", dst=FW4) / UDP(dport=9) / M("y"),
]
EOF
check "traffic flows" wait_until 5 arrived y
bg_kill "$POD_PID" KILL
check "pod 1 is gone (SIGKILL)" pod_exited
check "still attached with no pod" xdp_attached
y_mid=$(arrivals y)
check "frames still flow with no pod" wait_until 5 y_grew "$y_mid"
hold_pin_lock
pod_start 2
check "pod 2 waits for the pin dir" wait_until 10 waits_for_lock
check_fails "pod 2 not ready while waiting, though the pins enforce" probe
y_mid=$(arrivals y)
check "frames flow while pod 2 waits" wait_until 5 y_grew "$y_mid"
bg_kill "$LOCK_PID"
if wait_until 20 pod_ready; then ok "pod 2 ready"; else
	not_ok "pod 2 ready"
	show_pod_log
fi
# The container restarts in its pod (OOM, kill -9): the emptyDir keeps the
# last run's ready file, which must not make the new run ready early.
bg_kill "$POD_PID" KILL
hold_pin_lock
pod_start 2
check "pod 2's restarted container waits for the pin dir" wait_until 10 waits_for_lock
check_fails "pod 2's restarted container not ready while waiting (stale ready file gone)" probe
bg_kill "$LOCK_PID"
if wait_until 20 pod_ready; then ok "pod 2's restarted container ready"; else
	not_ok "pod 2's restarted container ready"
	show_pod_log
fi
bg_kill "$POD_PID" KILL
pod_start 3
if wait_until 20 pod_ready; then ok "pod 3 (no wait) ready"; else
	not_ok "pod 3 (no wait) ready"
	show_pod_log
fi
stream_stop
x_sent=$(streamed x)
diag "streamed: $x_sent x, $(streamed y) y"
check "frames were streamed through the restarts" test "$x_sent" -gt 0 -a "$(arrivals y)" -gt 0
check_eq "not one banned frame got through" "$(arrivals x)" 0
check_eq "ban-x counted every one of them, across the pods" "$(rule_counter ban-x packets)" $((x_before + x_sent))
check "config B still in force" w_dropped

# ---------------------------------------------------------------- removal

# The down Job, as remove/down-job.yaml describes it, takes it all away.
node "$VALIDATE" --json "$KUBE/remove/down-job.yaml" | jq -c 'select(.kind == "Job")' >"$WORK/job.json"
mapfile -t JOB_CMD < <(jq -r '.spec.template.spec.containers[0] | (.command // []) + (.args // []) | .[]' "$WORK/job.json")
JOB_CAPS=$(jq -r '.spec.template.spec.containers[0].securityContext.capabilities | (.add // []) | map("+" + ascii_downcase) | join(",")' "$WORK/job.json")
check_eq "the Job runs xdpfw down" "${JOB_CMD[*]}" "xdpfw down"
check_eq "the Job drops every capability" "$(jq -r '.spec.template.spec.containers[0].securityContext.capabilities.drop | join(",")' "$WORK/job.json")" ALL
bg_kill "$POD_PID" TERM
mkdir -p "$WORK/host/job/scratch"
if in_fw unshare --mount --propagation private "$POD_SH" --scratch "$WORK/host/job/scratch" \
	--path "$WORK/bin" --caps "${JOB_CAPS:--all}" --no-new-privs --read-only-root --mount "$BPFFS:/sys/fs/bpf:rw" \
	-- "${JOB_CMD[@]}" >"$WORK/job.log" 2>&1; then
	ok "the down Job succeeds"
else
	not_ok "the down Job succeeds"
	sed 's/^/#   /' "$WORK/job.log"
fi
check_fails "after the Job: nothing attached" xdp_attached
check_eq "after the Job: no pins" "$(find "$PIN_DIR" -mindepth 1 2>/dev/null | wc -l)" 0
check "after the Job: the banned source gets through" udp_passes "$PEER4B"
finish
