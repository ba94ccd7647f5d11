// SPDX-License-Identifier: GPL-2.0
/* `xdpfw stats --prometheus`: the text of /metrics, for node_exporter's textfile collector. */
#include <errno.h>
#include <string.h>
#include "log.h"
#include "metrics.h"
#include "metrics_text.h"

int fw_metrics_write(FILE *out, const char *pin_dir)
{
	static char chunk[64 * 1024];
	struct fw_scrape *s;
	int err = fw_scrape_open(pin_dir, &s);
	ssize_t n;

	if (err == -ENOENT)
		fw_error("%s: nothing is pinned here; start xdpfw with 'xdpfw run' or 'xdpfw "
			 "apply'", pin_dir);
	if (err)
		return err;
	while ((n = fw_scrape_read(s, chunk, sizeof(chunk))) > 0)
		if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n)
			break;
	fw_scrape_close(s);
	if (n < 0) {
		fw_error("%s: reading the maps for the metrics failed: %s", pin_dir,
			 strerror((int)-n));
		return (int)n;
	}
	if (fflush(out) || ferror(out)) {
		fw_error("writing the metrics failed: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}
