#!/bin/bash
# cm-fetch against a real Bluesky network on loopback (the reference PLC,
# PDS and AppView): every feed's records, field by field, against what
# the AppView itself says; --new across runs; nothing leaves loopback.
. "$(dirname "$0")/lib.sh"
bsky_start

EXPECT=$BSKY_SERVER
bsky_call user '{"handle":"acme-co","name":"ACME Café"}' > brand.json
bsky_call user '{"handle":"alice","name":"Zoë Ürban"}' > alice.json
bsky_call user '{"handle":"bob"}' > bob.json
bsky_call user '{"handle":"carol","name":"Carol 🌷"}' > carol.json
BRAND=$(jq -r .did brand.json)
bsky_call app_password '{"handle":"acme-co"}' | jq -r .password > acme.pw
(umask 077 && cat > config <<CFG
[account acme-bsky]
platform = bluesky
base_url = $BSKY_PDS
handle = acme-co.test
app_password = file:acme.pw
CFG
)
export CM_CONFIG=$SCRATCH/config

post() { bsky_call post "$1" | jq -r .uri; }
P0=$(post '{"handle":"acme-co","text":"Hello from ACME — ünïcode #Launch https://acme.example/launch zebrafish","langs":["en"]}')
# a mention after multi-byte text (byte offsets), with a time offset
P1=$(post '{"handle":"alice","text":"Grüße @acme-co.test und @bob.test! Ça va? #Café #café https://example.com/ä?q=1 🎉 zebrafish","created_at":"2026-11-24T11:00:00.123+02:00","langs":["de","en"]}')
P2=$(post "{\"handle\":\"bob\",\"text\":\"thanks 👍\",\"reply_to\":\"$P0\"}")
P3=$(post "{\"handle\":\"alice\",\"text\":\"Look at this 👀 zebrafish\",\"quote\":\"$P0\"}")
P4=$(post "{\"handle\":\"acme-co\",\"text\":\"@bob.test glad it helps\",\"reply_to\":\"$P2\"}")
P5=$(post "{\"handle\":\"carol\",\"text\":\"deeper 🌊 #Thread\",\"reply_to\":\"$P4\"}")
P6=$(post '{"handle":"carol","text":"nothing to do with anyone"}')

# The brand's own view of its notifications, through the PDS as any
# client sees it.
curl -sS -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"identifier\":\"acme-co.test\",\"password\":\"$(cat acme.pw)\"}" \
    "$BSKY_PDS/xrpc/com.atproto.server.createSession" > sess.json
ACCESS=$(jq -r .accessJwt sess.json)
appview_auth() { curl -sS -H "Authorization: Bearer $ACCESS" "$BSKY_PDS/xrpc/$1"; }
appview() { curl -sS "$BSKY_APPVIEW/xrpc/$1"; }

# Both sides as sorted JSON lines, cm's without what the AppView cannot
# say (source), for diff.
norm() { jq -S -c 'del(.source)' "$1" | sort > "$2"; }
expect() {
	jq -S -c -L "$EXPECT" --arg brand "$BRAND" "include \"expect\"; $1" | sort > "$2"
}

t1() {
	grep " listen " "$BSKY_NETLOG" > listens && [ -s listens ] &&
	! grep -v " listen 127\.0\.0\.1:" listens
}
ok "the network binds 127.0.0.1 only" t1

t2() {
	cm-fetch acme-bsky:mentions > m.ndjson &&
	valid_ndjson m.ndjson &&
	appview_auth "app.bsky.notification.listNotifications?limit=100" > n.json &&
	expect '.notifications[] | select(.reason == ("mention", "reply", "quote")) | rec(.reason; $brand)' m.want < n.json &&
	norm m.ndjson m.got && test_cmp m.want m.got &&
	jq -r .reason m.ndjson | sort | tr '\n' ' ' > reasons && printf "mention quote reply reply " > reasons.want &&
	test_cmp reasons.want reasons
}
ok "mentions: the notifications' mention, reply and quote, field by field" t2

t3() {
	cm-fetch acme-bsky:mentions > m2.ndjson &&
	jq -e -s 'length == 4 and ([.[].id] | unique | length) == 4 and
	    all(.source.account == "acme-bsky" and .source.feed == "mentions")' m2.ndjson > /dev/null
}
ok "mentions: records say their source and are written once each" t3

