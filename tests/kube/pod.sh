#!/bin/bash
# pod.sh [OPTIONS] -- CMD...: CMD as a container runtime would start it, run
# in a mount namespace of its own (unshare --mount --propagation private
# pod.sh ...: nothing here changes the host's mounts). For
# tests/netns/test_kubernetes.sh, which takes every option from a manifest.
#
#   --mount SRC:TARGET[:ro]  bind SRC at TARGET (a volumeMount), on an
#                            overlay of TARGET's parent (its changes go to
#                            --scratch) unless TARGET is a mount point
#   --scratch DIR            where those overlays keep their changes
#   --caps +a,+b             the only capabilities: bounding, inheritable,
#                            ambient (and so permitted and effective, as root)
#   --no-new-privs           allowPrivilegeEscalation: false
#   --read-only-root         readOnlyRootFilesystem: true
#   --path DIR               put DIR first in PATH (where the image's
#                            binaries are)
set -eu
mounts=()
caps=
scratch=
nnp=()
ro_root=false
while [ $# -gt 0 ]; do
	case $1 in
	--mount) mounts+=("$2") && shift 2 ;;
	--scratch) scratch=$2 && shift 2 ;;
	--caps) caps=$2 && shift 2 ;;
	--no-new-privs) nnp=(--no-new-privs) && shift ;;
	--read-only-root) ro_root=true && shift ;;
	--path) PATH=$2:$PATH && shift 2 ;;
	--) shift && break ;;
	*) echo "pod.sh: unknown option $1" >&2 && exit 2 ;;
	esac
done
if [ $# -eq 0 ] || [ -z "$caps" ] || [ -z "$scratch" ]; then
	echo "usage: pod.sh --scratch DIR --caps LIST [OPTIONS] -- CMD..." >&2
	exit 2
fi

# mount_point DIR: DIR exists to mount on, made on an overlay of its parent
# unless it is a mount point already (/sys/fs/bpf): a host folder must not be
# one, as the host may remove it (dpkg --purge of /etc/xdpfw), which would
# take the bind mount away.
declare -A overlaid=()
mount_point() {
	local dir=$1 parent
	mountpoint -q "$dir" && return 0
	parent=$(dirname "$dir")
	while [ ! -d "$parent" ]; do parent=$(dirname "$parent"); done
	if [ -z "${overlaid[$parent]:-}" ]; then
		overlaid[$parent]=$((${#overlaid[@]} + 1))
		mkdir -p "$scratch/upper.${overlaid[$parent]}" "$scratch/work.${overlaid[$parent]}"
		mount -t overlay overlay -o "lowerdir=$parent,upperdir=$scratch/upper.${overlaid[$parent]},workdir=$scratch/work.${overlaid[$parent]}" "$parent"
	fi
	mkdir -p "$dir"
}

for m in "${mounts[@]}"; do
	IFS=: read -r src target mode <<<"$m"
	mount_point "$target"
	mount --bind "$src" "$target"
	[ "$mode" = ro ] && mount -o remount,bind,ro "$target"
done
# After the volumes: they are mounts of their own and keep their mode.
$ro_root && mount -o remount,bind,ro /

export PATH
exec setpriv --inh-caps="-all,$caps" --ambient-caps="-all,$caps" --bounding-set="-all,$caps" \
	"${nnp[@]}" -- "$@"
