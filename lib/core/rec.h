/* rec.h - one cm record (cm-record(5)) from its fields, as one JSON line */
#ifndef CM_REC_H
#define CM_REC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * The fields of cm-record(5).  Strings are UTF-8 (invalid bytes are
 * written as U+FFFD) and NUL-terminated, but for text, which has its
 * length; NULL writes null (or, for the fields that are never null, an
 * empty string).  Counts are CM_REC_NULL for null (a Reddit score may be
 * less than zero); verified is -1, 0 or 1.  ids
 * are whole: "mastodon:mastodon.social:1176...".  The caller owns every
 * string; the writer keeps none.
 */
#define CM_REC_NULL INT64_MIN

struct cm_rec_author {
	const char *id, *handle, *name, *url;
	int64_t followers;
	int verified;
	int is_brand;
};

struct cm_rec {
	const char *id, *platform, *kind, *reason;
	int64_t created_at;		/* epoch seconds */
	const char *url;
	struct cm_rec_author author;
	const char *text;
	size_t text_len;
	const char *lang;
	const char *in_reply_to, *thread;
	/* tags, mentions and links come from the text by the rules of
	 * cm-record(5) (core/text.h), unless tokens_given: then these are
	 * the platform's own (Bluesky's facets) */
	int tokens_given;
	const char *const *tags, *const *mentions, *const *links;
	size_t ntags, nmentions, nlinks;
	int64_t likes, reposts, replies, quotes;
	const char *account, *feed;
	int64_t fetched_at;
	/* a platform's own object, named after it ("bluesky"): valid JSON */
	const char *extra_name, *extra;
	size_t extra_len;
	/* the platform's payload for "raw": valid JSON, or NULL */
	const char *raw;
	size_t raw_len;
	/* a record its maker wrote itself (the demo generator): these
	 * bytes are the record, and the fields above but id and created_at
	 * are not used */
	const char *json;
	size_t json_len;
};

/* Sets every count to -1, verified to -1, the rest to 0 / NULL. */
void cm_rec_init(struct cm_rec *r);

/* Appends the record as one JSON object, no newline, in the order of
 * cm-record(5)'s fields.  Returns 0, or -1 when out's limit is reached. */
int cm_rec_write(const struct cm_rec *r, struct cm_buf *out);

#endif
