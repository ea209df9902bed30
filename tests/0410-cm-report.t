#!/bin/bash
# cm-report: known answers on hand-written records, every section and
# format, --by, --partial/--merge equal to one pass (also under GNU
# parallel), --check, bad input, option errors, and the man page examples.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/report
NOW="--now 2026-11-22T10:00:00Z"
F="cm-report $NOW"

# jqok FILE EXPR: the jq expression is true of the JSON in FILE.
jqok() {
	jq -e "$2" "$1" > /dev/null || { echo "false: $2"; jq -c "${3:-.}" "$1" | head -c 2000; echo; return 1; }
}

$F -f json -z Europe/Berlin "$R/basic.ndjson" > b.json
ok "basic: volume" jqok b.json '.groups[0].summary == {"records":5,"inbound":3,"brand":2,"brand_replies":2,"scored":3,"sentiment_mean":0.1,"not_scored":0,"response_rate":0.6667,"first_response_median_s":1800,"backlog":1,"spam":0}' '.groups[0].summary'
ok "basic: response rate 2/3" jqok b.json '.groups[0].response | .eligible == 3 and .answered == 2 and .response_rate == 0.6667'
ok "basic: first response 30m and 3h: mean 1h45m, median 30m, p90 3h" jqok b.json \
	'.groups[0].response.first_response_time.calendar == {"n":2,"mean_s":6300,"median_s":1800,"p90_s":10800,"min_s":1800,"max_s":10800}' '.groups[0].response'
ok "basic: business hours in Berlin: 30m and 1h30m" jqok b.json \
	'.groups[0].response.first_response_time.business == {"n":2,"mean_s":3600,"median_s":1800,"p90_s":5400,"min_s":1800,"max_s":5400}' '.groups[0].response'
ok "basic: the percentile error is stated" jqok b.json '.groups[0].response.first_response_time.percentile_error == 0.0078125 and (.definitions.percentiles | test("0.79%"))'
ok "basic: response distribution" jqok b.json '[.groups[0].response.response_distribution[].calendar] == [0,1,1,0,0,0]'
ok "basic: backlog of one, a day old at --now" jqok b.json \
	'.groups[0].backlog | .unanswered == 1 and .oldest_s == 86400 and .median_age_s == 86400 and ([.ages[].count] == [0,0,0,1,0,0])'
ok "basic: sentiment mix and mean" jqok b.json \
	'.groups[0].sentiment == {"scored":3,"sentiment_mean":0.1,"not_scored":0,"labels":[{"value":"negative","count":1,"share":0.3333},{"value":"neutral","count":1,"share":0.3333},{"value":"positive","count":1,"share":0.3333}]}'
cat > ns.ndjson <<'EOF'
{"id":"n1","platform":"x","kind":"post","reason":"mention","created_at":"2026-11-20T10:00:00Z","author":{"is_brand":false},"text":"Das ist wirklich schlecht","score":{"sentiment":null,"label":null,"intent":"other","why":["not scored: text looks German"]}}
{"id":"n2","platform":"x","kind":"post","reason":"mention","created_at":"2026-11-20T11:00:00Z","author":{"is_brand":false},"text":"great","score":{"sentiment":0.6249,"label":"positive","intent":"praise","why":["positive 0.62 (great)"]}}
{"id":"n3","platform":"x","kind":"post","reason":"mention","created_at":"2026-11-20T12:00:00Z","author":{"is_brand":false},"text":"no score"}
{"id":"n4","platform":"x","kind":"post","reason":"own","created_at":"2026-11-20T12:00:00Z","author":{"is_brand":true},"text":"Danke!","score":{"sentiment":null,"label":null}}
EOF
ok "sentiment null: counted as not scored, out of the mean and the labels" eval '
	$F -f json ns.ndjson > ns.json &&
	jqok ns.json ".groups[0].summary | .scored == 1 and .not_scored == 1 and .sentiment_mean == 0.6249" ".groups[0].summary" &&
	jqok ns.json ".groups[0].sentiment == {\"scored\":1,\"sentiment_mean\":0.6249,\"not_scored\":1,\"labels\":[{\"value\":\"positive\",\"count\":1,\"share\":1}]}" ".groups[0].sentiment" &&
	jqok ns.json "[.groups[0].timeline[] | [.scored, .neutral]] == [[1,0]]" &&
	$F -f text ns.ndjson | grep -A1 "sentiment_mean not_scored" | tail -n 1 | grep -q "+0.625 *1 "'
