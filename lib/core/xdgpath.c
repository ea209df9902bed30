/* xdgpath.c - where cm's files live: an override, else the XDG base directory */
#include <stdlib.h>

#include "xdgpath.h"

int cm_xdg_path(struct cm_buf *buf, const char *override, const char *xdg_var,
    const char *home_dir, const char *name)
{
	const char *v;

	cm_buf_reset(buf);
	if ((v = getenv(override)) != NULL && *v)
		return cm_buf_adds(buf, v);
	if ((v = getenv(xdg_var)) != NULL && *v == '/')
		return cm_buf_printf(buf, "%s/cm/%s", v, name);
	if ((v = getenv("HOME")) != NULL && *v)
		return cm_buf_printf(buf, "%s/%s/cm/%s", v, home_dir, name);
	return -1;
}
