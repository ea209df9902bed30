#!/bin/bash
# cm-fetch from Reddit: the fake server's corpus (tests/servers/fake),
# every feed's records field by field as cm-record(5) says, Listing
# paging, script-app OAuth, the run's options, --new across runs.
. "$(dirname "$0")/lib.sh"

fake_start --reddit 1500 || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export RC=fake-client-id RS=fake-client-secret RU=acme_support \
	RP=fake-reddit-pass-5 RT=fake-refresh-token-8 CM_STATE=$SCRATCH/state.db
cat > config <<EOF2
[account r]
platform = reddit
base_url = $FAKE/reddit
auth_url = $FAKE/reddit
client_id = env:RC
client_secret = env:RS
username = env:RU
password = env:RP

[account rt]
platform = reddit
base_url = $FAKE/reddit
auth_url = $FAKE/reddit
handle = acme_support
client_id = env:RC
client_secret = env:RS
refresh_token = env:RT

[account wrong]
platform = reddit
base_url = $FAKE/reddit
auth_url = $FAKE/reddit
client_id = env:RC
client_secret = env:RS
username = env:RU
password = env:WRONG
EOF2
export CM_CONFIG=$SCRATCH/config
F="timeout 120 cm-fetch"
secrets_absent() {
	lacks "$1" "$RS" && lacks "$1" "$RP" && lacks "$1" "$RT" &&
	lacks "$1" reddit-access- && lacks "$1" "$(printf %s "$RC:$RS" | base64)"
}

ok "mentions: the records are the corpus's, field by field" eval '
	$F r:mentions > men && fake_expect reddit mentions > want && records_match men want'
ok "mentions: Listing pages by after, each asked for once" eval '
	fake_log | jq -r "select(.path == \"/reddit/message/mentions\") | .query" > q &&
	[ "$(wc -l < q)" -ge 3 ] && [ "$(grep -c after=t1_ q)" -eq $(( $(wc -l < q) - 1 )) ] &&
	[ "$(sort -u q | wc -l)" -eq "$(wc -l < q)" ]'
ok "raw_json=1 on every request: text unescaped" eval '
	fake_log | jq -r "select(.path | startswith(\"/reddit/message\")) | .query" | grep -v -c raw_json=1 | grep -qx 0 &&
	jq -r .text men | grep -qF "cache & cookies" && lacks men "&amp;"'
ok "a score below zero is kept (not null)" eval '
	jq -e -s "any(.metrics.likes != null and .metrics.likes < 0)" men > /dev/null'
