#!/bin/bash
# One logging path: libbpf's own messages come out through xdpfw's, with
# its "xdpfw: " prefix, and only with -v; without it, a load says nothing
# but xdpfw's own lines.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
cfg=$(ban_conf verbose.yaml)

# load_log LOG [-v]: a fresh load (new program and maps) of $cfg, its stderr kept in LOG.
load_log() {
	xdpfw down >/dev/null 2>&1
	in_fw "$XDPFW" "${@:2}" --pin-dir "$PIN_DIR" apply "$cfg" 2>"$WORK/$1"
}

check "apply without -v" load_log quiet.log
check "without -v: xdpfw's own lines only" bash -c "! grep -v '^xdpfw: ' '$WORK/quiet.log'"
check "without -v: no libbpf message" bash -c "! grep -q 'libbpf' '$WORK/quiet.log'"
check "without -v: the apply is reported" grep -q 'rules in force' "$WORK/quiet.log"

check "apply with -v" load_log verbose.log -v
check "with -v: libbpf's debug messages, through xdpfw's log" \
	grep -q "^xdpfw: libbpf: loading object 'xdpfw'" "$WORK/verbose.log"
check "with -v: xdpfw's own debug lines too" grep -q '^xdpfw: apply: ' "$WORK/verbose.log"
check "down" xdpfw down
finish
