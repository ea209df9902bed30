#!/bin/bash
# cm-fetch's Bluesky session against the real PDS: signed in once with
# the app password and kept in the state store; an expired access token
# (the PDS answers 400 ExpiredToken, not 401) is refreshed; a refresh
# token that is gone too means signing in again; no token or password in
# any output.
. "$(dirname "$0")/lib.sh"
bsky_start

bsky_call user '{"handle":"acme-co","name":"ACME"}' > brand.json
bsky_call user '{"handle":"dave","name":"Dave"}' > /dev/null
bsky_call app_password '{"handle":"acme-co"}' | jq -r .password > acme.pw
cp acme.pw good.pw
chmod 600 acme.pw good.pw
cat > config <<CFG
[account acme-bsky]
platform = bluesky
base_url = $BSKY_PDS
handle = acme-co.test
app_password = file:acme.pw
CFG
export CM_CONFIG=$SCRATCH/config
DB=$XDG_STATE_HOME/cm/state.db
bsky_call post '{"handle":"dave","text":"hi @acme-co.test 👋"}' > p.json
PDS_PORT=${BSKY_PDS##*:}

# The PDS's requests since the mark, as "METHOD NAME STATUS" lines.
mark() { wc -l < "$BSKY_NETLOG" > mark; }
calls() {
	tail -n +"$(($(cat mark) + 1))" "$BSKY_NETLOG" |
	    awk -v p="$PDS_PORT" '$2 == "http" && $3 == p { sub(".*/xrpc/", "", $5); print $4, $5, $6 }'
}
session() { sqlite3 "$DB" "SELECT data FROM sessions WHERE account = 'acme-bsky'"; }
# nothing secret in a file: the app password, and every token the store
# held before or holds now
no_secret() {
	local s f
	for f in "$@"; do
		for s in "$(cat good.pw)" $(cat tokens 2> /dev/null); do
			! grep -qF -- "$s" "$f" || { echo "a secret in $f"; return 1; }
		done
	done
}
keep_tokens() { session | jq -r '.access, .refresh' >> tokens; }

t1() {
	mark
	cm-fetch acme-bsky:mentions > r1.ndjson 2> e1 && lines r1.ndjson 1 &&
	calls > c1 && printf 'POST com.atproto.server.createSession 200\nGET app.bsky.notification.listNotifications 200\n' > c1.want &&
	head -n 2 c1 > c1.head && test_cmp c1.want c1.head &&
	session > s1 && jq -e '(.did | startswith("did:plc:")) and (.access | length > 20) and (.refresh | length > 20)' s1 > /dev/null &&
	keep_tokens && no_secret r1.ndjson e1
}
ok "the first run signs in with the app password and keeps the session in the store" t1

t2() {
	mark
	cm-fetch acme-bsky:mentions > r2.ndjson 2> e2 && lines r2.ndjson 1 &&
	! calls | grep -q 'createSession\|refreshSession' && test_cmp s1 <(session)
}
ok "the next run uses the stored session: no new sign-in" t2

# An access token that expired, signed by the PDS's key, in the store.
bsky_call expired_token '{"handle":"acme-co"}' | jq -r .token > expired
set_access() { sqlite3 "$DB" "UPDATE sessions SET data = json_set(data, '\$.access', '$1') WHERE account = 'acme-bsky'"; }

t3() {
	curl -sS -H "Authorization: Bearer $(cat expired)" \
	    "$BSKY_PDS/xrpc/app.bsky.notification.listNotifications" -o x.json -w '%{http_code}\n' > x.status &&
	echo 400 | test_cmp - x.status && jq -e '.error == "ExpiredToken"' x.json > /dev/null
}
ok "the PDS answers an expired access token with 400 ExpiredToken" t3

t4() {
	set_access "$(cat expired)" && echo "$(cat expired)" >> tokens &&
	# a wrong app password: only the refresh token can get a new session
	echo wrong-password > acme.pw &&
	mark &&
	cm-fetch acme-bsky:mentions > r4.ndjson 2> e4 && test_cmp r1.ndjson.ids <(jq -r .id r4.ndjson) &&
	calls > c4 &&
	printf 'GET app.bsky.notification.listNotifications 400\nPOST com.atproto.server.refreshSession 200\nGET app.bsky.notification.listNotifications 200\n' > c4.want &&
	head -n 3 c4 > c4.head && test_cmp c4.want c4.head && ! grep -q createSession c4 &&
	session > s4 && jq -e --arg old "$(cat expired)" --slurpfile s1 s1 \
	    '.access != $old and .refresh != $s1[0].refresh and .did == $s1[0].did' s4 > /dev/null &&
	keep_tokens && no_secret r4.ndjson e4
}
jq -r .id r1.ndjson > r1.ndjson.ids
ok "an expired access token is refreshed, and the new session stored" t4

t5() {
	mark
	cm-fetch acme-bsky:mentions > r5.ndjson 2> e5 && lines r5.ndjson 1 &&
	! calls | grep -q 'Session' && test_cmp s4 <(session)
}
ok "the refreshed session serves the next run" t5

t6() {
	cp good.pw acme.pw &&
	set_access "$(cat expired)" &&
	sqlite3 "$DB" "UPDATE sessions SET data = json_set(data, '\$.refresh', 'eyJhbGciOiJIUzI1NiJ9.e30.bad') WHERE account = 'acme-bsky'" &&
	mark &&
	cm-fetch acme-bsky:mentions > r6.ndjson 2> e6 && lines r6.ndjson 1 &&
	calls > c6 && grep -q 'refreshSession 400' c6 && grep -q 'createSession 200' c6 &&
	session | jq -e --arg old "$(cat expired)" '.access != $old and .refresh != "eyJhbGciOiJIUzI1NiJ9.e30.bad"' > /dev/null &&
	keep_tokens && no_secret r6.ndjson e6
}
ok "with the refresh token refused too, it signs in again" t6

t7() {
	sqlite3 "$DB" "DELETE FROM sessions" &&
	echo wrong-password > acme.pw &&
	exits_with 1 cm-fetch acme-bsky:mentions > r7.ndjson 2> e7 &&
	lines r7.ndjson 0 && contains e7 'acme-bsky' && contains e7 'app password' &&
	! grep -qF wrong-password e7 && no_secret e7 &&
	[ -z "$(session)" ]
}
ok "a refused app password fails the source (status 1), says so, shows no secret" t7

t8() {
	cp good.pw acme.pw &&
	cm-fetch acme-bsky:mentions > /dev/null 2>&1 && keep_tokens &&
	cm-fetch -v acme-bsky:mentions > r8.ndjson 2> e8 &&
	set_access "$(cat expired)" &&
	cm-fetch -v acme-bsky:mentions > r9.ndjson 2>> e8 && keep_tokens &&
	cm-fetch --dry-run acme-bsky:mentions > d8 2>&1 &&
	contains e8 'refreshSession' && contains e8 'Bearer ****' &&
	no_secret e8 d8 r8.ndjson r9.ndjson
}
ok "-v and --dry-run around a refresh show no token" t8

done_testing
