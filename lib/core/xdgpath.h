/* xdgpath.h - where cm's files live: an override, else the XDG base directory */
#ifndef CM_XDGPATH_H
#define CM_XDGPATH_H

#include "buf.h"

/*
 * Writes to buf the value of $override when set and non-empty, else
 * $xdg_var/cm/NAME when that is an absolute path (the XDG spec says a
 * relative value is to be ignored), else $HOME/home_dir/cm/NAME.
 * Returns 0, or -1 when none can be formed (no HOME) or on ENOMEM.
 */
int cm_xdg_path(struct cm_buf *buf, const char *override, const char *xdg_var,
    const char *home_dir, const char *name);

#endif
