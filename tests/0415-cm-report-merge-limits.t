#!/bin/bash
# cm-report --merge at its limits: a refused header refuses its whole
# partial state, a refused line changes nothing, counts saturate so that
# whatever --partial writes --merge accepts, and histograms refuse a line
# whose count or sum would overflow.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/report
NOW="--now 2026-11-24T12:00:00Z"
M="cm-report -m $NOW -f json"
BIG=1099511627776	# 2^40, the largest count a partial state carries

# jqok FILE EXPR: the jq expression is true of the JSON in FILE.
jqok() {
	jq -e "$2" "$1" > /dev/null || { echo "false: $2"; jq -c "${3:-.}" "$1" | head -c 2000; echo; return 1; }
}

# same_but_bad WANT GOT: the reports are equal but for input.bad_lines.
same_but_bad() {
	jq -S 'del(.input.bad_lines)' "$1" > "$1.cmp" &&
	jq -S 'del(.input.bad_lines)' "$2" > "$2.cmp" && test_cmp "$1.cmp" "$2.cmp"
}

# merge_status STATUS OUT FILE...: --merge FILE... into OUT (errors in
# OUT.err), exiting with STATUS.
merge_status() {
	want=$1 out=$2
	shift 2
	exits_with "$want" $M "$@" > "$out" 2> "$out.err"
}

cm-fetch --end "$DEMO_END" demo:300 > d.ndjson
cm-report -p d.ndjson > day.state
cm-report -p -i hour d.ndjson > hour.state
cm-report -p -b platform d.ndjson > byp.state
cm-report -p "$R/replies.ndjson" > replies.state
$M day.state > day.json
$M byp.state > byp.json
head -n 1 day.state > header
tail -n +2 day.state > body

# 1. A refused header refuses every line up to the next header.
ok "a state made with other options is refused whole (one error for its header, one per line)" eval '
	cat day.state hour.state > mixed.state && merge_status 1 m.json mixed.state &&
	same_but_bad day.json m.json &&
	jqok m.json ".input.bad_lines == $(wc -l < hour.state)" &&
	contains m.json.err "mixed.state:$(($(wc -l < day.state) + 1)): partial states made with different options" &&
	contains m.json.err "in a partial state whose header was refused" &&
	[ "$(grep -c "different options" m.json.err)" -eq 1 ]'
ok "hourly buckets of a refused state are not read as days" eval '
	cat day.state hour.state | $M 2> /dev/null > m.json; lacks m.json "3334-"'
ok "a header without options refuses its state" eval '
	{ cat day.state; echo "{\"cm_report_partial\":4}"; cat body; } > noopt.state &&
	merge_status 1 m.json noopt.state && same_but_bad day.json m.json &&
	contains m.json.err "header without options"'
ok "a header with bad options refuses its state, also as the first" eval '
	{ sed "s/\"interval\":\"day\"/\"interval\":\"year\"/" header; cat body; cat day.state; } > badopt.state &&
	merge_status 1 m.json badopt.state && same_but_bad day.json m.json &&
	contains m.json.err "bad options"'
ok "a header of another version after a state cut short refuses its state" eval '
	head -n 5 day.state > cut.state && $M cut.state > cut.json 2> /dev/null;
	{ cat cut.state; sed "s/\"cm_report_partial\":4/\"cm_report_partial\":2/" header; cat body; } > v2.state &&
	merge_status 1 m.json v2.state && same_but_bad cut.json m.json &&
	jqok m.json ".input.incomplete_partials == 1" && contains m.json.err "unsupported partial state version"'
ok "the next good header is merged again" eval '
	cat day.state hour.state day.state > dhd.state && merge_status 1 m.json dhd.state &&
	cat day.state day.state | $M > dd.json && same_but_bad dd.json m.json'

