/* facets - tests for lib/core/facets.c: Bluesky's mention, link and tag
 * facets of a reply, with their UTF-8 byte offsets */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/facets.h"
#include "tap.h"

/* The facets as "K[start,end]covered" separated by spaces. */
static void show(const char *s, size_t n, struct cm_buf *b)
{
	struct cm_facet f[16];
	size_t k = cm_facets_find(s, n, f, 16);

	cm_buf_reset(b);
	cm_buf_adds(b, "");
	for (size_t i = 0; i < k && i < 16; i++)
		cm_buf_printf(b, "%s%c[%zu,%zu]%.*s", i ? " " : "",
		    "MLT"[f[i].kind], f[i].start, f[i].end,
		    (int)(f[i].end - f[i].start), s + f[i].start);
}

static void check(const char *in, const char *want)
{
	struct cm_buf b = CM_BUF_INIT;
	size_t n = strlen(in);
	char *s = malloc(n ? n : 1), *name = strdup(in);

	/* the test's name on one line */
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	/* an exact copy, so that a read past the end is seen by ASan */
	memcpy(s, in, n);
	show(s, n, &b);
	is_str(b.data, want, "%s", name);
	free(s);
	free(name);
	cm_buf_free(&b);
}

/*
 * "facets -": for each line of stdin (a JSON string: any text), its
 * facets as one line "KIND START END ...", for the differential test
 * against @atproto/api (0755).  The lines are strings so that a text may
 * hold a newline.
 */
static int dump(void)
{
	struct cm_buf line = CM_BUF_INIT, text = CM_BUF_INIT;
	struct cm_json_value v;
	struct cm_json_error jerr;
	struct cm_facet f[64];
	int c, rc = 0;

	for (;;) {
		cm_buf_reset(&line);
		while ((c = getchar()) != EOF && c != '\n')
			cm_buf_addc(&line, (char)c);
		if (c == EOF && line.len == 0)
			break;
		v.type = CM_JSON_STRING;
		v.raw = line.data;
		v.len = line.len;
		cm_buf_reset(&text);
		if (cm_json_scan(line.data, line.len, 0, NULL, NULL, &jerr) < 0 ||
		    line.data[0] != '"' || cm_json_string(&v, &text) < 0) {
			fprintf(stderr, "facets: not a JSON string: %s\n",
			    line.data);
			rc = 1;
			break;
		}
		size_t n = cm_facets_find(text.data ? text.data : "", text.len,
		    f, 64);
		for (size_t i = 0; i < n && i < 64; i++)
			printf("%s%s %zu %zu", i ? " " : "",
			    (const char *[]){ "mention", "link", "tag" }[f[i].kind],
			    f[i].start, f[i].end);
		putchar('\n');
	}
	cm_buf_free(&line);
	cm_buf_free(&text);
	return rc;
}

