#!/bin/bash
# cm-reply on the fake server's Bluesky (tests/servers/fake): the exact
# createRecord body (the record key from the idempotency key, the reply's
# strong references, facets at UTF-8 byte offsets, validate), the ledger
# forgotten and a send again (the PDS's 500 for a second create at one
# key, then getRecord finds it), an answer lost, an expired token
# refreshed, 429 and 400 on the post: each target answered once.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export BP=fake-app-pass-1234 CM_STATE=$SCRATCH/state.db
cat > config <<EOF2
[account b]
platform = bluesky
base_url = $FAKE/bluesky
handle = acme.test
app_password = env:BP
EOF2
export CM_CONFIG=$SCRATCH/config
BRAND=did:plc:acmebrand2345abcdefghij
posts() { fake_admin GET posts platform=bluesky; }
calls() { fake_log | jq -r 'select(.path | startswith("/bluesky/xrpc/")) | .path[14:]'; }
send() { timeout 120 cm-reply --template "$1" --approve --send; }

# Two records the brand was mentioned in: one a reply (its thread's root
# elsewhere), one a root.
timeout 120 cm-fetch b:mentions > all.ndjson
jq -c 'select(.thread != null)' all.ndjson | head -n 1 > in.ndjson
jq -c 'select(.thread == null)' all.ndjson | head -n 1 >> in.ndjson
TEMPLATE='"Olá 🌻 \(.author.handle | split(".")[0]): ask @user3.test or @nobody.test, see https://acme.example/faq. #Help"'

t1() {
	lines in.ndjson 2 &&
	send "$TEMPLATE" < in.ndjson > out.ndjson 2> err &&
	lines out.ndjson 2 && posts > p1 && lines p1 2 &&
	jq -e -s 'all(.reply.status == "sent")' out.ndjson > /dev/null
}
ok "two replies sent, two posts made" t1

# What each createRecord body must be, from the record cm-fetch made:
# its strong reference and its root's (the "bluesky" object), and the
# text's facets, worked out here from its bytes.
want_body() {
	python3 - "$1" <<'PY'
import json, re, sys
rec = json.loads(sys.argv[1])
bs = rec['bluesky']
user = rec['author']['handle'].split('.')[0]
text = 'Olá 🌻 %s: ask @user3.test or @nobody.test, see https://acme.example/faq. #Help' % user
b = text.encode()
def at(s):
    i = b.index(s.encode())
    return {'byteStart': i, 'byteEnd': i + len(s.encode())}
root = bs['root'] or {'uri': bs['uri'], 'cid': bs['cid']}
print(json.dumps({
    'repo': 'did:plc:acmebrand2345abcdefghij', 'collection': 'app.bsky.feed.post',
    'validate': True,
    'record': {'$type': 'app.bsky.feed.post', 'text': text,
               'reply': {'root': root, 'parent': {'uri': bs['uri'], 'cid': bs['cid']}},
               'facets': [
                   {'index': at('@user3.test'), 'features': [{'$type': 'app.bsky.richtext.facet#mention', 'did': 'did:plc:user0000000000000000003'}]},
                   {'index': at('https://acme.example/faq'), 'features': [{'$type': 'app.bsky.richtext.facet#link', 'uri': 'https://acme.example/faq'}]},
                   {'index': at('#Help'), 'features': [{'$type': 'app.bsky.richtext.facet#tag', 'tag': 'Help'}]}]}},
    sort_keys=True))
PY
}

t2() {
	while read -r rec; do
		id=$(jq -r .bluesky.uri <<< "$rec") &&
		jq -c --arg t "$id" 'select(.target == $t)' p1 > p && lines p 1 &&
		jq -r .content_type p | grep -qx application/json &&
		jq -S -c '.body | fromjson | del(.rkey, .record.createdAt)' p > got &&
		want_body "$rec" | jq -S -c . > want && test_cmp want got &&
		# a TID, and the reply's id names it
		jq -r '.body | fromjson | .rkey' p | grep -Eqx '[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}' &&
		jq -e '(.body | fromjson | .rkey) == .key' p > /dev/null &&
		jq -r '.body | fromjson | .record.createdAt' p | grep -Eqx '20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9:]{8}\.[0-9]{3}Z' &&
		jq -e -s --arg t "bluesky:$id" --arg k "$(jq -r .key p)" --arg b "$BRAND" \
		    'map(select(.id == $t)) | length == 1 and
		     .[0].reply.id == "bluesky:at://\($b)/app.bsky.feed.post/\($k)" and
		     .[0].reply.url == "https://bsky.app/profile/acme.test/post/\($k)"' out.ndjson > /dev/null || exit 1
	done < in.ndjson
}
ok "each createRecord body: key, strong references, facets at byte offsets, nothing else" t2

t3() {
	# The ledger forgotten: the next run does not know the replies went,
	# posts again at the same keys, gets the PDS's 500 and finds them.
	rm -f "$CM_STATE" && fake_admin DELETE log > /dev/null &&
	send "$TEMPLATE" < in.ndjson > out2.ndjson 2> err2 &&
	posts > p2 && lines p2 2 && test_cmp p1 p2 &&
	[ "$(calls | grep -c '^com.atproto.repo.createRecord$')" -eq 2 ] &&
	[ "$(calls | grep -c '^com.atproto.repo.getRecord$')" -eq 2 ] &&
	jq -e -s 'all(.reply.status == "sent")' out2.ndjson > /dev/null &&
	test_cmp <(jq -r .reply.id out.ndjson) <(jq -r .reply.id out2.ndjson)
}
ok "the same reply again (ledger gone): the PDS's 500, getRecord finds it, nothing posted" t3

