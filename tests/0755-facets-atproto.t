#!/bin/bash
# cm's Bluesky facets (lib/core/facets.c) against @atproto/api's own
# detection, the one Bluesky's clients use, on the same texts: written
# ones, and many made at random from the pieces facets are made of
# (mentions, links, tags, punctuation, parentheses, multibyte letters,
# white space of several kinds).  What cm leaves out on purpose is
# dropped from @atproto/api's answer (tests/servers/bsky/facets.cjs).
# Needs node and the packages of tests/servers/bsky (installed once, as
# the real network's tests do), not the network itself.
. "$(dirname "$0")/lib.sh"
command -v node > /dev/null || bsky_unavailable "no node (Debian's nodejs)"
command -v npm > /dev/null || bsky_unavailable "no npm (Debian's npm)"
command -v flock > /dev/null || bsky_unavailable "no flock"
bsky_install || { echo "Bail out! installing @atproto/dev-env failed"; exit 1; }
export CM_BSKY_MODULES=$CM_BSKY_CACHE

cat > written.txt <<'TXT'
"hi @alice.test"
"(@alice.test) and @bob.com."
"@alice.test's @alice.test- @alice.test_x"
"mail bob@example.com now"
"Olá @ana.test, see https://x.example/é (#help)"
"Zoë 🌻 @zoe.test #Help https://x.example/a_(b)."
"(see https://example.com/a). https://example.com/x!? HTTP://X.COM"
"#123 #a1 #1a #日本語。 #\ufe0f\u20e3 #a\u200bb"
"a\u00a0@nb.test\u3000#tag\u2028https://x.com"
"#tag(@a.test https://x.com/(@b.test"
TXT
# texts made at random from pieces, with a seed: the same every run
awk 'BEGIN {
	srand(20261204)
	n = split("@alice.test|@bob.com|@x.y.test|@-a.test|@a..test|@z|" \
	    "https://x.com/p|http://a.test/(b)|https://e.com/x.|HTTPS://E.COM|" \
	    "#tag|#Tag!|#123|#a1|#日本|#x(y)|bob@x.com|(|)|.|,|!|?|:|;|_|-|" \
	    "é|🌻|日本| | |  |\\n|\\t|\\u00a0|\\u3000|\\u200b|\\u2028|a|Hi", p, "|")
	for (i = 0; i < 10000; i++) {
		k = 1 + int(rand() * 12); s = ""
		for (j = 0; j < k; j++) s = s p[1 + int(rand() * n)]
		gsub(/"/, "\\\"", s)
		print "\"" s "\""
	}
}' > random.txt
cat written.txt random.txt > all.txt

# ours: cm's facets as they are, and less the mentions neither side
# would give a DID (see facets.cjs)
"$CM_BUILD/tests/facets" - < all.txt > ours.raw
node "$BSKY_SERVER/facets.cjs" ours.raw < all.txt > ours
node "$BSKY_SERVER/facets.cjs" < all.txt > theirs

t1() {
	lines ours.raw "$(wc -l < all.txt)" && lines theirs "$(wc -l < all.txt)" &&
	test_cmp theirs ours
}
ok "the facets of $(wc -l < all.txt) texts are @atproto/api's" t1

t2() {
	# cm's facets of the written texts, as the unit tests have them: the
	# comparison above compares facets, not two empty files
	head -n 3 ours.raw > w3 &&
	printf 'mention 3 14\nmention 1 12 mention 18 26\nmention 0 11 mention 14 25\n' | test_cmp - w3 &&
	[ "$(grep -c . theirs)" -gt 2000 ] &&
	# and one facet off by a byte is seen
	sed '1s/14$/15/' ours > ours.off && ! test_cmp theirs ours.off > /dev/null
}
ok "the comparison sees the facets, and a difference of one byte" t2

done_testing
