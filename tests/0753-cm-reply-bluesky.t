#!/bin/bash
# cm-reply on a real Bluesky network on loopback (the reference PLC, PDS
# and AppView): the replies it posts are in the AppView's thread under
# the right parent and root, with the right facets (a mention of another
# account, a link, a tag, multibyte text before them, a handle that does
# not resolve left plain); a rerun after a send whose run was killed
# between its post and its ledger's finish finds the record by its key
# (getRecord) and posts nothing.
. "$(dirname "$0")/lib.sh"
bsky_start

bsky_call user '{"handle":"acme-co","name":"ACME"}' > brand.json
bsky_call user '{"handle":"dave","name":"Dave"}' > dave.json
bsky_call user '{"handle":"erin","name":"Érin"}' > erin.json
BRAND=$(jq -r .did brand.json)
DAVE=$(jq -r .did dave.json)
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
DB=$XDG_STATE_HOME/cm/state.db
PDS_PORT=${BSKY_PDS##*:}
post() { bsky_call post "$1" | jq -r .uri; }

# A root that mentions the brand, and a reply in its thread that does.
ROOT=$(post '{"handle":"dave","text":"Hello @acme-co.test, is the shop open?"}')
MID=$(post "{\"handle\":\"erin\",\"text\":\"Same question 🙋 @acme-co.test\",\"reply_to\":\"$ROOT\"}")

# The reply: multibyte text, then a mention of Dave, a handle that
# resolves to nobody, a link with trailing punctuation and a tag.
TEMPLATE='"Olá \(.author.name) 🌻 @dave.test @nobody.test see https://acme.example/help. #AcmeHelp"'

# The PDS's requests since the mark, as "METHOD NAME STATUS" lines.
mark() { wc -l < "$BSKY_NETLOG" > mark; }
calls() {
	tail -n +"$(($(cat mark) + 1))" "$BSKY_NETLOG" |
	    awk -v p="$PDS_PORT" '$2 == "http" && $3 == p { sub(".*/xrpc/", "", $5); sub("[?].*", "", $5); print $4, $5, $6 }'
}
# The thread of ROOT as the AppView shows it, and the brand's replies in
# it: "PARENT ROOT URI" each.
thread() {
	curl -sS "$BSKY_APPVIEW/xrpc/app.bsky.feed.getPostThread?depth=10&uri=$ROOT" > thread.json &&
	jq -r --arg b "$BRAND" '.. | objects | select(has("post")) | .post |
	    select(.author.did == $b) | "\(.record.reply.parent.uri) \(.record.reply.root.uri) \(.uri)"' thread.json | sort
}
# Polls the AppView until it shows n replies of the brand (its indexing
# lags the PDS by up to a second; no fixed sleep).
wait_replies() {
	local i=0
	while [ "$(thread | wc -l)" -lt "$1" ] && [ $i -lt 100 ]; do
		bsky_call indexed > /dev/null; i=$((i + 1))
	done
	[ "$(thread | wc -l)" -eq "$1" ]
}

t1() {
	cm-fetch acme-bsky:mentions > in.ndjson && lines in.ndjson 2 &&
	cm-reply --template "$TEMPLATE" --approve < in.ndjson > approved.ndjson &&
	jq -e -s 'length == 2 and all(.reply.status == "approved")' approved.ndjson > /dev/null &&
	mark &&
	cm-reply --send approved.ndjson > out.ndjson 2> err &&
	lines out.ndjson 2 &&
	jq -e -s 'all(.reply.status == "sent" and (.reply.id | startswith("bluesky:at://")) and
	    (.reply.url | startswith("https://bsky.app/profile/acme-co.test/post/")))' out.ndjson > /dev/null &&
	calls | awk '$2 == "com.atproto.repo.createRecord"' > creates && lines creates 2 &&
	! grep -v ' 200$' creates && ! calls | grep -q putRecord
}
ok "cm-reply drafts and approves, then --send posts one reply to each record, through the PDS" t1

