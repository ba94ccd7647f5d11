/* SPDX-License-Identifier: GPL-2.0 */
/* A config file put in force as `apply` does, in a datapath loaded for it (not pinned). */
#ifndef TEST_IN_FORCE_H
#define TEST_IN_FORCE_H

#include "datapath.h"

/*
 * Loads the config at path, loads a datapath with room for it and syncs the
 * rules in (ids, names, sets); NULL after saying why. The datapath lives
 * until the next call.
 */
struct fw_datapath *in_force(const char *path);

#endif /* TEST_IN_FORCE_H */
