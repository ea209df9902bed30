/* text - tests for lib/core/text.c: the links, mentions and hashtags of
 * cm-record(5) in texts as platforms write them, and in broken ones */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "tap.h"

/* The three arrays as JSON: 'tags mentions links'. */
static void fields(const char *s, size_t n, struct cm_buf *b)
{
	struct cm_text_fields f;

	cm_buf_reset(b);
	cm_text_fields(s, n, &f);
	if (cm_text_fields_json(b, s, &f, CM_TEXT_TAG) < 0 ||
	    cm_buf_addc(b, ' ') < 0 ||
	    cm_text_fields_json(b, s, &f, CM_TEXT_MENTION) < 0 ||
	    cm_buf_addc(b, ' ') < 0 ||
	    cm_text_fields_json(b, s, &f, CM_TEXT_LINK) < 0)
		cm_buf_adds(b, "(failed)");
}

static void check(const char *in, const char *want)
{
	struct cm_buf b = CM_BUF_INIT;
	size_t n = strlen(in);
	char *s = malloc(n ? n : 1);

	/* an exact copy, so that a read past the end is seen by ASan */
	memcpy(s, in, n);
	fields(s, n, &b);
	is_str(b.data, want, "%s", in);
	free(s);
	cm_buf_free(&b);
}

/* The tokens as "K[off,len]value" separated by spaces. */
static void check_tokens(const char *in, const char *want)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_text_token t;
	size_t pos = 0;

	cm_buf_adds(&b, "");
	while (cm_text_next(in, strlen(in), &pos, &t))
		cm_buf_printf(&b, "%s%c[%zu,%zu]%.*s", b.len ? " " : "",
		    "LMT"[t.kind], t.off, t.len, (int)t.vlen, in + t.voff);
	is_str(b.data, want, "tokens of %s", in);
	cm_buf_free(&b);
}

/* Every prefix of s, each in a buffer of its exact size: nothing is read
 * past the end, and a token never passes it. */
static int all_prefixes(const char *in, size_t n)
{
	size_t k, pos;
	struct cm_text_token t;
	struct cm_text_fields f;
	struct cm_buf b = CM_BUF_INIT;
	int good = 1;

	for (k = 0; k <= n; k++) {
		char *s = malloc(k ? k : 1);

		memcpy(s, in, k);
		for (pos = 0; cm_text_next(s, k, &pos, &t);)
			if (t.off + t.len > k || t.voff < t.off ||
			    t.voff + t.vlen > t.off + t.len || pos > k)
				good = 0;
		cm_text_fields(s, k, &f);
		cm_buf_reset(&b);
		if (cm_text_fields_json(&b, s, &f, CM_TEXT_TAG) < 0 ||
		    cm_text_fields_json(&b, s, &f, CM_TEXT_LINK) < 0 ||
		    cm_text_lower(&b, s, k) < 0)
			good = 0;
		free(s);
	}
	cm_buf_free(&b);
	return good;
}

static void lower(const char *in, const char *want)
{
	struct cm_buf b = CM_BUF_INIT;

	cm_buf_adds(&b, "");
	cm_text_lower(&b, in, strlen(in));
	is_str(b.data, want, "lower case of %s", in);
	cm_buf_free(&b);
}