t4() {
	cm-fetch acme-bsky:mentions | jq -e -s --arg u "bluesky:$P1" '
	    map(select(.id == $u))[0] | .mentions == ["acme-co.test", "bob.test"] and
	    .tags == ["café"] and .links == ["https://example.com/ä?q=1"] and
	    .created_at == "2026-11-24T09:00:00Z" and .lang == "de"' > /dev/null
}
ok "mentions: facets give tags, mentions and links by UTF-8 byte offsets" t4

t5() {
	cm-fetch acme-bsky:search:zebrafish > s.ndjson &&
	appview "app.bsky.feed.searchPosts?q=zebrafish&limit=100" > s.json &&
	jq -e '.posts | length == 3' s.json > /dev/null &&
	expect '.posts[] | rec("search"; $brand)' s.want < s.json &&
	norm s.ndjson s.got && test_cmp s.want s.got
}
ok "search:Q: the AppView's searchPosts, field by field" t5

t6() {
	cm-fetch "acme-bsky:search:Grüße @acme" > s2.ndjson &&
	jq -e -s --arg u "bluesky:$P1" 'length == 1 and .[0].id == $u' s2.ndjson > /dev/null
}
ok "search:Q with non-ASCII words (percent-encoded query)" t6

THREAD='.thread | thread_posts | rec(if .author.did == $brand then "own" else "reply" end; $brand)'
t7() {
	cm-fetch "acme-bsky:thread:$P4" > t.ndjson &&
	appview "app.bsky.feed.getPostThread?depth=64&parentHeight=64&uri=$P4" > t.json &&
	expect "$THREAD" t.want < t.json &&
	lines t.want 4 && norm t.ndjson t.got && test_cmp t.want t.got
}
ok "thread:URI: the AppView's getPostThread from a reply, field by field" t7

t8() {
	cm-fetch "acme-bsky:thread:$P0" > t0.ndjson &&
	appview "app.bsky.feed.getPostThread?depth=64&parentHeight=64&uri=$P0" > t0.json &&
	expect "$THREAD" t0.want < t0.json &&
	lines t0.want 4 && norm t0.ndjson t0.got && test_cmp t0.want t0.got &&
	jq -e -s --arg u "bluesky:$P0" 'map(select(.id == $u))[0].metrics | .replies == 1 and .quotes == 1' t0.ndjson > /dev/null
}
ok "thread:URI: replies and metrics of the root" t8

t9() {
	cm-fetch acme-bsky:own > o.ndjson &&
	appview "app.bsky.feed.getAuthorFeed?actor=$BRAND&filter=posts_with_replies&limit=100" > o.json &&
	expect '.feed[] | select(.reason == null) | .post | rec("own"; $brand)' o.want < o.json &&
	lines o.want 2 && norm o.ndjson o.got && test_cmp o.want o.got &&
	jq -e -s 'all(.author.is_brand)' o.ndjson > /dev/null
}
ok "own: the brand's posts and replies (getAuthorFeed), field by field" t9

# An account without an app password reads the public feeds from its
# AppView, unauthenticated.
cat >> config <<CFG

[account acme-pub]
platform = bluesky
appview = $BSKY_APPVIEW
handle = acme-co.test
CFG
t9b() {
	local mark
	mark=$(wc -l < "$BSKY_NETLOG")
	cm-fetch acme-pub:search:zebrafish > ps.ndjson && norm ps.ndjson ps.got && test_cmp s.want ps.got &&
	cm-fetch "acme-pub:thread:$P4" > pt.ndjson && norm pt.ndjson pt.got && test_cmp t.want pt.got &&
	tail -n +"$((mark + 1))" "$BSKY_NETLOG" | awk '$2 == "http" { print $3, $5 }' > pcalls &&
	grep -qx "${BSKY_APPVIEW##*:} /xrpc/app.bsky.feed.searchPosts" pcalls &&
	grep -qx "${BSKY_APPVIEW##*:} /xrpc/app.bsky.feed.getPostThread" pcalls &&
	! grep -q "^${BSKY_PDS##*:} " pcalls
}
ok "an account with an appview and no app password: search and thread from the AppView" t9b

t9c() {
	exits_with 2 cm-fetch acme-pub:mentions > pm.ndjson 2> pm.err &&
	lines pm.ndjson 0 && contains pm.err 'app_password'
}
ok "an account with no app password cannot read mentions (status 2)" t9c

t10() {
	cm-fetch --new acme-bsky:mentions > n1.ndjson && lines n1.ndjson 4 &&
	cm-fetch --new acme-bsky:mentions > n2.ndjson && lines n2.ndjson 0
}
ok "--new: the first run writes every mention, the second none" t10

