/* demo_gen.h - a seeded generator of realistic cm records, offline */
#ifndef CM_DEMO_GEN_H
#define CM_DEMO_GEN_H

#include <stdint.h>

#include "core/buf.h"

/*
 * Generates records in the cm-record(5) schema across every platform:
 * mentions, replies and comments by people (praise, complaints,
 * questions, requests, spam, sarcasm, emoji, several languages), authors
 * with heavy-tailed follower counts, threads, and the brand's own replies
 * (author.is_brand, in_reply_to) after realistic delays.  Deterministic
 * for a seed and end time: the same inputs give the same bytes.  The
 * records span 14 days times the cube root of (count / 1000), at least a
 * day and at most two years, the newest at opts->end.
 */
struct cm_demo;

struct cm_demo_opts {
	uint64_t seed;
	uint64_t count;		/* records to make */
	int64_t end;		/* created_at of the newest record, epoch s */
	int64_t fetched_at;	/* source.fetched_at */
	const char *brand;	/* brand handle, default "acme" */
};

/* Returns NULL with errno ENOMEM, or EINVAL for no options or a brand
 * handle that is empty, over 31 characters, or not [A-Za-z0-9_]. */
struct cm_demo *cm_demo_new(const struct cm_demo_opts *opts);
void cm_demo_free(struct cm_demo *d);

/* The id and created_at of the record cm_demo_next made last; the id
 * belongs to d until the next call. */
const char *cm_demo_last_id(const struct cm_demo *d);
int64_t cm_demo_last_time(const struct cm_demo *d);

/* Appends the next record (one JSON object, no newline) to out.  Returns
 * 1, 0 when count records were made, -1 on ENOMEM. */
int cm_demo_next(struct cm_demo *d, struct cm_buf *out);

#endif
