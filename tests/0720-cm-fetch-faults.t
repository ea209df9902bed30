#!/bin/bash
# cm-fetch against the fake server's faults (tests/servers/fake), each
# injected mid-paging: every record arrives exactly once, or the run
# fails cleanly with the status cm-fetch(1) says and the next --new run
# completes it.
. "$(dirname "$0")/lib.sh"

# --reddit 800: Reddit's mentions then fill more than one page of 100.
fake_start --reddit 800 ||
	{ echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db
fake_account mastodon m && fake_account reddit r
export CM_CONFIG=$SCRATCH/config
# Each run is bounded: a client that loops or waits for ever fails here.
F="timeout 60 cm-fetch --timeout 2"
NOTIF=/mastodon/api/v1/notifications
fake_expect mastodon mentions | jq -S -c . > want.m
fake_expect reddit mentions | jq -S -c . > want.r

# same OUT WANT: OUT's records are WANT's, in its order, field by field
# (but for source.fetched_at and source.account, which the server cannot
# know); lib.sh's records_match shows a difference better, and is slower.
same() {
	jq -S -c 'del(.source.fetched_at, .source.account)' "$1" > "$1.cmp" &&
	[ -s "$2" ] && test_cmp "$2" "$1.cmp"
}

# fault NAME JSON: the fault (its "path" and "skip" added: the third
# page of Mastodon's mentions, after two went well), then a plain run
# and a --new run from an empty store: both write every mention once.
fault() {
	local name=$1 json=$2
	ok "$name mid-paging: every record once, status 0" eval '
		fake_admin POST reset > /dev/null &&
		fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,$json}" &&
		$F m:mentions > out.$name 2> err.$name &&
		same out.$name want.m &&
		[ "$(fake_log | jq -s "map(select(.path == \"$NOTIF\")) | length")" -eq 7 ]'
	ok "$name mid-paging with --new: every record once, status 0" eval '
		rm -f state.db &&
		fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,$json}" &&
		$F --new m:mentions > new.$name 2> err.$name &&
		same new.$name want.m &&
		$F --new m:mentions > again.$name && lines again.$name 0'
}
fault 429 '"kind":"status","status":429,"retry_after":"1"'
fault 500 '"kind":"status","status":500'
fault 502 '"kind":"status","status":502'
fault 503 '"kind":"status","status":503'
fault reset '"kind":"reset"'
fault stall '"kind":"stall","seconds":4'
fault truncate '"kind":"truncate"'
fault badjson '"kind":"badjson"'
fault html '"kind":"html","status":502'
fault html200 '"kind":"html200"'
ok "a stall is given up after --timeout and retried" eval '
	lacks err.stall "gave up" && lines out.stall 193'

ok "a 429's Retry-After is waited: the retry comes a second later" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"status\",\"status\":429,\"retry_after\":\"1\"}" &&
	$F m:mentions > /dev/null && fake_log |
	jq -e -s "map(select(.path == \"$NOTIF\")) | .[3].time - .[2].time >= 1" > /dev/null'

# Mastodon's tokens do not expire: a 401 is a token that is wrong now.
ok "Mastodon's 401 mid-paging: status 1, said, the token not shown" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"expired\"}" &&
	exits_with 1 $F m:mentions > x 2> e && lines x 80 &&
	contains e "m:mentions" && contains e "refused the access token" &&
	contains e "401" && lacks e "$MT"'
ok "Mastodon's 401 with --new: status 1, and the next --new run completes it" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"expired\"}" &&
	exits_with 1 $F --new m:mentions > x 2> e && lines x 80 &&
	$F --new m:mentions >> x && same x want.m'

ok "Reddit: two pages of mentions" eval '
	fake_admin POST reset > /dev/null && $F r:mentions > rr && same rr want.r &&
	[ "$(fake_log | grep -c /reddit/message/mentions)" -eq 2 ]'
ok "Reddit's token expires mid-paging: a new one, every record once" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"/reddit/message/mentions\",\"skip\":1,\"kind\":\"expired\"}" &&
	$F r:mentions > re 2> e && same re want.r &&
	[ "$(fake_log | grep -c /reddit/api/v1/access_token)" -eq 2 ] && lacks e "$RP"'
ok "Reddit: 503 then a reset mid-paging, with --new: every record once" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"/reddit/message/mentions\",\"skip\":1,\"kind\":\"status\",\"status\":503}" &&
	fake_fault "{\"path\":\"/reddit/message/mentions\",\"skip\":1,\"kind\":\"reset\"}" &&
	$F --new r:mentions > rn && same rn want.r'

ok "a redirect to another origin mid-paging: every record, no Authorization there" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"redirect\"}" &&
	$F m:mentions > rd && same rd want.m && fake_log > lg &&
	[ "$(jq -s "map(select(.port == \"other\")) | length" lg)" -eq 1 ] &&
	jq -e -s "all(.[] | select(.port == \"other\"); .auth == false)" lg > /dev/null &&
	jq -e -s "all(.[] | select(.port == \"main\"); .auth == true)" lg > /dev/null'
ok "a redirect on this origin keeps the token" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"redirect\",\"other\":false}" &&
	$F m:mentions > rd2 && same rd2 want.m &&
	fake_log | jq -e -s "all(.[]; .port == \"main\" and .auth)" > /dev/null'

# A fault that stays: the retries' waits grow past --max-wait, and the
# source stops with 75 where it was; the next run goes on from there.
ok "503 for every request from the third page: status 75, then --new completes" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"count\":-1,\"kind\":\"status\",\"status\":503}" &&
	exits_with 75 $F --new --max-wait 3 m:mentions > p 2> e && lines p 80 &&
	contains e "m:mentions: the server answered 503" && contains e "more than --max-wait (3 s)" &&
	fake_admin DELETE faults > /dev/null &&
	$F --new m:mentions >> p && same p want.m'
ok "the same with a reset every time" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"count\":-1,\"kind\":\"reset\"}" &&
	exits_with 75 $F --new --max-wait 3 m:mentions > p2 2> e && lines p2 80 &&
	fake_admin DELETE faults > /dev/null &&
	$F --new m:mentions >> p2 && same p2 want.m'
done_testing
