#!/bin/bash
# cm-fetch from Mastodon: the fake server's corpus (tests/servers/fake),
# every feed's records field by field as cm-record(5) says, paging, the
# run's options, --new across runs, the token kept out of sight.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db
fake_account mastodon m
cat >> config <<EOF2

[account bad]
platform = mastodon
base_url = $FAKE/mastodon
token = env:BAD
EOF2
export CM_CONFIG=$SCRATCH/config
# Each run is bounded: a client that loops or waits for ever fails here.
F="timeout 120 cm-fetch"

ok "mentions: the records are the corpus's, field by field" eval '
	$F m:mentions > men 2> err && fake_expect mastodon mentions > want &&
	records_match men want'
# 193 mentions: 4 pages of 40, one of 33, and an empty one that says
# the end (a short page does not: a server's filters may shorten any).
ok "mentions: six pages, each asked for once, by max_id" eval '
	fake_log | jq -r "select(.path == \"/mastodon/api/v1/notifications\") | .query" > q &&
	lines q 6 && [ "$(grep -c max_id= q)" -eq 5 ] && [ "$(sort -u q | wc -l)" -eq 6 ] &&
	grep -q "types\[\]=mention" q'
ok "mentions from a server that ignores types[]: the same records" eval '
	fake_admin POST quirks "{\"mastodon_ignore_types\":true}" > /dev/null &&
	$F m:mentions > men2 && fake_admin POST quirks "{\"mastodon_ignore_types\":false}" > /dev/null &&
	records_match men2 want'
ok "mentions from a server whose cursors are not its ids: paged by the Link header" eval '
	fake_admin POST quirks "{\"mastodon_opaque_cursors\":true}" > /dev/null && fake_admin DELETE log > /dev/null &&
	$F m:mentions > men3 2> err3; s=$?
	fake_admin POST quirks "{\"mastodon_opaque_cursors\":false}" > /dev/null &&
	[ $s -eq 0 ] && records_match men3 want &&
	fake_log | jq -r "select(.path == \"/mastodon/api/v1/notifications\") | .query" > q3 &&
	lines q3 6 && [ "$(grep -c "max_id=c%2B" q3)" -eq 5 ]'
