/* html.h - HTML character references in plain text */
#ifndef CM_HTML_H
#define CM_HTML_H

#include <stddef.h>

/*
 * Decodes in place the references platforms leave in post text (X's
 * "&amp;", "&lt;3"): &amp; &lt; &gt; &quot; &apos; and numeric ones
 * (&#39; &#x1F600;) of code points U+0001..U+10FFFF other than
 * surrogates.  Anything else, and a reference without its ';', is kept
 * as written.  Returns the new length (never more than n: a decoded
 * character is never longer than its reference); s[0..n) may hold any
 * bytes.
 */
size_t cm_html_unescape(char *s, size_t n);

#endif
