/* htmltext.c - HTML to the plain text of a record, through libxml2's HTML
 * parser */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "htmltext.h"
#include "utf8.h"

/* What an element is to the text. */
enum {
	E_BLOCK = 1,		/* a paragraph */
	E_DROP = 2,		/* nothing of it is text */
	E_PRE = 4,		/* its white space is kept */
	E_BR = 8,
	E_CELL = 16,		/* a table cell: a tab from the one before */
	E_IMG = 32		/* an emoji's alt text */
};

/* Sorted by name, for bsearch; libxml2 gives HTML names lower-cased. */
static const struct elem {
	const char *name;
	int flags;
} elems[] = {
	{ "address", E_BLOCK }, { "article", E_BLOCK }, { "aside", E_BLOCK },
	{ "audio", E_DROP }, { "blockquote", E_BLOCK }, { "body", E_BLOCK },
	{ "br", E_BR }, { "canvas", E_DROP }, { "caption", E_BLOCK },
	{ "center", E_BLOCK }, { "dd", E_BLOCK }, { "details", E_BLOCK },
	{ "dialog", E_BLOCK }, { "dir", E_BLOCK }, { "div", E_BLOCK },
	{ "dl", E_BLOCK }, { "dt", E_BLOCK }, { "embed", E_DROP },
	{ "fieldset", E_BLOCK }, { "figcaption", E_BLOCK },
	{ "figure", E_BLOCK }, { "footer", E_BLOCK }, { "form", E_BLOCK },
	{ "frameset", E_DROP }, { "h1", E_BLOCK }, { "h2", E_BLOCK },
	{ "h3", E_BLOCK }, { "h4", E_BLOCK }, { "h5", E_BLOCK },
	{ "h6", E_BLOCK }, { "head", E_DROP }, { "header", E_BLOCK },
	{ "hgroup", E_BLOCK }, { "hr", E_BLOCK }, { "html", E_BLOCK },
	{ "iframe", E_DROP }, { "img", E_IMG }, { "legend", E_BLOCK },
	{ "li", E_BLOCK }, { "listing", E_BLOCK | E_PRE }, { "main", E_BLOCK },
	{ "math", E_DROP }, { "menu", E_BLOCK }, { "nav", E_BLOCK },
	{ "noembed", E_DROP }, { "noframes", E_DROP }, { "noscript", E_DROP },
	{ "object", E_DROP }, { "ol", E_BLOCK }, { "p", E_BLOCK },
	{ "plaintext", E_BLOCK | E_PRE }, { "pre", E_BLOCK | E_PRE },
	{ "script", E_DROP }, { "section", E_BLOCK }, { "select", E_DROP },
	{ "style", E_DROP }, { "summary", E_BLOCK }, { "svg", E_DROP },
	{ "table", E_BLOCK }, { "tbody", E_BLOCK }, { "td", E_CELL },
	{ "template", E_DROP }, { "textarea", E_DROP }, { "tfoot", E_BLOCK },
	{ "th", E_CELL }, { "thead", E_BLOCK }, { "title", E_DROP },
	{ "tr", E_BLOCK }, { "ul", E_BLOCK }, { "video", E_DROP },
	{ "xmp", E_BLOCK | E_PRE },
};

static int elem_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct elem *)e)->name);
}

static int flags_of(const xmlChar *name)
{
	const struct elem *e = bsearch(name, elems, sizeof(elems) /
	    sizeof(elems[0]), sizeof(elems[0]), elem_cmp);

	return e ? e->flags : 0;
}

/* The conversion in progress, in the parser context's _private. */
struct conv {
	xmlParserCtxtPtr ctxt;
	struct cm_buf *out;
	size_t len0;		/* out->len before: the text starts there */
	int depth, drop, pre;
	int pre_nl;		/* at a <pre>'s start: its first newline goes */
	int brk;		/* newlines owed before the next text, 0 to 2 */
	int sep;		/* white space owed: 1 a space, 2 a tab */
	int err;		/* errno that stopped it */
};

static void stop(struct conv *c, int err)
{
	if (c->err == 0)
		c->err = err;
	xmlStopParser(c->ctxt);
}

/* Appends p[0..n) (whole characters), or as much as fits. */
static void put(struct conv *c, const char *p, size_t n)
{
	struct cm_buf *b = c->out;
	size_t limit = b->limit ? b->limit : CM_BUF_DEFAULT_LIMIT, room;

	if (c->err)
		return;
	if (cm_buf_add(b, p, n) == 0)
		return;
	if (errno != EMSGSIZE) {
		stop(c, errno);
		return;
	}
	room = limit > b->len ? limit - b->len : 0;
	if (room > n)
		room = n;
	while (room > 0 && ((unsigned char)p[room] & 0xc0) == 0x80)
		room--;
	if (room > 0 && cm_buf_add(b, p, room) < 0) {
		stop(c, errno);
		return;
	}
	stop(c, EMSGSIZE);
}

