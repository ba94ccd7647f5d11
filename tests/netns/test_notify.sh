#!/bin/bash
# `xdpfw run` talks to systemd when NOTIFY_SOCKET is set: READY=1 once the
# rules are in force, RELOADING=1 then READY=1 around a SIGHUP reload, and
# STOPPING=1 on SIGTERM (DESIGN §1, Type=notify in the unit).
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw

CFG=$(ban_conf xdpfw.yaml)
SOCK=$WORK/notify.sock
NLOG=$WORK/notify.log
bg_start "$WORK/notify.err" "$PY" "$NETNS_DIR/notify_listen.py" "$SOCK" "$NLOG"
wait_until 5 grep -q LISTENING "$NLOG" 2>/dev/null || die "notify listener did not start"

notified() { grep -q "$1" "$NLOG"; }
count_of() { grep -c "$1" "$NLOG"; }

export NOTIFY_SOCKET=$SOCK
daemon_start "$CFG" || die "daemon did not start"
check "READY=1 once the rules are in force" wait_until 5 notified 'READY=1'
check "the banned source is dropped once READY=1 is sent" ping_dropped "$PEER4B" "$FW4"

daemon_reload || not_ok "SIGHUP reload logged"
check "RELOADING=1 on SIGHUP" wait_until 5 notified 'RELOADING=1'
check "RELOADING carries MONOTONIC_USEC" notified 'RELOADING=1 | MONOTONIC_USEC=[0-9]'
check "READY=1 again after the reload" wait_until 5 bash -c "[ \$(grep -c 'READY=1' '$NLOG') -ge 2 ]"

kill -TERM "$DAEMON_PID"
check "STOPPING=1 on SIGTERM" wait_until 5 notified 'STOPPING=1'
wait "$DAEMON_PID" 2>/dev/null
status=$?
check_eq "daemon exits 0 on SIGTERM" "$status" 0
unset NOTIFY_SOCKET
finish
