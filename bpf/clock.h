/* SPDX-License-Identifier: GPL-2.0 */
/* fw_params words and the datapath's clock (fw/xdpfw.h), for the rules, bans and limits. */
#ifndef XDPFW_CLOCK_H
#define XDPFW_CLOCK_H

#include "maps.h"

/* Read once per packet: userspace rewrites it while the program runs. */
static __always_inline __u32 fw_param(__u32 index)
{
	return *(volatile __u32 *)&fw_params[index];
}

/* Boot time, so bans expire while the host sleeps, plus the shift tests move it by. */
static __always_inline __u64 fw_now(void)
{
	__u64 shift = (__u64)fw_param(FW_PARAM_CLOCK_HI) << 32 | fw_param(FW_PARAM_CLOCK_LO);

	return bpf_ktime_get_boot_ns() + shift;
}

/* a is earlier than b: a signed difference, so the order survives the clock's wrap. */
static __always_inline int fw_before(__u64 a, __u64 b)
{
	return (__s64)(a - b) < 0;
}

#endif /* XDPFW_CLOCK_H */
