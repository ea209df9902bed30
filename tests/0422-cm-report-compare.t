#!/bin/bash
# cm-report --compare: each summary figure beside the same figure of the
# previous period (or the period DURATION earlier) and the change, in
# every format; the previous period's figures are those of a report of
# that period alone; partial states carry it and merge to the same;
# without --compare nothing changes.
. "$(dirname "$0")/lib.sh"

cm-fetch --end $DEMO_END --since 2026-11-10T12:00:00Z demo:4000 | cm-score > d
W="--now $DEMO_END -S 2026-11-17T12:00:00Z -U $DEMO_END"
PREV="--now $DEMO_END -S 2026-11-10T12:00:00Z -U 2026-11-17T12:00:00Z"

# same_figs CMP.json PLAIN.json FIELD: every summary figure of every group
# of the plain report is FIELD (value or previous) of that group's
# figure in the comparison, and there is at least one.
same_figs() {
	jq -e -n --slurpfile a "$1" --slurpfile b "$2" --arg f "$3" '
	    [$b[0].groups[] as $g
	     | ([$a[0].comparison.groups[] | select(.key == $g.key)] | first) as $c
	     | $g.summary | to_entries[] | $c.figures[.key][$f] == .value]
	    | length > 0 and all' > /dev/null ||
	    { echo "$3 of $1 is not the summary of $2"; return 1; }
}

ok "previous: the period of the same length just before --since" eval '
	cm-report $W -b platform --compare previous -f json d > c.json &&
	[ "$(jq -r .comparison.since c.json)" = 2026-11-10T12:00:00Z ] &&
	[ "$(jq -r .comparison.until c.json)" = 2026-11-17T12:00:00Z ] &&
	jq -e ".comparison.records > 0 and (.comparison.groups | length) > 1" c.json > /dev/null'
ok "... its figures are those of a report of that period alone" eval '
	cm-report $PREV -b platform -f json d > p.json && same_figs c.json p.json previous'
ok "... and the current ones those of the report without --compare" eval '
	cm-report $W -b platform -f json d > w.json && same_figs c.json w.json value'
ok "the change is value - previous; relative for counts and durations only" eval '
	jq -e "[.comparison.groups[].figures | to_entries[] | .key as \$k | .value
	    | select(.value != null and .previous != null)
	    | ((.change - (.value - .previous)) | fabs) < 1e-9 and
	      (if (\$k | test(\"rate|sentiment\")) or .previous == 0 then .change_pct == null
	       else ((.change_pct - 100 * .change / .previous) | fabs) <= 0.0500001 end)]
	    | length > 20 and all" c.json > /dev/null'
ok "a figure without a value in a period has no change" eval '
	jq -e "[.comparison.groups[].figures[] | select(.value == null or .previous == null)
	    | .change == null and .change_pct == null] | all" c.json > /dev/null'
ok "DURATION: the period that much earlier" eval '
	cm-report --now $DEMO_END -S 2026-11-20 -U 2026-11-24 --compare 7d -f json d > c7.json &&
	[ "$(jq -r .comparison.since c7.json)" = 2026-11-13T00:00:00Z ] &&
	[ "$(jq -r .comparison.until c7.json)" = 2026-11-17T00:00:00Z ] &&
	cm-report --now $DEMO_END -S 2026-11-13 -U 2026-11-17 -f json d > p7.json &&
	same_figs c7.json p7.json previous'
ok "... also when the periods overlap: a record counts in both" eval '
	cm-report --now $DEMO_END -S 2026-11-20 -U 2026-11-24 --compare 1d -b platform -f json d > c1.json &&
	cm-report --now $DEMO_END -S 2026-11-19 -U 2026-11-23 -b platform -f json d > p1.json &&
	same_figs c1.json p1.json previous &&
	cm-report --now $DEMO_END -S 2026-11-20 -U 2026-11-24 -b platform -f json d > w1.json &&
	same_figs c1.json w1.json value'
ok "without --until the period ends at --now" eval '
	cm-report --now $DEMO_END -S 2026-11-21T12:00:00Z --compare previous -f json d > o &&
	[ "$(jq -r .comparison.since o)" = 2026-11-18T12:00:00Z ] &&
	[ "$(jq -r .comparison.until o)" = 2026-11-21T12:00:00Z ]'
