#!/bin/bash
# The Debian package: `make deb` builds it (or build/deb is fresh), lintian
# finds no error, and it installs what `make install` installs, the config
# and fail2ban files as conffiles, the unit neither enabled nor started. An
# operator's edit of the config survives a reinstall and an upgrade. remove
# then purge leave the host as it was, but for the pins, which keep
# enforcing; with XDPFW_PURGE_PINS=yes purge removes them and the program
# goes. dpkg runs in a mount namespace of its own whose /sys/fs/bpf is a
# fresh bpffs, so the host's pins are never touched.
. "$(dirname "$0")/lib.sh"
. "$NETNS_DIR/deb_lib.sh"

require_root_tools
for t in dpkg-buildpackage lintian unshare flock; do
	command -v "$t" >/dev/null || die "missing tool: $t (make deps)"
done
deb_lock
deb_build
deb_unlock # lintian and the namespaces need no lock: the other test may go
add_pair 0

lintian --fail-on error "$DEB" >"$WORK/lintian.log" 2>&1
lintian_rc=$?
grep '^E:' "$WORK/lintian.log" | sed 's/^/#   /'
check_eq "lintian: no errors in $(basename "$DEB")" "$lintian_rc" 0
grep '^W:' "$WORK/lintian.log" | sed 's/^/#   lintian /'

# The package's view of the host: a mount namespace with its own bpffs.
bg_start "$WORK/mnt.log" unshare --mount --propagation private sleep 600
MNT_PID=$BG_PID
in_mnt() { nsenter --target "$MNT_PID" --mount --net="/run/netns/$FW_NS" "$@"; }
wait_until 5 in_mnt mount -t bpf bpf /sys/fs/bpf || die "a bpffs on /sys/fs/bpf in the test's mount namespace"
PINS=/sys/fs/bpf/xdpfw

deb_lock
deb_absent || die "xdpfw is installed on this host: the test needs it absent (dpkg --purge xdpfw)"
deb_snapshot >"$WORK/before.snap"

# mnt_do CMD...: CMD in the package's mount namespace; its output if it fails.
mnt_do() {
	in_mnt "$@" >"$WORK/dpkg.log" 2>&1 && return 0
	sed 's/^/#   /' "$WORK/dpkg.log" | tail -20
	return 1
}
deb_purge_at_exit
check "dpkg -i" mnt_do dpkg -i "$DEB"
check_eq "installed" "$(dpkg-query -W -f='${db:Status-Abbrev}' xdpfw)" "ii "
check "the installed binary runs" bash -c "/usr/sbin/xdpfw --version >/dev/null"

# What make install installs, the package installs (man pages gzipped).
ref=$WORK/make-install
make -C "$ROOT" --no-print-directory install DESTDIR="$ref" PREFIX=/usr >"$WORK/make-install.log" 2>&1 ||
	not_ok "make install DESTDIR=$ref"
missing=$(cd "$ref" && find . -type f | sed 's|^\.||; s|/share/man/.*|&.gz|' | sort |
	while read -r f; do [ -f "$f" ] || echo "$f"; done)
check_eq "every file make install installs is installed" "$missing" ""
check "the unit runs /usr/sbin/xdpfw" cmp "$ref/lib/systemd/system/xdpfw.service" /lib/systemd/system/xdpfw.service
empty_dir() { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }
check "conf.d is there, empty" empty_dir /etc/xdpfw/conf.d
check "examples under /usr/share/doc/xdpfw/examples" test -f /usr/share/doc/xdpfw/examples/blocklist.yaml
check "README.Debian says how purge treats the pins" grep -q XDPFW_PURGE_PINS /usr/share/doc/xdpfw/README.Debian
for f in /etc/xdpfw/xdpfw.yaml /etc/fail2ban/action.d/xdpfw.conf /etc/fail2ban/jail.d/xdpfw.conf.example; do
	check "$f is a conffile" grep -qx "$f" /var/lib/dpkg/info/xdpfw.conffiles
