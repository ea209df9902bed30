#!/bin/bash
# cm-report: a record whose own reply cm-reply sent (reply.status "sent",
# reply.sent_at) is answered at reply.sent_at, as a brand reply would
# answer it; with a brand record for the same reply as well it counts
# once, at the earlier time, in any order and across --partial/--merge.
. "$(dirname "$0")/lib.sh"
F="cm-report --now 2026-11-22T10:00:00Z"

# jqok FILE EXPR: the jq expression is true of the JSON in FILE.
jqok() {
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	jq -e "$2" "$1" > /dev/null || { echo "false: $2"; jq -c "${3:-.}" "$1" | head -c 2000; echo; return 1; }
}

# rec ID CREATED BRAND [IN_REPLY_TO [REPLY_STATUS [SENT_AT]]]: one record;
# SENT_AT "-" leaves reply.sent_at out.
rec() {
	jq -cn --arg id "$1" --arg t "$2" --argjson brand "$3" --arg irt "${4:-}" \
		--arg st "${5:-}" --arg at "${6:--}" '{
		id: $id, platform: "mastodon", kind: "post", reason: "mention",
		created_at: $t, author: {handle: (if $brand then "acme" else "u\($id)" end),
		is_brand: $brand}, text: "router broken",
		in_reply_to: (if $irt == "" then null else $irt end)}
		+ (if $st == "" then {} else {reply: ({status: $st, text: "@u sorry",
		   rule: "r1"} + (if $at == "-" then {} else {sent_at: $at} end))} end)'
}

{
	rec a1 2026-11-20T10:00:00Z false "" sent 2026-11-20T10:20:00Z
	rec a2 2026-11-20T11:00:00Z false "" draft 2026-11-20T11:05:00Z
	rec a3 2026-11-20T12:00:00Z false "" sent 2026-11-20T12:50:00+00:00
	rec b3 2026-11-20T12:40:00Z true a3
	rec b4 2026-11-20T13:30:00Z true a4
	rec a4 2026-11-20T13:00:00Z false "" sent 2026-11-20T14:10:00+01:00
	rec a5 2026-11-20T14:00:00Z false "" sent yesterday
	rec a6 2026-11-20T15:00:00Z false "" sent -
	rec a7 2026-11-20T16:00:00Z false "" failed 2026-11-20T16:01:00Z
} > sent.ndjson

ok "a sent reply answers its record: the response rate" eval '
	$F -f json sent.ndjson > s.json &&
	jqok s.json ".groups[0].response | .eligible == 7 and .answered == 3 and .response_rate == 0.4286" &&
	jqok s.json ".groups[0].backlog.unanswered == 4"'

ok "... at reply.sent_at: the first response time" eval '
	jqok s.json ".groups[0].response.first_response_time.calendar |
		.n == 3 and .min_s == 600 and .max_s == 2400 and .mean_s == 1400"'

ok "a sent reply alone: answered at sent_at minus created_at" eval '
	sed -n 1p sent.ndjson | $F -f json > one.json &&
	jqok one.json ".groups[0].response | .answered == 1 and .first_response_time.calendar.min_s == 1200"'

ok "both sources at once count once, at the earlier: the brand record after the record" eval '
	sed -n 3,4p sent.ndjson | $F -f json > b.json &&
	jqok b.json ".groups[0].response | .eligible == 1 and .answered == 1 and
		.first_response_time.calendar.n == 1 and .first_response_time.calendar.max_s == 2400"'

ok "... and the brand record before the record (the sent reply earlier)" eval '
	sed -n 5,6p sent.ndjson | $F -f json > c.json &&
	jqok c.json ".groups[0].response | .answered == 1 and
		.first_response_time.calendar.n == 1 and .first_response_time.calendar.max_s == 600"'

ok "... or after it (the sent reply earlier still)" eval '
	{ sed -n 6p sent.ndjson; sed -n 5p sent.ndjson; } | $F -f json > c2.json &&
	jqok c2.json ".groups[0].response | .answered == 1 and
		.first_response_time.calendar.n == 1 and .first_response_time.calendar.max_s == 600"'

ok "... the order of the input does not matter" eval '
	tac sent.ndjson | $F -f json > r.json && test_cmp s.json r.json'

ok "a reply seen both ways is an unpaired reply, as a follow-up is" eval '
	jqok s.json ".input.unpaired_replies == 2 and .groups[0].summary.brand_replies == 2" &&
	jqok one.json ".input.unpaired_replies == 0"'

ok "a reply.status other than sent is no answer" eval '
	{ sed -n 2p sent.ndjson; sed -n 9p sent.ndjson; } | $F -f json > d.json &&
	jqok d.json ".groups[0].response | .eligible == 2 and .answered == 0" &&
	jqok d.json ".groups[0].backlog.unanswered == 2 and .input.bad_sent_at == 0"'

ok "a sent reply without a valid sent_at is counted as a bad field, and answers nothing" eval '
	jqok s.json ".input.bad_sent_at == 2" &&
	sed -n 7,8p sent.ndjson | $F -f json > e.json &&
	jqok e.json ".input.bad_sent_at == 2 and .groups[0].response.answered == 0" &&
	$F -f text -s input sent.ndjson > t &&
	contains t "records with reply.status sent but no valid reply.sent_at"'

ok "the definitions say so" eval '
	jqok s.json "(.definitions.answered | test(\"reply.sent_at\")) and
		(.definitions.first_response_time | test(\"reply.sent_at\"))"'

# the record and its brand reply in different partial states, each way
ok "merged partial states give the figures of one pass, in every format" eval '
	sed -n 1,4p sent.ndjson | cm-report -p > a.state &&
	sed -n 5,9p sent.ndjson | cm-report -p > b.state &&
	{ sed -n 4,5p sent.ndjson; } | cm-report -p > x.state &&
	{ sed -n 1,3p sent.ndjson; sed -n 6,9p sent.ndjson; } | cm-report -p > y.state &&
	for f in json text csv markdown html; do
		$F -f $f sent.ndjson > one.$f &&
		$F -m -f $f b.state a.state > two.$f && test_cmp one.$f two.$f &&
		$F -m -f $f x.state y.state > three.$f && test_cmp one.$f three.$f || exit 1
	done'

ok "a partial state keeps a sent reply for the merge" eval '
	sed -n 3p sent.ndjson | cm-report -p > s1.state && sed -n 4p sent.ndjson | cm-report -p > s2.state &&
	$F -m -f json s2.state s1.state > m.json &&
	jqok m.json ".groups[0].response | .answered == 1 and .first_response_time.calendar.max_s == 2400"'

done_testing
