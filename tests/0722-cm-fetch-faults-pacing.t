#!/bin/bash
# cm-fetch against the fake server: pacing within an advertised budget
# (no 429), a dead source among live ones, and waits longer than
# --max-wait (status 75, the cursor kept, the wait said).
. "$(dirname "$0")/lib.sh"

fake_start --reddit 800 ||
	{ echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db BAD=not-the-token-4711
# A port nothing listens on: one the kernel gave and took back.
DEAD=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fake_account mastodon m && fake_account reddit r &&
	fake_account mastodon dead "http://127.0.0.1:$DEAD"
cat >> config <<EOF2

[account bad]
platform = mastodon
base_url = $FAKE/mastodon
handle = acme
token = env:BAD
EOF2
export CM_CONFIG=$SCRATCH/config
F="timeout 60 cm-fetch --timeout 5"
NOTIF=/mastodon/api/v1/notifications
fake_expect mastodon mentions | jq -r .id | sort > want.m
fake_expect mastodon search refund | jq -r .id | sort > want.s
fake_expect mastodon own | jq -r .id | sort > want.o
fake_expect reddit mentions | jq -r .id | sort > want.rm
fake_expect reddit replies | jq -r .id | sort > want.rr
fake_expect reddit search refund | jq -r .id | sort > want.rs

# has OUT WANT FEED: the ids of OUT's records of FEED are WANT's, once.
has() {
	jq -r --arg f "$3" 'select(.source.feed == $f) | .id' "$1" | sort > "$1.$3.ids" &&
	[ -s "$2" ] && test_cmp "$2" "$1.$3.ids"
}
# no429: the server answered no request 429 in budget mode.
no429() {
	fake_admin GET stats > st && jq -e ".overspent == 0" st > /dev/null || {
		echo "overspent: $(jq .overspent st)"; fake_log | grep overspent | head -n 5
		cat e; return 1; }
}
budget() {
	fake_admin POST budget "{\"platform\":\"$1\",\"limit\":$2,\"window\":$3}" > /dev/null
}

# --- pacing -----------------------------------------------------------
# Three sources of one account at once share its budget: 6 requests in
# 2 s, 8 pages and a verify_credentials a source.
ok "Mastodon: three sources paced in a budget of 6 requests in 2 s: no 429" eval '
	fake_admin POST reset > /dev/null && budget mastodon 6 2 &&
	$F -j 4 m:mentions m:search:refund m:own > p 2> e &&
	has p want.m mentions && has p want.s search:refund && has p want.o own &&
	no429 && [ "$(jq .requests st)" -gt 12 ]'
ok "... the budget was used: the requests spread over more than one window" eval '
	fake_log | jq -s -e "(.[-1].time - .[0].time) > 2" > /dev/null'
# Reddit's four parts fetch their tokens at once, and the answers to
# them are read in any order: one read last may say 3 left when the
# server has counted all four.  Believed, it sent a request past the
# budget in about 1 run in 10 on a loaded machine (seen in CI, and
# under valgrind); the lowest count said in a window now stands.
ok "Reddit: mentions, replies (two lists) and search in a budget of 4 in 2 s: no 429" eval '
	fake_admin POST reset > /dev/null && budget reddit 4 2 &&
	$F -j 4 r:mentions r:replies r:search:refund > rp 2> e &&
	has rp want.rm mentions && has rp want.rr replies && has rp want.rs search:refund &&
	no429 && fake_log | jq -s -e "(.[-1].time - .[0].time) > 2" > /dev/null'
# own is one page and the empty one after it: three requests with
# verify_credentials; a budget of 2 in 4 s leaves one after the first,
# and the next waits for the window's end.
ok "a paced wait over 2 s is said, with its reason and length" eval '
	fake_admin POST reset > /dev/null && budget mastodon 2 4 &&
	$F m:own > p3 2> e && has p3 want.o own && no429 &&
	grep -E "^cm-fetch: m:own: the rate limit is (nearly )?spent \([0-9]+ left of 2\)(: pacing)?: waiting [3-5] s$" e'
ok "a budget that would make the next request wait past --max-wait: 75, said, then --new goes on" eval '
	fake_admin POST reset > /dev/null && rm -f state.db && budget mastodon 4 30 &&
	exits_with 75 $F --new --max-wait 5 m:mentions > p4 2> e && no429 &&
	grep -E "^cm-fetch: m:mentions: the rate limit is (nearly )?spent \([0-9]+ left of 4\)(: pacing)?: the next request could go in [0-9]+ s, more than --max-wait \(5 s\): stopped here; the next run with --new goes on from here$" e &&
	lines p4 40 && budget mastodon null 1 && $F --new m:mentions >> p4 && has p4 want.m mentions'

# --- a dead source ----------------------------------------------------
# Retried, as a connection refused may pass, until the waits grow past
# --max-wait: 75; the other sources are fetched all the same.
ok "a source at a closed port: 75, the others complete" eval '
	fake_admin POST reset > /dev/null &&
	exits_with 75 $F --max-wait 3 dead:mentions m:mentions m:search:refund > d 2> e &&
	has d want.m mentions && has d want.s search:refund &&
	contains e "dead:mentions" && lacks e "m:mentions" && lacks e "m:search"'
ok "a source answered 500 every time: 75, the others complete" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"/mastodon/api/v2/search\",\"count\":-1,\"kind\":\"status\",\"status\":500}" &&
	exits_with 75 $F --max-wait 3 m:search:refund m:mentions m:own > d2 2> e &&
	has d2 want.m mentions && has d2 want.o own &&
	grep -E "^cm-fetch: m:search:refund: the server answered 500: the next request could go in [4-5] s, more than --max-wait \(3 s\): stopped here" e &&
	lacks e "m:mentions" && lacks e "m:own"'
ok "a source refused (a wrong token): 1, the others complete" eval '
	fake_admin POST reset > /dev/null &&
	exits_with 1 $F bad:mentions m:mentions m:own > d3 2> e &&
	has d3 want.m mentions && has d3 want.o own && contains e "bad:mentions"'
ok "one refused and one dead: 75 wins, the rest complete" eval '
	fake_admin POST reset > /dev/null &&
	exits_with 75 $F --max-wait 3 bad:mentions dead:own m:mentions > d4 2> e &&
	has d4 want.m mentions'
ok "with -j 1 too: the dead source first, then the others" eval '
	fake_admin POST reset > /dev/null &&
	exits_with 75 $F -j 1 --max-wait 3 dead:mentions m:own > d5 2> e &&
	has d5 want.o own'

# --- waits longer than --max-wait -------------------------------------
# $F is under timeout 60: a run that waited the 120 s would end 124, not 75.
ok "Retry-After past --max-wait: 75 without waiting, the wait said with its reason" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"status\",\"status\":429,\"retry_after\":\"120\"}" &&
	exits_with 75 $F --new --max-wait 30 m:mentions > w 2> e &&
	lines w 80 && lines e 1 &&
	contains e "cm-fetch: m:mentions: the server answered 429 (too many requests): the next request could go in 120 s, more than --max-wait (30 s): stopped here; the next run with --new goes on from here"'
ok "... the next --new run goes on from the third page: every mention once" eval '
	fake_admin DELETE log > /dev/null &&
	$F --new m:mentions >> w 2> e && has w want.m mentions && lines e 0 &&
	fake_log | jq -r "select(.path == \"$NOTIF\") | .query" | head -n 1 | grep -q max_id='
ok "a Retry-After of an HTTP date past --max-wait: the same" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	d=$(LC_ALL=C date -u -d "+300 seconds" "+%a, %d %b %Y %H:%M:%S GMT") &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":1,\"kind\":\"status\",\"status\":503,\"retry_after\":\"$d\"}" &&
	exits_with 75 $F --new --max-wait 60 m:mentions > w2 2> e && lines w2 40 &&
	contains e "m:mentions: the server answered 503: the next request could go in" &&
	$F --new m:mentions >> w2 && has w2 want.m mentions'
ok "a Retry-After of 3 s is waited and said: reason, length, try" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"status\",\"status\":429,\"retry_after\":\"3\"}" &&
	$F m:mentions > w3 2> e && has w3 want.m mentions && lines e 1 &&
	contains e "cm-fetch: m:mentions: the server answered 429 (too many requests): retrying in 3 s (try 2 of 6)"'
ok "a wait of a second is not said" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"status\",\"status\":429,\"retry_after\":\"1\"}" &&
	$F m:mentions > w4 2> e && has w4 want.m mentions && lines e 0'
# The server's own window is 300 s: a 429 that says no Retry-After is
# waited out to the reset its budget headers say, too long here.
ok "a 429 without Retry-After waits for the budget's reset: past --max-wait, 75" eval '
	fake_admin POST reset > /dev/null && rm -f state.db &&
	fake_fault "{\"path\":\"$NOTIF\",\"skip\":2,\"kind\":\"status\",\"status\":429}" &&
	exits_with 75 $F --new --max-wait 60 m:mentions > w5 2> e && lines w5 80 &&
	grep -E "^cm-fetch: m:mentions: the server answered 429 \(too many requests\): the next request could go in (2[0-9][0-9]|300) s, more than --max-wait \(60 s\)" e &&
	$F --new m:mentions >> w5 && has w5 want.m mentions'
done_testing