# 2. A refused line is not applied in part.
ok "a group line with a bad last count creates no group and adds nothing" eval '
	sed "s/\(\"key\":\"mastodon\",\"st\":\)\[[^]]*\]/\1[7,5,2,2,0,0,5,-2]/" byp.state > st.state &&
	! cmp -s st.state byp.state && merge_status 1 m.json st.state &&
	jq -S "del(.groups[] | select(.key.platform == \"mastodon\"))" byp.json > want.json &&
	same_but_bad want.json m.json'
ok "a group line with a bad first count creates no group" eval '
	sed "s/\(\"key\":\"mastodon\",\"st\":\)\[[0-9]*/\1[-1/" byp.state > st1.state &&
	! cmp -s st1.state byp.state && merge_status 1 m.json st1.state &&
	jqok m.json "all(.groups[]; .key.platform != \"mastodon\") and (.groups | length) == $(($(jq ".groups | length" byp.json) - 1))" &&
	contains m.json.err "in a group whose key line was refused"'
# Each kind of line, its last element made bad, must give the report of
# the state without that line.  Pending replies show only when they pair
# with the open records of another state.
cm-report -p "$R/inbound.ndjson" > inbound.state
for kind in series count followers open pending input; do
	src=byp.state more=
	pat="\"$kind\":"
	case $kind in
	count) pat='"count":"authors"';;
	pending) src=replies.state more=inbound.state;;
	esac
	ok "a $kind line with a bad last element changes nothing" eval '
		n=$(grep -n -m 1 -F -- "$pat" $src | cut -d: -f1) && [ -n "$n" ] &&
		sed "${n}d" $src > del.state && $M del.state $more > want.json &&
		sed -E "${n}s/[0-9]+(\]+\}\$)/-2\1/; ${n}s/\"exact\":true/\"exact\":false/" $src > bad.state &&
		[ "$(cmp bad.state $src | wc -l)" -eq 1 ] &&
		merge_status 1 m.json bad.state $more && same_but_bad want.json m.json &&
		jqok m.json ".input.bad_lines == 1"'
done

# 3. Counts saturate at 2^40: -p writes nothing -m refuses.
rec() {
	printf '{"id":"%s","created_at":"2026-11-24T10:00:00Z","author":{"handle":"h","is_brand":false},%s}\n' "$1" "$2"
}
ok "a metric above 2^40 is written as 2^40 and merged" eval '
	rec a "\"metrics\":{\"likes\":$((BIG + 1))}" | cm-report -p > big.state &&
	merge_status 0 m.json big.state && jqok m.json ".groups[0].authors.by_records[0].engagement == $BIG"'
ok "engagement saturates instead of overflowing (metrics of INT64_MAX)" eval '
	for id in a b c; do rec $id "\"metrics\":{\"likes\":9223372036854775807,\"reposts\":9223372036854775807,\"replies\":9223372036854775807,\"quotes\":9223372036854775807}"; done > max.ndjson &&
	cm-report $NOW -f json max.ndjson > one.json &&
	jqok one.json ".groups[0].authors.by_records[0] | .engagement == $BIG and .records == 3" &&
	cm-report -p max.ndjson > max.state && merge_status 0 m.json max.state &&
	jqok m.json ".groups[0].authors.by_records[0].engagement == $BIG"'
ok "sentiment is clamped to -1..1" eval '
	{ rec a "\"score\":{\"sentiment\":5}"; rec b "\"score\":{\"sentiment\":7}"; } > s.ndjson &&
	cm-report $NOW -f json s.ndjson > s.json && jqok s.json ".groups[0].summary.sentiment_mean == 1" &&
	rec c "\"score\":{\"sentiment\":-1e300}" | cm-report $NOW -f json > n.json &&
	jqok n.json ".groups[0].summary.sentiment_mean == -1"'
