/* draft.h - what a platform takes as a reply: length limits, the leading
 * mention, and the idempotency key of a reply */
#ifndef CM_DRAFT_H
#define CM_DRAFT_H

#include <stddef.h>

#include "core/buf.h"

/* What the checks know of the target record and of the account. */
struct cm_draft_target {
	const char *platform;	/* the record's platform */
	const char *author;	/* the target's author.handle, or NULL */
	/* Mastodon: the instance's max_characters ([account] key
	 * max_characters), 0: 500 */
	size_t max_chars;
};

/*
 * Makes text (a template's output) what the platform takes, in place:
 * on Mastodon, "@ACCT " in front unless the text already mentions the
 * author (a reply that does not mention its target's author does not
 * notify them); trailing white space trimmed everywhere.  Then checks
 * it: not empty, valid UTF-8 without control characters but newline and
 * tab, and within the platform's limit as the platform counts: Mastodon
 * max_chars characters, which Mastodon counts as grapheme clusters (a
 * URL counts 23, a mention its user name part only), Bluesky 300
 * graphemes (and 3000 bytes), Reddit 10000 characters (code points);
 * other platforms the reply limit of cm's platform table in code points
 * (X 280, Discord 2000, YouTube 10000; one that takes no replies, like
 * hn, makes every text invalid), and 10000 for a platform cm does not
 * know.  Links and mentions are found by the rules of cm-record(5); a
 * handle that is no mention by them gets no "@ACCT " in front.  Returns
 * 0 when it may be sent, 1 when it is invalid (the reason in *why,
 * emptied first: "412 characters, over Bluesky's 300"), -1 on ENOMEM (or
 * when ICU fails).
 */
int cm_draft_fit(const struct cm_draft_target *t, struct cm_buf *text,
    struct cm_buf *why);

/* The length of text as platform counts it (see cm_draft_fit), or
 * (size_t)-1 for invalid UTF-8 (or when ICU fails). */
size_t cm_draft_length(const char *platform, const char *text, size_t len);

/*
 * The idempotency key of a reply: 32 lower-case hex digits, a hash of
 * the account, the target's id and the text (so that a reply claimed and
 * sent again is the same send, and another text is another): the first
 * 128 bits of SHA-256 over account, a NUL byte, target, a NUL byte and
 * text (NULL counts as ""), the same on every machine, by OpenSSL's
 * libcrypto.  out holds 33 bytes.  Returns 0, or -1 when libcrypto
 * cannot (out of memory).
 */
int cm_draft_key(const char *account, const char *target, const char *text,
    char out[33]);

#endif