ok "not scored survives --partial and --merge" eval '
	head -n 2 ns.ndjson | $F --partial > a.state && tail -n +3 ns.ndjson | $F --partial > b.state &&
	$F --merge -f json a.state b.state | cmp - ns.json'
ok "basic: intents" jqok b.json '.groups[0].intents == [{"value":"question","count":2,"share":0.6667},{"value":"complaint","count":1,"share":0.3333}]'
ok "basic: top authors by records, engagement and followers" jqok b.json \
	'.groups[0].authors == {"exact":true,"by_records":[{"author":"mastodon:alice","records":2,"engagement":3,"error":0},{"author":"mastodon:bob","records":1,"engagement":2,"error":0}],"by_engagement":[{"author":"mastodon:alice","records":2,"engagement":3,"error":0},{"author":"mastodon:bob","records":1,"engagement":2,"error":0}],"by_followers":[{"author":"mastodon:bob","followers":5000},{"author":"mastodon:alice","followers":120}]}'
ok "basic: top tags (lowercased) and terms" jqok b.json \
	'[.groups[0].tags.top[] | [.tag, .records]] == [["acme",2],["help",1]] and [.groups[0].terms.top[] | .term] == ["router","broken","dropping","help","keeps","reset","wifi"] and .groups[0].terms.top[0].records == 3'
ok "basic: timeline by day in Berlin" jqok b.json \
	'[.groups[0].timeline[] | [.bucket, .records, .inbound, .brand, .scored, .sentiment_mean]] == [["2026-11-20",4,2,2,2,0],["2026-11-21",1,1,0,1,0.3]]'
ok "basic: every KPI names its definition" jqok b.json \
	'.definitions as $d | all("response_rate","first_response_time","business_time","percentiles","backlog","age","sentiment_mean","engagement","followers","top_lists","terms","eligible","answered","inbound"; $d[.] | type == "string")'
ok "basic: the business-hours definition names the hours, days and zone" jqok b.json '.definitions.business_time | test("09:00-17:00 on Mon-Fri in Europe/Berlin")'
ok "the default is UTC business hours: 30m and 2h30m" eval '
	$F -f json "$R/basic.ndjson" > u.json && jqok u.json ".groups[0].response.first_response_time.business | .median_s == 1800 and .max_s == 9000"'
ok "--business-hours and --workdays change business time" eval '
	$F -f json --business-hours 16:00-24:00 --workdays Sat,Sun "$R/basic.ndjson" > w.json &&
	jqok w.json ".groups[0].response.first_response_time.business.max_s == 0 and (.definitions.business_time | test(\"16:00-24:00 on Sat,Sun\"))"'
ok "business time skips the weekend (Berlin: Fri 16:30 to Mon 09:30 is 1h)" eval '
	$F -f json -z Europe/Berlin "$R/weekend.ndjson" > we.json &&
	jqok we.json ".groups[0].response.first_response_time | .calendar.median_s == 234000 and .business.median_s == 3600"'
ok "replies before their parents give the same report" eval '
	$F -f json -z Europe/Berlin "$R/outoforder.ndjson" | test_cmp b.json -'
ok "--interval hour and week" eval '
	$F -f json -i hour "$R/basic.ndjson" > h.json && jqok h.json "[.groups[0].timeline[0].bucket, (.groups[0].timeline|length)] == [\"2026-11-20T14:00\", 21]" &&
	$F -f json -i week "$R/basic.ndjson" > wk.json && jqok wk.json "[.groups[0].timeline[].bucket] == [\"2026-11-16\"]"'
ok "--tz moves records across days" eval '
	printf "%s\n" "{\"id\":\"x:1\",\"created_at\":\"2026-11-20T23:30:00Z\",\"author\":{\"is_brand\":false}}" > late.ndjson &&
	$F -f json late.ndjson | jq -e ".groups[0].timeline[0].bucket == \"2026-11-20\"" > /dev/null &&
	$F -f json --tz Europe/Berlin late.ndjson | jq -e ".groups[0].timeline[0].bucket == \"2026-11-21\"" > /dev/null'
ok "--since and --until select by created_at" eval '
	$F -f json --since 2026-11-20T15:00:00Z --until 2026-11-21T00:00:00Z "$R/basic.ndjson" > s.json &&
	jqok s.json ".groups[0].summary.records == 3 and .input.outside_period == 2 and .groups[0].response.answered == 1"'

