#!/bin/bash
# cm-reply --send on the fake Mastodon: the exact requests (the post's
# form body, its Idempotency-Key, the target read first for its
# visibility), the reply's id and url as the server gives them, a lost
# answer looked for (with the server's keys and without), a run that
# gives up and the run after it, a 422 that fails one reply and lets the
# others go, a 429 waited out, an expired token, a status of another
# server found by its URL.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "Bail out! the fake server does not start"; exit 1; }
fake_account mastodon acme-masto
export CM_CONFIG=$PWD/config CM_STATE=$PWD/state.db
cp config config.orig
N=5
cm-fetch -n $N acme-masto:mentions > m.ndjson 2> err || { cat err; exit 1; }
# characters a form must encode: a comma, an ampersand, a quote, a URL
cm-reply -t '"Thanks, \(first_name)! We'"'"'re on it & more: https://example.com/help?x=1"' \
    --approve m.ndjson > a.ndjson 2> err || { cat err; exit 1; }
HOST=127.0.0.1:$FAKE_PORT

# fresh: no replies on the server, an empty ledger, the config as made
fresh() {
	rm -f state.db* && cp config.orig config &&
	fake_admin POST reset > /dev/null
}

# once [N]: the server made exactly one reply to each of N (default all)
# targets of a.ndjson.
once() {
	fake_admin GET posts platform=mastodon > posts || return 1
	jq -r .target posts | sort | uniq -d > twice
	[ ! -s twice ] && [ "$(wc -l < posts)" -eq "${1:-$N}" ] || {
		echo "$(wc -l < posts) posts, want ${1:-$N}; twice: $(cat twice)"
		return 1
	}
}

# form TEXT: jq's @uri, and the characters it leaves that cm encodes too
# (RFC 3986 leaves only letters, digits and -._~ unencoded).
FORM='@uri | gsub("!"; "%21") | gsub("'"'"'"; "%27") | gsub("[*]"; "%2A") | gsub("[(]"; "%28") | gsub("[)]"; "%29")'

# every FILE SELECT COND: some records of FILE pass SELECT, and all of
# those hold COND (jq expressions).
every() {
	jq -s -e "map(select($2)) | length > 0 and all($3)" "$1" > /dev/null || {
		echo "in $1, not every record with $2 has $3:"
		jq -c "select($2) | select(($3) | not)" "$1" | head -n 3
		return 1
	}
}

# statuses FILE: the reply statuses of FILE, counted ("5 sent;").
statuses() {
	jq -r .reply.status "$1" | sort | uniq -c | tr -s " " | sed 's/^ //' |
	    tr "\n" ";"
}

