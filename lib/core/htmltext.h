/* htmltext.h - HTML to the plain text of a record, through libxml2's HTML
 * parser */
#ifndef CM_HTMLTEXT_H
#define CM_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"

/* The most HTML converted, and the deepest nesting followed: past them
 * the rest is left out (see cm_htmltext). */
#define CM_HTMLTEXT_MAX ((size_t)4 << 20)
#define CM_HTMLTEXT_DEPTH 256

/*
 * Appends the text of the HTML html[0..n) (UTF-8, a fragment or a whole
 * document; any bytes) to out, as a browser shows it:
 *
 * - block elements (p, div, li, blockquote, h1-h6, pre, tr, ...) are
 *   paragraphs, separated by one blank line; <br> is a line break (two
 *   make a blank line, more no more); table cells are separated by a tab;
 * - white space is collapsed to one space outside <pre> (whose first
 *   newline goes, as in a browser), and left out at the start and end of
 *   the text and of its lines;
 * - links are their text: Mastodon's invisible and ellipsis spans give the
 *   whole URL, its mentions "@jane" and hashtags "#tag";
 * - character references are decoded; script, style, head, template,
 *   noscript, iframe, object, svg, math, canvas, audio and video are left
 *   out, as are comments and images (but for an emoji's alt text: an img
 *   whose class holds "emoji" or "smiley");
 * - a bad byte is U+FFFD, NUL and other control characters but white
 *   space are left out, so the text is valid UTF-8.
 *
 * Memory is bounded by n (libxml2 builds no tree: its SAX events are
 * read as they come) and by out's limit.  Returns 0; or -1 with errno
 * ENOMEM and out as it was; or -1 with errno EMSGSIZE when the HTML is
 * longer than CM_HTMLTEXT_MAX, nests deeper than CM_HTMLTEXT_DEPTH, or
 * its text does not fit in out's limit: out then holds the text up to
 * there (whole characters).  Safe to call from several threads at once.
 */
int cm_htmltext(const char *html, size_t n, struct cm_buf *out);

#endif