t2() {
	wait_replies 2 &&
	thread > got &&
	ID_ROOT=$(jq -r --arg t "bluesky:$ROOT" 'select(.id == $t) | .reply.id' out.ndjson) &&
	ID_MID=$(jq -r --arg t "bluesky:$MID" 'select(.id == $t) | .reply.id' out.ndjson) &&
	printf '%s %s %s\n' "$ROOT" "$ROOT" "${ID_ROOT#bluesky:}" "$MID" "$ROOT" "${ID_MID#bluesky:}" | sort > want &&
	test_cmp want got
}
ok "the AppView shows them under their parents, with the thread's root" t2

# Where each facet should be, worked out here from the text's bytes.
facets_want() {
	python3 - "$1" "$DAVE" <<'PY'
import json, sys
text, dave = sys.argv[1], sys.argv[2]
b = text.encode()
def at(s):
    i = b.index(s.encode())
    return {'byteStart': i, 'byteEnd': i + len(s.encode())}
print(json.dumps(sorted([
    {'index': at('@dave.test'), 'features': [{'$type': 'app.bsky.richtext.facet#mention', 'did': dave}]},
    {'index': at('https://acme.example/help'), 'features': [{'$type': 'app.bsky.richtext.facet#link', 'uri': 'https://acme.example/help'}]},
    {'index': at('#AcmeHelp'), 'features': [{'$type': 'app.bsky.richtext.facet#tag', 'tag': 'AcmeHelp'}]},
], key=lambda f: f['index']['byteStart']), sort_keys=True))
PY
}

t3() {
	jq -c --arg b "$BRAND" '.. | objects | select(has("post")) | .post | select(.author.did == $b) |
	    {text: .record.text, facets: .record.facets}' thread.json > posted && lines posted 2 &&
	while read -r p; do
		text=$(jq -r .text <<< "$p") &&
		case $text in "Olá Dave 🌻 @dave.test"*|"Olá Érin 🌻 @dave.test"*) ;; *) echo "text: $text"; exit 1;; esac &&
		facets_want "$text" | jq -S -c . > fw &&
		jq -S -c '.facets | sort_by(.index.byteStart)' <<< "$p" > fg &&
		test_cmp fw fg || exit 1
	done < posted
}
ok "each has the facets Bluesky's clients show: Dave's DID, the link, the tag, UTF-8 byte offsets" t3

t4() {
	# The run was killed after its post and before its finish: the row
	# pending, its claimant a process that is gone.
	sleep 30 & dead=$!; kill "$dead"; wait "$dead" 2> /dev/null
	sqlite3 "$DB" "UPDATE ledger SET status = 'pending', pid = $dead, reply_id = NULL, reply_url = NULL WHERE target = 'bluesky:$ROOT'" &&
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM ledger WHERE status = 'pending'")" = 1 ] &&
	mark &&
	cm-reply --send approved.ndjson > out2.ndjson 2> err2 &&
	calls > c2 && grep -q '^GET com.atproto.repo.getRecord 200$' c2 &&
	! grep -q createRecord c2 &&
	jq -e -s --arg t "bluesky:$ROOT" --slurpfile first out.ndjson '
	    map(select(.id == $t)) | length == 1 and .[0].reply.status == "sent" and
	    .[0].reply.id == ($first | map(select(.id == $t)) | .[0].reply.id)' out2.ndjson > /dev/null &&
	[ "$(sqlite3 "$DB" "SELECT status FROM ledger WHERE target = 'bluesky:$ROOT'")" = sent ] &&
	bsky_call indexed > /dev/null && [ "$(thread | wc -l)" -eq 2 ]
}
ok "a rerun after a kill between post and finish finds the reply by its record key and posts none" t4

t5() {
	mark &&
	cm-reply --send approved.ndjson > out3.ndjson 2> err3 &&
	! calls | grep -q 'createRecord\|getRecord' && [ "$(thread | wc -l)" -eq 2 ]
}
ok "a third run: the ledger says sent, nothing asked of the PDS" t5

t6() {
	! grep -qF -- "$(cat acme.pw)" err err2 err3 out.ndjson out2.ndjson out3.ndjson
}
ok "no app password in any output" t6

done_testing
