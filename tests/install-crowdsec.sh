#!/bin/sh
# Installs the Debian package crowdsec for tests/netns/test_crowdsec.sh.
# Its postinst registers with CrowdSec's Central API unless
# /etc/crowdsec/online_api_credentials.yaml is already non-empty: offline that
# registration fails and leaves the package half-configured. So the file gets a
# comment first (README.Debian's way to opt out), and a package a run without
# it left half-configured is configured again.
set -eu
capi=/etc/crowdsec/online_api_credentials.yaml
status=$(dpkg-query -W -f='${Status}' crowdsec 2>/dev/null || true)
[ "$status" = "install ok installed" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "xdpfw: missing package: crowdsec; run 'make deps' as root" >&2
	exit 1
fi
if [ ! -s "$capi" ]; then
	mkdir -p /etc/crowdsec
	echo "# xdpfw: no Central API registration (see README.Debian)" >"$capi"
fi
case "$status" in
*half-configured* | *unpacked*)
	echo "  DPKG     --configure crowdsec"
	dpkg --configure crowdsec
	;;
*) "$(dirname "$0")/install-deps.sh" crowdsec ;;
esac