int main(int argc, char **argv)
{
	struct cm_facet f[2];
	char nul[] = "a https://x.y/\0. b";

	if (argc == 2 && strcmp(argv[1], "-") == 0)
		return dump();

	/* mentions */
	check("@alice.test hi", "M[0,11]@alice.test");
	check("hi @alice.test", "M[3,14]@alice.test");
	check("hi @alice", "");				/* no dot: no handle */
	check("hi @a.b.c.bsky.social!", "M[3,21]@a.b.c.bsky.social");
	check("mail bob@example.com now", "");		/* an e-mail */
	check("(@alice.test)", "M[1,12]@alice.test");
	check("@alice.test. next", "M[0,11]@alice.test");
	check("@alice.test-, no", "M[0,11]@alice.test");
	check("@alice.test's", "M[0,11]@alice.test");
	/* \b: a '_' after it is a word character, so the run ends before */
	check("@alice.test_x", "");
	check("@bob.test.x_y", "M[0,9]@bob.test");
	check("@-a.test @a-.test @a..test @a.1x", "");	/* no handles */
	check("@a.test@b.test", "M[0,7]@a.test");
	check("x@a.test", "");
	check("#@a.test", "T[0,8]#@a.test");	/* '@' is punctuation */
	check("@@a.test", "");
	check("@", "");
	/* multibyte text before: offsets are UTF-8 bytes */
	check("Olá @ana.test", "M[5,14]@ana.test");
	check("Zoë 🌻 @zoe.test", "M[10,19]@zoe.test");
	check("日本\u3000@jp.test", "M[9,17]@jp.test");	/* ideographic space */
	check("a\u00a0@nb.test", "M[3,11]@nb.test");	/* no-break space */
	check("é@no.test", "");
	check("@café.test", "");			/* letters of ASCII only */
	check("@naïve.test", "");
	check("hi @bob.testé", "M[3,12]@bob.test");	/* JS's \b is ASCII */

	/* links */
	check("see https://example.com/a?b=1", "L[4,29]https://example.com/a?b=1");
	check("see https://example.com.", "L[4,23]https://example.com");
	check("see https://example.com/x!?", "L[4,26]https://example.com/x!");
	check("(see https://example.com/a)", "L[5,26]https://example.com/a");
	check("(see https://example.com/a).", "L[5,26]https://example.com/a");
	check("https://en.wikipedia.org/wiki/C_(language)",
	    "L[0,42]https://en.wikipedia.org/wiki/C_(language)");
	check("(https://x.example/y)", "L[1,20]https://x.example/y");
	/* the client's pattern takes any case, then keeps what starts
	 * with "http" as written */
	check("HTTP://X.EXAMPLE and http://y.example:8080/p;",
	    "L[21,44]http://y.example:8080/p");
	check("httpS://x.example Http://x.example", "L[0,17]httpS://x.example");
	/* and takes the run, link or not, and a bare domain's */
	check("HTTPS://x.example(https://y.example", "");
	check("foo.example(https://y.example (https://z.example",
	    "L[31,48]https://z.example");
	/* but only for links: a mention in it is one */
	check("HTTPS://x.example/(@a.test", "M[19,26]@a.test");
	check("ftp://x.example", "");
	check("xhttps://x.example", "");
	check("https:/\x0fx.example", "");		/* no case but of letters */
	check("https:// x", "");
	check("https://.", "");
	check("é https://x.example/ça?q=日本 next",
	    "L[3,33]https://x.example/ça?q=日本");
	check("👋 https://x.example\u2028y", "L[5,22]https://x.example");
	check("a\thttps://x.example\ny", "L[2,19]https://x.example");
	/* a mention inside a link is part of the link */
	check("https://x.example/(@a.test", "L[0,26]https://x.example/(@a.test");

	/* tags */
	check("#Widgets rock", "T[0,8]#Widgets");
	check("love #widgets!", "T[5,13]#widgets");
	check("#123 #a1 #1a", "T[5,8]#a1 T[9,12]#1a");	/* not all digits */
	check("x#tag (#tag", "");			/* after white space only */
	check("#", "");
	check("# x", "");
	check("#日本語。", "T[0,10]#日本語");		/* punctuation U+3002 */
	check("#\xef\xb8\x8f\xe2\x83\xa3 keycap", "");
	check("#a\u200bb", "T[0,2]#a");		/* zero width space ends it */
	check("#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "T[0,65]#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	check("#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "");
	/* a failed tag hides nothing after it */
	check("#1234567890123456789012345678901234567890123456789012345678901234("
	    "@a.test", "M[66,73]@a.test");

	/* all three, in text order, never overlapping */
	check("Olá @ana.test, see https://x.example/é (#help)",
	    "M[5,14]@ana.test L[20,40]https://x.example/é");
	check("Hi 🌻 @zoe.test #Help https://x.example",
	    "M[8,17]@zoe.test T[18,23]#Help L[24,41]https://x.example");

	/* invalid UTF-8 around them: offsets still on sequence starts */
	check("\xff@a.test \xc3(@b.test \x80 @c.test", "M[11,18]@b.test M[21,28]@c.test");
	check("\xe2\x80@a.test", "");

	/* a NUL byte is a character like others */
	is_int(cm_facets_find(nul, sizeof(nul) - 1, f, 2), 1,
	    "a NUL in a link: found");
	is_int(f[0].end, 15, "a NUL at the end of a link is no punctuation");

	/* max: the count of all, only max written */
	f[1].start = 4242;
	is_int(cm_facets_find("@a.test @b.test @c.test", 23, f, 1), 3,
	    "three facets counted");
	ok(f[0].start == 0 && f[0].end == 7 && f[1].start == 4242,
	    "only max written");
	is_int(cm_facets_find("@a.test", 7, NULL, 0), 1, "max 0: counted only");
	is_int(cm_facets_find("", 0, NULL, 0), 0, "an empty text");

	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