ok "merged counts saturate at 2^40, so -mp writes what -m reads" eval '
	sed -E "s/(\"key\":\"\",\"st\":\[)[0-9]+/\1$BIG/; s/(\"count\":\"platform\".*\"e\":\[\[\"unknown\",)[0-9]+,[0-9]+,[0-9]+/\1$BIG,$BIG,$BIG/" day.state > sat.state &&
	! cmp -s sat.state day.state && merge_status 0 m.json sat.state &&
	cat sat.state sat.state sat.state | cm-report -m -p > sat3.state &&
	merge_status 0 m3.json sat3.state &&
	jqok m3.json ".groups[0].summary.records == $BIG"'
ok "input counts saturate too" eval '
	sed -E "s/^\{\"input\":\[[0-9]+/{\"input\":[$BIG/" day.state > in.state &&
	cat in.state in.state | cm-report -m -p | $M > m.json 2> m.err && jqok m.json ".input.records == $BIG"'

# 4. Histograms: a line whose count or sum would overflow is refused.
zeros=$(grep -m1 '"st":' day.state | jq -c '.st | map(0)')
hist_state() {
	cat header
	echo "{\"group\":0,\"key\":\"\",\"st\":$zeros}"
	echo "{\"group\":0,\"hist\":\"cal\",\"n\":$1,\"sum\":$(($1 * $2)),\"min\":$2,\"max\":$2,\"b\":[[$3,$1]]}"
	echo '{"end":true}'
}
ok "a histogram sum past 2^63-1 is refused, not wrapped" eval '
	hist_state 4294967296 1610612736 1632 > h1.state && merge_status 0 m.json h1.state &&
	cat h1.state h1.state h1.state > h3.state && merge_status 1 m.json h3.state &&
	jqok m.json ".input.bad_lines == 2 and (.groups[0].response.first_response_time.calendar | .n == 4294967296 and .mean_s == 1610612736)" &&
	cm-report -m -p h3.state 2> /dev/null > again.state; merge_status 0 m2.json again.state'
ok "a histogram count past 2^40 is refused" eval '
	hist_state $BIG 1000 317 > hn.state && merge_status 0 m.json hn.state &&
	cat hn.state hn.state hn.state > hn3.state && merge_status 1 m.json hn3.state &&
	jqok m.json ".input.bad_lines == 2 and .groups[0].response.first_response_time.calendar.n == $BIG" &&
	cm-report -m -p hn3.state 2> /dev/null > again.state; merge_status 0 m2.json again.state'

# 5. Rejections go through the shared bad-line policy (cm_input_reject)
# with a reason that is the same for the same kind of error, so that a
# stream of them can be reported as one kind: no byte offsets, no
# per-line numbers in the reason.
# reasons ERR: the distinct reasons of ERR's FILE:LINE: messages.
reasons() {
	sed -n 's/^cm-report: [^:]*:[0-9][0-9]*: //p' "$1" | sort -u
}
ok "records given to --merge: one reason for every line" eval '
	merge_status 1 m.json d.ndjson; reasons m.json.err > why && cat why && lines why 1 &&
	contains why "not partial state"'
ok "pretty-printed JSON given to --merge: a few reasons, none with an offset" eval '
	head -n 40 d.ndjson | jq . > pretty.json && [ "$(wc -l < pretty.json)" -gt 1000 ] &&
	merge_status 1 m.json pretty.json; reasons m.json.err > why && cat why &&
	[ "$(wc -l < why)" -le 4 ] && ! grep -q "[0-9]" why'
ok "the lines of a refused group: one reason for all of them" eval '
	sed "s/\(\"key\":\"[a-z]*\",\"st\":\)\[[0-9]*/\1[-1/" byp.state > allbad.state &&
	merge_status 1 m.json allbad.state; reasons m.json.err > why && cat why && lines why 2 &&
	contains why "not valid partial state" && contains why "in a group whose key line was refused"'
ok "--merge rejections are counted and copied like any bad line (--rejects)" eval '
	cm-report -m -f json -r rej.txt pretty.json > m.json 2> /dev/null; [ $? -eq 1 ] &&
	test_cmp pretty.json rej.txt && jqok m.json ".input.bad_lines == $(wc -l < pretty.json)"'

done_testing
