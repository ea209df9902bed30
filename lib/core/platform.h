/* platform.h - the one table of the platforms cm knows and their facts */
#ifndef CM_PLATFORM_H
#define CM_PLATFORM_H

#include <stddef.h>

/*
 * Every value of a record's "platform" field (cm-record(5)), in the order
 * the man pages list them.  cm-filter checks --platform against it, the
 * demo generator and the adapters take their facts from it, and the
 * tests check that the completions and man pages name the same set.
 */
struct cm_platform {
	const char *name;	/* as in records and ids: "mastodon" */
	const char *title;	/* as people write it: "Mastodon" */
	const char *mention;	/* how a handle is mentioned in text: "@" */
	size_t reply_max;	/* longest reply a post may be, 0: no replies */
	const char *reply_unit;	/* what reply_max counts */
};

extern const struct cm_platform cm_platforms[];
extern const size_t cm_nplatforms;
/* Their names, in the same order, NULL-terminated. */
extern const char *const cm_platform_names[];

/* The platform called name[0..n), or NULL. */
const struct cm_platform *cm_platform_find(const char *name, size_t n);

#endif