t11() {
	local p7
	p7=$(post '{"handle":"carol","text":"hey @acme-co.test, où est ma commande? 📦"}') &&
	cm-fetch --new acme-bsky:mentions > n3.ndjson &&
	jq -e -s --arg u "bluesky:$p7" 'length == 1 and .[0].id == $u and .[0].reason == "mention"' n3.ndjson > /dev/null &&
	cm-fetch --new acme-bsky:mentions > n4.ndjson && lines n4.ndjson 0 &&
	cat n1.ndjson n3.ndjson > n13.ndjson &&
	cm-fetch acme-bsky:mentions > all.ndjson &&
	norm n13.ndjson a.want && norm all.ndjson a.got && test_cmp a.want a.got
}
ok "--new: a new mention appears exactly once" t11

# A post's place in the feeds is the earlier of its createdAt, which its
# author's client sets, and when the AppView indexed it: one dated 10
# minutes before the newest mention comes in under the mark of the run
# before.  The feed's look-back (1 hour) reads it; an account with
# lookback = 0 (the same brand, a cursor of its own) does not, which
# shows the post is really under the mark.
t11b() {
	local p8 back
	(umask 077 && printf '\n[account acme-bsky0]\nplatform = bluesky\nbase_url = %s\nhandle = acme-co.test\napp_password = file:acme.pw\nlookback = 0\n' \
	    "$BSKY_PDS" >> config) &&
	cm-fetch --new acme-bsky0:mentions > z1.ndjson && lines z1.ndjson 5 &&
	back=$(jq -r -s 'map(.created_at | fromdate) | max - 600 | todate' z1.ndjson) &&
	p8=$(post "{\"handle\":\"bob\",\"text\":\"@acme-co.test written offline a while ago\",\"created_at\":\"$back\"}") &&
	cm-fetch --new acme-bsky:mentions > n5.ndjson &&
	jq -e -s --arg u "bluesky:$p8" 'length == 1 and .[0].id == $u' n5.ndjson > /dev/null &&
	cm-fetch --new acme-bsky:mentions > n6.ndjson && lines n6.ndjson 0 &&
	cm-fetch --new acme-bsky0:mentions > z2.ndjson && lines z2.ndjson 0
}
ok "--new: a mention dated before the last run's newest appears once (the look-back)" t11b

t12() {
	local s
	cm-fetch --dry-run acme-bsky:mentions > dry 2>&1 &&
	cm-fetch -v acme-bsky:search:zebrafish > /dev/null 2> verbose &&
	grep -q 'Bearer \*\*\*\*' verbose &&
	sqlite3 "$XDG_STATE_HOME/cm/state.db" "SELECT data FROM sessions" > sess &&
	for s in "$(cat acme.pw)" "$(jq -r .access sess)" "$(jq -r .refresh sess)"; do
		[ ${#s} -gt 10 ] && ! grep -qF -- "$s" dry verbose || return 1
	done
}
ok "--dry-run and -v show no app password and no token" t12

t13() {
	! grep ' refused ' "$BSKY_NETLOG"
}
ok "no connection left loopback (the guard refused none)" t13

# Every TCP socket of the network's process, local and remote end, is on
# 127.0.0.1 (or not connected).
t14() {
	local pid inodes
	pid=$(jq -r .pid "$SCRATCH/bsky/ready")
	inodes=$(ls -l /proc/$pid/fd 2> /dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]/\1/p' | sort -u)
	[ -n "$inodes" ] || return 1
	cat /proc/net/tcp /proc/net/tcp6 | awk -v want="$(echo $inodes)" '
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) s[w[i]] = 1 }
		($10 in s) {
			seen++
			for (k = 2; k <= 3; k++) {
				split($k, a, ":"); h = a[1]
				if (h != "0100007F" && h != "00000000" &&
				    h != "00000000000000000000000001000000" &&
				    h != "0000000000000000FFFF00000100007F" &&
				    h != "00000000000000000000000000000000") { print "not loopback:", $0; bad = 1 }
			}
		}
		END { exit bad || !seen }'
}
ok "the network's sockets are all on loopback" t14

t15() {
	bsky_call probe > probe.json &&
	grep -q ' refused connect 192.0.2.1:80' "$BSKY_NETLOG" &&
	grep -q ' refused resolve _atproto.example.com' "$BSKY_NETLOG"
}
ok "the guard refuses a connection and a DNS query to the outside" t15

done_testing