ok "a group only in the previous period is compared too" eval '
	jq -c "select(.platform != \"rss\" or .created_at < \"2026-11-17T12:00:00Z\")" d > norss &&
	cm-report $W -b platform --compare previous -f json norss > o &&
	jq -e "[.groups[].key.platform] | index(\"rss\") == null" o > /dev/null &&
	jq -e ".comparison.groups[] | select(.key.platform == \"rss\") | .figures.records
	    | .value == 0 and .previous > 0 and .change_pct == -100" o > /dev/null &&
	jq -e ".comparison.groups[] | select(.key.platform == \"rss\") | .figures.sentiment_mean.value == null" o > /dev/null'

ok "--compare without --since is a usage error, nothing read" eval '
	exits_with 2 cm-report --compare previous nosuch > o 2> err && lines o 0 &&
	contains err "cm-report: --compare: give the period to compare with --since"'
ok "--compare with a word that is no duration is a usage error" eval '
	exits_with 2 cm-report -S 7d --compare last d > o 2> err && lines o 0 &&
	contains err "'\''last'\'' is neither previous nor a duration" &&
	exits_with 2 cm-report -S 7d --compare 0 d > o 2> err'
ok "--compare with --merge is a usage error (the partial states say it)" eval '
	exits_with 2 cm-report -m --compare previous nosuch > o 2> err && lines o 0 &&
	contains err "--compare: with --merge"'

ok "text: a comparison table after the summary, with previous and change" eval '
	cm-report $W --compare previous -f text d > c.txt &&
	contains c.txt "Compared with the previous period (2026-11-10T12:00:00Z to 2026-11-17T12:00:00Z)" &&
	grep -Eq "^  figure +unit +current +previous +change +change_pct$" c.txt &&
	cm-report $W --compare previous -f json d > c0.json &&
	r=$(jq -r ".comparison.groups[0].figures.records | \"\(.value) \(.previous)\"" c0.json) &&
	grep -Eq "^  records +count +${r% *} +${r#* } +[-+][0-9]+ +[-+][0-9.]+%$" c.txt &&
	grep -Eq "^  response_rate +rate +[0-9.]+% +[0-9.]+% +([-+][0-9.]+|0\.0) pp +-$" c.txt &&
	grep -Eq "^  first_response_median +duration +[0-9hmds ]+ +[0-9hmds ]+ +[-+][0-9hmds ]+ " c.txt'
ok "... and the rest of the report is the report without --compare, but a definition" eval '
	cm-report $W -f text d > w.txt &&
	grep -Eq "^  comparison +the summary figures of the records created from 2026-11-10T12:00:00Z to before 2026-11-17T12:00:00Z" c.txt &&
	sed "/^Compared with the previous period/,/^\$/d; /^  comparison  /d" c.txt | test_cmp w.txt -'
ok "JSON: the report without --compare plus one comparison object" eval '
	jq -S "del(.comparison, .definitions.comparison)" c0.json > a && cm-report $W -f json d | jq -S . > b && test_cmp b a'
ok "CSV: the comparison table with raw numbers" eval '
	cm-report $W --compare previous -f csv -s summary d | tr -d "\r" > c.csv &&
	grep -qx "figure,unit,current,previous,change,change_pct" c.csv &&
	r=$(jq -r ".comparison.groups[0].figures.records | \"records,count,\(.value),\(.previous),\(.change),\(.change_pct)\"" c0.json) &&
	grep -qx "$r" c.csv &&
	grep -Eqx "response_rate,rate,0\.[0-9]{4},0\.[0-9]{4},-?[0-9]\.[0-9]{4}," c.csv'
ok "Markdown: the comparison table" eval '
	cm-report $W --compare previous -f markdown d > c.md &&
	contains c.md "## Compared with the previous period (2026-11-10T12:00:00Z to 2026-11-17T12:00:00Z)" &&
	contains c.md "| figure | unit | current | previous | change | change_pct |" &&
	contains c.md "|---|---|---:|---:|---:|---:|"'