ok "one password grant with the app's Basic auth, then bearer requests" eval '
	fake_log > lg &&
	[ "$(jq -s "map(select(.path == \"/reddit/api/v1/access_token\")) | length" lg)" -eq 1 ] &&
	jq -e -s "all(.[]; .auth)" lg > /dev/null'
ok "the User-Agent in Reddit's form" eval '
	jq -r .user_agent lg | sort -u > ua && lines ua 1 &&
	grep -Eqx "linux:cm:[0-9][^ ]* \(by /u/acme_support\)" ua'
ok "replies: comment replies and post replies" eval '
	$F r:replies > rep && fake_expect reddit replies > want && records_match rep want &&
	fake_log | grep -q /message/comments && fake_log | grep -q /message/selfreply'
ok "sub:NAME: new posts and new comments, over pages" eval '
	$F r:sub:acmewidgets > sub && fake_expect reddit sub acmewidgets > want &&
	records_match sub want && [ "$(jq -s length sub)" -gt 300 ]'
ok "search:Q" eval '$F r:search:refund > s && fake_expect reddit search refund > want && records_match s want'
ok "own: the account's posts and comments" eval '
	$F r:own > o && fake_expect reddit own > want && records_match o want &&
	jq -e -s "all(.author.is_brand)" o > /dev/null'
post=$(jq -r 'select(.kind == "post" and .metrics.replies > 3) | .id' sub | head -n 1)
post=${post#reddit:}
ok "thread:ID: the post and its comment tree, replies \"\" as none" eval '
	[ -n "$post" ] && $F r:thread:$post > th && fake_expect reddit thread $post > want &&
	records_match th want && [ "$(jq -s length th)" -gt 4 ]'
ok "thread:ID without t3_ is the same thread" eval '
	$F r:thread:${post#t3_} > th2 && fake_expect reddit thread ${post#t3_} > want &&
	records_match th2 want'
ok "a refresh_token account" eval '
	fake_admin DELETE log > /dev/null && $F rt:mentions > rt && fake_expect reddit mentions > want &&
	records_match rt want && [ "$(fake_log | grep -c access_token)" -eq 1 ]'
ok "an expired token (401): a new one, and every record" eval '
	fake_admin DELETE log > /dev/null &&
	fake_fault "{\"path\":\"/reddit/message/mentions\",\"kind\":\"expired\",\"skip\":1}" &&
	$F r:mentions > ex && records_match ex want &&
	[ "$(fake_log | grep -c access_token)" -eq 2 ]'
ok "credentials Reddit refuses: status 1, nothing written, no secret said" eval '
	WRONG=not-the-password-31; export WRONG;
	exits_with 1 $F wrong:mentions > w 2> e && lines w 0 && contains e "wrong:mentions" &&
	lacks e "$WRONG" && secrets_absent e'
ok "--limit N: the N newest" eval '
	$F --limit 9 r:mentions > l && lines l 9 &&
	[ "$(jq -r .id l)" = "$(fake_expect reddit mentions | head -n 9 | jq -r .id)" ]'
ok "--since and --until" eval '
	$F --since 2026-11-01T12:00:00Z --until 2026-11-01T20:00:00Z r:mentions > w &&
	fake_expect reddit mentions | jq -c "select(.created_at >= \"2026-11-01T12:00:00Z\" and .created_at < \"2026-11-01T20:00:00Z\")" > want &&
	records_match w want'
ok "--new: the first run writes every mention" eval '
	$F --new r:mentions > n1 && fake_expect reddit mentions > want && records_match n1 want'
ok "--new: a second run writes nothing" eval '$F --new r:mentions > n2 && lines n2 0'
ok "--new: mentions the server adds later come, once" eval '
	fake_admin POST add "{\"platform\":\"reddit\",\"n\":4}" > /dev/null &&
	$F --new r:mentions > n3 && lines n3 4 &&
	fake_expect reddit mentions | head -n 4 > want && records_match n3 want &&
	$F --new r:mentions > n4 && lines n4 0'
ok "--dry-run: no secret, no request made" eval '
	fake_admin DELETE log > /dev/null &&
	$F --dry-run r:mentions > dr 2>&1 && contains dr access_token && secrets_absent dr &&
	[ -z "$(fake_log)" ]'
ok "-v: the requests said, no secret" eval '
	$F -v --limit 2 r:mentions > /dev/null 2> v && contains v /message/mentions &&
	contains v "Authorization: " && secrets_absent v'
ok "no Authorization after a redirect to another origin" eval '
	fake_admin DELETE log > /dev/null &&
	fake_fault "{\"path\":\"/reddit/message/mentions\",\"kind\":\"redirect\",\"status\":307}" &&
	$F --limit 3 r:mentions > r 2> e; fake_log > lg &&
	jq -e -s "any(.port == \"other\")" lg > /dev/null &&
	jq -e -s "all(.[] | select(.port == \"other\"); .auth == false)" lg > /dev/null'
ok "pacing at the end of an advertised budget: no 429, every record" eval '
	fake_admin POST reset > /dev/null &&
	fake_admin POST budget "{\"platform\":\"reddit\",\"limit\":4,\"window\":2}" > /dev/null &&
	$F r:sub:acmewidgets > p && fake_expect reddit sub acmewidgets > want && records_match p want &&
	[ "$(fake_admin GET stats | jq .overspent)" -eq 0 ] &&
	fake_admin POST budget "{\"platform\":\"reddit\",\"limit\":null}" > /dev/null'
done_testing
