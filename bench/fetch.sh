#!/bin/bash
# bench/fetch.sh [--rows] [BUILD]: cm-fetch over the network, against the
# fake-platform server (tests/servers/fake), which it starts on free ports
# of 127.0.0.1 and stops at the end.  Each measure is taken once (after a
# warm-up run that fills the server's page cache, so that the server's
# own Python time stays out of the figures), and printed as rows of the
# README's benchmark table (--rows: without the table's head, for
# bench/run.sh):
#  1. four Mastodon sources of 20 pages each, the server adding 50 ms to
#     every request: cm-fetch's wall time against the latency-bound
#     minimum (one source's requests in sequence, its sign-in request
#     too), and against cm-fetch -j 1 (the sources one after another);
#  2. user+sys CPU time of cm-fetch and of Mastodon.py (Debian's
#     python3-mastodon, bench/mastodon_py.py) reading the same 10,000
#     mention notifications, no latency added (GNU time: the client's
#     time only, not the server's);
#  3. cm-fetch's peak RSS reading 100 pages against 10.
# Needs GNU time (/usr/bin/time); the Mastodon.py row needs /usr/bin/python3
# with python3-mastodon (apt-get install python3-mastodon).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
head=1
if [ "${1:-}" = --rows ]; then
	head=
	shift
fi
B=$(cd "${1:-$here/../build}" && pwd)
export LC_ALL=C PATH=$B:$PATH
PY=/usr/bin/python3
FAKEDIR=$here/../tests/servers/fake
DELAY_MS=50
work=$(mktemp -d "${TMPDIR:-/tmp}/cm-bench-fetch.XXXXXX")
pid=

stop() {
	if [ -n "$pid" ]; then
		kill "$pid" 2> /dev/null || :
		wait "$pid" 2> /dev/null || :
	fi
	rm -rf "$work"
}
trap stop EXIT

# The server: its page cache on, so that a page asked for again (by the
# measured run after the warm-up, by the other sources) costs it next to
# nothing and the figures are cm-fetch's and the added latency's.
"$PY" "$FAKEDIR/fakeplat.py" --page-cache --port-file "$work/port" \
    --mastodon 1150 2> "$work/server.err" &
pid=$!
i=0
while [ ! -s "$work/port" ]; do
	if ! kill -0 "$pid" 2> /dev/null || [ $i -ge 300 ]; then
		echo "fetch.sh: the fake server did not start:" >&2
		cat "$work/server.err" >&2
		exit 1
	fi
	sleep 0.1
	i=$((i + 1))
done
read -r port _ < "$work/port"
FAKE=http://127.0.0.1:$port
admin() {
	"$PY" "$FAKEDIR/admin.py" "$FAKE" "$@"
}

# Four accounts on the same server, each its own source (its own
# connection, cursor and state), the token from the environment.
export MASTODON_TOKEN=fake-masto-token-9f2c
export CM_CONFIG=$work/config CM_STATE=$work/state.db
for a in m1 m2 m3 m4; do
	printf '[account %s]\nplatform = mastodon\nbase_url = %s/mastodon\nhandle = acme\ntoken = env:MASTODON_TOKEN\n\n' \
	    "$a" "$FAKE"
done > "$CM_CONFIG"
SOURCES="m1:mentions m2:mentions m3:mentions m4:mentions"

# run NAME CMD...: runs CMD once, stdout to $work/NAME.out; sets SECS
# (wall), CPU (user+sys) and RSS_KB (peak).
run() {
	local name=$1 u s
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" > "$work/$name.out"
	read -r SECS u s RSS_KB < "$work/$name.time"
	CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
}

# lines FILE N: FILE has N lines, or the benchmark is void.
lines() {
	local n
	n=$(wc -l < "$1")
	if [ "$n" -ne "$2" ]; then
		echo "fetch.sh: $1: $n lines, not $2" >&2
		exit 1
	fi
}

# ratio A B: A / B, two figures as bench/run.sh writes them.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { r = b > 0 ? a / b : 0; printf (r >= 10 ? "%.0f" : (r >= 1.5 ? "%.1f" : "%.2f")), r }'
}

if [ -n "$head" ]; then
	echo "| task | cm | peer | ratio |"
	echo "|---|---|---|---|"
fi

