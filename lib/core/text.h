/* text.h - the links, mentions and hashtags of a record's text, by the
 * rules of cm-record(5), for every program that reads or writes them */
#ifndef CM_TEXT_H
#define CM_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * The rules (cm-record(5)), over UTF-8 text that may be invalid (a bad
 * byte is read as U+FFFD; nothing is read outside s[0..n)):
 *
 * - a link starts "http://" or "https://" (in any case) anywhere, runs to
 *   white space, a control character, '"', '<', '>' or a bad byte, and
 *   leaves out its trailing punctuation (. , ; : ! ? ' * and any non-ASCII
 *   punctuation, and a ')', ']' or '}' that closes nothing in the link);
 *   something must follow the "//";
 * - a mention is '@' at the start of a word and a handle: an ASCII letter,
 *   digit or '_', then those, '.' and '-', and once '@' and a domain that
 *   may also hold other letters and digits ("jane@fosstodon.org"), less a
 *   trailing '.', '-' or '@'; or Reddit's "u/NAME" (also "/u/NAME") at the
 *   start of a word, NAME of ASCII letters, digits, '_' and '-';
 * - a hashtag is '#' at the start of a word and a run of letters, marks,
 *   digits, '_' and zero-width (non-)joiners, at least one a letter (so
 *   "#4821937" is none).
 *
 * "At the start of a word": first in the text, or after a character that
 * does not join words: anything but letters, marks, digits and
 * _ @ # $ % & * + - . / \ = ^ ` | ~ ("jane@example.com" and "C#" name
 * nobody).  Letters, marks, digits and white space are Unicode's (ICU).
 * A link is looked for first: a mention inside one is part of the link.
 */

enum cm_text_kind {
	CM_TEXT_LINK,
	CM_TEXT_MENTION,
	CM_TEXT_TAG
};

/* One token: s[off..off+len) as written ("@jane", "u/jane", "#Tag", a
 * link), and its value s[voff..voff+vlen) ("jane", "Tag" as written, the
 * link). */
struct cm_text_token {
	enum cm_text_kind kind;
	size_t off, len;
	size_t voff, vlen;
};

/*
 * The token that starts at s[i], if one does: returns 1 and fills *t, or
 * 0.  What precedes s[i] is looked at only to tell a word's start, so a
 * caller that skips the tokens it is given sees the same ones as
 * cm_text_next.
 */
int cm_text_token_at(const char *s, size_t n, size_t i,
    struct cm_text_token *t);

/*
 * The next token at or after *pos: returns 1, fills *t and moves *pos
 * past it, or returns 0 (and *pos = n) when there are no more.  Start
 * with *pos = 0.
 */
int cm_text_next(const char *s, size_t n, size_t *pos,
    struct cm_text_token *t);

/* How many of each kind a record keeps; a text with more (a long Reddit
 * post) keeps the first ones. */
#define CM_TEXT_FIELD_MAX 64

struct cm_text_span {
	size_t off, len;
};

/*
 * The tags, mentions and links arrays of a record, as spans of the
 * values in the text they came from: in order, each once (tags compared
 * lower-cased, mentions and links byte for byte).  A tag's span is as
 * written: cm_text_fields_json lower-cases it.
 */
struct cm_text_fields {
	struct cm_text_span tags[CM_TEXT_FIELD_MAX];
	struct cm_text_span mentions[CM_TEXT_FIELD_MAX];
	struct cm_text_span links[CM_TEXT_FIELD_MAX];
	size_t ntags, nmentions, nlinks;
};

/* Fills *f from s[0..n); it cannot fail and allocates nothing. */
void cm_text_fields(const char *s, size_t n, struct cm_text_fields *f);

/*
 * Appends one of f's arrays, f having been filled from s, as a JSON
 * array of strings ('["homelab","acme"]') to out; tags lower-cased.
 * Returns 0, or -1 with errno set (ENOMEM, EMSGSIZE) and out as it was.
 */
int cm_text_fields_json(struct cm_buf *out, const char *s,
    const struct cm_text_fields *f, enum cm_text_kind kind);

/*
 * Appends s[0..n) lower-cased (Unicode's simple mapping; a bad byte
 * becomes U+FFFD) to out, which must not hold s.  Returns 0, or -1 with errno set and out as it
 * was.
 */
int cm_text_lower(struct cm_buf *out, const char *s, size_t n);

#endif