ok "each post is a form: status, in_reply_to_id (the target's id on the server), visibility" eval '
	fresh && cm-reply --send a.ndjson > out 2> err && once &&
	jq -n -e --slurpfile r a.ndjson --slurpfile p posts "
	  (\$p | map({key: .target, value: .}) | from_entries) as \$by |
	  all(\$r[]; (.id | split(\":\") | last) as \$t |
	    \$by[\$t].body == \"status=\(.reply.text | $FORM)&in_reply_to_id=\(\$t)&visibility=public\" and
	    \$by[\$t].content_type == \"application/x-www-form-urlencoded\" and
	    \$by[\$t].text == .reply.text)" > /dev/null'
ok "each post has an Idempotency-Key of 32 hex digits, its own, and the same on each of its requests" eval '
	jq -e -s "all(.key | test(\"^[0-9a-f]{32}$\")) and (map(.key) | unique | length) == $N" posts > /dev/null &&
	fake_log | jq -r "select(.method == \"POST\") | .idempotency_key" | sort > sent_keys &&
	jq -r .key posts | sort > made_keys && test_cmp made_keys sent_keys'
ok "the reply: sent, its id as cm-fetch names ids, its url the server's" eval '
	[ "$(statuses out)" = "$N sent;" ] &&
	jq -n -e --slurpfile r out --slurpfile p posts "
	  (\$p | map({key: .target, value: .id}) | from_entries) as \$by |
	  all(\$r[]; \$by[.id | split(\":\") | last] as \$m |
	    .reply.id == \"mastodon:$HOST:\(\$m)\" and
	    .reply.url == \"https://masto.example/@acme/\(\$m)\")" > /dev/null'
ok "the target is read before the post, and no look (the outcome was known)" eval '
	fake_log | jq -r "select(.path | startswith(\"/mastodon/api/v1/statuses\")) | .method + \" \" + .path" > reqs &&
	[ "$(grep -c "^GET /mastodon/api/v1/statuses/[0-9]*$" reqs)" = $N ] &&
	lacks reqs context && [ "$(grep -c ^POST reqs)" = $N ] &&
	[ "$(sed -n 1p reqs)" = "GET /mastodon/api/v1/statuses/$(jq -r "select(input_line_number == 1) | .id | split(\":\") | last" a.ndjson)" ]'
ok "a second run posts nothing: the ledger answers" eval '
	cm-reply --send a.ndjson > out2 2> err && once'

T2=$(jq -r 'select(input_line_number == 2) | .id | split(":") | last' a.ndjson)
ok "a reply to a direct message is direct; reply_visibility makes the others no more public than it" eval '
	fresh && fake_admin POST visibility "{\"id\": \"$T2\", \"visibility\": \"direct\"}" > /dev/null &&
	printf "\n[account acme-masto]\nreply_visibility = unlisted\n" >> config &&
	cm-reply --send a.ndjson > out 2> err && once &&
	[ "$(jq -r "select(.target == \"$T2\") | .body" posts | sed "s/.*&visibility=//")" = direct ] &&
	[ "$(jq -r "select(.target != \"$T2\") | .body" posts | sed "s/.*&visibility=//" | sort -u)" = unlisted ]'
ok "reply_visibility that is none of the four fails the account's replies, by file and line, nothing posted" eval '
	fresh && printf "\n[account acme-masto]\nreply_visibility = everyone\n" >> config &&
	exits_with 1 cm-reply --send a.ndjson > out 2> err;
	s=$?; cp config.orig config; [ $s = 0 ] && [ "$(statuses out)" = "$N failed;" ] &&
	contains err "config:8: [account acme-masto] reply_visibility: \"everyone\" is none of" &&
	[ "$(fake_admin GET posts | wc -l)" = 0 ]'

ok "an answer lost after the post was made: the run looks at the context, finds it, posts nothing more" eval '
	fresh && fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"lost\", \"skip\": 1}" &&
	cm-reply --send a.ndjson > out 2> err && once && [ "$(statuses out)" = "$N sent;" ] &&
	fake_log | jq -r "select(.path | endswith(\"/context\")) | .path" > looks && lines looks 1 &&
	[ "$(fake_log | jq -r "select(.path == \"/mastodon/api/v1/accounts/verify_credentials\") | .path" | wc -l)" = 1 ]'
ok "the same with a server that ignores Idempotency-Key: still one reply each" eval '
	fresh && fake_admin POST quirks "{\"mastodon_ignore_idempotency\": true}" > /dev/null &&
	fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"lost\", \"count\": 3}" &&
	cm-reply --send a.ndjson > out 2> err && once && [ "$(statuses out)" = "$N sent;" ] &&
	jq -n -e --slurpfile r out --slurpfile p posts "
	  (\$p | map({key: .target, value: .id}) | from_entries) as \$by |
	  all(\$r[]; .reply.id == \"mastodon:$HOST:\" + \$by[.id | split(\":\") | last])" > /dev/null'
ok "a run that gives up on a lost answer (status 75), and the next run: it looks first and finds the reply" eval '
	fresh && fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"lost\", \"count\": -1}" &&
	head -n 1 a.ndjson > one.ndjson &&
	exits_with 75 cm-reply --send --max-wait 1s one.ndjson > out 2> err;
	s=$?; fake_admin DELETE faults > /dev/null; [ $s = 0 ] &&
	[ "$(statuses out)" = "1 approved;" ] && once 1 && fake_admin DELETE log > /dev/null &&
	cm-reply --send one.ndjson > out 2> err && contains err "may have gone" &&
	[ "$(statuses out)" = "1 sent;" ] && once 1 &&
	fake_log | jq -r "select(.method == \"POST\") | .path" > posted && [ ! -s posted ] &&
	[ "$(jq -r .reply.id out)" = "mastodon:$HOST:$(jq -r .id posts)" ]'

ok "422 (over the server's 500 characters): that reply failed with the server's words, the others sent, status 1" eval '
	fresh && printf "\n[account acme-masto]\nmax_characters = 1000\n" >> config &&
	jq -c "if input_line_number == 3 then .reply.text = (\"word \" * 120) else . end" a.ndjson > long.ndjson &&
	exits_with 1 cm-reply --send long.ndjson > out 2> err && once $((N - 1)) &&
	[ "$(statuses out)" = "1 failed;$((N - 1)) sent;" ] &&
	every out ".reply.status == \"failed\"" ".reply.why | test(\"422: Validation failed: Text character limit of 500 exceeded\")" &&
	[ "$(cm-reply --log | jq -r "select(.status == \"failed\") | .target")" = "$(jq -r "select(input_line_number == 3) | .id" a.ndjson)" ]'
ok "429 on a post: the wait Retry-After asks for, then that post once" eval '
	fresh && fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"status\", \"status\": 429, \"retry_after\": 2}" &&
	t0=$(date +%s.%N) && cm-reply --send a.ndjson > out 2> err && t1=$(date +%s.%N) &&
	once && [ "$(statuses out)" = "$N sent;" ] &&
	awk -v a=$t0 -v b=$t1 "BEGIN { exit !(b - a >= 2) }" &&
	fake_log | jq -r "select(.method == \"POST\") | .idempotency_key" > keys &&
	lines keys $((N + 1)) && [ "$(sed -n 1p keys)" = "$(sed -n 2p keys)" ]'
ok "an expired token on the post: status 1, the account's replies failed, nothing posted, the token never shown" eval '
	fresh && fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"expired\"}" &&
	exits_with 1 cm-reply --send a.ndjson > out 2> err &&
	[ "$(statuses out)" = "$N failed;" ] && contains err "check [account acme-masto] token" &&
	lacks err "$MT" && lacks out "$MT" && [ "$(fake_admin GET posts | wc -l)" = 0 ] &&
	cm-reply --send a.ndjson > out 2> err && once'

ok "a status of another server: found on the account's by its URL, answered by its id there" eval '
	fresh && jq -c "select(input_line_number == 1) | .id |= sub(\"^mastodon:[^:]*:[^:]*:\"; \"mastodon:elsewhere.example:\")" a.ndjson > far.ndjson &&
	contains far.ndjson "mastodon:elsewhere.example:" &&
	cm-reply --send far.ndjson > out 2> err && once 1 &&
	[ "$(jq -r .target posts)" = "$(jq -r "select(input_line_number == 1) | .id | split(\":\") | last" a.ndjson)" ] &&
	fake_log | jq -r "select(.path == \"/mastodon/api/v2/search\") | .query" > q && lines q 1 && contains q "resolve=true" &&
	[ "$(jq -r .reply.id out)" = "mastodon:$HOST:$(jq -r .id posts)" ]'

ok "a pending claim on another server's status waits for its record, then is looked for: one reply, never a second" eval '
	fresh && fake_admin POST quirks "{\"mastodon_ignore_idempotency\": true}" > /dev/null &&
	fake_fault "{\"path\": \"/mastodon/api/v1/statuses\", \"method\": \"POST\", \"kind\": \"lost\", \"count\": -1}" &&
	exits_with 75 cm-reply --send --max-wait 1s far.ndjson > out 2> err;
	s=$?; fake_admin DELETE faults > /dev/null; [ $s = 0 ] && once 1 &&
	exits_with 75 cm-reply --send /dev/null > out 2> err && contains err "left pending, to be settled with its record" &&
	cm-reply --log | jq -e ".status == \"pending\"" > /dev/null &&
	cm-reply --send far.ndjson > out 2> err && [ "$(statuses out)" = "1 sent;" ] && once 1'

done_testing