# ---- 1. four sources x 20 pages, 50 ms a request ----
# 748 mentions: 18 pages of 40, one of 28, and the empty page that ends
# the feed; each source asks verify_credentials first (the brand's id).
echo "fetch.sh: four sources, $DELAY_MS ms a request ..." >&2
run warm cm-fetch $SOURCES
lines "$work/warm.out" $((4 * 748))
admin DELETE log > /dev/null
admin POST fault "{\"path\": \"/mastodon\", \"kind\": \"delay\", \"ms\": $DELAY_MS}" > /dev/null
run par cm-fetch $SOURCES
s_par=$SECS
lines "$work/par.out" $((4 * 748))
admin GET log > "$work/par.log"
pages=$(( $(grep -c '"path": "/mastodon/api/v1/notifications"' "$work/par.log") / 4 ))
signin=$(( $(grep -c '"path": "/mastodon/api/v1/accounts/verify_credentials"' "$work/par.log") / 4 ))
reqs=$((pages + signin))
s_min=$(awk -v n=$reqs -v d=$DELAY_MS 'BEGIN { printf "%.2f", n * d / 1000 }')
run seq cm-fetch -j 1 $SOURCES
s_seq=$SECS
lines "$work/seq.out" $((4 * 748))
# The floor of this server and loopback: curl asking one source's URLs,
# known beforehand, one after another on one connection (the token from
# a file, not argv).
s_curl=
if command -v curl > /dev/null && command -v jq > /dev/null; then
	jq -r --arg o "$FAKE" '$o + .path + (if .query == "" then "" else "?" + .query end)' \
	    "$work/par.log" | awk '!seen[$0]++ { print "-o"; print "/dev/null"; print }' > "$work/urls"
	(umask 077 && printf 'Authorization: Bearer %s\n' "$MASTODON_TOKEN" > "$work/auth")
	mapfile -t urls < "$work/urls"
	run curl curl -sS --fail --compressed -H @"$work/auth" "${urls[@]}"
	s_curl=$SECS
fi
admin DELETE faults > /dev/null
printf '| cm-fetch, 4 Mastodon sources × %d pages, %d ms a request (-j 4) | %.2f s | latency-bound minimum, %d requests × %d ms in sequence: %.2f s | %s× the minimum (target ≤ 1.2×) |\n' \
    "$pages" "$DELAY_MS" "$s_par" "$reqs" "$DELAY_MS" "$s_min" "$(ratio "$s_par" "$s_min")"
if [ -n "$s_curl" ]; then
	printf '| the same, against the server'"'"'s floor: one source'"'"'s %d requests by curl, URLs known beforehand | %.2f s | curl: %.2f s | %s× |\n' \
	    "$reqs" "$s_par" "$s_curl" "$(ratio "$s_par" "$s_curl")"
fi
printf '| the same, against one source after another | %.2f s | cm-fetch -j 1: %.2f s | %s× (target ≥ 3×) |\n' \
    "$s_par" "$s_seq" "$(ratio "$s_seq" "$s_par")"

# ---- 2. CPU: 10,000 mentions, no added latency ----
# 10,171 mentions in the corpus; both clients stop at 10,000 (250 pages
# of 40), each after a warm-up run (the server's cache; the page cache of
# the Python modules).
echo "fetch.sh: 10,000 mentions, cm-fetch and Mastodon.py ..." >&2
admin POST generate '{"mastodon": 15600}' > /dev/null
N=10000
run cm10k-warm cm-fetch --limit $N m1:mentions
run cm10k cm-fetch --limit $N m1:mentions
c_cm=$CPU
lines "$work/cm10k.out" $N
if "$PY" -c 'import mastodon' 2> /dev/null; then
	run py10k-warm "$PY" "$here/mastodon_py.py" "$FAKE/mastodon" $N
	run py10k "$PY" "$here/mastodon_py.py" "$FAKE/mastodon" $N
	c_py=$CPU
	r_py=$RSS_KB
	lines "$work/py10k.out" $N
	# the same records, by id, in the same order
	if ! cmp -s <(cut -d, -f1 "$work/cm10k.out" | tr -d ' ') \
	    <(cut -d, -f1 "$work/py10k.out" | tr -d ' '); then
		echo "fetch.sh: cm-fetch and Mastodon.py wrote different ids" >&2
		exit 1
	fi
	printf '| CPU (user+sys), 10,000 Mastodon mentions, 250 pages, no added latency | %.2f s | Mastodon.py (python3-mastodon) notifications() + fetch_next: %.2f s | %s× (target ≥ 10×; Mastodon.py RSS %d MB) |\n' \
	    "$c_cm" "$c_py" "$(ratio "$c_py" "$c_cm")" $((r_py / 1024))
else
	echo "fetch.sh: $PY has no mastodon module (apt-get install python3-mastodon): no Mastodon.py row" >&2
	printf '| CPU (user+sys), 10,000 Mastodon mentions, 250 pages, no added latency | %.2f s | — | — |\n' "$c_cm"
fi

# ---- 3. peak RSS, 100 pages against 10 ----
run rss10 cm-fetch --limit 400 m1:mentions
r10=$RSS_KB
lines "$work/rss10.out" 400
run rss100 cm-fetch --limit 4000 m1:mentions
r100=$RSS_KB
lines "$work/rss100.out" 4000
printf '| cm-fetch peak RSS, 100 pages (4,000 mentions) against 10 | %.1f MB | 10 pages: %.1f MB | %+.2f MB (target within 2 MB) |\n' \
    "$(awk -v k="$r100" 'BEGIN { print k / 1024 }')" \
    "$(awk -v k="$r10" 'BEGIN { print k / 1024 }')" \
    "$(awk -v a="$r100" -v b="$r10" 'BEGIN { print (a - b) / 1024 }')"
