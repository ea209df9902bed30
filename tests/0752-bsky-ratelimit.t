#!/bin/bash
# cm-fetch against the real PDS with its rate limits on: it reads the
# RateLimit-* headers (an epoch reset), paces itself once the budget is in
# its last tenth, stops with status 75 rather than wait past --max-wait
# when it is spent, and never runs into a 429.
. "$(dirname "$0")/lib.sh"
bsky_start --rate-limits

bsky_call user '{"handle":"acme-co","name":"ACME"}' > /dev/null
bsky_call user '{"handle":"erin","name":"Erin"}' > /dev/null
bsky_call app_password '{"handle":"acme-co"}' | jq -r .password > acme.pw
chmod 600 acme.pw
cat > config <<CFG
[account acme-bsky]
platform = bluesky
base_url = $BSKY_PDS
handle = acme-co.test
app_password = file:acme.pw
CFG
export CM_CONFIG=$SCRATCH/config
bsky_call post '{"handle":"erin","text":"@acme-co.test is the budget fine?"}' > /dev/null
# the paced runs read the brand's own posts: that feed's one post comes on
# a page with a cursor and an empty page after it, two requests (the
# server filters mentions itself and sends them with no cursor, one)
bsky_call post '{"handle":"acme-co","text":"The budget is fine."}' > /dev/null
PDS_PORT=${BSKY_PDS##*:}

# the budget left for 127.0.0.1 now (one request spent to ask)
budget() { bsky_call burn '{"count":1}'; }
# spend it down to N left
spend_to() {
	local left
	left=$(budget | jq -r .remaining) || return 1
	[ "$left" -gt "$1" ] || { echo "only $left left, wanted $1"; return 1; }
	bsky_call burn "{\"count\":$((left - $1))}" > spent.json &&
	jq -e --argjson n "$1" '.remaining == ($n | tostring)' spent.json > /dev/null
}

t1() {
	curl -sS -D h -o /dev/null "$BSKY_PDS/xrpc/com.atproto.server.describeServer" &&
	tr -d '\r' < h | awk -F': ' 'tolower($1) ~ /^ratelimit-/ { print tolower($1) "=" $2 }' | sort > rl &&
	grep -qx 'ratelimit-limit=3000' rl && grep -qx 'ratelimit-policy=3000;w=300' rl &&
	reset=$(sed -n 's/^ratelimit-reset=//p' rl) && now=$(date +%s) &&
	[ "$reset" -gt "$now" ] && [ "$reset" -le $((now + 301)) ]
}
ok "the PDS sends RateLimit-Limit, -Remaining, -Policy and an epoch -Reset" t1

# In the last tenth of the budget, requests are spread over what is left
# of the window: the gap between cm-fetch's requests is at least the
# window's rest over the requests left.
t2() {
	local mark t_prev t_last gap want
	cm-fetch acme-bsky:mentions > /dev/null || return 1	# sign in first
	spend_to 150 || return 1
	mark=$(wc -l < "$BSKY_NETLOG")
	cm-fetch acme-bsky:own > r2.ndjson 2> e2 && lines r2.ndjson 1 || return 1
	tail -n +"$((mark + 1))" "$BSKY_NETLOG" |
	    awk -v p="$PDS_PORT" '$2 == "http" && $3 == p && $5 ~ /getAuthorFeed/ { print $1 }' > times &&
	lines times 2 || return 1
	# the rest of the window over the requests left, less a fifth
	want=$(jq -r '((.reset | tonumber) - now) / (.remaining | tonumber) * 0.8' spent.json)
	gap=$(node -e 'const [a, b] = process.argv.slice(1).map(Date.parse); console.log((b - a) / 1000)' $(cat times))
	echo "gap $gap s, wanted at least $want s"
	awk -v g="$gap" -v w="$want" 'BEGIN { exit !(g >= w && w > 1) }'
}
ok "near the end of the budget it paces itself by the headers" t2

t3() {
	spend_to 1 &&
	exits_with 75 cm-fetch --max-wait 5 acme-bsky:own > r3.ndjson 2> e3 &&
	lines r3.ndjson 1 && contains e3 'acme-bsky:own' && contains e3 'rate limit is spent' &&
	contains e3 'max-wait'
}
ok "with the budget spent it stops with status 75 rather than wait past --max-wait" t3

t4() {
	! awk '$2 == "http" && $6 == 429' "$BSKY_NETLOG" | grep .
}
ok "no request was answered 429" t4

done_testing
