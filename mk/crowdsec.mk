# The CrowdSec bouncer (fw/crowdsec*.c) talks HTTP through libcurl; its netns
# test runs the real CrowdSec Local API, whose package needs a step of its own
# (tests/install-crowdsec.sh says why).
DEB_PACKAGES += libcurl4-openssl-dev
LDLIBS += -lcurl

.PHONY: deps-crowdsec
deps: deps-crowdsec
deps-crowdsec:
	$(Q)tests/install-crowdsec.sh
