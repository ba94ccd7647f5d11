# The Debian package (debian/): `make deb` builds build/deb/xdpfw_*.deb with
# dpkg-buildpackage, in a copy of the tree under build/deb/src, so the
# package is built from the sources alone (what a clean clone has: git's
# tracked and not ignored files), dh_clean never touches this tree, and
# what dpkg-buildpackage writes beside the source (.buildinfo, .changes) is
# inside build/deb, where the copy and those are removed afterwards.
# Rebuilt only when a source is newer than the .deb. tests/netns/test_deb.sh
# and test_ansible.sh install it: `make test` builds it before the tests,
# while the CPUs are free, so they find it fresh. The Ansible role is in
# deploy/ansible/.
DEB_PACKAGES += debhelper lintian fakeroot ansible-core python3-apt
TEST_BUILD += deb

DEB_DIR := $(BUILD)/deb
DEB_VERSION := $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
DEB_ARCH := $(shell dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null)
DEB_FILE := $(DEB_DIR)/xdpfw_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_SRCS := $(wildcard $(shell git ls-files -co --exclude-standard 2>/dev/null || \
	find . -path ./$(BUILD) -prune -o -type f -print))

.PHONY: deb
deb: $(DEB_FILE)

$(DEB_FILE): $(DEB_SRCS)
	$(call msg,DEB,$@)
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	$(Q)tar -cf - $(DEB_SRCS) | tar -xf - -C $(DEB_DIR)/src
	$(Q)cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc -J$(NPROC) >../build.log 2>&1 || \
		{ tail -30 ../build.log; echo "make deb: dpkg-buildpackage failed; see $(DEB_DIR)/build.log"; exit 1; }
	$(Q)rm -rf $(DEB_DIR)/src $(DEB_DIR)/*.buildinfo $(DEB_DIR)/*.changes
	$(Q)test -f $@ || { echo "make deb: dpkg-buildpackage made no $@"; exit 1; }

# The .deb's path, for the tests.
.PHONY: deb-path
deb-path:
	@echo $(DEB_FILE)
