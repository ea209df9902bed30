#!/bin/bash
# cm-fetch's HTTP layer against the fake server (tests/servers/fake): the
# cap on an answer's size, gzip, --raw, progress on a terminal only, TLS
# with an account's cacert, and the proxies of the environment.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db
fake_account mastodon m && fake_account reddit r
export CM_CONFIG=$SCRATCH/config
# Each run is bounded: a client that loops or waits for ever fails here.
F="timeout 60 cm-fetch --timeout 5"
NOTIF=/mastodon/api/v1/notifications
CAP=16777216		# CM_HTTP_DEFAULT_MAX_BODY, cm-fetch(1)'s 16 MiB

# fake_get PLATFORM PATH: the body of the fake server's answer to GET
# PATH, with the credentials fake_account's PLATFORM account has (for
# Reddit, a token asked for first), and without gzip.
fake_get() {
	python3 - "$FAKE" "$@" <<'PY'
import base64, json, sys, urllib.request
base, plat, path = sys.argv[1:4]
op = urllib.request.build_opener(urllib.request.ProxyHandler({}))
if plat == 'reddit':
    req = urllib.request.Request(
        base + '/reddit/api/v1/access_token',
        data=b'grant_type=password&username=acme_support&password=fake-reddit-pass-5',
        headers={'Authorization': 'Basic ' + base64.b64encode(
            b'fake-client-id:fake-client-secret').decode()})
    tok = json.load(op.open(req, timeout=60))['access_token']
else:
    tok = 'fake-masto-token-9f2c'
req = urllib.request.Request(base + path,
                             headers={'Authorization': 'Bearer ' + tok})
sys.stdout.buffer.write(op.open(req, timeout=60).read())
PY
}

# same OUT WANT: the records of OUT and WANT, each set sorted by id and
# without source.fetched_at and source.account, are the same bytes.
same() {
	jq -S -c 'del(.source.fetched_at, .source.account)' "$1" | sort > "$1.cmp" &&
	jq -S -c 'del(.source.fetched_at, .source.account)' "$2" | sort > "$2.cmp" &&
	[ -s "$1.cmp" ] && test_cmp "$2.cmp" "$1.cmp"
}

# --- the cap on an answer's size ------------------------------------

ok "the cursors after a first --new run" eval '
	$F --new m:mentions r:mentions > n0 && [ "$(wc -l < n0)" -gt 193 ] &&
	sqlite3 state.db "select source, cursor from cursors order by source" > cur0 &&
	grep -q "^m:mentions|" cur0'
ok "an answer over the cap: that source fails, said in one line, status 75" eval '
	fake_admin POST add "{\"platform\":\"mastodon\",\"n\":3}" > /dev/null &&
	fake_admin POST add "{\"platform\":\"reddit\",\"n\":2}" > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"kind\":\"huge\",\"bytes\":$((CAP + 4096)),\"count\":-1}" &&
	exits_with 75 $F --new --max-wait 3 m:mentions r:mentions > big 2> e &&
	contains e "m:mentions: the answer is over $CAP bytes" &&
	[ "$(grep -c "the answer is over" e)" -eq "$(wc -l < e)" ] &&
	lacks e "r:mentions"'
ok "... the other source's records are delivered" eval '
	lines big 2 && fake_expect reddit mentions | head -n 2 > want.r2 && same big want.r2'
ok "... and the failed source's cursor has not moved" eval '
	sqlite3 state.db "select source, cursor from cursors order by source" > cur1 &&
	grep "^m:mentions|" cur0 > c0 && grep "^m:mentions|" cur1 > c1 && test_cmp c0 c1 &&
	fake_admin DELETE faults > /dev/null &&
	$F --new m:mentions > after && fake_expect mastodon mentions | head -n 3 > want.m3 &&
	same after want.m3'
ok "an answer of exactly the cap is read" eval '
	fake_fault "{\"path\":\"$NOTIF\",\"kind\":\"huge\",\"bytes\":$CAP}" &&
	$F --limit 5 m:mentions > exact 2> e && lines exact 0 && [ ! -s e ] &&
	fake_log | jq -e -s "any(.path == \"$NOTIF\")" > /dev/null'
ok "a gzipped answer that inflates past the cap is cut as well" eval '
	fake_admin POST reset > /dev/null &&
	fake_fault "{\"path\":\"$NOTIF\",\"kind\":\"huge\",\"gzip\":true,\"count\":-1}" &&
	exits_with 75 $F --max-wait 3 m:mentions > bomb 2> e && lines bomb 0 &&
	contains e "m:mentions: the answer is over $CAP bytes" &&
	fake_log | jq -e -s "any(.path == \"$NOTIF\" and .gzipped)" > /dev/null &&
	fake_admin DELETE faults > /dev/null'

# --- gzip -----------------------------------------------------------

fake_expect mastodon mentions > want.m
fake_expect reddit mentions > want.r

