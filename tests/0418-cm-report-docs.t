#!/bin/bash
# cm-report(1) and cm-report's output agree: CSV durations are named _s,
# the definitions in the output are the man page's and say what is
# computed, the sections and JSON members are the documented ones, and
# --section does what the page says in every format.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/report
F="cm-report --now $DEMO_END"
MAN=$SRC_DIR/man/cm-report.1

cm-fetch --end "$DEMO_END" demo:1500 > demo.ndjson
sections=$(cm-report -s nope 2>&1 | head -n 1 | sed 's/.*(\(.*\)).*/\1/; s/, /\n/g')

# durations FILE.html FILE.csv: column by column, a CSV column whose cells
# the HTML table shows as durations ("1h 45m") is named NAME_s, and a
# column named NAME_s holds durations.
durations() {
	python3 - "$1" "$2" <<'PY'
import csv, html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<table><thead><tr>(.*?)</tr></thead><tbody>\n(.*?)</tbody>", page, re.S)
if not m:
    sys.exit(0)             # no rows: nothing to compare
heads = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", m.group(1))]
rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in m.group(2).splitlines()]
table = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
dur = re.compile(r"^[0-9]+[smhd]( [0-9]+[mh])?$")
bad = []
for i, h in enumerate(table[0]):
    cells = [r[i] for r in rows]
    shown = any(dur.match(c) for c in cells) and all(dur.match(c) or c == "-" for c in cells)
    if shown and not h.endswith("_s"):
        bad.append("%s: durations, but not named _s" % h)
    if h.endswith("_s") and not shown:
        bad.append("%s: named _s, but not durations: %s" % (h, cells[:3]))
    if shown and any(r[i] and not re.match(r"^[0-9]+(\.[0-9]+)?$", r[i]) for r in table[1:]):
        bad.append("%s: not seconds in CSV" % h)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

ok "csv: every duration column is named _s, in every section" eval '
	for s in $sections; do
		[ "$s" = definitions ] && continue
		$F -f html -s $s --by platform demo.ndjson > $s.html &&
		$F -f csv -s $s --by platform demo.ndjson > $s.csv &&
		durations $s.html $s.csv || { echo "in $s"; exit 1; }
	done'
ok "csv: the duration columns" eval '
	for s in summary response_times backlog; do $F -f csv -s $s "$R/basic.ndjson" | head -n 1; done | tr -d "\r" > got &&
	printf "%s\n" records,inbound,brand,brand_replies,sentiment_mean,not_scored,response_rate,first_response_median_s,backlog,spam \
		statistic,answered,calendar_s,business_s \
		"unanswered,oldest_s,median_age_s,<1h,1h-4h,4h-24h,1d-3d,3d-7d,>=7d" > want && test_cmp want got'
ok "json: every member named _s is a number of seconds or null" eval '
	$F -f json --by platform demo.ndjson | jq -e "[paths(type != \"object\" and type != \"array\") as \$p | select((\$p[-1] | tostring | endswith(\"_s\"))) | getpath(\$p) as \$v | \$v == null or (\$v | type == \"number\" and . >= 0)] | length > 20 and all" > /dev/null'

$F -f json "$R/basic.ndjson" > b.json
man_defs=$(awk '/^\.Sh DEFINITIONS/ { d = 1; next } /^\.Sh / { d = 0 }
	d && /^\.It / { sub(/^\.It /, ""); gsub(/ , /, "\n"); print }' "$MAN" | sort)
ok "the definitions in the output are those of the man page" eval '
	$F -S 2026-11-20 --compare previous -f json "$R/basic.ndjson" | jq -r ".definitions | keys[]" | sort > got &&
	printf "%s\n" "$man_defs" > want && test_cmp want got &&
	jq -r ".definitions | keys[]" b.json | sort > got && grep -vx comparison want | test_cmp - got'
ok "response_distribution: the definition says what is counted (exact bins, not the histogram)" eval '
	jq -r .definitions.response_distribution b.json > d && cat d &&
	for w in "<15m" "15m-1h" "1h-4h" "4h-24h" "1d-3d" ">=3d" exact "899 s is <15m" "900 s is 15m-1h"; do contains d "$w" || exit 1; done &&
	lacks d midpoint'
ok "response_distribution: 899 and 900 seconds land where the definition says" eval '
	printf "%s\n" "{\"id\":\"a\",\"created_at\":\"2026-11-20T10:00:00Z\",\"author\":{\"is_brand\":false}}" \
		"{\"id\":\"r\",\"in_reply_to\":\"a\",\"created_at\":\"2026-11-20T10:14:59Z\",\"author\":{\"is_brand\":true}}" \
		"{\"id\":\"b\",\"created_at\":\"2026-11-20T11:00:00Z\",\"author\":{\"is_brand\":false}}" \
		"{\"id\":\"s\",\"in_reply_to\":\"b\",\"created_at\":\"2026-11-20T11:15:00Z\",\"author\":{\"is_brand\":true}}" > e.ndjson &&
	$F -f json e.ndjson | jq -e "[.groups[0].response.response_distribution[].calendar] == [1,1,0,0,0,0]" > /dev/null'
ok "the definitions are the same text in every format" eval '
	$F -f csv -s definitions "$R/basic.ndjson" > d.csv &&
	python3 -c "import csv, json, sys
a = dict(list(csv.reader(open(\"d.csv\", newline=\"\")))[1:])
b = json.load(open(\"b.json\"))[\"definitions\"]
sys.exit(a != b)"'

ok "the sections are those of the man page" eval '
	awk "/^\\.Sh SECTIONS/ { s = 1; next } /^\\.Sh / { s = 0 } s && /^\\.It Cm / { gsub(/ , Cm /, \"\\n\"); sub(/^\\.It Cm /, \"\"); print }" "$MAN" > want &&
	printf "%s\n" $sections > got && test_cmp want got'
ok "json: the members the man page names" eval '
	jq -r "keys[]" b.json > top && for k in $(cat top); do grep -q "^\\.Li $k\\( ,\\)\\?\$" "$MAN" || { echo "$k undocumented"; exit 1; }; done &&
	[ "$(jq -r "keys | join(\" \")" b.json)" = "definitions groups input options period report" ] &&
	jq -r ".groups[0] | keys[]" b.json | grep -v "^key\$" > members && for k in $(cat members); do printf "%s\n" $sections | grep -qx "$k" || { echo "$k"; exit 1; }; done'
ok "--section: text and markdown without the heading" eval '
	$F -f text -s summary "$R/basic.ndjson" > t && head -n 1 t | grep -qx Summary &&
	$F -f markdown -s summary "$R/basic.ndjson" > m && head -n 1 m | grep -qx "## Summary"'
ok "--section: html holds only that section" eval '
	for s in $sections; do
		$F -f html -s $s "$R/basic.ndjson" > p.html && lacks p.html "<svg" && lacks p.html "class=\"kpi\"" || exit 1
		if [ $s = definitions ]; then
			[ "$(grep -c "<details" p.html)" -eq 0 ] && contains p.html "<dt>percentiles</dt>" || exit 1
		else
			[ "$(grep -c "<details" p.html)" -eq 1 ] && contains p.html "<details id=\"$s\"" && lacks p.html "<dl>" || exit 1
		fi
	done &&
	$F -f html "$R/basic.ndjson" > full.html && [ "$(grep -c "<details" full.html)" -eq 13 ] && contains full.html "<dl>"'

done_testing
