# fail2ban (contrib/fail2ban/): the action goes where Debian's fail2ban
# reads actions; the jail example beside the jails, inert until renamed
# (fail2ban reads jail.d/*.conf and *.local only). Both are fail2ban's
# config files, so they sit under /etc whatever PREFIX is, as
# /etc/xdpfw does. tests/netns/test_fail2ban.sh runs the real fail2ban.
DEB_PACKAGES += fail2ban
FAIL2BAN_ETC := $(DESTDIR)/etc/fail2ban

.PHONY: install-fail2ban
install: install-fail2ban
install-fail2ban:
	install -D -m 0644 contrib/fail2ban/action.d/xdpfw.conf $(FAIL2BAN_ETC)/action.d/xdpfw.conf
	install -D -m 0644 contrib/fail2ban/jail.d/xdpfw.conf.example \
		$(FAIL2BAN_ETC)/jail.d/xdpfw.conf.example
