/* adapters.c - the table of adapters: adding a platform adds a line */
#include <string.h>

#include "adapter.h"

extern const struct cm_adapter cm_adapter_mastodon, cm_adapter_bluesky,
    cm_adapter_reddit, cm_adapter_hn, cm_adapter_csv, cm_adapter_demo;

/* In the order of core/platform.h. */
const struct cm_adapter *const cm_adapters[] = {
	&cm_adapter_mastodon,
	&cm_adapter_bluesky,
	&cm_adapter_reddit,
	&cm_adapter_hn,
	&cm_adapter_csv,
	&cm_adapter_demo,
	NULL
};

const struct cm_adapter *cm_adapter_find(const char *platform, size_t n)
{
	for (size_t i = 0; cm_adapters[i]; i++)
		if (strlen(cm_adapters[i]->platform) == n &&
		    memcmp(cm_adapters[i]->platform, platform, n) == 0)
			return cm_adapters[i];
	return NULL;
}

const struct cm_feed *cm_adapter_feed(const struct cm_adapter *ad,
    const char *name, size_t n)
{
	for (const struct cm_feed *f = ad->feeds; f->name; f++)
		if (strlen(f->name) == n && memcmp(f->name, name, n) == 0)
			return f;
	return NULL;
}
