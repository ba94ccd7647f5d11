#!/bin/bash
# `make install DESTDIR=... PREFIX=...` puts every file where DESIGN §1 says, and never overwrites a config.
set -u
cd "$(dirname "$0")/../.." || exit 1
failed=0
check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok - $desc"; else echo "not ok - $desc"; failed=1; fi
}

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >/dev/null
check "xdpfw installed under PREFIX/sbin" test -x "$dest/usr/sbin/xdpfw"
check "installed binary runs" "$dest/usr/sbin/xdpfw" --version
check "installed binary reads no test variables" bash -c "! grep -qa XDPFW_FAILPOINT '$dest/usr/sbin/xdpfw'"
check "default config installed" cmp conf/xdpfw.yaml "$dest/etc/xdpfw/xdpfw.yaml"
check "systemd unit installed" test -f "$dest/lib/systemd/system/xdpfw.service"
check "unit points at PREFIX/sbin" grep -q '^ExecStart=/usr/sbin/xdpfw run' "$dest/lib/systemd/system/xdpfw.service"
check "no placeholder left in the unit" bash -c "! grep -q @SBINDIR@ '$dest/lib/systemd/system/xdpfw.service'"
check "xdpfw(8) installed" test -f "$dest/usr/share/man/man8/xdpfw.8"
check "xdpfw.yaml(5) installed" test -f "$dest/usr/share/man/man5/xdpfw.yaml.5"

echo "# operator edit" >>"$dest/etc/xdpfw/xdpfw.yaml"
make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >/dev/null
check "reinstall keeps the operator's config" grep -q '^# operator edit' "$dest/etc/xdpfw/xdpfw.yaml"
exit $failed