int main(void)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_text_fields f;
	struct cm_text_token t;
	size_t i, len0;

	/* records as the demo and the platforms write them */
	check("v4.2.0 fixed every bug I had with Acme Mesh. nice work Acme "
	    "\xf0\x9f\x92\x99 #homelab @acme",
	    "[\"homelab\"] [\"acme\"] []");
	check("Oi u/lucas_silva, sentimos muito. Pode mandar o n\xc3\xbamero "
	    "do pedido por DM?", "[] [\"lucas_silva\"] []");
	check("@jane@fosstodon.org @jane.bsky.social. thanks @bob_99!",
	    "[] [\"jane@fosstodon.org\",\"jane.bsky.social\",\"bob_99\"] []");
	check("The outage is over. Updates: https://status.acme.example.",
	    "[] [] [\"https://status.acme.example\"]");
	check("FREE giveaway!!! click https://bit.ly/3freeGft "
	    "https://t.me/acme_airdrop_official \xf0\x9f\x92\xb0",
	    "[] [] [\"https://bit.ly/3freeGft\","
	    "\"https://t.me/acme_airdrop_official\"]");

	/* hashtags: lower case, each once, in order; at least a letter */
	check("#Homelab #homelab #HOMELAB #SelfHosted",
	    "[\"homelab\",\"selfhosted\"] [] []");
	check("order #4821937 is late; #2024goals #_ #_x",
	    "[\"2024goals\",\"_x\"] [] []");
	check("#Caf\xc3\xa9 #CAF\xc3\x89 #\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba"
	    "\xd0\xb2\xd0\xb0 #\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "[\"caf\xc3\xa9\",\"\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2"
	    "\xd0\xb0\",\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\"] [] []");
	/* Devanagari's vowel signs are marks, Persian's joiner is kept */
	check("#\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6"
	    "\xe0\xa5\x80 #\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd9\x88\xd9\x85",
	    "[\"\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6"
	    "\xe0\xa5\x80\",\"\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd9\x88"
	    "\xd9\x85\"] [] []");
	check("#\xc4\xb0stanbul", "[\"istanbul\"] [] []");
	check("C# and F#, foo#bar, \xc3\xa9#x, &#39;, 3#a",
	    "[] [] []");
	check("(#tag1) \"#tag2\" \xe2\x80\x94#tag3 \xf0\x9f\x92\x99#tag4 "
	    "\xc2\xa0#tag5 x:#tag6 \xe3\x80\x8c#tag7\xe3\x80\x8d",
	    "[\"tag1\",\"tag2\",\"tag3\",\"tag4\",\"tag5\",\"tag6\",\"tag7\"]"
	    " [] []");
	check("#tag's #tag. #tag/other #tag@x",
	    "[\"tag\"] [] []");

	/* mentions: at a word's start, one second '@', as written */
	check("mail jane@example.com or x.@bob or @@carol", "[] [] []");
	check("(@Acme) \"@acme\" @acme, @Acme", "[] [\"Acme\",\"acme\"] []");
	check("@a@b@c @jane@ @jane@-x @-x @.x",
	    "[] [\"a@b\",\"jane\"] []");
	/* a handle's ASCII, so "@j\xc3\xa9r\xc3\xb4me" names no "j"; the Japanese
	 * "-san" after one is not part of it */
	check("@jane@caf\xc3\xa9.example hi @j\xc3\xa9r\xc3\xb4me",
	    "[] [\"jane@caf\xc3\xa9.example\"] []");
	check("@acme\xe3\x81\x95\xe3\x82\x93\xe3\x80\x81\xe3\x81\x82\xe3\x82"
	    "\x8a\xe3\x81\x8c\xe3\x81\xa8\xe3\x81\x86", "[] [\"acme\"] []");
	check("u/jane-doe, /u/spez and r/u/x, fu/bar, U/no, u/ u/-x",
	    "[] [\"jane-doe\",\"spez\"] []");

	/* links */
	check("see https://example.com/a. (https://en.wikipedia.org/wiki/"
	    "Foo_(bar)) and <https://x.example/> \"http://y.example\"",
	    "[] [] [\"https://example.com/a\","
	    "\"https://en.wikipedia.org/wiki/Foo_(bar)\","
	    "\"https://x.example/\",\"http://y.example\"]");
	check("UPDATES: HTTPS://STATUS.ACME.EXAMPLE!!! Http://a.example",
	    "[] [] [\"HTTPS://STATUS.ACME.EXAMPLE\",\"Http://a.example\"]");
	check("https:// http://. https://... www.acme.example ftp://x",
	    "[] [] []");
	check("xhttps://a.example https://a.example https://a.example?",
	    "[] [] [\"https://a.example\"]");
	check("\xe8\xa9\xb3\xe7\xb4\xb0\xe3\x81\xafhttps://status.acme.example"
	    "\xe3\x80\x82 https://x.example/\xe2\x80\xa6 "
	    "https://de.wikipedia.org/wiki/K\xc3\xb6ln\xc2\xbb",
	    "[] [] [\"https://status.acme.example\",\"https://x.example/\","
	    "\"https://de.wikipedia.org/wiki/K\xc3\xb6ln\"]");
	check("https://mastodon.social/@jane https://x.example/#tag "
	    "https://x.example/u/bob",
	    "[] [] [\"https://mastodon.social/@jane\",\"https://x.example/#tag\","
	    "\"https://x.example/u/bob\"]");
	check("https://x.example/?q=1&r=[2] https://x.example/a\\b*",
	    "[] [] [\"https://x.example/?q=1&r=[2]\","
	    "\"https://x.example/a\\\\b\"]");
	check("https://a.example\xe3\x80\x80https://b.example\xc2\x85x "
	    "https://c.example\tend",
	    "[] [] [\"https://a.example\",\"https://b.example\","
	    "\"https://c.example\"]");

	/* invalid UTF-8: a bad byte is nothing, and ends a link */
	check("#caf\xff \xff#tag https://x.example/\xffy @\xff @j\xff",
	    "[\"caf\",\"tag\"] [\"j\"] [\"https://x.example/\"]");
	check("#ab\xe2\x82", "[\"ab\"] [] []");
	check("\xe2\x82#ab \xc3#cd \xa9#ef", "[\"ab\",\"cd\",\"ef\"] [] []");
	check("#a\xcc\x81\xed\xa0\x80", "[\"a\xcc\x81\"] [] []");

	/* where the tokens are */
	check_tokens("@jane hi #Tag u/bob https://x.example/a.",
	    "M[0,5]jane T[9,4]Tag M[14,5]bob L[20,19]https://x.example/a");
	check_tokens("/u/spez @a@b.c.", "M[0,7]spez M[8,6]a@b.c");
	is_int(cm_text_token_at("a #b", 4, 2, &t), 1, "token_at finds #b");
	is_int(t.kind == CM_TEXT_TAG && t.off == 2 && t.len == 2, 1,
	    "as a tag at 2");
	is_int(cm_text_token_at("a#b", 3, 1, &t), 0, "not in a word");
	is_int(cm_text_token_at("#b", 2, 2, &t), 0, "none at the end");
	is_int(cm_text_token_at("ahttp://x", 9, 1, &t), 1,
	    "a link starts anywhere");

	/* bounds */
	{
		static const char nasty[] = "#a\xc3\xa9\xe2\x80\x8c @j@x\xc3\xa9."
		    "- u/x- /u/y https://a.b/(c)\xe3\x80\x82 HTTP://Z \xf0\x9f"
		    "\x92\x99#t \xe2\x82\xac@q \xc4\xb0#\xc4\xb0 @a@\xe2\x82";

		ok(all_prefixes(nasty, sizeof(nasty) - 1),
		    "every prefix of a text of every rule stays in bounds");
	}
	{
		struct cm_buf s = CM_BUF_INIT;

		for (i = 0; i < 100; i++)
			cm_buf_printf(&s, "#t%zu @u%zu https://x.example/%zu ",
			    i, i, i);
		cm_text_fields(s.data, s.len, &f);
		ok(f.ntags == CM_TEXT_FIELD_MAX && f.nmentions ==
		    CM_TEXT_FIELD_MAX && f.nlinks == CM_TEXT_FIELD_MAX,
		    "a text of 100 of each keeps the first %d",
		    CM_TEXT_FIELD_MAX);
		ok(f.tags[63].len == 3 && memcmp(s.data + f.tags[63].off,
		    "t63", 3) == 0, "the 64th tag is t63");
		cm_buf_free(&s);
	}

	/* JSON: a full buffer leaves it as it was */
	cm_text_fields("#abc https://x.example", 22, &f);
	b.limit = 16;
	cm_buf_adds(&b, "12345");
	len0 = b.len;
	errno = 0;
	is_int(cm_text_fields_json(&b, "#abc https://x.example", &f,
	    CM_TEXT_LINK), -1, "an array past the limit fails");
	ok(errno == EMSGSIZE && b.len == len0 && strcmp(b.data, "12345") == 0,
	    "with EMSGSIZE and the buffer as it was");
	is_int(cm_text_fields_json(&b, "#abc https://x.example", &f,
	    CM_TEXT_TAG), 0, "a short one fits");
	is_str(b.data, "12345[\"abc\"]", "appended");
	cm_buf_free(&b);

	lower("\xc3\x80\xc3\x89\xc3\x8e ABC \xce\xa3\xce\x9f\xce\xa6",
	    "\xc3\xa0\xc3\xa9\xc3\xae abc \xcf\x83\xce\xbf\xcf\x86");
	lower("a\xff" "b\xe2\x82", "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	/* three bytes for one, then ASCII: no write past what was reserved */
	lower("\xff\xff\xff\xff" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAA", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaa");
	return tap_done();
}
