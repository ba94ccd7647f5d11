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
check "fail2ban action installed where fail2ban reads actions" \
	cmp contrib/fail2ban/action.d/xdpfw.conf "$dest/etc/fail2ban/action.d/xdpfw.conf"
check "fail2ban jail example installed" \
	cmp contrib/fail2ban/jail.d/xdpfw.conf.example "$dest/etc/fail2ban/jail.d/xdpfw.conf.example"

# The installed files in Debian's own fail2ban config: inert as installed;
# enabled as the operator would, the example's sshd jail bans through xdpfw.
f2b=$dest/f2b
cp -r /etc/fail2ban "$f2b" && rm -f "$f2b"/jail.d/* "$f2b"/*.local "$f2b"/*/*.local
cp -r "$dest/etc/fail2ban/." "$f2b/"
fail2ban-client -c "$f2b" -d >"$dest/f2b.dump" 2>"$dest/f2b.err"
check "fail2ban config dumps with the files as installed" test -s "$dest/f2b.dump"
check "the jail example as installed enables nothing" bash -c "! grep -q xdpfw '$dest/f2b.dump'"
mv "$f2b/jail.d/xdpfw.conf.example" "$f2b/jail.d/xdpfw.local"
fail2ban-client -c "$f2b" -d >"$dest/f2b.dump" 2>"$dest/f2b.err"
check "the example enabled: sshd bans through xdpfw" \
	grep -qF "['set', 'sshd', 'addaction', 'xdpfw']" "$dest/f2b.dump"
check "the action bans with xdpfw ban, the jail as reason" \
	grep -q "'actionban', '[^']*xdpfw ban <ip> [^']*--reason \"f2b:sshd\"'" "$dest/f2b.dump"

echo "# operator edit" >>"$dest/etc/xdpfw/xdpfw.yaml"
make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >/dev/null
check "reinstall keeps the operator's config" grep -q '^# operator edit' "$dest/etc/xdpfw/xdpfw.yaml"
exit $failed
