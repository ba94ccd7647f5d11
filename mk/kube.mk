# tests/kube/validate.cjs checks deploy/kubernetes/ against the Kubernetes API
# schemas with the npm packages tests/kube/package-lock.json pins; they go
# under build/kube, never into the tree. Node.js and npm are the machine's
# (tests/kube/install.sh says so if they are missing).
KUBE_MODULES := $(BUILD)/kube/node_modules/.package-lock.json
.PHONY: kube-validator
kube-validator: $(KUBE_MODULES)
$(KUBE_MODULES): tests/kube/package.json tests/kube/package-lock.json tests/kube/install.sh
	$(call msg,NPM,$(BUILD)/kube)
	$(Q)tests/kube/install.sh $(BUILD)/kube
TEST_BUILD += kube-validator