static int is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f';
}

/* Whether an ASCII character is written as it is, in a <pre> or not. */
static int as_is(unsigned char ch, int pre)
{
	if (ch == ' ' || ch == '\n' || ch == '\t')
		return pre;
	return ch >= 0x20;
}

/* What is owed before text: the paragraph or line breaks, else the
 * space or tab; none at the text's start. */
static void owed(struct conv *c)
{
	struct cm_buf *b = c->out;

	if (b->len > c->len0 && c->brk > 0) {
		/* a <pre>'s last white space is no part of the break */
		while (b->len > c->len0 && is_space((unsigned char)
		    b->data[b->len - 1]))
			b->len--;
		b->data[b->len] = '\0';
		put(c, "\n\n", (size_t)c->brk);
	} else if (b->len > c->len0 && c->sep > 0) {
		put(c, c->sep == 2 ? "\t" : " ", 1);
	}
	c->brk = c->sep = 0;
}

/* Text: white space collapsed (outside <pre>), control characters left
 * out, a bad byte U+FFFD. */
static void text(struct conv *c, const char *s, size_t n)
{
	size_t i = 0, run, k;

	if (c->drop > 0 || c->err)
		return;
	if (c->pre > 0 && c->pre_nl && n > 0 && s[0] == '\n')
		i = 1;
	c->pre_nl = 0;
	while (i < n && !c->err) {
		unsigned char ch = (unsigned char)s[i];

		if (is_space(ch) && (c->pre == 0 || c->out->len == c->len0)) {
			/* collapsed, or a <pre>'s at the text's start */
			if (c->pre == 0 && c->sep == 0)
				c->sep = 1;
			i++;
			continue;
		}
		if (ch < 0x20 && !is_space(ch)) {
			i++;
			continue;
		}
		owed(c);
		if (ch == '\r' || ch == '\f') {
			/* in a <pre>, from a reference ("&#13;") */
			put(c, ch == '\r' ? "\n" : " ", 1);
			i++;
			continue;
		}
		if (ch >= 0x80 && cm_utf8_valid_prefix((const unsigned char *)s +
		    i, n - i) == 0) {
			put(c, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		/* a run of what is written as it is: at least s[i] */
		for (run = i; run < n; run += k) {
			ch = (unsigned char)s[run];
			k = 1;
			if (ch >= 0x80) {
				if ((k = cm_utf8_valid_prefix((const unsigned
				    char *)s + run, n - run)) == 0)
					break;
			} else if (!as_is(ch, c->pre > 0)) {
				break;
			}
		}
		put(c, s + i, run - i);
		i = run;
	}
}

/* Whether a class attribute names an emoji. */
static int emoji_class(const xmlChar **atts)
{
	size_t i;

	for (i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if (strcmp((const char *)atts[i], "class") == 0 &&
		    atts[i + 1] != NULL &&
		    (strstr((const char *)atts[i + 1], "emoji") ||
		    strstr((const char *)atts[i + 1], "smiley")))
			return 1;
	return 0;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;
	int f = flags_of(name);
	size_t i;

	if (c->err)
		return;
	if (++c->depth > CM_HTMLTEXT_DEPTH) {
		/* libxml2's own stack of open elements is walked for each
		 * tag: beyond this the time would grow as its square */
		stop(c, EMSGSIZE);
		return;
	}
	c->pre_nl = 0;
	if (c->drop > 0 || (f & E_DROP)) {
		c->drop += (f & E_DROP) != 0;
		return;
	}
	if (f & E_BLOCK)
		c->brk = 2;
	if (f & E_PRE) {
		c->pre++;
		c->pre_nl = 1;
	}
	if ((f & E_BR) && c->brk < 2)
		c->brk++;
	if ((f & E_CELL) && c->brk == 0)
		c->sep = 2;
	if ((f & E_IMG) && emoji_class(atts))
		for (i = 0; atts[i] != NULL; i += 2)
			if (strcmp((const char *)atts[i], "alt") == 0 &&
			    atts[i + 1] != NULL)
				text(c, (const char *)atts[i + 1],
				    strlen((const char *)atts[i + 1]));
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;
	int f = flags_of(name);

	if (c->err)
		return;
	c->depth--;
	c->pre_nl = 0;
	if (c->drop > 0) {
		c->drop -= (f & E_DROP) != 0;
		return;
	}
	if (f & E_BLOCK)
		c->brk = 2;
	if ((f & E_PRE) && c->pre > 0)
		c->pre--;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct conv *c = ((xmlParserCtxtPtr)ctx)->_private;

	if (len > 0)
		text(c, (const char *)s, (size_t)len);
}

/*
 * What libxml2 is given: valid UTF-8 (else it takes the rest for
 * Latin-1), without NUL (its end of input) or other controls but tab and
 * newline, newlines as HTML has them ("\r\n" and "\r" are "\n"), a form
 * feed a space, and no U+FFFE or U+FFFF.  Returns html itself when it is
 * so already, else a copy to free (*len its length), or NULL when out of
 * memory.
 */
static char *clean(const char *html, size_t n, size_t *len, int *copied)
{
	const unsigned char *p = (const unsigned char *)html;
	size_t i, k, o = 0;
	char *d;

	*copied = 0;
	for (i = 0; i < n; i += k) {
		if (p[i] >= 0x20 && p[i] < 0x80) {
			k = 1;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\t') {
			k = 1;
			continue;
		}
		if (p[i] < 0x80 || (k = cm_utf8_valid_prefix(p + i, n - i)) == 0 ||
		    (k == 3 && p[i] == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe))
			break;
	}
	*len = n;
	if (i == n)
		return (char *)html;
	/* a bad byte grows to 3 */
	if (n > SIZE_MAX / 3 || (d = malloc(3 * n)) == NULL)
		return NULL;
	*copied = 1;
	for (i = 0; i < n; i += k) {
		k = 1;
		if (p[i] >= 0x20 && p[i] < 0x80) {
			d[o++] = (char)p[i];
		} else if (p[i] == '\n' || p[i] == '\t') {
			d[o++] = (char)p[i];
		} else if (p[i] == '\f') {
			d[o++] = ' ';	/* white space, but no line's end */
		} else if (p[i] == '\r') {
			d[o++] = '\n';
			if (i + 1 < n && p[i + 1] == '\n')
				k = 2;
		} else if (p[i] < 0x80) {
			;	/* NUL and other controls */
		} else if ((k = cm_utf8_valid_prefix(p + i, n - i)) == 0 ||
		    (k == 3 && p[i] == 0xef && p[i + 1] == 0xbf &&
		    p[i + 2] >= 0xbe)) {
			memcpy(d + o, "\xef\xbf\xbd", 3);
			o += 3;
			k = k ? k : 1;
		} else {
			memcpy(d + o, p + i, k);
			o += k;
		}
	}
	*len = o;
	return d;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

int cm_htmltext(const char *html, size_t n, struct cm_buf *out)
{
	struct conv c;
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc;
	size_t m = n, len;
	char *in;
	int copied, initialized;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.len0 = out->len;
	/* the start of a buffer is a string, as cm_buf promises */
	if (cm_buf_reserve(out, 0) < 0)
		return -1;
	if (m > CM_HTMLTEXT_MAX) {
		m = CM_HTMLTEXT_MAX;
		while (m > 0 && ((unsigned char)html[m] & 0xc0) == 0x80)
			m--;
	}
	if ((in = clean(html, m, &len, &copied)) == NULL)
		return -1;
	if (len > 0) {
		pthread_once(&init_once, xmlInitParser);
		if ((ctxt = htmlNewParserCtxt()) == NULL) {
			if (copied)
				free(in);
			errno = ENOMEM;
			return -1;
		}
		c.ctxt = ctxt;
		ctxt->_private = &c;
		initialized = ctxt->sax->initialized;
		memset(ctxt->sax, 0, sizeof(*ctxt->sax));
		ctxt->sax->initialized = (unsigned)initialized;
		ctxt->sax->startElement = on_start;
		ctxt->sax->endElement = on_end;
		ctxt->sax->characters = on_text;
		ctxt->sax->ignorableWhitespace = on_text;
		ctxt->sax->cdataBlock = on_text;
		doc = htmlCtxtReadMemory(ctxt, in, (int)len, NULL, "UTF-8",
		    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
		    HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
		    HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC);
		if (doc != NULL)
			xmlFreeDoc(doc);
		if (ctxt->errNo == XML_ERR_NO_MEMORY && c.err == 0)
			c.err = ENOMEM;
		htmlFreeParserCtxt(ctxt);
		/* libxml2 keeps a copy of the last error per thread */
		xmlResetLastError();
	}
	if (copied)
		free(in);
	if (c.err == ENOMEM || (c.err && c.err != EMSGSIZE)) {
		out->len = c.len0;
		out->data[out->len] = '\0';
		errno = c.err;
		return -1;
	}
	while (out->len > c.len0 && is_space((unsigned char)
	    out->data[out->len - 1]))
		out->len--;
	out->data[out->len] = '\0';
	if (c.err == EMSGSIZE || m < n) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
