#!/bin/bash
# cm-reply --send on the fake Reddit: the comment's exact form body (no
# idempotency key: Reddit has none), the token asked for once, the
# reply's id and url, a lost answer looked for among the target's
# replies (a comment's and a post's), a run that gives up and the run
# after it, RATELIMIT waited out, a refusal in json.errors that fails
# one reply and lets the others go, a token that expires mid-run.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "Bail out! the fake server does not start"; exit 1; }
fake_account reddit acme-reddit
export CM_CONFIG=$PWD/config CM_STATE=$PWD/state.db
N=5
cm-fetch -n $N acme-reddit:mentions > m.ndjson 2> err || { cat err; exit 1; }
cm-reply -t '"Sorry about that, u/\(.author.handle)! DM us & we'"'"'ll fix it:\n\nhttps://example.com/help?x=1"' \
    --approve m.ndjson > a.ndjson 2> err || { cat err; exit 1; }

fresh() {
	rm -f state.db* && fake_admin POST reset > /dev/null
}

# once [N]: the server made exactly one comment on each of N (default
# all) targets.
once() {
	fake_admin GET posts platform=reddit > posts || return 1
	jq -r .target posts | sort | uniq -d > twice
	[ ! -s twice ] && [ "$(wc -l < posts)" -eq "${1:-$N}" ] || {
		echo "$(wc -l < posts) comments, want ${1:-$N}; twice: $(cat twice)"
		return 1
	}
}

statuses() {
	jq -r .reply.status "$1" | sort | uniq -c | tr -s " " | sed 's/^ //' |
	    tr "\n" ";"
}

# requests METHOD PATH: how many the server's log has.
requests() {
	fake_log | jq -r "select(.method == \"$1\" and .path == \"$2\") | .path" | wc -l
}

every() {
	jq -s -e "map(select($2)) | length > 0 and all($3)" "$1" > /dev/null || {
		echo "in $1, not every record with $2 has $3:"
		jq -c "select($2) | select(($3) | not)" "$1" | head -n 3
		return 1
	}
}

# jq's @uri and the characters it leaves that cm encodes too
FORM='@uri | gsub("!"; "%21") | gsub("'"'"'"; "%27") | gsub("[*]"; "%2A") | gsub("[(]"; "%28") | gsub("[)]"; "%29")'

