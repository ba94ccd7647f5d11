/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw top`'s screen: one ncurses frame from a sample and the rates up to it. */
#ifndef FW_TOP_DRAW_H
#define FW_TOP_DRAW_H

#include "top_data.h"

/* What the frame says beside the counters. */
struct fw_top_screen {
	const char *interfaces; /* where the program is attached, "" for nowhere */
	uint32_t prog_id;
	enum fw_top_order order;
	const char *status;     /* the last message (a failed read, a reload), "" for none */
};

/* Starts colours, when the terminal has them; after newterm(). */
void fw_top_draw_init(void);
/* Draws the whole frame and refreshes the terminal; now NULL: nothing read yet. */
void fw_top_draw(const struct fw_top_screen *scr, const struct fw_top_sample *now,
		 const struct fw_top_view *v);

#endif /* FW_TOP_DRAW_H */
