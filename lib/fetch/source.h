/* source.h - a source of cm-fetch's command line, resolved against the
 * config: which account, platform, feed and argument it names */
#ifndef CM_SOURCE_H
#define CM_SOURCE_H

#include "core/error.h"
#include "platforms/adapter.h"
#include "store/config.h"

/*
 * Resolves spec, "ACCOUNT:FEED[:ARG]" where ACCOUNT is an [account NAME]
 * section of cfg (its "platform" key says whose), or "PLATFORM:FEED[:ARG]"
 * for a platform's public data; an adapter whose feed has an empty name
 * takes the whole rest as its argument ("demo:200", "csv:FILE").  Fills
 * src[0], or src[0..CM_FEED_MAX_PARTS) for a feed of several parts, and
 * says how many in *n (their strings point into spec and cfg, which must
 * outlive them), and runs the adapter's check.  Returns 0, or -1 with
 * err: a usage or configuration error (status 2) naming the source.
 */
int cm_source_resolve(const char *spec, const struct cm_config *cfg,
    struct cm_source *src, size_t *n, struct cm_error *err);

/*
 * The sources cfg and the adapters make, for completion and for a person
 * who wants to know: one line each, "SOURCE\tDESCRIPTION\n", appended to
 * out.  Each [account NAME] of cfg whose platform cm-fetch knows gives
 * NAME:FEED for every feed of its platform, NAME:FEED: for one that takes
 * an argument; then each platform gives its public feeds the same way
 * (PLATFORM:FEED), unless an account has the platform's name.  Nothing is
 * checked and no secret is read.  Returns 0, or -1 when out of memory.
 */
int cm_source_list(const struct cm_config *cfg, struct cm_buf *out);

/* Frees what cm_source_resolve allocated in src. */
void cm_source_free(struct cm_source *src);

#endif
