#!/bin/bash
# install.sh DIR: the validator's npm packages, as tests/kube/package-lock.json
# pins them, into DIR/node_modules (DIR is under build/: never committed).
# Node.js and npm come with the machine (nodesource's nodejs package, which
# carries npm); Debian's npm package would fight it, so this only says what
# is missing.
set -eu
dir=$1
src=$(cd "$(dirname "$0")" && pwd)
for tool in node npm; do
	if ! command -v "$tool" >/dev/null; then
		echo "install.sh: $tool is missing: the Kubernetes manifest validator needs Node.js >= 20 with npm" >&2
		echo "install.sh: install nodesource's nodejs package (it has npm), not Debian's npm" >&2
		exit 1
	fi
done
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "install.sh: node $(node --version) is too old: the validator needs Node.js >= 20" >&2
	exit 1
fi
mkdir -p "$dir"
cp "$src/package.json" "$src/package-lock.json" "$dir/"
# ci: exactly the lock's versions, checked against its hashes.
npm ci --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error
