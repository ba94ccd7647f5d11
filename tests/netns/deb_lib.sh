# shellcheck shell=bash
# Sourced by test_deb.sh and test_ansible.sh (after lib.sh): both install the
# package, so they take one lock around everything that builds it or touches
# dpkg, across worktrees too: dpkg has one database per host.

DPKG_LOCK=/run/xdpfw-tests-dpkg.lock
DEB_INSTALLED=0

# deb_lock: wait for the other dpkg-using test (at most 150 s).
deb_lock() {
	exec {DEB_LOCK_FD}>>"$DPKG_LOCK" || die "cannot open $DPKG_LOCK"
	flock -w 150 "$DEB_LOCK_FD" || die "$DPKG_LOCK still held after 150 s"
}

deb_unlock() { flock -u "$DEB_LOCK_FD"; }

# deb_build: `make deb` (a no-op when build/deb is newer than every source),
# under the lock; DEB=a copy in $WORK, so a later build cannot change it.
deb_build() {
	make -C "$ROOT" --no-print-directory deb >"$WORK/make-deb.log" 2>&1 || {
		sed 's/^/#   /' "$WORK/make-deb.log" | tail -20
		die "make deb"
	}
	local built
	built=$(make -C "$ROOT" --no-print-directory -s deb-path)
	[ -f "$built" ] || die "make deb left no $built"
	DEB=$WORK/$(basename "$built")
	cp "$built" "$DEB"
}

# deb_absent: the package is neither installed nor half-removed; the tests
# need a host without it, and leave one.
deb_absent() { ! dpkg-query -W -f='${db:Status-Abbrev}' xdpfw 2>/dev/null | grep -q '[a-z]'; }

# deb_purge_at_exit: an EXIT trap that purges the package if the test
# installed it and failed before purging, then runs lib.sh's cleanup.
deb_purge_at_exit() {
	DEB_INSTALLED=1
	trap 'deb_leftover_purge $?; cleanup' EXIT
}
# deb_leftover_purge STATUS: purge if needed; returns STATUS for cleanup.
deb_leftover_purge() {
	[ "$DEB_INSTALLED" = 1 ] && ! deb_absent && dpkg --purge xdpfw >/dev/null 2>&1
	return "$1"
}

# deb_snapshot: what the package can leave behind: its status, every path
# in the .deb (type, mode, owner; checksum for files), and every
# file named after it where dpkg, debhelper and systemd put things.
deb_snapshot() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' xdpfw 2>&1
	local p
	while read -r p; do
		if [ -L "$p" ] || [ -e "$p" ]; then
			stat -c '%n %F %a %U:%G' "$p"
			[ -f "$p" ] && [ ! -L "$p" ] && md5sum "$p"
		else
			echo "$p absent"
		fi
	done < <(dpkg-deb -c "$DEB" | awk '{ p = substr($6, 2); sub("/$", "", p); if (p != "") print p }')
	find /etc /lib/systemd /usr/sbin /usr/share/doc /usr/share/man /var/lib/systemd \
		/var/lib/dpkg/info -name '*xdpfw*' 2>/dev/null | sort
}
