# The CrowdSec bouncer (fw/crowdsec*.c) talks HTTP through libcurl, which
# mk/config.mk already links. Its netns test runs the real CrowdSec Local API,
# whose package needs a step of its own (tests/install-crowdsec.sh says why).
.PHONY: deps-crowdsec
deps: deps-crowdsec
deps-crowdsec:
	$(Q)tests/install-crowdsec.sh
