#!/bin/bash
# cm-fetch from Hacker News (its Algolia API): the fake server's corpus
# (tests/servers/fake), records field by field as cm-record(5) says,
# paging by time through items that share a second, threads, the run's
# options, --new across runs.
. "$(dirname "$0")/lib.sh"

fake_start --hn 1000 || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db
cat > config <<EOF2
[account h]
platform = hn
base_url = $FAKE/hn/api/v1
handle = acme_hq
EOF2
export CM_CONFIG=$SCRATCH/config
F="timeout 120 cm-fetch"

ok "search:Q: the records are the corpus's, field by field" eval '
	$F h:search:acme > s && fake_expect hn search acme > want && records_match s want'
# 1000 hits, three to a second: pages of 100 end inside a second.
ok "search:Q: ten pages and more, by time, stories and comments" eval '
	fake_log | jq -r "select(.path == \"/hn/api/v1/search_by_date\") | .query" > q &&
	[ "$(wc -l < q)" -ge 10 ] && [ "$(grep -c "numericFilters=created_at_i%3C%3D" q)" -eq $(( $(wc -l < q) - 1 )) ] &&
	grep -q "tags=(story,comment)" q && [ "$(sort -u q | wc -l)" -eq "$(wc -l < q)" ]'
ok "search:Q: comment HTML to text, entities decoded, links whole" eval '
	jq -r .text s > texts && grep -qF "wait > 3 days" texts && grep -qF "it'"'"'s fine" texts &&
	jq -e -s "[.[].links[]] | any(startswith(\"https://status.acme.example/x/\"))" s > /dev/null &&
	lacks s "&gt;" && lacks s "<p>"'
ok "the brand's comments (handle) are is_brand, kind reply" eval '
	jq -e -s "any(.author.is_brand and .kind == \"reply\") and all(.author.is_brand == (.author.handle == \"acme_hq\"))" s > /dev/null'
ok "search:Q with words that only some items have" eval '
	$F "h:search:acme support" > s2 && fake_expect hn search "acme support" > want &&
	records_match s2 want && [ "$(jq -s length s2)" -lt "$(jq -s length s)" ]'
story=$(jq -r 'select(.kind == "post" and .metrics.replies > 4) | .id' s | head -n 1)
story=${story#hn:}
ok "thread:ID: the item and every comment under it" eval '
	[ -n "$story" ] && $F h:thread:$story > th && fake_expect hn thread $story > want &&
	records_match th want && [ "$(jq -s length th)" -gt 5 ] &&
	jq -e -s --arg s "hn:$story" "all(.[]; .thread == null or .thread == \$s)" th > /dev/null'
ok "thread:ID of an item that is not there: status 1" eval '
	exits_with 1 $F h:thread:1 > n 2> e && lines n 0 && contains e "h:thread:1"'
ok "--limit N: the N newest" eval '
	$F --limit 150 h:search:acme > l && lines l 150 &&
	[ "$(jq -r .id l)" = "$(fake_expect hn search acme | head -n 150 | jq -r .id)" ]'
ok "--since and --until" eval '
	$F --since 2026-11-01T04:00:00Z --until 2026-11-01T06:00:00Z h:search:acme > w &&
	fake_expect hn search acme | jq -c "select(.created_at >= \"2026-11-01T04:00:00Z\" and .created_at < \"2026-11-01T06:00:00Z\")" > want &&
	records_match w want'
ok "--new: the first run writes every item" eval '
	$F --new h:search:acme > n1 && fake_expect hn search acme > want && records_match n1 want'
ok "--new: a second run writes nothing" eval '$F --new h:search:acme > n2 && lines n2 0'
ok "--new: items the server adds later come, once" eval '
	fake_admin POST add "{\"platform\":\"hn\",\"n\":5}" > /dev/null &&
	$F --new h:search:acme > n3 && lines n3 5 &&
	fake_expect hn search acme | head -n 5 > want && records_match n3 want &&
	$F --new h:search:acme > n4 && lines n4 0'
ok "--dry-run: the request, none made" eval '
	fake_admin DELETE log > /dev/null &&
	$F --dry-run h:search:acme > dr 2>&1 && contains dr search_by_date && [ -z "$(fake_log)" ]'
ok "no Authorization is ever sent" eval 'fake_log > lg; cm-fetch --limit 1 h:search:acme > /dev/null &&
	fake_log | jq -e -s "length > 0 and all(.auth == false)" > /dev/null'
done_testing
