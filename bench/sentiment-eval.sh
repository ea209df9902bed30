#!/bin/bash
# bench/sentiment-eval.sh [-b BUILD] [-m] TSV...: cm-score's sentiment
# against labelled texts.  A TSV line is label (pos, neu, neg), optional
# middle columns, then the text; lines starting with # are comments
# (tests/fixtures/social-set.tsv, tests/fixtures/score-set.tsv).  Prints,
# per file, label accuracy and the share of polar texts (pos or neg) that
# cm-score calls neutral (|sentiment| < 0.05); -m also lists the misses.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=$here/../build
misses=0
while getopts b:m opt; do
	case $opt in
	b) B=$OPTARG ;;
	m) misses=1 ;;
	*) echo "usage: $0 [-b BUILD] [-m] TSV..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-b BUILD] [-m] TSV..." >&2; exit 2; }
[ -x "$B/cm-score" ] || { echo "$0: $B/cm-score: not built" >&2; exit 1; }
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%-28s %5s %9s %7s %16s\n' file texts accuracy polar 'polar->neutral'
for f in "$@"; do
	grep -v '^#' "$f" | grep -v '^$' > "$tmp/set"
	cut -f1 "$tmp/set" > "$tmp/labels"
	# the text is the last column
	awk -F'\t' '{ print $NF }' "$tmp/set" |
	    jq -R -c '{text: .}' > "$tmp/in.ndjson"
	"$B/cm-score" --only sentiment "$tmp/in.ndjson" |
	    jq -r '.score.sentiment' > "$tmp/scores"
	awk -F'\t' '{ print $NF }' "$tmp/set" > "$tmp/texts"
	paste "$tmp/labels" "$tmp/scores" "$tmp/texts" |
	awk -F'\t' -v name="$(basename "$f")" -v misses=$misses '
	{
		want = $1; s = $2 + 0
		got = s >= 0.05 ? "pos" : s <= -0.05 ? "neg" : "neu"
		n++
		if (got == want) ok++
		else if (misses) printf "  miss: %s scored %+.4f (%s): %s\n", want, s, got, $3
		if (want != "neu") {
			polar++
			if (got == "neu") pneu++
		}
	}
	END {
		printf "%-28s %5d %8.1f%% %7d %9d = %5.1f%%\n", name, n,
		    n ? 100 * ok / n : 0, polar, pneu,
		    polar ? 100 * pneu / polar : 0
	}'
done