ok "HTML: each card says the change with an arrow, coloured by better or worse" eval '
	cm-report $W --compare previous -f html d > c.html &&
	[ "$(grep -o "<small class=\"chg " c.html | wc -l)" -eq 9 ] &&
	contains c.html "compared with 2026-11-10T12:00:00Z to 2026-11-17T12:00:00Z" &&
	ch=$(jq ".comparison.groups[0].figures.response_rate.change" c0.json) &&
	if [ "$(echo "$ch < 0" | bc)" = 1 ]; then
		contains c.html "<small class=\"chg bad\"><span aria-hidden=\"true\">▼ </span><span class=\"alt\">down (worse) </span>"
	else
		contains c.html "<span class=\"alt\">up (better) </span>"
	fi &&
	grep -o "<b>[^<]*</b><span>records</span><small class=\"chg [a-z]*\">" c.html | grep -q "chg same" &&
	contains c.html "<details id=\"comparison\" open>"'
ok "... and every tag of it closes" eval '
	sed -n "/<div class=\"kpis\">/p" c.html | head -n 1 > k &&
	[ "$(grep -o "<small" k | wc -l)" = "$(grep -o "</small>" k | wc -l)" ] &&
	[ "$(grep -o "<span" k | wc -l)" = "$(grep -o "</span>" k | wc -l)" ]'

ok "merging partial states of split input is the single run" eval '
	C="$W -b platform --compare previous" &&
	head -n 1500 d | cm-report $C -p > s1 && tail -n +1501 d | cm-report $C -p > s2 &&
	contains s1 "{\"previous\":true}" &&
	for f in json text csv html; do
		cm-report $C -f $f d > one.$f && cm-report --now $DEMO_END -m -f $f s1 s2 > two.$f &&
		test_cmp one.$f two.$f || exit 1
	done &&
	cm-report -m -p s1 s2 | cm-report --now $DEMO_END -m -f json | test_cmp one.json -'
ok "a state of another --compare period, or none, is refused" eval '
	cm-report $W -b platform -p d > s3 && cm-report $W -b platform --compare 2w -p d > s4 &&
	cm-report --now $DEMO_END -m -f json s1 s3 s4 > o 2> err; [ $? -eq 1 ] &&
	[ "$(grep -c "different --compare" err)" -eq 2 ] &&
	cm-report --now $DEMO_END -m -f json s1 > o1 && jq -e ".input.bad_lines > 0" o > /dev/null &&
	jq -e ".comparison.groups == (input | .comparison.groups)" o o1 > /dev/null'
ok "a previous-period line in a state made without --compare is refused" eval '
	{ head -n 1 s3; echo "{\"previous\":true}"; tail -n +2 s3; } > s5 &&
	cm-report -m -f json s5 > o 2> err; [ $? -eq 1 ] && contains err "s5:2: not valid partial state"'

ok "a second previous-period line in a state is refused" eval '
	{ head -n 1 s1; echo "{\"previous\":true}"; tail -n +2 s1; } > s6 &&
	cm-report --now $DEMO_END -m -f json s6 > o 2> err; [ $? -eq 1 ] &&
	contains err "s6:$(( $(grep -n "^{\"previous\":true}" s1 | cut -d: -f1) + 1 )): not valid partial state"'
ok "HTML: a card whose figure had no value before says so" eval '
	jq -c "select(.created_at >= \"2026-11-17T12:00:00Z\" or .author.is_brand != true)" d > nobrand &&
	cm-report $W --compare previous -f html nobrand > o.html &&
	contains o.html "<span>median first response</span><small class=\"chg same\">previous: -</small>"'

ok "without --compare: the summary figures and partial state as before" eval '
	cm-report $W -f json d > o && jq -e "has(\"comparison\") | not" o > /dev/null &&
	[ "$(jq -c ".groups[0].summary | keys_unsorted" o)" = "[\"records\",\"inbound\",\"brand\",\"brand_replies\",\"scored\",\"sentiment_mean\",\"not_scored\",\"response_rate\",\"first_response_median_s\",\"backlog\",\"spam\"]" ] &&
	grep -qx "  records inbound brand brand_replies sentiment_mean not_scored response_rate first_response_median backlog spam" w.txt &&
	cm-report $W -f html d > o.html && lacks o.html "chg" && lacks o.html "compared with" &&
	cm-report $W -p d > o.p && lacks o.p "previous" && lacks o.p "compare"'

done_testing