cm-fetch --end "$DEMO_END" demo:3000 > demo.ndjson
ok "--by platform: one group per platform, adding up to the whole" eval '
	$F -f json demo.ndjson > all.json && $F -f json --by platform demo.ndjson > byp.json &&
	[ "$(jq "[.groups[].summary.records] | add" byp.json)" = 3000 ] &&
	[ "$(jq "[.groups[].response.answered] | add" byp.json)" = "$(jq ".groups[0].response.answered" all.json)" ] &&
	[ "$(jq "[.groups[].key.platform] | length" byp.json)" -ge 6 ] &&
	jqok byp.json "[.groups[].summary.records] as \$n | \$n == (\$n | sort | reverse)"'
ok "--by two fields; a missing field is unknown" eval '
	$F -f json --by platform,author.verified demo.ndjson > by2.json &&
	jqok by2.json "[.groups[].key | keys] | unique == [[\"author.verified\",\"platform\"]]" &&
	jqok by2.json "any(.groups[]; .key[\"author.verified\"] == \"unknown\")"'
ok "--capacity: past it top lists are Space-Saving upper bounds" eval '
	$F -f json --capacity 40 demo.ndjson > cap.json &&
	jqok cap.json ".groups[0].authors.exact == false and .groups[0].terms.exact == false" &&
	jq -r ".groups[0].terms.top[] | [.term, .records, .error] | @tsv" cap.json > cap.tsv && [ -s cap.tsv ] &&
	cm-report -p demo.ndjson | jq -r "select(.count == \"terms\") | .e[] | [.[0], .[1]] | @tsv" > truth.tsv &&
	while IFS=$(printf "\t") read -r term n err; do
		truth=$(awk -F "\t" -v t="$term" "\$1 == t { print \$2 }" truth.tsv)
		[ $((n - err)) -le "${truth:-0}" ] && [ "${truth:-0}" -le "$n" ] || { echo "$term: $n-$err vs $truth"; exit 1; }
	done < cap.tsv'

# --partial and --merge
ok "a reply and its parent in different partial states are paired" eval '
	{ $F -p "$R/replies.ndjson"; cm-report -p "$R/inbound.ndjson"; } > two.state &&
	cm-report -m $NOW -f json -z Europe/Berlin two.state 2> err; [ $? -eq 2 ] && contains err "--tz" &&
	{ cm-report -p -z Europe/Berlin "$R/replies.ndjson"; cm-report -p -z Europe/Berlin "$R/inbound.ndjson"; } > two.state &&
	cm-report -m $NOW -f json two.state | test_cmp b.json -'
ok "the order of partial states does not matter" eval '
	cm-report -p --by platform demo.ndjson > p1 && head -n 1000 demo.ndjson | cm-report -p --by platform > p2 &&
	cat p1 p2 | cm-report -m $NOW -f json > m12.json && cat p2 p1 | cm-report -m $NOW -f json > m21.json && test_cmp m12.json m21.json'
ok "merged states may be written out again (--merge --partial)" eval '
	split -l 700 demo.ndjson part. && for p in part.*; do cm-report -p --by platform "$p"; done > parts.state &&
	cm-report -m -p parts.state > stage.state && cm-report -m $NOW -f json stage.state > staged.json &&
	$F -f json --by platform demo.ndjson | test_cmp - staged.json'
for fmt in json text csv markdown html; do
	ok "--partial/--merge over split files equals one pass ($fmt)" eval '
		$F -f $fmt --by platform -i hour -z Europe/Berlin demo.ndjson > one.$fmt &&
		for p in part.*; do cm-report -p --by platform -i hour -z Europe/Berlin "$p"; done | cm-report -m $NOW -f $fmt > many.$fmt &&
		test_cmp one.$fmt many.$fmt'
done
if command -v parallel > /dev/null; then
	ok "parallel --pipe cm-report --partial | cm-report --merge equals one process" eval '
		$F -f json -z Europe/Berlin demo.ndjson > single.json &&
		parallel --will-cite --pipe -j4 --block 200k cm-report --partial -z Europe/Berlin < demo.ndjson > shards.state &&
		[ "$(grep -c cm_report_partial shards.state)" -ge 4 ] &&
		cm-report --merge $NOW -f json shards.state | test_cmp single.json -'
	ok_heavy "parallel on 200,000 records equals one process" eval '
		cm-fetch --end "$DEMO_END" demo:200000 > d200k.ndjson &&
		$F -f json --by platform d200k.ndjson > s200k.json &&
		parallel --will-cite --pipe -j2 --block 8M cm-report --partial --by platform < d200k.ndjson |
		cm-report --merge $NOW -f json | test_cmp s200k.json -'