done
check "the config is conf/xdpfw.yaml with an include line (and comments)" \
	bash -c "diff '$ROOT/conf/xdpfw.yaml' /etc/xdpfw/xdpfw.yaml | grep '^[<>]' |
		grep -Ev '^[<>] *(#.*)?$|^> include: \[conf.d/\*.yaml\]$' | { ! grep -q .; }"
check "the installed config checks" bash -c "/usr/sbin/xdpfw check /etc/xdpfw/xdpfw.yaml >/dev/null 2>&1"
check "the config includes conf.d/*.yaml" grep -qx 'include: \[conf.d/\*.yaml\]' /etc/xdpfw/xdpfw.yaml
check "the unit is not enabled" bash -c '! find /etc/systemd/system -name xdpfw.service | grep -q .'
check "postinst starts nothing (try-restart on upgrade only)" \
	bash -c "! grep -E 'deb-systemd-invoke (start|restart)|systemctl (start|enable)' /var/lib/dpkg/info/xdpfw.postinst"

# Rules in force through the default pin dir, on the test veth.
cfg=$(ban_conf fw.yaml)
check "xdpfw apply, pinned under $PINS" mnt_do /usr/sbin/xdpfw apply "$cfg"
check "XDP attached" xdp_attached

echo "# operator edit" >>/etc/xdpfw/xdpfw.yaml
cp /etc/xdpfw/xdpfw.yaml "$WORK/edited.yaml"
check "dpkg -i again (reinstall)" mnt_do dpkg -i "$DEB"
check "reinstall keeps the edited config" cmp "$WORK/edited.yaml" /etc/xdpfw/xdpfw.yaml
# An upgrade: the same files, a higher version.
repack() {
	dpkg-deb -R "$DEB" "$WORK/up" && sed -i 's/^Version: .*/&+test1/' "$WORK/up/DEBIAN/control" &&
		dpkg-deb -b "$WORK/up" "$WORK/up.deb" >/dev/null
}
repack || die "repack $DEB with a higher version"
check "dpkg -i of a higher version (upgrade)" mnt_do dpkg -i "$WORK/up.deb"
check "upgraded" bash -c "dpkg-query -W -f='\${Version}' xdpfw | grep -q '+test1$'"
check "upgrade keeps the edited config, quietly" cmp "$WORK/edited.yaml" /etc/xdpfw/xdpfw.yaml
check "no .dpkg-* files beside it" bash -c '! ls /etc/xdpfw/*.dpkg-* 2>/dev/null | grep -q .'

check "dpkg --remove" mnt_do dpkg --remove xdpfw
check_eq "removed, config kept" "$(dpkg-query -W -f='${db:Status-Abbrev}' xdpfw)" "rc "
check "remove keeps the config" cmp "$WORK/edited.yaml" /etc/xdpfw/xdpfw.yaml
check "remove keeps the pins" in_mnt test -d "$PINS"
check "remove keeps XDP attached" xdp_attached
check "dpkg --purge" mnt_do dpkg --purge xdpfw
# as_before: the host is as before.snap says (the difference if not).
as_before() {
	deb_snapshot >"$WORK/after.snap"
	diff "$WORK/before.snap" "$WORK/after.snap" >"$WORK/snap.diff" && return 0
	sed 's/^/#   /' "$WORK/snap.diff" | head -20
	return 1
}
check "purge leaves the host as it was" as_before
check "purge keeps the pins" in_mnt test -d "$PINS"
check "purge keeps XDP attached" xdp_attached

check "dpkg -i" mnt_do dpkg -i "$DEB"
check "XDPFW_PURGE_PINS=yes dpkg --purge" mnt_do env XDPFW_PURGE_PINS=yes dpkg --purge xdpfw
check "purge leaves the host as it was" as_before
check "XDPFW_PURGE_PINS=yes: the pins are gone" in_mnt test ! -e "$PINS"
detached() { ! xdp_attached; }
check "XDPFW_PURGE_PINS=yes: XDP detached" wait_until 5 detached
finish
