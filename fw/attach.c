// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "log.h"
#include "pin.h"

const char *fw_mode_name(enum fw_xdp_mode mode)
{
	switch (mode) {
	case FW_MODE_NATIVE:
		return "native";
	case FW_MODE_GENERIC:
		return "generic";
	default:
		return "auto";
	}
}

int fw_interfaces_resolve(const char *config_path, const struct fw_interface *ifaces, size_t count)
{
	int err = 0;

	for (size_t i = 0; i < count; i++) {
		if (if_nametoindex(ifaces[i].name))
			continue;
		fw_error("%s:%d:%d: interface \"%s\" does not exist in this network namespace; "
			 "create it or remove it from the config", config_path, ifaces[i].line,
			 ifaces[i].col, ifaces[i].name);
		err = -ENODEV;
	}
	return err;
}

static void fw_link_path(char *path, size_t size, const char *dir, const char *ifname)
{
	snprintf(path, size, "%s/%s/%s", dir, FW_PIN_LINKS, ifname);
}

static enum fw_xdp_mode fw_attached_mode(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, opts);

	if (bpf_xdp_query(ifindex, 0, &opts))
		return FW_MODE_AUTO;
	if (opts.attach_mode == XDP_ATTACHED_DRV)
		return FW_MODE_NATIVE;
	if (opts.attach_mode == XDP_ATTACHED_SKB)
		return FW_MODE_GENERIC;
	return FW_MODE_AUTO;
}

/* A pinned link still serves the interface if it sits on that ifindex in the wanted mode. */
static bool fw_link_current(int link_fd, int ifindex, enum fw_xdp_mode wanted)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(link_fd, &info, &len) || info.type != BPF_LINK_TYPE_XDP)
		return false;
	if ((int)info.xdp.ifindex != ifindex)
		return false;
	return wanted == FW_MODE_AUTO || fw_attached_mode(ifindex) == wanted;
}

static int fw_link_create(int prog_fd, int ifindex, enum fw_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	int fd;

	opts.flags = mode == FW_MODE_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	if (fd < 0 && mode == FW_MODE_AUTO) {
		opts.flags = XDP_FLAGS_SKB_MODE;
		fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	}
	return fd < 0 ? -errno : fd;
}

static int fw_attach_one(const char *dir, int prog_fd, const struct fw_interface *iface)
{
	int ifindex = if_nametoindex(iface->name);
	char path[PATH_MAX];
	int link_fd;

	fw_link_path(path, sizeof(path), dir, iface->name);
	link_fd = bpf_obj_get(path);
	if (link_fd >= 0) {
		bool current = fw_link_current(link_fd, ifindex, iface->mode);
		int err = current && bpf_link_update(link_fd, prog_fd, NULL) ? -errno : 0;

		close(link_fd);
		if (current) {
			if (err)
				fw_error("%s: cannot update the XDP program: %s", iface->name,
					 strerror(-err));
			return err;
		}
		unlink(path); /* stale: the interface was recreated or the mode changed */
	}

	link_fd = fw_link_create(prog_fd, ifindex, iface->mode);
	if (link_fd == -EBUSY || link_fd == -EEXIST) {
		fw_error("%s: another XDP program is attached; remove it first (ip link set dev "
			 "%s xdp off)", iface->name, iface->name);
		return link_fd;
	}
	if (link_fd < 0) {
		fw_error("%s: cannot attach XDP in %s mode: %s", iface->name,
			 fw_mode_name(iface->mode), strerror(-link_fd));
		return link_fd;
	}
	if (bpf_obj_pin(link_fd, path)) {
		int err = -errno;

		fw_error("%s: cannot pin the XDP link: %s", path, strerror(-err));
		close(link_fd);
		return err;
	}
	close(link_fd);
	fw_info("%s: attached in %s mode", iface->name, fw_mode_name(fw_attached_mode(ifindex)));
	return 0;
}

static bool fw_interface_listed(const char *name, const struct fw_interface *ifaces, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(ifaces[i].name, name))
			return true;
	return false;
}

/* Unpinning the last reference to a link detaches it. */
static void fw_detach_unlisted(const char *dir, const struct fw_interface *ifaces, size_t count)
{
	char links[PATH_MAX], path[PATH_MAX];
	struct dirent *entry;
	DIR *d;

	snprintf(links, sizeof(links), "%s/%s", dir, FW_PIN_LINKS);
	d = opendir(links);
	if (!d)
		return;
	while ((entry = readdir(d))) {
		if (entry->d_name[0] == '.' || fw_interface_listed(entry->d_name, ifaces, count))
			continue;
		fw_link_path(path, sizeof(path), dir, entry->d_name);
		if (!unlink(path))
			fw_info("%s: detached (no longer in the config)", entry->d_name);
	}
	closedir(d);
}

int fw_attach_interfaces(const char *dir, int prog_fd, const struct fw_interface *ifaces,
			 size_t count)
{
	char links[PATH_MAX];
	int err = 0;

	snprintf(links, sizeof(links), "%s/%s", dir, FW_PIN_LINKS);
	if (mkdir(links, 0700) && errno != EEXIST) {
		err = -errno;
		fw_error("%s: %s", links, strerror(-err));
		return err;
	}
	for (size_t i = 0; i < count; i++)
		err = fw_attach_one(dir, prog_fd, &ifaces[i]) ?: err;
	fw_detach_unlisted(dir, ifaces, count);
	return err;
}

int fw_links_update_prog(const char *dir, int prog_fd)
{
	char links[PATH_MAX], path[PATH_MAX];
	struct dirent *entry;
	int err = 0;
	DIR *d;

	snprintf(links, sizeof(links), "%s/%s", dir, FW_PIN_LINKS);
	d = opendir(links);
	if (!d)
		return 0;
	while ((entry = readdir(d))) {
		int fd;

		if (entry->d_name[0] == '.')
			continue;
		fw_link_path(path, sizeof(path), dir, entry->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0 || bpf_link_update(fd, prog_fd, NULL)) {
			err = -errno;
			fw_error("%s: cannot switch to the new XDP program: %s", entry->d_name,
				 strerror(-err));
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return err;
}

bool fw_links_run_prog(const char *dir, __u32 prog_id)
{
	char links[PATH_MAX], path[PATH_MAX];
	struct dirent *entry;
	bool found = false;
	DIR *d;

	snprintf(links, sizeof(links), "%s/%s", dir, FW_PIN_LINKS);
	d = opendir(links);
	if (!d)
		return false;
	while (!found && (entry = readdir(d))) {
		struct bpf_link_info info = { 0 };
		__u32 len = sizeof(info);
		int fd;

		if (entry->d_name[0] == '.')
			continue;
		fw_link_path(path, sizeof(path), dir, entry->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		found = !bpf_obj_get_info_by_fd(fd, &info, &len) && info.prog_id == prog_id;
		close(fd);
	}
	closedir(d);
	return found;
}