ok "gzip is asked for, and the answers that came gzipped make the records" eval '
	fake_admin POST reset > /dev/null &&
	$F m:mentions r:mentions > gz && fake_log > lg &&
	jq -e -s "length > 0 and all(.gzip)" lg > /dev/null &&
	jq -e -s "any(.path == \"$NOTIF\" and .gzipped) and
	    any(.path == \"/reddit/message/mentions\" and .gzipped)" lg > /dev/null &&
	cat want.m want.r > want.mr && records_match gz want.mr'
ok "... the same records as from a server that never compresses" eval '
	fake_admin POST reset > /dev/null &&
	fake_admin POST quirks "{\"no_gzip\":true}" > /dev/null &&
	$F m:mentions r:mentions > plain &&
	fake_log | jq -e -s "length > 0 and all(.gzipped | not)" > /dev/null &&
	fake_admin POST reset > /dev/null && same gz plain'

# --- --raw ----------------------------------------------------------

ok "--raw: a Mastodon record carries the status the server sent" eval '
	$F --raw --limit 1 m:mentions > rawm && lines rawm 1 &&
	fake_get mastodon "$NOTIF?types%5B%5D=mention&limit=40" > page.m &&
	id=$(jq -r ".id | split(\":\") | last" rawm) &&
	jq -S -c --arg id "$id" ".[] | select(.status.id == \$id) | .status" page.m > want.raw &&
	lines want.raw 1 && jq -S -c .raw rawm > got.raw && test_cmp want.raw got.raw'
ok "--raw: a Reddit record carries the data of its Thing" eval '
	$F --raw --limit 1 r:mentions > rawr && lines rawr 1 &&
	fake_get reddit "/reddit/message/mentions?raw_json=1&limit=100" > page.r &&
	name=$(jq -r .raw.name rawr) && [ "reddit:$name" = "$(jq -r .id rawr)" ] &&
	jq -S -c --arg n "$name" ".data.children[].data | select(.name == \$n)" page.r > want.raw &&
	lines want.raw 1 && jq -S -c .raw rawr > got.raw && test_cmp want.raw got.raw'
ok "without --raw: no raw member" eval '
	jq -e -s "length > 0 and all(has(\"raw\") | not)" gz > /dev/null'

# --- progress on a terminal only ------------------------------------

# script(1) (util-linux) gives the command a terminal; its output goes to
# tty.out.  Without a pseudo-terminal to be had, there is nothing to test.
if script -qec true /dev/null > /dev/null 2>&1 < /dev/null; then
	ok "stderr on a terminal: the progress of each source is shown" eval '
		script -qec "$F m:mentions > tty.recs" /dev/null > tty.out < /dev/null &&
		contains tty.out "m:mentions: $(wc -l < want.m) records, 5 pages" &&
		contains tty.out "$(printf "\r")" &&
		records_match tty.recs want.m'
else
	skip "stderr on a terminal: the progress of each source is shown" "no pseudo-terminal"
fi
ok "stderr to a file: no progress" eval '
	$F m:mentions > recs 2> err && [ ! -s err ] && records_match recs want.m'
ok "stderr to a pipe: no progress" eval '
	{ $F m:mentions 2>&1 > recs2; } | cat > err2 && [ ! -s err2 ] &&
	records_match recs2 want.m'

# --- whole records with -j 4 ----------------------------------------

# Four sources at once, each record's text over 60 KiB (a pipe holds 64),
# into a pipe that a reader empties a little at a time: a record written
# in pieces between another's would leave a line that is not JSON, or a
# text of another status's words.
ok_heavy "-j 4 into a slow pipe: every line one whole record, none lost" eval '
	fake_admin POST quirks "{\"mastodon_pad\":61440}" > /dev/null &&
	for f in mentions own "search refund" "tag café"; do
		fake_expect mastodon $f; done | jq -r .id | sort > long.want &&
	$F -j 4 m:mentions m:own m:search:refund "m:tag:café" |
	    python3 -c "
import sys, time
while True:
    b = sys.stdin.buffer.read1(16384)
    if not b:
        break
    sys.stdout.buffer.write(b)
    time.sleep(0.001)
" > long &&
	fake_admin POST quirks "{\"mastodon_pad\":0}" > /dev/null &&
	[ "$(wc -l < long)" -eq "$(wc -l < long.want)" ] &&
	jq -r .id long | sort > long.got && test_cmp long.want long.got &&
	jq -e -s "all(.[]; (.id | split(\":\") | last) as \$i |
	    (.text | length) > 61000 and
	    (.text | split(\" \") | map(select(startswith(\"pad-\"))) | unique) ==
	    [\"pad-\" + \$i])" long > /dev/null'

# --- the proxies of the environment ---------------------------------

# proxy_start: tests/servers/proxy.py on a free port (PROXY, PROXY_PID),
# its requests logged to proxy.log.
PROXY_PID=
trap 'proxy_stop; fake_stop; rm -rf "$SCRATCH"' EXIT
proxy_start() {
	local i=0
	python3 "$TESTS_DIR/servers/proxy.py" --port-file proxy.port \
	    --log proxy.log 2> proxy.err &
	PROXY_PID=$!
	while [ ! -s proxy.port ]; do
		kill -0 "$PROXY_PID" 2> /dev/null && [ $i -lt 300 ] ||
		    { cat proxy.err; PROXY_PID=; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	PROXY=http://127.0.0.1:$(cat proxy.port)
}
proxy_stop() {
	[ -z "$PROXY_PID" ] || { kill "$PROXY_PID"; wait "$PROXY_PID"; } 2> /dev/null
	PROXY_PID=
}

if proxy_start; then
	# no_proxy unset: a no_proxy of the caller that names 127.0.0.1
	# would bypass the proxy.
	ok "http_proxy: every request goes through the proxy, the records arrive" eval '
		fake_admin POST reset > /dev/null &&
		env -u no_proxy -u NO_PROXY http_proxy=$PROXY \
		    $F m:mentions r:mentions > px 2> e && records_match px want.mr &&
		n=$(fake_log | wc -l) && [ "$n" -gt 0 ] && lines proxy.log "$n" &&
		jq -e -s --arg o "$FAKE/" "all(.target | startswith(\$o))" proxy.log > /dev/null &&
		jq -e -s "any(.target | contains(\"$NOTIF?\")) and
		    any(.method == \"POST\" and (.target | endswith(\"/reddit/api/v1/access_token\")))" proxy.log > /dev/null'
	ok "... no proxy credentials sent, and the token still goes to the origin" eval '
		jq -e -s "all(.proxy_auth | not)" proxy.log > /dev/null &&
		fake_log | jq -e -s "all(.auth)" > /dev/null'
	ok "no_proxy naming the host: straight to the server" eval '
		: > proxy.log &&
		no_proxy=127.0.0.1 http_proxy=$PROXY $F m:mentions > px2 &&
		records_match px2 want.m && lines proxy.log 0'
	proxy_stop
else
	skip "http_proxy: every request goes through the proxy" "the proxy does not start"
	skip "... no proxy credentials sent" "the proxy does not start"
	skip "no_proxy naming the host: straight to the server" "the proxy does not start"
fi

# --- TLS --------------------------------------------------------------

ok "nothing in cm turns TLS verification off" eval '
	! grep -rnE "CURLOPT_(PROXY_)?SSL_VERIFY(PEER|HOST|STATUS)|CURLSSLOPT_NO_REVOKE|CURLOPT_SSL_OPTIONS" \
	    "$SRC_DIR/lib" "$SRC_DIR/cmd"'

fake_stop
if openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    > openssl.log 2>&1 && fake_start --cert cert.pem --key key.pem; then
	rm -f config state.db
	fake_account mastodon m && echo "cacert = $SCRATCH/cert.pem" >> config
	fake_account mastodon nocert
	ok "https with the account's cacert: the records" eval '
		case $FAKE in https://*) ;; *) false;; esac &&
		$F m:mentions > tls && fake_expect mastodon mentions > want.tls &&
		records_match tls want.tls'
	# No retry: the certificate would be the same; status 1, as for
	# credentials refused, and the other sources go on.
	ok "https without cacert: refused at once, said in one line, status 1" eval '
		fake_admin DELETE log > /dev/null &&
		exits_with 1 $F nocert:mentions m:mentions > tls2 2> e &&
		lines e 1 && contains e "nocert:mentions: the server'"'"'s TLS certificate does not verify" &&
		contains e "certificate problem: self-signed certificate" &&
		contains e "set the account'"'"'s cacert" && lacks e "retrying" &&
		same tls2 want.tls &&
		fake_log | jq -e -s "map(select(.path | endswith(\"/verify_credentials\"))) | length == 1" > /dev/null'
	# The certificate names 127.0.0.1 only: through the name localhost,
	# the same server and the same cacert do not verify.
	ok "a certificate for another host name is refused, cacert or not" eval '
		sed "s|https://127.0.0.1:|https://localhost:|; s|^\\[account m\\]|[account lh]|" config > config.lh &&
		grep -q "^base_url = https://localhost:" config.lh &&
		exits_with 1 $F -c config.lh lh:mentions > lh 2> e && lines lh 0 && lines e 1 &&
		contains e "lh:mentions: the server'"'"'s TLS certificate does not verify" &&
		contains e localhost'
	ok "... nothing written for it, and an unreadable cacert is said too" eval '
		jq -e -s "all(.source.account != \"nocert\")" tls2 > /dev/null &&
		sed -i "s|^cacert = .*|cacert = $SCRATCH/no-such.pem|" config &&
		exits_with 1 $F m:mentions > tls3 2> e && lines tls3 0 && lines e 1 &&
		contains e "m:mentions: the CA file $SCRATCH/no-such.pem cannot be read"'
else
	cat openssl.log
	skip "https with the account's cacert: the records" "openssl or the TLS server failed"
	skip "https without cacert: refused at once, said in one line, status 1" "openssl or the TLS server failed"
	skip "a certificate for another host name is refused, cacert or not" "openssl or the TLS server failed"
	skip "... nothing written for it, and an unreadable cacert is said too" "openssl or the TLS server failed"
fi
done_testing
