#!/bin/bash
# cm-reply without the network: drafting by rules and --template, who is
# not answered, the platforms' limits, --approve, replies carried from an
# earlier run, bad input and usage; then against the fake Mastodon:
# --dry-run, --max, the ledger seen when drafting, --log, a closed
# stdout, refusals and an unknown account.
. "$(dirname "$0")/lib.sh"

export CM_STATE=$PWD/state.db CM_CONFIG=$PWD/config
: > config
cm-fetch --end $DEMO_END demo:400 | cm-score > demo.ndjson

# rec ID PLATFORM HANDLE TEXT [JQ]: one record, made by jq (JQ edits it).
rec() {
	jq -n -c --arg id "$1" --arg p "$2" --arg h "$3" --arg t "$4" '
	  {id: $id, platform: $p, kind: "post", reason: "mention",
	   created_at: "2026-11-24T10:00:00Z", url: "https://example.com/1",
	   author: {id: "1", handle: $h, name: "Ana María López",
	     followers: 10, verified: null, is_brand: false},
	   text: $t, lang: "en", in_reply_to: null, thread: null,
	   tags: [], mentions: [], links: [],
	   metrics: {likes: 0, reposts: 0, replies: 0, quotes: 0},
	   source: {account: "acme-masto", feed: "mentions",
	     fetched_at: "2026-11-24T11:00:00Z"},
	   score: {intent: "complaint", label: "negative"}} | '"${5:-.}"
}

# every FILE SELECT COND: some records of FILE pass SELECT, and all of
# those hold COND (jq expressions).
every() {
	jq -s -e "map(select($2)) | length > 0 and all($3)" "$1" > /dev/null || {
		echo "in $1, not every record with $2 has $3:"
		jq -c "select($2) | select(($3) | not)" "$1" | head -n 3
		return 1
	}
}

# strip FILE: its lines without the reply member cm-reply added last.
strip() {
	sed -E 's/,"reply":\{[^{}]*\}\}$/}/' "$1"
}

