/* html - tests for lib/core/html.c: the references decoded, the rest kept */
#include <string.h>

#include "core/html.h"
#include "tap.h"

static void check(const char *in, const char *want)
{
	char buf[256];
	size_t n = strlen(in);

	memcpy(buf, in, n);
	n = cm_html_unescape(buf, n);
	buf[n] = '\0';
	is_str(buf, want, "\"%s\"", in);
}

int main(void)
{
	check("no references", "no references");
	check("Tom &amp; Jerry &lt;3", "Tom & Jerry <3");
	check("&quot;quoted&quot; &apos;a&apos; &gt;:(", "\"quoted\" 'a' >:(");
	check("I don&#39;t like it", "I don't like it");
	check("&#x1F600; &#128512; &#X263a;", "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80 \xe2\x98\xba");
	check("&#233;t&#xE9;", "\xc3\xa9t\xc3\xa9");
	check("&amp;lt; decoded once", "&lt; decoded once");
	check("AT&T, a & b, &amp", "AT&T, a & b, &amp");
	check("&#; &#x; &#xZZ; &#12a; &#0; &#xD800; &#x110000; &#12345678;",
	    "&#; &#x; &#xZZ; &#12a; &#0; &#xD800; &#x110000; &#12345678;");
	check("&nbsp;&copy; stay", "&nbsp;&copy; stay");
	check("ends with &", "ends with &");
	check("&#1114111;", "\xf4\x8f\xbf\xbf");
	return tap_done();
}