ok "each comment is a form: api_type=json, thing_id (the target's fullname), text; no key" eval '
	fresh && cm-reply --send a.ndjson > out 2> err && once &&
	jq -n -e --slurpfile r a.ndjson --slurpfile p posts "
	  (\$p | map({key: .target, value: .}) | from_entries) as \$by |
	  all(\$r[]; (.id | ltrimstr(\"reddit:\")) as \$t |
	    \$by[\$t].body == \"api_type=json&thing_id=\(\$t)&text=\(.reply.text | $FORM)\" and
	    \$by[\$t].content_type == \"application/x-www-form-urlencoded\" and
	    \$by[\$t].key == null and \$by[\$t].text == .reply.text)" > /dev/null &&
	[ "$(fake_log | jq -r "select(.method == \"POST\") | .idempotency_key" | sort -u)" = null ]'
ok "one token for the run; no look (each outcome was known)" eval '
	[ "$(requests POST /reddit/api/v1/access_token)" = 1 ] &&
	[ "$(requests POST /reddit/api/comment)" = $N ] &&
	[ "$(fake_log | jq -r "select(.method == \"GET\") | .path" | wc -l)" = 0 ]'
ok "the reply: sent, its id the comment's fullname, its url the permalink" eval '
	[ "$(statuses out)" = "$N sent;" ] &&
	jq -n -e --slurpfile r out --slurpfile p posts "
	  (\$p | map({key: .target, value: .id}) | from_entries) as \$by |
	  all(\$r[]; \$by[.id | ltrimstr(\"reddit:\")] as \$m |
	    .reply.id == \"reddit:\(\$m)\" and
	    (.reply.url | test(\"^https://www.reddit.com/r/[a-z]+/comments/[0-9a-z]+/[^/]+/\(\$m | ltrimstr(\"t1_\"))/$\")))" > /dev/null'
ok "the comments are in the thread, under their targets, by the account" eval '
	jq -r "select(input_line_number == 1) | .thread | ltrimstr(\"reddit:\")" a.ndjson > post_id &&
	cm-fetch "acme-reddit:thread:$(cat post_id)" > thread 2> err &&
	jq -n -e --slurpfile t thread --slurpfile r out "
	  (\$r[0]) as \$one |
	  any(\$t[]; .id == \$one.reply.id and .in_reply_to == \$one.id and
	    .author.handle == \"acme_support\" and .text == \$one.reply.text)" > /dev/null'
ok "a second run comments nothing: the ledger answers" eval '
	fake_admin DELETE log > /dev/null && cm-reply --send a.ndjson > out2 2> err && once &&
	[ "$(requests POST /reddit/api/comment)" = 0 ]'

ok "an answer lost after the comment was made: the run looks under the target, newest first, and finds it" eval '
	fresh && fake_fault "{\"path\": \"/reddit/api/comment\", \"kind\": \"lost\", \"skip\": 2}" &&
	cm-reply --send a.ndjson > out 2> err && once && [ "$(statuses out)" = "$N sent;" ] &&
	fake_log | jq -r "select(.path | startswith(\"/reddit/comments/\")) | .query" > looks && lines looks 1 &&
	t=$(jq -r "select(input_line_number == 3) | .id | ltrimstr(\"reddit:t1_\")" a.ndjson) &&
	contains looks "sort=new" && contains looks "comment=$t" &&
	[ "$(requests POST /reddit/api/comment)" = $N ]'
ok "a run that gives up on a lost answer (status 75), and the next run: it looks first and finds the comment" eval '
	fresh && fake_fault "{\"path\": \"/reddit/api/comment\", \"kind\": \"lost\", \"count\": -1}" &&
	head -n 1 a.ndjson > one.ndjson &&
	exits_with 75 cm-reply --send --max-wait 1s one.ndjson > out 2> err;
	s=$?; fake_admin DELETE faults > /dev/null; [ $s = 0 ] &&
	[ "$(statuses out)" = "1 approved;" ] && once 1 && fake_admin DELETE log > /dev/null &&
	cm-reply --send one.ndjson > out 2> err && contains err "may have gone" &&
	[ "$(statuses out)" = "1 sent;" ] && once 1 &&
	[ "$(requests POST /reddit/api/comment)" = 0 ] &&
	[ "$(jq -r .reply.id out)" = "reddit:$(jq -r .id posts)" ]'
ok "a post's comment whose answer is lost: the post's top-level comments are looked at" eval '
	fresh && jq -c "select(input_line_number == 1) | .id = .thread | .kind = \"post\" | .in_reply_to = null" a.ndjson > post.ndjson &&
	fake_fault "{\"path\": \"/reddit/api/comment\", \"kind\": \"lost\"}" &&
	cm-reply --send post.ndjson > out 2> err && once 1 && [ "$(statuses out)" = "1 sent;" ] &&
	[ "$(jq -r .target posts)" = "$(jq -r ".id | ltrimstr(\"reddit:\")" post.ndjson)" ] &&
	fake_log | jq -r "select(.path | startswith(\"/reddit/comments/\")) | .query" > looks &&
	lines looks 1 && contains looks "depth=1" && lacks looks "comment="'

ok "RATELIMIT: the wait Reddit's message asks for, then that comment once" eval '
	fresh && fake_fault "{\"path\": \"/reddit/api/comment\", \"kind\": \"ratelimit\", \"seconds\": 2}" &&
	t0=$(date +%s.%N) && cm-reply --send a.ndjson > out 2> err && t1=$(date +%s.%N) &&
	once && [ "$(statuses out)" = "$N sent;" ] &&
	awk -v a=$t0 -v b=$t1 "BEGIN { exit !(b - a >= 2) }" &&
	[ "$(requests POST /reddit/api/comment)" = $((N + 1)) ]'
ok "a refusal in json.errors (the comment replied to is deleted): that reply failed with Reddit's words, the others sent, status 1" eval '
	fresh && jq -c "if input_line_number == 2 then .id = \"reddit:t1_zzzzzz\" else . end" a.ndjson > gone.ndjson &&
	exits_with 1 cm-reply --send gone.ndjson > out 2> err && once $((N - 1)) &&
	[ "$(statuses out)" = "1 failed;$((N - 1)) sent;" ] &&
	every out ".reply.status == \"failed\"" ".reply.why | test(\"DELETED_COMMENT: that comment has been deleted\")"'
ok "a token that expires mid-run: a new one, the comment once, no failure" eval '
	fresh && fake_fault "{\"path\": \"/reddit/api/comment\", \"kind\": \"expired\", \"skip\": 2}" &&
	cm-reply --send a.ndjson > out 2> err && once && [ "$(statuses out)" = "$N sent;" ] &&
	[ "$(requests POST /reddit/api/v1/access_token)" = 2 ] &&
	[ "$(requests POST /reddit/api/comment)" = $((N + 1)) ] && lacks err "$RP" && lacks err "$RSEC"'
ok "the app's credentials refused: status 1, nothing commented, no secret shown" eval '
	fresh && fake_fault "{\"path\": \"/reddit/api/v1/access_token\", \"kind\": \"status\", \"status\": 401, \"count\": -1}" &&
	exits_with 1 cm-reply --send a.ndjson > out 2> err;
	s=$?; fake_admin DELETE faults > /dev/null; [ $s = 0 ] &&
	[ "$(statuses out)" = "$N failed;" ] && contains err "check [account acme-reddit]" &&
	lacks err "$RP" && lacks err "$RSEC" && [ "$(fake_admin GET posts | wc -l)" = 0 ]'

done_testing