ok "--template drafts every record but the brand's, as the template says" eval '
	cm-reply -t "\"Hi \\(first_name), thanks!\"" demo.ndjson > out 2> err &&
	[ ! -s err ] && lines out 400 &&
	[ "$(jq -s "map(select(.reply)) | length" out)" = "$(jq -s "map(select(.author.is_brand | not) | select(.score.intent != \"spam\")) | length" demo.ndjson)" ] &&
	every out ".reply" "(.reply.status == \"draft\" or (.platform == \"hn\" or .platform == \"rss\") and .reply.status == \"invalid\") and .reply.rule == \"template\" and (.reply.text | test(\"^(@[^ ]+ )?Hi [^ ]+, thanks!$\"))"'
ok "every other byte of each record is kept" eval '
	strip out | cmp - demo.ndjson'
ok "the brand's own records and spam pass as they came" eval '
	jq -c "select(.author.is_brand or .score.intent == \"spam\") | has(\"reply\")" out | sort -u | grep -qx false'
ok "--include-spam drafts for spam too" eval '
	cm-reply --include-spam -t "\"ok\"" demo.ndjson | jq -s -e "map(select(.score.intent == \"spam\" and .reply.status == \"draft\")) | length > 0" > /dev/null'

cat > rules.conf << 'EOF'
# two rules: the first that matches wins
[rule refund]
intent = complaint
match = refund|charged
ignore_case = yes
template = "Hi \(first_name), sorry: DM us your order number."

[rule praise]
intent = praise
when = .author.followers >= 100
template = "Thank you, \(first_name)!"
EOF
ok "rules: the first rule that matches drafts; a record none matches is kept byte for byte" eval '
	cm-reply -f rules.conf demo.ndjson > out 2> err && [ ! -s err ] &&
	jq -r "select(.reply) | .reply.rule" out | sort -u | tr "\n" " " | grep -qx "praise refund " &&
	every out ".reply.rule == \"refund\"" ".score.intent == \"complaint\" and (.text | test(\"refund|charged\"; \"i\"))" &&
	every out ".reply.rule == \"praise\"" ".score.intent == \"praise\" and .author.followers >= 100" &&
	strip out | cmp - demo.ndjson'

ok "Mastodon: the author is mentioned first, unless the text does" eval '
	rec m1 mastodon ana@masto.example "refund?" | cm-reply -t "\"Hi!\"" | jq -r .reply.text | grep -qx "@ana@masto.example Hi!" &&
	rec m1 mastodon ana@masto.example "refund?" | cm-reply -t "\"\\(handle) hi\"" | jq -r .reply.text | grep -qx "@ana@masto.example hi"'
ok "Bluesky: 300 graphemes go, 301 are invalid with why, and no one approves them" eval '
	rec b1 bluesky ana.bsky.social "x" | cm-reply --approve -t "\"👍🏽\" * 300" | jq -e ".reply.status == \"approved\"" > /dev/null &&
	rec b1 bluesky ana.bsky.social "x" | cm-reply --approve -t "\"👍🏽\" * 301" > out &&
	jq -e ".reply.status == \"invalid\" and (.reply.why | test(\"301\"))" out > /dev/null'
ok "an empty text is invalid" eval '
	rec r1 reddit ana "x" | cm-reply -t "\"  \"" | jq -e ".reply.status == \"invalid\"" > /dev/null'

ok "a record a brand reply earlier in the stream answers is skipped, with why" eval '
	{ rec brand1 mastodon acme "we are on it" ".author.is_brand = true | .in_reply_to = \"t1\""
	  rec t1 mastodon ana "refund now" ; rec t2 mastodon bob "refund now"; } > thread.ndjson &&
	cm-reply -t "\"sorry\"" thread.ndjson > out && lines out 3 &&
	[ "$(sed -n 1p out)" = "$(sed -n 1p thread.ndjson)" ] &&
	jq -s -e ".[1].reply.status == \"skipped\" and (.[1].reply.why | test(\"answered\")) and .[2].reply.status == \"draft\"" out > /dev/null'

ok "--approve approves drafts read back; what it does not change stays byte for byte" eval '
	cm-reply -f rules.conf demo.ndjson > drafts && cm-reply --approve drafts > approved &&
	[ "$(jq -r "select(.reply) | .reply.status" approved | sort -u)" = approved ] &&
	cm-reply --approve approved | cmp - approved'

ok "a template that fails is reported with file, line and rule; the record stays, the rest go on; status 1" eval '
	printf "%s\n%s\n" "$(rec a mastodon ana x)" "$(rec b mastodon bob x ".author.name = 7")" > two.ndjson &&
	exits_with 1 cm-reply -t "\"Hi \" + .author.name" two.ndjson > out 2> err &&
	lines out 2 && contains err "two.ndjson:2: rule template:" &&
	jq -s -e ".[0].reply.status == \"draft\" and .[1].reply.status == \"invalid\"" out > /dev/null'
ok "a bad line is reported with file and line, the rest is processed, status 1" eval '
	{ rec a mastodon ana x; echo "{not json"; rec b mastodon bob x; } > bad.ndjson &&
	exits_with 1 cm-reply -t "\"Hi\"" bad.ndjson > out 2> err && lines out 2 &&
	contains err "bad.ndjson:2:"'

ok "a template that reads input gets none, and the record is invalid, no crash" eval '
	rec a mastodon ana x | exits_with 1 cm-reply -t "input" > out 2> err &&
	jq -e ".reply.status == \"invalid\"" out > /dev/null'
ok "a record nested deeper than jq reads is no template's input" eval '
	open=$(printf "[%.0s" $(seq 300)) close=$(printf "]%.0s" $(seq 300)) &&
	rec a mastodon ana x | sed "s/}\$/,\"deep\":$open$close}/" > deep.ndjson &&
	exits_with 1 cm-reply -t "\"hi \\(.)\"" deep.ndjson > out 2> err && lines out 1 &&
	jq -R -e "contains(\"too deep for jq\")" out > /dev/null && contains err "deep.ndjson:1:"'

refuses() {
	local msg=$1
	shift
	exits_with 2 cm-reply "$@" < demo.ndjson > out 2> err && [ ! -s out ] &&
	contains err "$msg"
}
ok "usage: nothing to do" refuses "nothing to do"
ok "usage: --rules and --template" refuses "give one of them" -f rules.conf -t '"x"'
ok "usage: --dry-run without --send" refuses "--dry-run applies only with --send" --dry-run -t '"x"'
ok "usage: --review with --approve" refuses "give one of them" --review --approve
ok "usage: a rules file that is missing" refuses "nope.conf" -f nope.conf
ok "usage: a mistake in the rules file, by file and line" eval '
	printf "[rule a]\ntemplate = \"x\"\nfrobnicate = 1\n" > bad.conf &&
	refuses "bad.conf:3:" -f bad.conf'
ok "usage: --max-wait over 8m (claims of other hosts last an hour)" refuses "at most 8m" --send --max-wait 10m
ok "usage: a template that does not compile" refuses "--template" -t '"Hi \('
ok "--log without a state store writes nothing" eval '
	cm-reply --log > out && [ ! -s out ] && [ ! -e state.db ]'

# ---- against the fake Mastodon ----------------------------------------
fake_start || { echo "Bail out! the fake server does not start"; exit 1; }
fake_account mastodon acme-masto
cm-fetch -n 8 acme-masto:mentions > m.ndjson
cm-reply -t '"Thanks, \(first_name)!"' --approve m.ndjson > a.ndjson

ok "--dry-run writes each send's requests, token masked, post body shown; nothing is posted or claimed" eval '
	cm-reply --send --dry-run a.ndjson > dry 2> err &&
	[ "$(grep -c "^# mastodon:" dry)" = 8 ] && contains dry "POST $FAKE/mastodon/api/v1/statuses" &&
	contains dry "Authorization: Bearer ****" && contains dry "Idempotency-Key: " &&
	contains dry "Thanks" && lacks dry "$MT" && lacks err "$MT" &&
	[ "$(fake_admin GET posts | wc -l)" = 0 ] && [ -z "$(cm-reply --log)" ]'
ok "--max 3 sends three; the rest stay approved, saying why, and the run says so: status 75" eval '
	exits_with 75 cm-reply --send --max 3 a.ndjson > out 2> err &&
	contains err "--max 3: 5 approved replies were left for a later run" &&
	[ "$(jq -r .reply.status out | sort | uniq -c | tr -s " " | tr "\n" ";")" = " 5 approved; 3 sent;" ] &&
	every out ".reply.status == \"approved\"" ".reply.why | test(\"--max 3\")" &&
	[ "$(fake_admin GET posts | wc -l)" = 3 ]'
ok "--log: the audit trail of the three, oldest first" eval '
	cm-reply --log > log && lines log 3 &&
	every log . ".status == \"sent\" and .account == \"acme-masto\" and (.text | test(\"Thanks\")) and (.sent_at | test(\"Z$\")) and (.id | startswith(\"mastodon:\"))" &&
	[ "$(jq -r .target log)" = "$(jq -r "select(.reply.status == \"sent\") | .id" out)" ]'
ok "drafting again: the three answered in the ledger are skipped" eval '
	cm-reply -t "\"again\"" m.ndjson > out &&
	[ "$(jq -r "select(.reply.status == \"skipped\") | .reply.why" out | grep -c "answered already: sent in the ledger")" = 3 ]'
ok "--max counts what went: a second --max 3 run sends the next three" eval '
	exits_with 75 cm-reply --send --max 3 a.ndjson > out 2> err &&
	[ "$(fake_admin GET posts | wc -l)" = 6 ] &&
	[ "$(jq -r .reply.why out | grep -c "sent by an earlier run")" = 3 ]'
ok "a closed stdout: what was sent before it closed is in the ledger, no more was posted" eval '
	cm-reply --send a.ndjson | head -n 1 > /dev/null;
	sent=$(cm-reply --log | jq -s "map(select(.status == \"sent\")) | length") &&
	[ "$sent" = "$(fake_admin GET posts | wc -l)" ] && [ "$sent" -ge 3 ]'
ok "a refusal (422: too long for the server) fails that reply, with the server's message; the rest go; status 1" eval '
	rm -f state.db* && fake_admin POST reset > /dev/null &&
	jq -c "if input_line_number == 2 then .reply.text = (\"long \" * 120) else . end" a.ndjson > long.ndjson &&
	printf "[account acme-masto]\nmax_characters = 1000\n" >> config &&
	exits_with 1 cm-reply --send long.ndjson > out 2> err &&
	[ "$(jq -r .reply.status out | sort | uniq -c | tr -s " " | tr "\n" ";")" = " 1 failed; 7 sent;" ] &&
	every out ".reply.status == \"failed\"" ".reply.why | test(\"500\")" &&
	contains err "500" && cm-reply --log | jq -s -e "map(select(.status == \"failed\")) | length == 1" > /dev/null'
ok "an account that is not configured fails its replies, status 1" eval '
	rm -f state.db* && exits_with 1 cm-reply --send --account nobody a.ndjson > out 2> err &&
	[ "$(jq -r .reply.status out | sort -u)" = failed ] && contains err "nobody"'
ok "an expired token fails the account's replies once said, nothing posted" eval '
	rm -f state.db* && fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\": \"/mastodon/api/v1\", \"kind\": \"expired\", \"count\": -1}" &&
	exits_with 1 cm-reply --send a.ndjson > out 2> err;
	st=$?; fake_admin DELETE faults > /dev/null; [ $st = 0 ] &&
	[ "$(jq -r .reply.status out | sort -u)" = failed ] &&
	[ "$(fake_admin GET posts | wc -l)" = 0 ]'

done_testing
