#!/bin/bash
# bench/run.sh [BUILD]: cm against its peers, each once, on the same input.
# Needs jq, mlr, GNU time (/usr/bin/time), node and npm (for the npm
# "sentiment" package, installed under bench/node_modules on first run).
# Prints a Markdown table of seconds, peak RSS and ratios.  The machine is
# shared and noisy: one run, read the ratios as orders of magnitude.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-$here/../build}" && pwd)
out=$here/out
mkdir -p "$out"
export LC_ALL=C PATH=$B:$PATH
END=2026-11-24T12:00:00Z

# run NAME CMD...: runs CMD once with stdout to /dev/null; sets SECS, RSS_KB.
run() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" > /dev/null
	read -r SECS RSS_KB < "$out/$name.time"
}

# row TASK CM_SECS PEER PEER_SECS [NOTE]: a table row with the speed ratio.
row() {
	printf '| %s | %.2f s | %s: %.2f s | %s× %s|\n' "$1" "$2" "$3" "$4" \
	    "$(awk -v a="$2" -v b="$4" 'BEGIN { r = a > 0 ? b / a : 0; printf (r >= 10 ? "%.0f" : "%.1f"), r }')" "${5:+($5) }"
}

echo "generating input ..." >&2
[ -s "$out/200k.ndjson" ] || cm-fetch --seed 1 --end $END demo:200000 > "$out/200k.ndjson"
[ -s "$out/1m.ndjson" ] || cm-fetch --seed 1 --end $END demo:1000000 > "$out/1m.ndjson"
in200=$out/200k.ndjson
in1m=$out/1m.ndjson
mb=$(( $(stat -c %s "$in200") / 1000000 ))

echo "| task | cm | peer | ratio |"
echo "|---|---|---|---|"

# Spine: validate every line and extract three fields.
run scan "$B/bench/jsonscan" "$in200"; s_cm=$SECS; r_cm=$RSS_KB
run scan-jq jq -c '[.id,.text,.author.followers]' "$in200"; s_jq=$SECS
row "validate + extract id, text, author.followers, 200k records ($mb MB)" \
    "$s_cm" "jq -c '[.id,.text,.author.followers]'" "$s_jq" "cm RSS $((r_cm / 1024)) MB"
run demo cm-fetch --end $END demo:1000000; s_demo=$SECS
printf '| generate 1,000,000 demo records | %.2f s | — | — |\n' "$s_demo"

# cm-score: whole records against jq -c .; then the same texts against the
# npm "sentiment" package: node is handed the bare texts, cm-score records
# that hold only them ({"text":...}), so both do the same texts and cm-score
# still parses JSON in and writes it out.
run score cm-score "$in200"; s_cm=$SECS
run score-j2 cm-score -j2 "$in200"; s_cm2=$SECS
run score-jq jq -c . "$in200"; s_jq=$SECS
row "cm-score, 200k records" "$s_cm" "jq -c ." "$s_jq"
row "cm-score -j2 (two threads), 200k records" "$s_cm2" "jq -c ." "$s_jq"
if command -v npm > /dev/null; then
	[ -d "$here/node_modules/sentiment" ] || (cd "$here" && npm install --silent --no-audit --no-fund sentiment@5 > /dev/null)
	jq -r '.text | gsub("\n"; " ")' "$in200" > "$out/texts.txt"
	jq -c '{text: (.text | gsub("\n"; " "))}' "$in200" > "$out/texts.ndjson"
	run score-only cm-score --only sentiment "$out/texts.ndjson"; s_cm=$SECS
	run score-only-j2 cm-score -j2 --only sentiment "$out/texts.ndjson"; s_cm2=$SECS
	run sentiment-npm node -e '
		const S = require(process.argv[1] + "/node_modules/sentiment"), s = new S();
		const lines = require("fs").readFileSync(process.argv[2], "utf8").split("\n");
		let t = 0; for (const l of lines) t += s.analyze(l).comparative; console.log(t);' "$here" "$out/texts.txt"
	row "sentiment of the same 200k texts" "$s_cm" "npm sentiment (AFINN)" "$SECS" "cm reads and writes JSON records"
	row "the same with cm-score -j2 (two threads)" "$s_cm2" "npm sentiment (AFINN)" "$SECS" "node uses one core"
fi

# cm-filter against jq select, and cm-report against mlr and jq reduce.
run filter cm-filter --platform mastodon "$in1m"; s_cm=$SECS
run filter-jq jq -c 'select(.platform=="mastodon")' "$in1m"; s_jq=$SECS
row "cm-filter --platform mastodon, 1M records" "$s_cm" "jq -c 'select(.platform==\"mastodon\")'" "$s_jq"
run filter-expr cm-filter '.platform=="mastodon"' "$in1m"; s_cm=$SECS
row "cm-filter with the same jq expression, 1M" "$s_cm" "jq" "$s_jq"
run report cm-report --format json "$in1m"; s_cm=$SECS; r_cm=$RSS_KB
run report-mlr mlr --ijson --ojson put -S '$day = substr($created_at,0,9)' then count -g platform,day "$in1m"; s_mlr=$SECS
run report-jq jq -n 'reduce inputs as $r ({}; .[$r.platform + "\t" + $r.created_at[0:10]] += 1)' "$in1m"; s_jq=$SECS
row "cm-report --format json, 1M records" "$s_cm" "mlr count -g platform,day" "$s_mlr" "cm RSS $((r_cm / 1024)) MB"
row "cm-report --format json, 1M records" "$s_cm" "jq -n 'reduce inputs ...'" "$s_jq"

# cm-fetch over the network, against the fake-platform server: its own
# script (it starts and stops the server), its rows in this table.
"$here/fetch.sh" --rows "$B"
