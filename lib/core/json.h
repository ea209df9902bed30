/* json.h - strict, validating, tree-free JSON scanner for one record line */
#ifndef CM_JSON_H
#define CM_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum cm_json_type {
	CM_JSON_NONE = 0,	/* absent: path not found */
	CM_JSON_NULL,
	CM_JSON_FALSE,
	CM_JSON_TRUE,
	CM_JSON_NUMBER,
	CM_JSON_STRING,
	CM_JSON_ARRAY,
	CM_JSON_OBJECT
};

/*
 * A value found in a line: its type and its raw bytes, which point into the
 * caller's line (for strings, quotes included, escapes not decoded).  It is
 * valid for as long as the line is.
 */
struct cm_json_value {
	enum cm_json_type type;
	const char *raw;
	size_t len;
};

#define CM_JSON_DEFAULT_DEPTH 512

struct cm_json_error {
	size_t offset;		/* byte offset into the line */
	const char *msg;	/* static string, e.g. "invalid UTF-8 in string" */
};

/*
 * A compiled set of dotted paths ("id", "author.followers", "score") to
 * extract in the same pass that validates the line.  Path segments name
 * object members only; a segment that is all digits also indexes arrays
 * ("tags.0"; digits with a leading zero name members only).  A path has
 * at most 64 segments.  Create with cm_json_paths_new, free with
 * cm_json_paths_free.
 */
struct cm_json_paths;

/* Returns NULL with errno set (ENOMEM, EINVAL for an empty path or
 * segment).  The strings are copied. */
struct cm_json_paths *cm_json_paths_new(const char *const *paths, size_t n);
void cm_json_paths_free(struct cm_json_paths *p);

/*
 * Validates line[0..len) as exactly one JSON value per RFC 8259 (UTF-8
 * checked, nesting deeper than max_depth refused; 0 means the default,
 * and values above 131072 count as 131072),
 * whitespace allowed around it.  When paths is not NULL, out[i] receives
 * the value at path i (type CM_JSON_NONE when absent); when a member name
 * occurs twice in an object the last one wins, as in jq.
 * Returns 0 when valid, -1 with *err filled otherwise (out is then
 * unspecified).  Never allocates.
 */
int cm_json_scan(const char *line, size_t len, int max_depth,
    const struct cm_json_paths *paths, struct cm_json_value *out,
    struct cm_json_error *err);

/*
 * Looks up one dotted path in a line already known to be valid; fills
 * *out and returns 1 when found, 0 when absent.  Slower than cm_json_scan
 * with compiled paths: for one-off lookups.
 */
int cm_json_get(const char *line, size_t len, const char *path,
    struct cm_json_value *out);

/*
 * Walks the elements of an array or the members of an object that
 * cm_json_scan has accepted (a value it returned, or a line): each call
 * sets *elem to the next element (for an object its value, and *key, when
 * not NULL, to its name as a string value) and returns 1; 0 at the end
 * or for another type.  *pos starts at 0 and belongs to the walk.  It
 * does not validate again: the value must come from the scanner.
 */
int cm_json_each(const struct cm_json_value *c, size_t *pos,
    struct cm_json_value *key, struct cm_json_value *elem);

/* Decodes a CM_JSON_STRING value's escapes into UTF-8, appended to out.
 * Returns 0, or -1 (not a string, or out's limit reached). */
int cm_json_string(const struct cm_json_value *v, struct cm_buf *out);

/* Converts a CM_JSON_NUMBER that is an integer in range; returns 0 or -1
 * (not a number, has a fraction or exponent, or out of range). */
int cm_json_int64(const struct cm_json_value *v, int64_t *out);

/* Converts any CM_JSON_NUMBER (locale-independent); returns 0 or -1. */
int cm_json_double(const struct cm_json_value *v, double *out);

/* 1 for true, 0 for false; -1 for any other type. */
int cm_json_bool(const struct cm_json_value *v);

/* Compares a string value with a C string without allocating (escapes
 * decoded); 1 when equal, 0 otherwise. */
int cm_json_string_eq(const struct cm_json_value *v, const char *s);

#endif