else
	skip "parallel --pipe cm-report --partial | cm-report --merge equals one process" "no GNU parallel"
	skip "parallel on 200,000 records equals one process" "no GNU parallel"
fi
ok "a partial state cut short: merged, reported, status 1" eval '
	head -n 3 p1 > cut.state; cm-report -m -f json cut.state > cut.json 2> err; [ $? -eq 1 ] &&
	contains err "1 partial state cut short" && jqok cut.json ".input.incomplete_partials == 1"'
ok "partial states made with other options are refused" eval '
	{ cm-report -p demo.ndjson; cm-report -p -i week demo.ndjson; } > mixed.state;
	cm-report -m -f json mixed.state > /dev/null 2> err; [ $? -eq 1 ] && contains err "different options"'
ok "records given to --merge are refused with file:line" eval '
	cm-report -m demo.ndjson > /dev/null 2> err; [ $? -eq 1 ] && contains err "demo.ndjson:1: not partial state"'
ok "--partial with --format is a usage error" exits_with 2 cm-report -p -f json demo.ndjson

# formats
ok "text: aligned tables with the KPIs read as a person would" eval '
	$F -f text -z Europe/Berlin "$R/basic.ndjson" > t.txt && contains t.txt "First response time" &&
	grep -E "^  median +2 +30m +30m$" t.txt && grep -E "^  p90 +2 +3h +1h 30m$" t.txt && contains t.txt "66.7%"'
ok "json is the default when stdout is not a terminal" eval '$F "$R/basic.ndjson" | jq -e .groups > /dev/null'
ok "csv: RFC 4180, CRLF, one table per --section" eval '
	$F -f csv --section response_times "$R/basic.ndjson" > rt.csv &&
	printf "statistic,answered,calendar_s,business_s\r\nmean,2,6300.0,5400.0\r\nmedian,2,1800,1800\r\np90,2,10800,9000\r\nmin,2,1800,1800\r\nmax,2,10800,9000\r\n" > want.csv &&
	test_cmp want.csv rt.csv'
ok "csv: fields with commas are quoted (libcsv)" eval '
	$F -f csv --by author.name --section summary "$R/basic.ndjson" > q.csv && grep -q "^\"Alice, A.\",2,2,0,0,0.4000,0,0.5000,1800,1" q.csv'
ok "csv: every section, tables separated by an empty line" eval '
	$F -f csv "$R/basic.ndjson" > all.csv && [ "$(grep -c "^.$" all.csv)" -eq 13 ]'
ok "markdown: a heading and a pipe table per section" eval '
	$F -f markdown "$R/basic.ndjson" > m.md && contains m.md "## Top terms (inbound)" && contains m.md "| router | 3 | 0 |" &&
	contains m.md "|---:|"'
ok "html: self-contained, three SVG charts, no script" eval '
	$F -f html "$R/basic.ndjson" > r.html && [ "$(grep -o "<svg class=\"chart\"" r.html | wc -l)" -eq 3 ] &&
	lacks r.html "<script" && ! grep -E "(src|href)=\"https?:" r.html && contains r.html "Definitions"'
ok "html: text is escaped" eval '
	printf "%s\n" "{\"id\":\"x:1\",\"platform\":\"<b>x&y</b>\",\"created_at\":\"2026-11-20T10:00:00Z\",\"author\":{\"is_brand\":false}}" > esc.ndjson &&
	$F -f html --by platform esc.ndjson > e.html && contains e.html "&lt;b&gt;x&amp;y&lt;/b&gt;" && lacks e.html "<b>x&y"'
ok "--section limits json to one section" eval '
	$F -f json --section backlog "$R/basic.ndjson" > sec.json && jqok sec.json ".groups[0] | keys == [\"backlog\",\"key\"]"'

# --check
ok "--check true: status 0" eval '$F --check ".groups[0].response.response_rate > 0.5" "$R/basic.ndjson" > /dev/null'
ok "--check false: status 1 and a message" eval '
	$F -f text --check ".groups[0].response.first_response_time.calendar.median_s < 600" "$R/basic.ndjson" > o 2> err; [ $? -eq 1 ] &&
	contains err "check failed" && contains o "Summary"'
