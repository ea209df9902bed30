/* filter.h - cm-filter's record tests: flag values, their evaluation on
 * scanned fields, --unique's id set and --unanswered's read-ahead queue */
#ifndef CM_FILTER_H
#define CM_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/json.h"

/*
 * A cm_filter is built from option values (cm_filter_set), prepared once
 * (cm_filter_prepare), and then given every record of the stream in order
 * (cm_filter_feed) with the fields named by cm_filter_paths already
 * scanned.  It decides which records pass and hands their line bytes to
 * the emit function, in input order.  Only the fields the options need
 * are scanned, and the tests compare raw slices of the line, so a record
 * costs one cm_json_scan and no allocation unless it is held.
 */
struct cm_filter;

enum cm_filter_opt {
	/* Lists: a comma-separated value; given again, the lists join. */
	CM_FILTER_PLATFORM,	/* platform is one of them */
	CM_FILTER_KIND,		/* kind is one of them */
	CM_FILTER_REASON,	/* reason is one of them */
	CM_FILTER_LANG,		/* lang matches a language range (RFC 4647) */
	CM_FILTER_AUTHOR,	/* author.handle (any case, '@' optional) or
				 * author.id is one of them */
	CM_FILTER_LABEL,	/* score.label is one of them */
	/* Single values: given again, the last one counts. */
	CM_FILTER_SINCE,	/* created_at >= WHEN */
	CM_FILTER_UNTIL,	/* created_at < WHEN */
	CM_FILTER_MIN_FOLLOWERS,	/* author.followers >= N */
	CM_FILTER_MIN_PRIORITY,	/* score.priority >= X, 0 <= X <= 1 */
	CM_FILTER_WINDOW,	/* --unanswered: a reply counts within this */
	CM_FILTER_HOLD_LIMIT,	/* --unanswered: bytes held at most */
	/* Repeatable: every pattern must match the text. */
	CM_FILTER_MATCH,	/* POSIX extended regular expression */
	/* Switches: value is ignored. */
	CM_FILTER_IGNORE_CASE,	/* for CM_FILTER_MATCH */
	CM_FILTER_UNIQUE,
	CM_FILTER_UNANSWERED,
	CM_FILTER_INVERT
};

/* The most values cm_filter_paths ever asks for: size of the out array. */
#define CM_FILTER_MAX_VALUES 16

/*
 * CM_FILTER_MATCH refuses a pattern longer than CM_FILTER_MATCH_MAX_LEN
 * bytes, or whose expanded size (cm_filter_match_size) is larger than
 * CM_FILTER_MATCH_MAX_SIZE: glibc's regcomp copies an atom once per
 * repetition its bound allows, so "(a{1,32767}){1,32767}" would take
 * gigabytes, and a long optional chain like "a{1,n}" costs memory
 * quadratic in n (some 130 MB at n = 4096).
 */
#define CM_FILTER_MATCH_MAX_LEN 4096
#define CM_FILTER_MATCH_MAX_SIZE 4096

/*
 * An estimate of the size of the POSIX extended regular expression re
 * once its repetitions are expanded: an atom counts 1 (a bracket
 * expression 2, a UTF-8 character its bytes), a group its content plus
 * 1, a quantified atom or group its size times the upper bound of the
 * quantifier (an open bound counts as its lower bound plus 1; "{,n}" is
 * "{0,n}", as glibc reads it), and alternatives add up.  The
 * count stops at CM_FILTER_MATCH_MAX_SIZE + 1.  Malformed patterns get
 * some estimate; regcomp reports what is wrong with them.
 */
size_t cm_filter_match_size(const char *re);

/* The default of CM_FILTER_HOLD_LIMIT. */
#define CM_FILTER_HOLD_DEFAULT ((size_t)256 << 20)

/* Called with each passing line, without its newline. */
typedef void (*cm_filter_emit_fn)(void *ctx, const char *line, size_t len);

/* now: the time relative --since and --until count back from.  Returns
 * NULL on ENOMEM. */
struct cm_filter *cm_filter_new(int64_t now, cm_filter_emit_fn emit,
    void *ctx);
void cm_filter_free(struct cm_filter *f);

/*
 * Sets an option from its command-line value.  Returns 0, or -1 with a
 * message in *err saying what is wrong and which forms are accepted
 * ("'x' is not a kind (post, reply, comment, message)"), without the
 * option's name: the caller prefixes it.  errno is EINVAL for a bad
 * value, ENOMEM when out of memory.
 */
int cm_filter_set(struct cm_filter *f, enum cm_filter_opt opt,
    const char *value, struct cm_buf *err);

/* Parses a size for CM_FILTER_HOLD_LIMIT: a whole number of bytes, or
 * with a k, M or G suffix (binary: 1k is 1024).  Returns 0 or -1. */
int cm_filter_parse_size(const char *s, size_t *out);

/*
 * Ends the setting of options: compiles the patterns and the paths.
 * Returns 0, or -1 with errno ENOMEM.  After it, cm_filter_set must not
 * be called.
 */
int cm_filter_prepare(struct cm_filter *f);

/* The paths to scan each record with (NULL when no option needs any
 * field); the values found go to cm_filter_test and cm_filter_feed. */
const struct cm_json_paths *cm_filter_paths(const struct cm_filter *f);

/*
 * The flag tests that need no state (all but --unique, --unanswered and
 * --invert) on one record's scanned values: 1 when every one holds.
 * A field that is absent, null or of the wrong type fails its test.
 */
int cm_filter_test(struct cm_filter *f, const struct cm_json_value *v);

enum cm_filter_verdict {
	CM_FILTER_FAIL = 0,	/* the flags or the expression said no */
	CM_FILTER_PASS = 1,
	CM_FILTER_ERROR = 2	/* not passed, even with --invert */
};

/*
 * Takes the next record of the stream: its line, its scanned values and
 * the verdict of cm_filter_test and the expression.  Applies --unique,
 * --unanswered and --invert, and emits whatever is decided, in input
 * order.  With --unanswered, records may be held (copied) until later
 * ones decide them; every record must be fed, also failing ones, since a
 * brand reply answers whatever it replies to.  Returns 0, or -1 on
 * ENOMEM.
 */
int cm_filter_feed(struct cm_filter *f, const char *line, size_t len,
    const struct cm_json_value *v, enum cm_filter_verdict verdict);

/* The end of the stream: records still held are unanswered.  Emits them
 * and returns 0, or -1 on ENOMEM. */
int cm_filter_finish(struct cm_filter *f);

struct cm_filter_stats {
	size_t held;		/* records held now */
	size_t held_bytes;	/* their bytes, as counted for the limit */
	size_t held_peak;	/* the most bytes held at once */
	uint64_t released_early;	/* let go unanswered by the limit */
	uint64_t unique_ids;	/* distinct ids remembered */
	size_t unique_bytes;	/* memory of the id set */
};

void cm_filter_stats(const struct cm_filter *f, struct cm_filter_stats *st);

#endif
