/* htmltext - tests for lib/core/htmltext.c: statuses as Mastodon renders
 * them, HTML as people and feeds write it, and broken or hostile input */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/htmltext.h"
#include "tap.h"

/* The text of in (its strlen, or n bytes when n > 0), or "(failed)". */
static void check_n(const char *in, size_t n, const char *want,
    const char *what)
{
	struct cm_buf b = CM_BUF_INIT;
	char *s;
	int rc;

	n = n ? n : strlen(in);
	/* an exact copy, so that a read past the end is seen by ASan */
	s = malloc(n ? n : 1);
	memcpy(s, in, n);
	rc = cm_htmltext(s, n, &b);
	is_str(rc == 0 ? b.data : "(failed)", want, "%s", what);
	free(s);
	cm_buf_free(&b);
}

static void check(const char *in, const char *want, const char *what)
{
	check_n(in, 0, want, what);
}

/* Builds s repeated k times between head and tail. */
static char *repeat(const char *head, const char *s, size_t k,
    const char *tail, size_t *n)
{
	size_t hl = strlen(head), sl = strlen(s), tl = strlen(tail), i;
	char *p = malloc(hl + sl * k + tl + 1), *w = p;

	memcpy(w, head, hl);
	w += hl;
	for (i = 0; i < k; i++, w += sl)
		memcpy(w, s, sl);
	memcpy(w, tail, tl + 1);
	*n = hl + sl * k + tl;
	return p;
}

static const char status[] =
    "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://"
    "mastodon.social/@acme\" class=\"u-url mention\">@<span>acme</span>"
    "</a></span> the router drops wifi every night since "
    "<a href=\"https://acme.example/releases/v4.2.0-firmware-notes\" "
    "target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
    "<span class=\"invisible\">https://</span><span class=\"ellipsis\">"
    "acme.example/releases/v4.2.0-</span><span class=\"invisible\">"
    "firmware-notes</span></a> &#8212; any fix? "
    "<a href=\"https://mastodon.social/tags/HomeLab\" class=\"mention "
    "hashtag\" rel=\"tag\">#<span>HomeLab</span></a></p>"
    "<p>cc <span class=\"h-card\" translate=\"no\"><a href=\"https://"
    "fosstodon.org/@jane\" class=\"u-url mention\">@<span>jane</span></a>"
    "</span><br />thanks &amp; sorry for the noise :blobcat:</p>";

static const char *thread_out[4];

static void *convert(void *arg)
{
	struct cm_buf b = CM_BUF_INIT;
	size_t i;
	int bad = 0;

	for (i = 0; i < 200; i++) {
		cm_buf_reset(&b);
		if (cm_htmltext(status, sizeof(status) - 1, &b) < 0 ||
		    (i > 0 && strcmp(b.data, thread_out[(size_t)arg]) != 0))
			bad = 1;
		if (i == 0)
			thread_out[(size_t)arg] = strdup(b.data);
	}
	cm_buf_free(&b);
	return bad ? (void *)1 : NULL;
}