ok "--check null or no output: status 1" eval '
	$F --check ".nosuch" "$R/basic.ndjson" > /dev/null 2>&1; [ $? -eq 1 ] && $F --check "empty" "$R/basic.ndjson" > /dev/null 2>&1; [ $? -eq 1 ]'
# A stopped evaluation loses what libjq held only in its own frames (as in
# 0401): the leak check is off for this one run.
ok "--check that runs out of memory: status 2 and a message, no abort" eval '
	CM_VALGRIND_LEAKS=no ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 timeout 120 $F -f json --check "def f: 1 + f; f" "$R/basic.ndjson" > o 2> err; [ $? -eq 2 ] &&
	contains err "--check: the jq expression ran out of memory" && jq -e .groups o > /dev/null'
ok "--check that does not compile: status 2, nothing read" eval '
	$F --check ".groups[" nosuchfile > o 2> err; [ $? -eq 2 ] && contains err "--check" && lines o 0'
ok "--check that fails at run time: status 2" eval '$F --check ".groups | tonumber" "$R/basic.ndjson" > /dev/null 2> err; [ $? -eq 2 ]'

# bad input
ok "bad lines: file:line on stderr, counted, status 1, report written" eval '
	$F -f json "$R/bad.ndjson" > bad.json 2> err; [ $? -eq 1 ] &&
	contains err "bad.ndjson:2: invalid JSON" && contains err "bad.ndjson:3: not a JSON object" &&
	jqok bad.json ".input.bad_lines == 2 and .input.records == 3"'
ok "records missing fields are counted under unknown, not dropped" eval '
	jqok bad.json ".input | .no_platform == 1 and .no_created_at == 1 and .no_author == 1 and .no_is_brand == 1" &&
	jqok bad.json "(.groups[0].breakdown.platform | map(select(.value == \"unknown\")) | .[0].count) == 1" &&
	jqok bad.json ".groups[0].summary.inbound == 3 and .groups[0].response.eligible == 2"'
ok "--rejects copies bad lines" eval '$F -r rej "$R/bad.ndjson" > /dev/null 2>&1; lines rej 2 && grep -q "^\[1,2,3\]$" rej'
ok "--strict stops at the first bad line" eval '$F --strict "$R/bad.ndjson" > o 2> err; [ $? -eq 1 ] && lacks err "bad.ndjson:3"'
ok "a missing file: reported, status 1" eval '$F nosuch.ndjson > /dev/null 2> err; [ $? -eq 1 ] && contains err "nosuch.ndjson"'

# Response-time bins are exact at their edges: 899 s is under 15 minutes,
# 900 s is not (a histogram bucket straddles each edge).
python3 - > edges.ndjson <<'PY'
import json
delays = [899, 900, 3599, 3600, 86399, 259199, 259200]
for i, d in enumerate(delays):
    t0 = 1790000000 + i * 600000    # 2026-09-21 on, a week apart
    ts = lambda t: __import__("time").strftime("%Y-%m-%dT%H:%M:%SZ", __import__("time").gmtime(t))
    print(json.dumps({"id": "in%d" % i, "platform": "x", "kind": "mention", "created_at": ts(t0), "author": {"handle": "u", "is_brand": False}, "text": "hi"}))
    print(json.dumps({"id": "re%d" % i, "platform": "x", "kind": "reply", "created_at": ts(t0 + d), "author": {"handle": "acme", "is_brand": True}, "in_reply_to": "in%d" % i, "text": "hello"}))
PY
ok "response-time bins: exact at their edges" eval '
	$F -f csv -s response_distribution edges.ndjson > o &&
	cut -d, -f1,2 o | tr -d "\r" > got && printf "%s\n" time,calendar "<15m,1" "15m-1h,2" "1h-4h,1" "4h-24h,1" "1d-3d,1" ">=3d,1" > want &&
	test_cmp want got'
ok "response-time bins add up to the answered records, in both clocks" eval '
	$F -f json edges.ndjson | jq -e ".groups[0].response | ([.response_distribution[].calendar] | add) == .answered and ([.response_distribution[].business] | add) == .answered" > /dev/null'

ok "json summary: the median first response time, as in the response section" eval '
	$F -f json edges.ndjson | jq -e ".groups[0] | .summary.first_response_median_s == .response.first_response_time.calendar.median_s and .summary.first_response_median_s > 0" > /dev/null'
