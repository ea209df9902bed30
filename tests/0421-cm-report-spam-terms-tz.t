#!/bin/bash
# cm-report: spam is left out of the response KPIs and counted apart
# (--include-spam puts it back), in every format and across
# --partial/--merge; the brand's own names are left out of the top terms
# ([report] ignore_terms, the accounts' and brand records' handles); the
# zone defaults to $TZ.
. "$(dirname "$0")/lib.sh"
F="cm-report --now 2026-11-22T10:00:00Z"
CFG=$XDG_CONFIG_HOME/cm/config
mkdir -p "$(dirname "$CFG")"

# jqok FILE EXPR: the jq expression is true of the JSON in FILE.
jqok() {
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	jq -e "$2" "$1" > /dev/null || { echo "false: $2"; jq -c "${3:-.}" "$1" | head -c 2000; echo; return 1; }
}

# rec ID CREATED BRAND INTENT [IN_REPLY_TO [TEXT [HANDLE]]]: one record.
rec() {
	jq -cn --arg id "$1" --arg t "$2" --argjson brand "$3" --arg intent "$4" \
		--arg irt "${5:-}" --arg text "${6:-router broken}" \
		--arg handle "${7:-$([ "$3" = true ] && echo acme || echo "u$1")}" '{
		id: $id, platform: "mastodon", kind: "post", reason: "mention",
		created_at: $t, author: {handle: $handle, is_brand: $brand},
		text: $text, in_reply_to: (if $irt == "" then null else $irt end),
		tags: [], metrics: {likes: 0, reposts: 0, replies: 0, quotes: 0}}
		+ (if $intent == "" then {} else
		   {score: {sentiment: 0, label: "neutral", intent: $intent}} end)'
}

{
	rec m1 2026-11-20T10:00:00Z false question
	rec m2 2026-11-20T11:00:00Z false spam
	rec m3 2026-11-20T12:00:00Z false complaint
	rec m4 2026-11-20T13:00:00Z false spam
	rec r1 2026-11-20T10:30:00Z true "" m1 "@u1 sorry"
	rec r2 2026-11-20T11:30:00Z true "" m2 "@u2 no"
} > spam.ndjson

# ---- spam ----

$F -f json spam.ndjson > d.json
$F -f json --include-spam spam.ndjson > i.json
ok "spam is left out of eligible, the response rate and the backlog" \
	jqok d.json '.groups[0].response == {"eligible":2,"answered":1,"response_rate":0.5,"spam":2,
		"first_response_time":.groups[0].response.first_response_time,
		"response_distribution":.groups[0].response.response_distribution}
		and .groups[0].backlog.unanswered == 1 and .groups[0].summary.backlog == 1' .groups[0]
ok "... and counted apart in the summary, still a record and inbound" \
	jqok d.json '.groups[0].summary | .spam == 2 and .records == 6 and .inbound == 4 and .response_rate == 0.5'
ok "a brand reply to spam answers no eligible record: an unpaired reply" \
	jqok d.json '.input.unpaired_replies == 1 and .groups[0].response.answered == 1'
ok "--include-spam puts spam back in eligible, the rate and the backlog" \
	jqok i.json '.groups[0] | .response.eligible == 4 and .response.answered == 2 and
		.response.response_rate == 0.5 and .response.spam == 2 and .backlog.unanswered == 2 and
		.summary.spam == 2' .groups[0]