int main(void)
{
	struct cm_buf b = CM_BUF_INIT;
	pthread_t th[4];
	char *s;
	size_t n, i;
	int rc, bad;

	/* Mastodon */
	check(status, "@acme the router drops wifi every night since "
	    "https://acme.example/releases/v4.2.0-firmware-notes \xe2\x80\x94 "
	    "any fix? #HomeLab\n\ncc @jane\nthanks & sorry for the noise "
	    ":blobcat:",
	    "a status: mentions, the whole link, a hashtag, paragraphs, <br>");
	check("<p>Looking forward to it!</p><p class=\"quote-inline\">RE: "
	    "<a href=\"https://mastodon.social/@acme/117650558322236120\" "
	    "target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">"
	    "<span class=\"invisible\">https://</span><span class=\"ellipsis\">"
	    "mastodon.social/@acme/1176505</span><span class=\"invisible\">"
	    "58322236120</span></a></p>",
	    "Looking forward to it!\n\nRE: https://mastodon.social/@acme/"
	    "117650558322236120", "a quote post's inline RE: line");
	check("<p>\n  Hello\n   <strong>world</strong>  ,\t<em>again</em>\n"
	    "</p>\n\n<p>  </p>\n<p>second</p>\n",
	    "Hello world , again\n\nsecond",
	    "white space collapsed, empty paragraphs and the ends left out");

	/* references */
	check("&quot;Tom &amp; Jerry&quot; &lt;3 caf&eacute; it&#39;s "
	    "&#x1F600;&nbsp;&hellip; &bogus; &amp",
	    "\"Tom & Jerry\" <3 caf\xc3\xa9 it's \xf0\x9f\x98\x80\xc2\xa0"
	    "\xe2\x80\xa6 &bogus; &amp",
	    "character references decoded (with their ';', as libxml2 has it)");
	check("a&#0;b&#xD800;c&#1;d&#x110000;e", "abcde",
	    "references to no character give none");

	/* structure */
	check("<ul><li>one<ul><li>two</li><li>three</ul></li><li>four</ul>"
	    "<ol><li>five</li></ol>after",
	    "one\n\ntwo\n\nthree\n\nfour\n\nfive\n\nafter", "nested lists");
	check("<h1>Title</h1><blockquote><p>quoted</p></blockquote><div>a"
	    "<div>b</div>c</div><hr>d",
	    "Title\n\nquoted\n\na\n\nb\n\nc\n\nd", "headings, quotes, divs, hr");
	check("<div>unclosed <b>bold <i>both</div><p>next<p>and <span>more",
	    "unclosed bold both\n\nnext\n\nand more", "unclosed tags");
	check("<a href=\"https://x.example/\"><p>inside</p></a>tail",
	    "inside\n\ntail", "a <p> inside an <a>");
	check("one<br>two<br/><br />three<br><br><br><br>four<br>",
	    "one\ntwo\n\nthree\n\nfour", "<br>: a line, two a blank line, no more");
	check("<p>a<br></p><p>b</p>", "a\n\nb", "a <br> ending a paragraph");
	check("<table><tr><th>plan</th><th>price</th></tr><tr><td>basic</td>"
	    "<td>5 &euro;</td></tr></table>",
	    "plan\tprice\n\nbasic\t5 \xe2\x82\xac", "table rows and cells");
	check("<p>code:</p><pre>\n  if (x)\n\treturn  1;\n</pre><p>done</p>",
	    "code:\n\n  if (x)\n\treturn  1;\n\ndone",
	    "<pre> keeps its white space, less its first newline");
	check("<pre>\r\nwindows\r\nlines\rmac\r\n</pre>",
	    "windows\nlines\nmac", "CR LF and CR are newlines");
	check("<pre>a\fb</pre> <p>c\fd <img class=emoji alt=\"e\ff\"></p>",
	    "a b\n\nc d e f", "a form feed is a space, also in <pre>");
	/* to libxml2 a form feed is no character: "&#x0C;" is nothing */
	check("<pre>a&#13;b&#x0C;c&#9;d</pre>", "a\nbc\td",
	    "a CR from a reference is a newline too");

	/* what is not text */
	check("<head><title>Page</title><style>p { color: red }</style>"
	    "<script>var x = \"<p>no</p>\";</script></head><body><p>yes"
	    "<script>document.write('no')</script></p><noscript>no</noscript>"
	    "<template><p>no</p></template><svg><text>no</text></svg>"
	    "<iframe src=x>no</iframe></body>", "yes",
	    "head, title, style, script, noscript, template, svg, iframe");
	check("a<!-- a comment --> b<!----> c<?php echo 1; ?> d",
	    "a b c d", "comments and processing instructions");
	/* a browser hides it (a bogus comment), libxml2's HTML 4 shows it */
	check("<p>x <![CDATA[y < z]]> w</p><p>after</p>",
	    "x <![CDATA[y < z]]> w\n\nafter",
	    "CDATA is text, as libxml2 reads it, and nothing after is lost");
	check("<img src=a.png alt=\"a photo\">I <img class=\"emoji\" "
	    "alt=\"\xf0\x9f\x98\x8d\" src=e.png> it <img class=\"emojione "
	    "custom-emoji\" alt=\":blobcat:\" src=b.png>",
	    "I \xf0\x9f\x98\x8d it :blobcat:", "images: only an emoji's alt");
	check("<html><head><meta charset=\"iso-8859-1\"><title>t</title></head>"
	    "<body><p>caf\xc3\xa9</p></body></html>", "caf\xc3\xa9",
	    "UTF-8 whatever the document says");

	/* broken bytes */
	check_n("a\0b <b>c\0</b>\0d", 15, "ab cd", "NUL bytes are left out");
	check("bad \xff\xfe bytes <i>\xc3</i> \xed\xa0\x80 \xef\xbf\xbe\x01\x7f!",
	    "bad \xef\xbf\xbd\xef\xbf\xbd bytes \xef\xbf\xbd \xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\x7f!",
	    "invalid UTF-8 is U+FFFD, controls are left out");
	check("<p>caf\xc3\xa9 \xe2\x82", "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd",
	    "a sequence cut at the end");
	check("", "", "no HTML, no text");
	check("<p> <br> </p>", "", "only white space: nothing");

	/* huge attribute values, deep nesting */
	s = repeat("<p>before <a title=\"", "x", (size_t)1 << 20,
	    "\" href=\"y\">link</a> after</p>", &n);
	check_n(s, n, "before link after", "a 1 MiB attribute value");
	free(s);
	s = repeat("<p>before</p>", "<div>", 100000, "x", &n);
	errno = 0;
	rc = cm_htmltext(s, n, &b);
	ok(rc == -1 && errno == EMSGSIZE && strcmp(b.data, "before") == 0,
	    "100,000 nested divs: EMSGSIZE, the text before them kept");
	free(s);
	cm_buf_reset(&b);
	/* html and body, implied, are two of them */
	s = repeat("<div>", "<span>x", CM_HTMLTEXT_DEPTH - 3, "", &n);
	is_int(cm_htmltext(s, n, &b), 0, "%d levels are followed",
	    CM_HTMLTEXT_DEPTH);
	is_int(b.len, CM_HTMLTEXT_DEPTH - 3, "with all their text");
	free(s);
	s = repeat("<div>", "<span>x", CM_HTMLTEXT_DEPTH - 2, "", &n);
	cm_buf_reset(&b);
	rc = cm_htmltext(s, n, &b);
	ok(rc == -1 && errno == EMSGSIZE && b.len == CM_HTMLTEXT_DEPTH - 3,
	    "one more is not");
	free(s);
	s = repeat("<span>", "<b>", 60000, "</i>", &n);
	cm_buf_reset(&b);
	rc = cm_htmltext(s, n, &b);
	ok(rc == -1 && errno == EMSGSIZE && b.len == 0,
	    "unclosed inline tags stop at the depth limit too");
	free(s);

	/* limits */
	s = repeat("<p>", "a", CM_HTMLTEXT_MAX + 100, "", &n);
	cm_buf_reset(&b);
	errno = 0;
	rc = cm_htmltext(s, n, &b);
	ok(rc == -1 && errno == EMSGSIZE && b.len == CM_HTMLTEXT_MAX - 3,
	    "HTML past CM_HTMLTEXT_MAX: EMSGSIZE, the text of what was read");
	free(s);
	cm_buf_free(&b);
	b.limit = 9;
	errno = 0;
	rc = cm_htmltext("<p>\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9</p>", 15,
	    &b);
	ok(rc == -1 && errno == EMSGSIZE && strcmp(b.data,
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == 0,
	    "a text past out's limit: EMSGSIZE, whole characters up to it");
	cm_buf_free(&b);
	cm_buf_adds(&b, "text: ");
	is_int(cm_htmltext("<p>a <b>b</b></p> ", 18, &b), 0, "appending");
	is_str(b.data, "text: a b", "after what out held");
	cm_buf_reset(&b);
	cm_buf_adds(&b, "kept ");
	is_int(cm_htmltext("<p> </p><pre>  </pre>", 21, &b), 0,
	    "appending nothing");
	is_str(b.data, "kept ", "leaves out's own white space alone");
	cm_buf_free(&b);

	/* threads: one parser each, initialized once */
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, convert, (void *)i);
	for (i = 0, bad = 0; i < 4; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad |= r != NULL || thread_out[i] == NULL ||
		    strcmp(thread_out[i], thread_out[0]) != 0;
	}
	ok(!bad, "four threads at once convert alike");
	for (i = 0; i < 4; i++)
		free((void *)thread_out[i]);
	return tap_done();
}
