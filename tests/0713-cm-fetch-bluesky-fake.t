#!/bin/bash
# cm-fetch from the fake server's Bluesky (tests/servers/fake): the
# session's life (created once, kept in the state store, refreshed on
# 400 ExpiredToken, made anew when the refresh is refused), cursors up
# to the AppView's empty last page, facets, the app password unseen.
# The records themselves are checked against the reference servers.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export BP=fake-app-pass-1234 CM_STATE=$SCRATCH/state.db
cat > config <<EOF2
[account b]
platform = bluesky
base_url = $FAKE/bluesky
handle = acme.test
app_password = env:BP

[account wrong]
platform = bluesky
base_url = $FAKE/bluesky
handle = acme.test
app_password = env:WRONG
EOF2
export CM_CONFIG=$SCRATCH/config
F="timeout 120 cm-fetch"
count() { fake_admin GET stats | jq ".counts.$1"; }
calls() { fake_log | jq -r .path | grep -c "$1"; }

ok "mentions: every mention and reply, no like, each once" eval '
	$F b:mentions > m && [ "$(jq -s length m)" -eq "$(count bluesky_mentions_replies)" ] &&
	[ "$(jq -r .id m | sort -u | wc -l)" -eq "$(jq -s length m)" ] &&
	jq -e -s "all(.reason | IN(\"mention\", \"reply\"))" m > /dev/null'
ok "the pages go on to the empty page with a cursor, and stop after it" eval '
	fake_log | jq -r "select(.path | endswith(\"listNotifications\")) | .query" > q &&
	tail -n 1 q | grep -q cursor= && [ "$(sort -u q | wc -l)" -eq "$(wc -l < q)" ]'
ok "mentions asks the server for mentions, replies and quotes alone (reasons)" eval '
	grep -v "reasons=mention&reasons=reply&reasons=quote" q | grep . && exit 1; [ -s q ]'
ok "one createSession, the session kept for the next run" eval '
	[ "$(calls createSession)" -eq 1 ] && fake_admin DELETE log > /dev/null &&
	$F --limit 3 b:mentions > /dev/null && [ "$(calls createSession)" -eq 0 ]'
ok "facets: tags, the brand mentioned, links whole from the facet" eval '
	jq -e -s "any(.[]; .tags == [\"widgets\"]) and any(.[]; .mentions | index(\"acme.test\")) and
	    any(.[].links[]; test(\"^https://example.com/orders/[0-9]+/status$\"))" m > /dev/null'
ok "uri, cid and root kept for replies" eval '
	jq -e -s "all(.bluesky.uri | startswith(\"at://\")) and
	    all(.[] | select(.in_reply_to != null); .bluesky.root != null)" m > /dev/null'
ok "own: the brand's posts, not its reposts" eval '
	$F b:own > o && [ "$(jq -s length o)" -eq "$(count bluesky_brand_posts)" ] &&
	jq -e -s "all(.author.is_brand)" o > /dev/null'
ok "search:Q" eval '$F b:search:widget > s && [ -s s ] && jq -e -s "all(.text | contains(\"widget\"))" s > /dev/null'
uri=$(jq -r 'select(.in_reply_to != null) | .bluesky.root.uri' m | head -n 1)
ok "thread:URI: the root and the replies below it" eval '
	[ -n "$uri" ] && $F "b:thread:$uri" > th && [ "$(jq -s length th)" -ge 2 ] &&
	jq -e -s --arg u "$uri" "any(.bluesky.uri == \$u)" th > /dev/null'
ok "400 ExpiredToken: refreshSession, then every record" eval '
	fake_admin DELETE log > /dev/null &&
	fake_fault "{\"path\":\"/bluesky/xrpc/app.bsky.notification\",\"kind\":\"expired\",\"skip\":1}" &&
	$F b:mentions > m2 && cmp <(jq -r .id m | sort) <(jq -r .id m2 | sort) &&
	[ "$(calls refreshSession)" -eq 1 ] && [ "$(calls createSession)" -eq 0 ]'
ok "a refused refresh: a new session from the app password" eval '
	fake_admin DELETE log > /dev/null &&
	fake_fault "{\"path\":\"/bluesky/xrpc/app.bsky.notification\",\"kind\":\"expired\"}" &&
	fake_fault "{\"path\":\"/bluesky/xrpc/com.atproto.server.refreshSession\",\"kind\":\"expired\"}" &&
	$F b:mentions > m3 && cmp <(jq -r .id m | sort) <(jq -r .id m3 | sort) &&
	[ "$(calls createSession)" -eq 1 ]'
ok "a refused app password: status 1, the password unsaid" eval '
	WRONG=not-the-app-pass-77; export WRONG;
	exits_with 1 $F wrong:mentions > w 2> e && lines w 0 && contains e "wrong:mentions" &&
	lacks e "$WRONG"'
ok "--dry-run and -v: neither password nor tokens" eval '
	$F --dry-run b:mentions > dr 2>&1 && $F -v --limit 2 b:mentions > /dev/null 2> v &&
	for f in dr v; do lacks $f "$BP" && lacks $f bsky-access- && lacks $f bsky-refresh- || exit 1; done'
ok "pacing at the end of an advertised budget: no 429, every record" eval '
	fake_admin POST reset > /dev/null &&
	fake_admin POST generate "{\"bluesky\":600}" > /dev/null &&
	fake_admin POST budget "{\"platform\":\"bluesky\",\"limit\":4,\"window\":2}" > /dev/null &&
	$F b:mentions > p && [ "$(jq -s length p)" -eq "$(count bluesky_mentions_replies)" ] &&
	[ "$(fake_admin GET stats | jq .overspent)" -eq 0 ]'
done_testing