ok "json -s: each response section alone" eval '
	$F -f json -s response_times edges.ndjson | jq -e ".groups[0].response | keys == [\"first_response_time\"]" > /dev/null &&
	$F -f json -s response_distribution edges.ndjson | jq -e ".groups[0].response | keys == [\"response_distribution\"]" > /dev/null &&
	$F -f json -s response edges.ndjson | jq -e ".groups[0].response | keys == [\"answered\",\"eligible\",\"response_rate\",\"spam\"]" > /dev/null'

# Duplicates count twice (as documented); cm-filter --unique first removes them.
{ sed -n 1,2p edges.ndjson; sed -n 1p edges.ndjson; } > dup.ndjson
ok "a duplicate record counts twice, as the man page says" eval '
	$F -f json dup.ndjson | jq -e ".groups[0].response | .eligible == 2 and .answered == 1" > /dev/null'
ok "cm-filter --unique before cm-report takes it once" eval '
	cm-filter --unique dup.ndjson | $F -f json | jq -e ".groups[0].response | .eligible == 1 and .answered == 1 and .response_rate == 1" > /dev/null &&
	cm-filter --unique dup.ndjson | $F -f json | jq -e ".groups[0].backlog.unanswered == 0" > /dev/null'

# Data reaches a terminal: control characters must not.
printf '%s\n' '{"id":"1","platform":"x\u001b]0;pwned\u0007","created_at":"2026-11-24T10:00:00Z","kind":"mention","text":"hi","author":{"handle":"evil\u001b[2J\nline|x\u0085"}}' > evil.ndjson
ok "text: control characters in the data are shown as ?" eval '
	$F -f text evil.ndjson > o && ! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\n" < o) &&
	! grep -q "$(printf "\302\205")" o && contains o "x?]0;pwned?" && contains o "evil?[2J line|x?"'
ok "markdown: the same, and | escaped" eval '
	$F -f markdown evil.ndjson > o && ! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\n" < o) &&
	contains o "evil?\\[2J line\\|x?"'

# options
ok "--interval: the accepted forms" eval 'cm-report -i month x 2> err; [ $? -eq 2 ] && contains err "--interval: '"'"'month'"'"' is not an interval (hour, day, week)"'
ok "--format: the accepted forms" eval 'cm-report -f pdf x 2> err; [ $? -eq 2 ] && contains err "(text, csv, json, markdown, html)"'
ok "--section: the accepted forms" eval 'cm-report -s nope x 2> err; [ $? -eq 2 ] && contains err "summary, timeline"'
ok "--business-hours: the accepted forms" eval 'cm-report -B 9-5 x 2> err; [ $? -eq 2 ] && contains err "HH:MM-HH:MM"'
ok "--workdays: the accepted forms" eval 'cm-report -w Funday x 2> err; [ $? -eq 2 ] && contains err "Mon-Fri, Sun-Thu"'
ok "--tz: an unknown zone" eval 'cm-report -z Mars/Base "$R/basic.ndjson" > o 2> err; [ $? -eq 2 ] && contains err "Mars/Base: unknown time zone" && lines o 0'
ok "--top: the range" eval 'cm-report -n 0 x 2> err; [ $? -eq 2 ] && contains err "from 1 to 100"'
ok "--now: the accepted forms" eval 'cm-report -N yesterday x 2> err; [ $? -eq 2 ] && contains err "RFC 3339"'
ok "--by with --merge is a usage error" exits_with 2 cm-report -m --by platform
ok "--top limits the top lists" eval '$F -f json -n 1 "$R/basic.ndjson" | jq -e ".groups[0].terms.top | length == 1" > /dev/null'
ok "--help on stdout lists every option" eval '
	cm-report --help > h && for o in business-hours by capacity check compare format help interval merge now partial rejects section since strict top until version workdays tz; do grep -q -- "--$o" h || { echo "--$o"; exit 1; }; done'
ok "-V prints the version" eval 'cm-report -V | grep -q "^cm-report [0-9]"'
ok "a closed pipe ends it quietly" eval 'cm-report -f csv -i hour demo.ndjson 2> err | head -n 1 > /dev/null; [ ! -s err ]'
ok "/dev/full: clear error, status 1" eval 'cm-report -f text demo.ndjson > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error"'
ok "the man page EXAMPLES run" run_man_examples cm-report.1

done_testing