ok "mentions: replies to the brand are reason reply, their thread the parent" eval '
	[ "$(jq -r "select(.reason == \"reply\") | .id" men | wc -l)" -gt 5 ] &&
	jq -e -s "all(.[]; (.in_reply_to == null) == (.thread == null))" men > /dev/null'
ok "ids above 2^53 are strings, unrounded" eval '
	grep -q "\"id\":\"mastodon:127.0.0.1:[0-9]*:113000000000311149\"" men'
ok "a status sent with duplicate keys: the last one wins" eval '
	lacks men "stale duplicate" && lacks men "\"lang\":\"xx\""'
ok "HTML to text: paragraphs, line breaks, entities, whole links" eval '
	jq -r .text men > texts && grep -qF "I was charged twice & nobody answers" texts &&
	grep -qF "great <3" texts && grep -qF "\"quick start\"" texts &&
	grep -qF "can'"'"'t reset" texts &&
	jq -e -s "[.[].text] | any(test(\"[a-z?]\n\nSecond line\nand a third\"))" men > /dev/null &&
	jq -e -s "[.[].links[]] | any(. == \"https://example.com/orders/4264/status\")" men > /dev/null'
ok "search:Q" eval '
	$F m:search:refund > s && fake_expect mastodon search refund > want &&
	records_match s want && jq -e -s "all(.reason == \"search\")" s > /dev/null'
ok "tag:T, a tag outside ASCII" eval '
	$F m:tag:café > t && fake_expect mastodon tag café > want && records_match t want'
ok "tag:#T is the same tag" eval '
	$F "m:tag:#Widgets" > t2 && fake_expect mastodon tag "#Widgets" > want && records_match t2 want'
ok "own: the brand's statuses, no boosts, is_brand" eval '
	$F m:own > o && fake_expect mastodon own > want && records_match o want &&
	jq -e -s "all(.author.is_brand and .reason == \"own\")" o > /dev/null &&
	fake_log | grep -q "exclude_reblogs=true"'
root=$(jq -r 'select(.in_reply_to == null and .metrics.replies > 0) | .id' men | head -n 1)
root=${root##*:}
mid=$(fake_expect mastodon thread "$root" | jq -r 'select(.in_reply_to != null) | .id' | tail -n 1)
mid=${mid##*:}
ok "thread:ID from a reply: ancestors, the status, descendants; thread the root" eval '
	[ -n "$mid" ] && $F m:thread:$mid > th && fake_expect mastodon thread $mid > want &&
	records_match th want &&
	jq -e -s --arg r "$root" "all(.[]; .thread == null or (.thread | endswith(\":\" + \$r)))" th > /dev/null'
ok "--limit N: the N newest" eval '
	$F --limit 7 m:mentions > l && lines l 7 &&
	[ "$(jq -r .id l)" = "$(head -n 7 want.men 2>/dev/null || fake_expect mastodon mentions | head -n 7 | jq -r .id)" ]'
ok "--since and --until select by created_at, and stop the paging" eval '
	fake_admin DELETE log > /dev/null &&
	$F --since 2026-11-01T06:00:00Z --until 2026-11-01T07:00:00Z m:mentions > w &&
	fake_expect mastodon mentions | jq -c "select(.created_at >= \"2026-11-01T06:00:00Z\" and .created_at < \"2026-11-01T07:00:00Z\")" > want &&
	records_match w want &&
	[ "$(fake_log | grep -c /api/v1/notifications)" -lt 5 ]'
ok "--new: the first run writes every mention" eval '
	$F --new m:mentions > n1 && fake_expect mastodon mentions > want && records_match n1 want'
ok "--new: a second run writes nothing" eval '$F --new m:mentions > n2 && lines n2 0'
ok "--new: items the server adds later come, once" eval '
	fake_admin POST add "{\"platform\":\"mastodon\",\"n\":3}" > /dev/null &&
	$F --new m:mentions > n3 && lines n3 3 &&
	fake_expect mastodon mentions | head -n 3 > want && records_match n3 want &&
	$F --new m:mentions > n4 && lines n4 0'
# A first sweep left unfinished (--limit) for over 30 days: the ids at its
# top are read again when it ends, so they outlive the 30 days.  The
# mentions are a month old, seen 31 days ago.
ok "--new: an unfinished first sweep keeps the ids at its top past 30 days" eval '
	Q=$SCRATCH/sweep.db &&
	CM_STATE=$Q $F --new --limit 3 m:mentions > s1 && lines s1 3 &&
	sqlite3 $Q "update seen set first_seen = first_seen - 31 * 86400" &&
	CM_STATE=$Q $F --new --limit 3 m:mentions > s2 && lines s2 3 &&
	CM_STATE=$Q $F --new m:mentions > s3 &&
	cat s1 s2 s3 | jq -r .id | sort | uniq -d > twice && lines twice 0 &&
	cat s1 s2 s3 > s && fake_expect mastodon mentions > want && records_match s want'
# A mention dated five years ahead (a remote server's clock): as the
# mark it would stop every later run at its first item.
ok "--new: a mention dated in the future does not stop the runs after it" eval '
	fake_admin POST add "{\"platform\":\"mastodon\",\"n\":1,\"at\":$(( $(date +%s) + 5 * 365 * 86400 ))}" > /dev/null &&
	$F --new m:mentions > f1 && lines f1 1 &&
	fake_admin POST add "{\"platform\":\"mastodon\",\"n\":2,\"at\":$(( $(date +%s) + 2 ))}" > /dev/null &&
	$F --new m:mentions > f2 && lines f2 2 &&
	fake_expect mastodon mentions | head -n 2 > want && records_match f2 want &&
	$F --new m:mentions > f3 && lines f3 0'
ok "--dry-run: the request, the token masked" eval '
	$F --dry-run m:mentions > dr 2>&1 && contains dr "verify_credentials" &&
	contains dr "Bearer" && lacks dr "$MT"'
ok "-v: every request said, the token masked" eval '
	$F -v --limit 3 m:mentions > /dev/null 2> v && contains v "/api/v1/notifications" &&
	contains v "Authorization: Bearer" && lacks v "$MT"'
ok "a token the server refuses: status 1, said without the token" eval '
	BAD=not-the-token-4711; export BAD;
	exits_with 1 $F bad:mentions > b 2> e && lines b 0 && contains e "bad:mentions" &&
	contains e "refused the access token" && lacks e "$BAD"'
ok "no Authorization after a redirect to another origin" eval '
	fake_admin DELETE log > /dev/null &&
	fake_fault "{\"path\":\"/mastodon/api/v1/notifications\",\"kind\":\"redirect\"}" &&
	$F --limit 5 m:mentions > r 2> e; s=$?;
	fake_log > lg && jq -e -s "any(.port == \"other\")" lg > /dev/null &&
	jq -e -s "all(.[] | select(.port == \"other\"); .auth == false)" lg > /dev/null &&
	jq -e -s "all(.[] | select(.port == \"main\"); .auth == true)" lg > /dev/null'
ok "pacing near the end of an advertised budget: no 429, every record" eval '
	fake_admin POST reset > /dev/null &&
	fake_admin POST budget "{\"platform\":\"mastodon\",\"limit\":5,\"window\":3}" > /dev/null &&
	$F m:mentions > p 2> e && fake_expect mastodon mentions > want && records_match p want &&
	[ "$(fake_admin GET stats | jq .overspent)" -eq 0 ] &&
	fake_admin POST budget "{\"platform\":\"mastodon\",\"limit\":null}" > /dev/null'
ok "thread:ID of a status that is not there: status 1" eval '
	exits_with 1 $F m:thread:42 > n 2> e && lines n 0 && contains e "m:thread:42" && contains e 404'
done_testing