# A third record, for the faults one at a time.
jq -c 'select(.thread == null)' all.ndjson | sed -n 2,6p > more.ndjson

t4() {
	sed -n 1p more.ndjson > r4 && fake_admin DELETE log > /dev/null &&
	fake_fault '{"path": "/bluesky/xrpc/com.atproto.repo.createRecord", "kind": "lost"}' &&
	send "$TEMPLATE" < r4 > out4 2> err4 &&
	jq -e '.reply.status == "sent"' out4 > /dev/null &&
	calls | grep -E 'createRecord|getRecord' > c4 &&
	printf 'com.atproto.repo.createRecord\ncom.atproto.repo.getRecord\n' | test_cmp - c4 &&
	[ "$(posts | jq -s --arg t "$(jq -r .bluesky.uri r4)" 'map(select(.target == $t)) | length')" -eq 1 ]
}
ok "the answer to the post lost: a look finds it, one post" t4

t5() {
	sed -n 2p more.ndjson > r5 && fake_admin DELETE log > /dev/null &&
	fake_fault '{"path": "/bluesky/xrpc/com.atproto.repo.createRecord", "kind": "expired"}' &&
	send "$TEMPLATE" < r5 > out5 2> err5 &&
	jq -e '.reply.status == "sent"' out5 > /dev/null &&
	calls | grep -E 'createRecord|refreshSession' > c5 &&
	printf 'com.atproto.repo.createRecord\ncom.atproto.server.refreshSession\ncom.atproto.repo.createRecord\n' | test_cmp - c5 &&
	[ "$(posts | jq -s --arg t "$(jq -r .bluesky.uri r5)" 'map(select(.target == $t)) | length')" -eq 1 ]
}
ok "an expired token (400 ExpiredToken) on the post: refreshed, posted once" t5

t6() {
	sed -n 3p more.ndjson > r6 &&
	fake_fault '{"path": "/bluesky/xrpc/com.atproto.repo.createRecord", "kind": "status", "status": 429, "retry_after": 1}' &&
	send "$TEMPLATE" < r6 > out6 2> err6 &&
	jq -e '.reply.status == "sent"' out6 > /dev/null &&
	[ "$(posts | jq -s --arg t "$(jq -r .bluesky.uri r6)" 'map(select(.target == $t)) | length')" -eq 1 ]
}
ok "a 429 on the post: waited, posted once" t6

t7() {
	sed -n 4,5p more.ndjson > r7 && lines r7 2 && posts > before7 &&
	# the first's post refused as the PDS refuses an invalid record
	fake_fault '{"path": "/bluesky/xrpc/com.atproto.repo.createRecord", "kind": "status", "status": 400}' &&
	send "$TEMPLATE" < r7 > out7 2> err7; rc=$?
	jq -r .reply.status out7 > s7 && printf 'failed\nsent\n' | test_cmp - s7 &&
	jq -e -s '.[0].reply.why | test("400")' out7 > /dev/null &&
	[ "$(posts | wc -l)" -eq $(($(wc -l < before7) + 1)) ]
}
ok "a 400 on the post: that reply failed, with the reason; the run goes on" t7

t8() {
	rm -f "$CM_STATE" && posts > before8 &&
	timeout 60 cm-reply --template "$TEMPLATE" --approve --send --dry-run < in.ndjson > out8 2> err8 &&
	posts > after8 && test_cmp before8 after8 &&
	cat out8 err8 | grep -q 'com.atproto.repo.createRecord' &&
	! cat out8 err8 | grep -qF "$BP"
}
ok "--dry-run shows the requests and posts nothing, the app password masked" t8

# Killed with -9 at random points of a run of N replies (each post
# answered late, so that kills land in posts too), then a run to the
# end: one post per target, every record sent.
N=20
jq -c 'select(.thread == null)' all.ndjson | tail -n $N > many.ndjson
timeout 60 cm-reply --template "$TEMPLATE" --approve many.ndjson > approved.ndjson
once() {
	posts > posts.ndjson &&
	jq -r .target posts.ndjson | sort | uniq -d > twice &&
	jq -r '.id[8:]' approved.ndjson | sort > want.targets &&
	jq -r .target posts.ndjson | sort > got.targets &&
	[ ! -s twice ] && lines want.targets $N && test_cmp want.targets got.targets &&
	jq -e -s 'length == '$N' and all(.reply.status == "sent")' "$1" > /dev/null
}
kill_run() {
	local i=$1 delay=$2 pid t
	export CM_STATE=$SCRATCH/kill-$i.db
	fake_admin POST reset > /dev/null || return 1
	[ "$delay" -gt 0 ] && fake_fault '{"path": "/bluesky/xrpc/com.atproto.repo.createRecord", "kind": "delay", "ms": '"$delay"'}'
	cm-reply --send --max 100 approved.ndjson > killed.out 2> killed.err &
	pid=$!
	t=$(( RANDOM % (delay > 0 ? N * delay : 300) ))
	sleep "$(printf '0.%03d' "$t")"
	kill -9 "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	fake_admin DELETE faults > /dev/null
	timeout 120 cm-reply --send --max 100 approved.ndjson > rerun.out 2> rerun.err || {
		echo "the rerun failed:"; cat rerun.err; return 1; }
	once rerun.out || { echo "killed after $t ms"; return 1; }
}
# a run without delays is over in some 60 ms, too soon to be hit: each
# post is answered 5 or 20 ms late, and the kill comes before N of those
for i in 1 2 3 4 5 6; do
	delay=5
	[ $((i % 2)) = 0 ] && delay=20
	ok "kill -9 at a random point (round $i, posts ${delay} ms late), then a rerun: one post per target" \
	    kill_run "$i" "$delay"
done

done_testing