ok "the options and the definitions say which" eval '
	jqok d.json ".options.include_spam == false and (.definitions.spam | test(\"left out\")) and
		(.definitions.eligible | test(\"but for spam\"))" &&
	jqok i.json ".options.include_spam == true and (.definitions.spam | test(\"--include-spam\"))"'
ok "spam is shown in text, CSV and Markdown, summary and response" eval '
	$F -f text -s summary spam.ndjson > t && contains t " backlog spam" &&
	[ "$(sed -n 3p t | awk "{ print \$NF, \$(NF-1) }")" = "2 1" ] &&
	$F -f csv -s response spam.ndjson | tr -d "\r" > c &&
	printf "%s\n" eligible,answered,response_rate,backlog,spam 2,1,0.5000,1,2 > want && test_cmp want c &&
	$F -f markdown -s response spam.ndjson > m && contains m "| eligible | answered | response_rate | backlog | spam |" &&
	contains m "| 2 | 1 | 50.0% | 1 | 2 |"'
ok "spam is shown in HTML: a card and the tables" eval '
	$F -f html spam.ndjson > h && contains h "<b>2</b><span>spam (not in the response rate)</span>" &&
	contains h "<th>spam</th>" && $F -f html --include-spam spam.ndjson > hi &&
	contains hi "spam (in the response rate)"'
ok "a partial state is version 4 and carries include_spam" eval '
	cm-report -p spam.ndjson > s.state && head -n 1 s.state > hd &&
	jqok hd ".cm_report_partial == 4 and .options.include_spam == false" &&
	cm-report -p --include-spam spam.ndjson | head -n 1 > hdi && jqok hdi ".options.include_spam == true"'
# spam and its reply split over partial states, each alone in one
ok "merged partial states give the spam figures of one pass, in every format" eval '
	sed -n 1,2p spam.ndjson | cm-report -p > a.state && sed -n 3,6p spam.ndjson | cm-report -p > b.state &&
	for f in json text csv markdown html; do
		$F -f $f spam.ndjson > one.$f && $F -m -f $f b.state a.state > two.$f && test_cmp one.$f two.$f || exit 1
	done'
ok "... and with --include-spam" eval '
	sed -n 1,3p spam.ndjson | cm-report -p --include-spam > ai.state &&
	sed -n 4,6p spam.ndjson | cm-report -p --include-spam > bi.state &&
	$F -m -f json ai.state bi.state > two.json && $F -f json --include-spam spam.ndjson > one.json &&
	test_cmp one.json two.json'
ok "partial states with and without --include-spam are not merged together" eval '
	cat a.state bi.state | exits_with 1 $F -m -f json > /dev/null 2> e &&
	contains e "--include-spam must be the same"'
ok "--include-spam with --merge is a usage error" eval '
	exits_with 2 cm-report -m --include-spam a.state > /dev/null 2> e && contains e "--include-spam: with --merge"'
ok "a partial state of version 2 is refused, saying what to do" eval '
	sed "1s/\"cm_report_partial\":4/\"cm_report_partial\":2/" a.state > v2.state &&
	exits_with 1 cm-report -m -f json v2.state > /dev/null 2> e &&
	contains e "v2.state:1: unsupported partial state version 2 (this cm-report reads version 4: make the state again with this version'"'"'s cm-report --partial)"'
cm-fetch --end $DEMO_END demo:2000 | cm-score > demo.ndjson
ok "demo: the spam left out is the difference in eligible records" eval '
	$F -f json demo.ndjson > dd.json && $F -f json --include-spam demo.ndjson > di.json &&
	s=$(jq .groups[0].response.spam dd.json) && [ "$s" -gt 0 ] &&
	[ "$(jq .groups[0].response.eligible di.json)" -eq $(($(jq .groups[0].response.eligible dd.json) + s)) ] &&
	[ "$(jq ".groups[0].intents[] | select(.value == \"spam\") | .count" dd.json)" -ge "$s" ]'

# ---- the brand's own names ----

{
	rec t1 2026-11-20T10:00:00Z false question "" "acme router broken, widgetco wifi"
	rec t2 2026-11-20T11:00:00Z false question "" "Acme's router again, acme please"
	rec t3 2026-11-20T12:00:00Z true "" t1 "@u1 acme here: try a reset" "@acme@mastodon.example"
	rec t4 2026-11-20T12:00:00Z true "" t2 "shopco says hi" "shopco.bsky.social"
	rec t5 2026-11-20T13:00:00Z false question "" "shopco router"
} > terms.ndjson
terms() { jq -c "[.groups[0].terms.top[].term]" "$1"; }

ok "the brand records' handles are left out of the top terms" eval '
	$F -f json terms.ndjson > t.json && [ "$(terms t.json)" = "[\"router\",\"broken\",\"please\",\"widgetco\",\"wifi\"]" ] &&
	jqok t.json ".groups[0].terms.ignored == [\"acme\",\"shopco\"]"'
ok "... in text and CSV too, ranked from 1" eval '
	$F -f csv -s terms terms.ndjson | tr -d "\r" > c && sed -n 2p c > l && echo "1,router,3,0" > want && test_cmp want l &&
	$F -f text -s terms terms.ndjson > t && lacks t " acme " && lacks t shopco'
ok "a handle gives the term of its first label only, or none" eval '
	{ rec h1 2026-11-20T10:00:00Z true "" "" "hello there" "hq.bsky.social"
	  rec h2 2026-11-20T11:00:00Z false question "" "bsky outage again"; } > hq.ndjson &&
	$F -f json hq.ndjson > t.json && jqok t.json ".groups[0].terms.ignored == []" &&
	[ "$(terms t.json)" = "[\"bsky\",\"outage\"]" ]'
printf '[report]\nignore_terms = Router, @wifi\n[account acme-masto]\nplatform = mastodon\nhandle = widgetco@mastodon.example\n' > "$CFG"
ok "[report] ignore_terms and the accounts' handles are left out too" eval '
	$F -f json terms.ndjson > t.json && [ "$(terms t.json)" = "[\"broken\",\"please\"]" ] &&
	jqok t.json ".groups[0].terms.ignored == [\"acme\",\"router\",\"shopco\",\"widgetco\",\"wifi\"]"'
ok "a CSV account's brand handles are the brand's names" eval '
	printf "[account sheet]\nplatform = csv\nbrand = @PlainCo, other_brand\n" > "$CFG" &&
	{ rec p1 2026-11-20T10:00:00Z false question "" "plainco other thing"; } > p.ndjson &&
	$F -f json p.ndjson > t.json && [ "$(terms t.json)" = "[\"thing\"]" ]'
ok "an unknown key in [report] is an error naming the file and line" eval '
	printf "[report]\n# the terms\nignore_term = acme\n" > "$CFG" &&
	exits_with 2 cm-report -f json terms.ndjson > o 2> e && [ ! -s o ] &&
	contains e "cm-report: $CFG:3: [report] ignore_term: unknown key (ignore_terms)"'
ok "merged partial states leave out the names of each, as one pass" eval '
	printf "[report]\nignore_terms = broken\n" > "$CFG" &&
	sed -n 1,3p terms.ndjson | cm-report -p > a.state && : > "$CFG" &&
	sed -n 4,5p terms.ndjson | cm-report -p > b.state &&
	grep -q "^{\"ignore_terms\":\[\"acme\",\"broken\"\]}$" a.state &&
	printf "[report]\nignore_terms = broken\n" > "$CFG" &&
	for f in json text csv markdown html; do
		$F -f $f terms.ndjson > one.$f && : > "$CFG" && $F -m -f $f b.state a.state > two.$f &&
		printf "[report]\nignore_terms = broken\n" > "$CFG" && test_cmp one.$f two.$f || exit 1
	done'
: > "$CFG"
ok "a bad ignore_terms line in a partial state is refused" eval '
	{ head -n 1 a.state; echo "{\"ignore_terms\":[\"acme\",7]}"; tail -n +2 a.state; } > bad.state &&
	exits_with 1 $F -m -f json bad.state > o 2> e && contains e "bad.state:2: not valid partial state"'

# ---- the zone: $TZ ----

{
	rec z1 2026-11-20T22:30:00Z false question
	rec z2 2026-11-20T23:30:00Z false question
} > tz.ndjson
days() { jq -c "[.groups[0].timeline[] | [.bucket, .records]]" "$1"; }
ok "without TZ the days are UTC's" eval '
	$F -f json tz.ndjson > o && jqok o ".options.tz == \"UTC\"" && [ "$(days o)" = "[[\"2026-11-20\",2]]" ]'
ok "TZ=Europe/Berlin moves a record to the next day" eval '
	TZ=Europe/Berlin $F -f json tz.ndjson > o && jqok o ".options.tz == \"Europe/Berlin\"" &&
	[ "$(days o)" = "[[\"2026-11-20\",1],[\"2026-11-21\",1]]" ]'
ok "a leading : in TZ is POSIX's, and --tz wins over TZ" eval '
	TZ=:Europe/Berlin $F -f json tz.ndjson > o && jqok o ".options.tz == \"Europe/Berlin\"" &&
	TZ=Europe/Berlin $F -f json -z UTC tz.ndjson > o && jqok o ".options.tz == \"UTC\""'
ok "a date of --since is midnight in TZ's zone" eval '
	TZ=Asia/Tokyo $F -f json -S 2026-11-21 tz.ndjson > o && jqok o ".options.since == \"2026-11-20T15:00:00Z\""'
ok "an empty TZ is UTC" eval 'TZ= $F -f json tz.ndjson > o && jqok o ".options.tz == \"UTC\""'
ok "a TZ that is not a tz database zone is a usage error" eval '
	TZ=CET-1CEST exits_with 2 $F -f json tz.ndjson > o 2> e && [ ! -s o ] &&
	contains e "cm-report: TZ: '"'"'CET-1CEST'"'"' is not a time zone of the tz database (like Europe/Berlin; give --tz, or unset TZ for UTC)" &&
	TZ=Nowhere/Land exits_with 2 $F tz.ndjson > /dev/null 2>&1 &&
	TZ=Nowhere/Land $F -z UTC -f json tz.ndjson > /dev/null'
ok "a merge takes the zone of its partial states, not TZ" eval '
	cm-report -p tz.ndjson > u.state && TZ=Europe/Berlin $F -m -f json u.state > o &&
	jqok o ".options.tz == \"UTC\"" && TZ=Nowhere/Land $F -m -f json u.state > /dev/null &&
	TZ=Europe/Berlin cm-report -p tz.ndjson | $F -m -f json > o && jqok o ".options.tz == \"Europe/Berlin\""'

done_testing
