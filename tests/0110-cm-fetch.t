#!/bin/bash
# cm-fetch: the demo source, its options, the state store behind --new.
. "$(dirname "$0")/lib.sh"
F="cm-fetch --end $DEMO_END"

ok "demo defaults to 1000 records" eval '$F demo > d && lines d 1000'
ok "every record is a JSON object" valid_ndjson d
ok "records follow the schema (cm-record(5))" eval '
	jq -e -s "all(
		(.id|type==\"string\") and (.platform|type==\"string\") and
		(.kind|IN(\"post\",\"reply\",\"comment\",\"message\")) and
		(.reason|IN(\"mention\",\"reply\",\"quote\",\"search\",\"tag\",\"channel\",\"own\")) and
		(.created_at|test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$\")) and
		(.url|type==\"string\") and (.author|type==\"object\") and
		(.author.is_brand|type==\"boolean\") and (.text|type==\"string\") and
		(.tags|type==\"array\") and (.mentions|type==\"array\") and (.links|type==\"array\") and
		(.metrics|type==\"object\") and (.source.account|type==\"string\") and
		(.platform as \$p | .id | startswith(\$p + \":\")))" d > /dev/null'
ok "ids are unique" eval '[ "$(jq -r .id d | sort -u | wc -l)" -eq 1000 ]'
ok "created_at ascending, newest at --end" eval '
	jq -r .created_at d > t && sort -c t && [ "$(tail -n 1 t)" \< "2026-11-24T12:00:01Z" ]'
ok "several platforms, languages, brand replies" eval '
	[ "$(jq -r .platform d | sort -u | wc -l)" -ge 6 ] &&
	[ "$(jq -r ".lang // empty" d | sort -u | wc -l)" -ge 3 ] &&
	[ "$(jq -r "select(.author.is_brand and .in_reply_to) | .in_reply_to" d | grep -c .)" -ge 100 ]'
ok "brand replies answer earlier records of the stream" eval '
	jq -r "select(.author.is_brand and .in_reply_to) | .in_reply_to" d | sort > replied &&
	jq -r .id d | sort > ids && [ -z "$(comm -23 replied ids)" ]'
ok "demo:N makes N" eval '$F demo:37 > n && lines n 37'
ok "the same seed gives the same bytes" eval '$F --seed 9 demo:300 > a && $F --seed 9 demo:300 > b && cmp a b'
ok "another seed gives other records" eval '$F --seed 10 demo:300 > c && ! cmp -s a c'
ok "several sources one after the other" eval '$F demo:3 demo:4 > s && lines s 7'
ok "--limit caps each source" eval '$F --limit 2 demo:10 demo:10 > l && lines l 4'
ok "--since and --until select by created_at" eval '
	$F --since 2026-11-23T00:00:00Z --until 2026-11-24T00:00:00Z demo > w &&
	[ -s w ] && jq -e -s "all(.created_at >= \"2026-11-23T00:00:00Z\" and .created_at < \"2026-11-24T00:00:00Z\")" w > /dev/null'
ok "--since takes a duration before now" eval 'cm-fetch --since 1d demo > r && [ -s r ] && [ "$(wc -l < r)" -lt 1000 ]'
ok_heavy "1,000,000 records are valid and unique" eval '
	cm-fetch --end $DEMO_END demo:1000000 > m && lines m 1000000 && [ "$(cut -c1-120 m | jq -R -r "capture(\"\\\"id\\\":\\\"(?<i>[^\\\"]+)\").i" | sort -u | wc -l)" -eq 1000000 ]'

export CM_STATE=$SCRATCH/state/st.db
ok "--new: the first run writes everything" eval '$F --new demo:50 > n1 && lines n1 50'
ok "--new: a second run writes nothing new" eval '$F --new demo:50 > n2 && lines n2 0'
ok "--new: a later run writes only the newer records" eval '
	last=$(jq -r .created_at n1 | sort | tail -n 1) &&
	cm-fetch --new --end 2026-11-24T18:00:00Z demo:50 > n3 && [ -s n3 ] &&
	jq -e -s --arg last "$last" "all(.created_at > \$last)" n3 > /dev/null'
ok "--new keeps the cursor in the state store" \
	eval 'sqlite3 "$CM_STATE" "select count(*) from cursors" | grep -qx 1'
# A quiet source: its newest record stays where the next run reads from,
# however long ago it was first seen, so its id must outlive the 30 days
# seen ids are otherwise kept.  Its records are 40 days old, and seen 31
# days ago.
ok "--new on a source quiet for over 30 days writes its newest record no second time" eval '
	Q=$SCRATCH/state/quiet.db && E=--end=@$(( $(date +%s) - 40 * 86400 )) &&
	CM_STATE=$Q $F --new $E demo:5 > q1 && lines q1 5 &&
	sqlite3 $Q "update seen set first_seen = first_seen - 31 * 86400" &&
	CM_STATE=$Q $F --new $E demo:5 > q2 && lines q2 0 &&
	CM_STATE=$Q $F --new $E demo:5 > q3 && lines q3 0'
ok "a cursor with a mark no time can have: said, started afresh, nothing twice" eval '
	Q=$SCRATCH/state/badmark.db && CM_STATE=$Q $F --new demo:4 > b1 && lines b1 4 &&
	sqlite3 $Q "update cursors set cursor = '"'"'{\"mark\":-9223372036854775808}'"'"'" &&
	CM_STATE=$Q $F --new demo:4 > b2 2> err && lines b2 0 && contains err "starting afresh" &&
	CM_STATE=$Q $F --new demo:4 > b3 2> err && lines b3 0 && lines err 0'
echo "this is not a database, not at all, and it is long enough to tell" > $SCRATCH/garbage.db
cp $SCRATCH/garbage.db $SCRATCH/garbage.orig
ok "a corrupt state store: clear error, status 2, left as it was" eval '
	CM_STATE=$SCRATCH/garbage.db $F --new demo:5 > o 2> err; [ $? -eq 2 ] &&
	contains err "garbage.db" && lines o 0 && cmp $SCRATCH/garbage.db $SCRATCH/garbage.orig'
# A lock holder that says when it holds the lock and lets go when told,
# so that the order is certain: no sleeps decide the outcome.
hold_lock() {
	rm -f lock.in lock.out && mkfifo lock.in lock.out || return 1
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
c.execute("begin exclusive")
print("locked", flush=True)
sys.stdin.readline()
c.execute("commit")' "$CM_STATE" < lock.in > lock.out &
	exec 7> lock.in 8< lock.out && read -r got <&8 && [ "$got" = locked ]
}
let_go() {
	echo >&7; exec 7>&- 8<&-; wait
}
ok "a locked state store: status 75, nothing written, nothing saved" eval '
	before=$(sqlite3 "$CM_STATE" "select group_concat(source || cursor) from cursors") &&
	hold_lock && { $F --new --end 2026-11-25T12:00:00Z demo:5 > o 2> err; s=$?; let_go; } &&
	[ $s -eq 75 ] && contains err "database is locked" && lines o 0 &&
	[ "$(sqlite3 "$CM_STATE" "select group_concat(source || cursor) from cursors")" = "$before" ]'
ok "after the lock is gone, the same run writes the records" eval '
	$F --new --end 2026-11-25T12:00:00Z demo:5 > o && [ -s o ]'
ok "--new to a full disk: status 1, the cursor stays" eval '
	CM_STATE=$SCRATCH/full.db; export CM_STATE;
	$F --new demo:3 > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error" &&
	[ "$(sqlite3 "$CM_STATE" "select count(*) from cursors")" = 0 ] &&
	$F --new demo:3 > o && lines o 3'
# The first run takes its leases before it writes a record, and blocks on
# a full pipe while it holds them: once its first record is read, the
# second run certainly finds the source taken.
ok "two runs at once: the second skips the source, status 75" eval '
	CM_STATE=$SCRATCH/two.db; export CM_STATE; rm -f out.fifo; mkfifo out.fifo;
	cm-fetch --new --end $DEMO_END demo:2000 > out.fifo & pid=$!;
	exec 9< out.fifo;
	IFS= read -r -t 120 one <&9 || { echo "no first record"; exit 1; };
	$F --new demo:2000 > second 2> err; s=$?;
	{ printf "%s\n" "$one"; cat <&9; } > first; exec 9<&-; wait $pid && [ $s -eq 75 ] && lines second 0 &&
	contains err "demo:2000: skipped: another cm-fetch (pid $pid" && lines first 2000'
ok "a lease whose holder is gone is taken over" eval '
	CM_STATE=$SCRATCH/stale.db; export CM_STATE; $F --new demo:1 > /dev/null &&
	sqlite3 "$CM_STATE" "insert into leases values (\"demo:5\", \"$(hostname)\", 999999999, \"1\", 4102444800)" &&
	$F --new demo:5 > o && lines o 5'
unset CM_STATE

ok "an unknown source: usage error, nothing written" eval '
	$F demo:5 twitter:mentions > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err "twitter:mentions: unknown source"'
ok "no source: usage error" exits_with 2 cm-fetch
ok "a bad count names the option" eval 'cm-fetch --limit x demo 2> err; [ $? -eq 2 ] && contains err "--limit: '"'"'x'"'"' is not a whole number"'
ok "a bad demo count is refused" exits_with 2 cm-fetch demo:lots
ok "a bad time names the accepted forms" eval 'cm-fetch --since yesterday demo 2> err; [ $? -eq 2 ] && contains err "RFC 3339"'
ok "a bare number is refused as ambiguous, nothing written" eval '
	cm-fetch --since 1732442400 demo > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err "is ambiguous: write @1732442400"'
ok "@N is seconds since the epoch" eval '
	$F --since @1795478400 demo > o && [ -s o ] && jq -e -s "all(.created_at >= \"2026-11-24T00:00:00Z\")" o > /dev/null &&
	$F --since 2026-11-24T00:00:00Z demo | cmp - o'
ok "an inverted range is a usage error, nothing written" eval '
	$F --since 2026-11-24 --until 2026-11-23 demo > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err "--since is not before --until"'
ok "a config file with a syntax error: status 2, file and line" eval '
	printf "[account acme\nkey = v\n" > bad.conf && cm-fetch -c bad.conf demo:1 > o 2> err; [ $? -eq 2 ] && contains err "bad.conf:1"'
ok "an account lookback that is no duration of at most 30 days: status 2, file and line" eval '
	for v in 31d soon -5m; do
		printf "[account h]\nplatform = hn\n\nlookback = %s\n" "$v" > lb.conf &&
		cm-fetch -c lb.conf --dry-run h:search:acme > o 2> err; [ $? -eq 2 ] && lines o 0 &&
		contains err "lb.conf:4: [account h] lookback = $v" || exit 1
	done &&
	printf "[account h]\nplatform = hn\nlookback = 30d\n" > lb.conf && cm-fetch -c lb.conf --dry-run h:search:acme > o'
ok "a missing named config file is an error" exits_with 2 cm-fetch -c nosuch.conf demo:1
ok "a missing default config file is not" eval 'cm-fetch demo:1 > o && lines o 1'
ok "--help on stdout lists every option" eval '
	cm-fetch --help > h && for o in config end help limit new seed since unbuffered until version; do grep -q -- "--$o" h || exit 1; done'
ok "-V prints the version" eval 'cm-fetch -V | grep -q "^cm-fetch [0-9]"'
ok "a closed pipe ends it quietly" eval 'cm-fetch demo:100000 2> err | head -n 1 > /dev/null; [ ! -s err ]'
ok "/dev/full: clear error, status 1" eval 'cm-fetch demo:100000 > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error: No space left on device"'
# cm-fetch reads no input to block on, and writes what --new covers
# before it saves a cursor: -u shows in its system calls, one write(2) per
# record, where without it the three records go out in one.  (LeakSanitizer
# cannot run under ptrace: leaks are checked by every other test.  Only
# writes of records count: under valgrind or ASan a wrapper shell that
# writes the command line to a file of its own is traced too.)
if command -v strace > /dev/null; then
	ok "-u flushes each record: one write per record" eval '
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=write -e signal=none -o tr cm-fetch -u --end $DEMO_END demo:3 > o &&
		lines o 3 && [ "$(grep -c "write(1, \"{" tr)" -eq 3 ]'
	ok "... and without -u, one write for all three" eval '
		ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=write -e signal=none -o tr cm-fetch --end $DEMO_END demo:3 > o &&
		lines o 3 && [ "$(grep -c "write(1, \"{" tr)" -eq 1 ]'
else
	skip "-u flushes each record: one write per record" "no strace"
	skip "... and without -u, one write for all three" "no strace"
fi

cat > once.cfg <<'CFG'
[account r]
platform = reddit
client_id = "cmd:echo x >> ran && echo id"
client_secret = "cmd:echo y >> ran && echo sec"
username = u
password = "cmd:echo z >> ran && echo pw"
CFG
chmod 600 once.cfg
ok "a cmd: secret runs once in a run, however many parts and steps need it" eval '
	rm -f ran && cm-fetch -c once.cfg --dry-run r:replies > /dev/null && [ "$(sort ran | tr -d "\n")" = xyz ]'

cat > dry.cfg <<'CFG'
[account m]
platform = mastodon
base_url = https://masto.example
token = env:MT
[account r]
platform = reddit
client_id = env:RID
client_secret = env:RSEC
username = ursula
password = env:RPW
CFG
chmod 600 dry.cfg
ok "--dry-run shows the requests up to the feed's, each part named, no secret" eval '
	MT=tok-s3cret RID=id-s3cret RSEC=sec-s3cret RPW=pw-s3cret cm-fetch -c dry.cfg --dry-run m:own r:replies > o 2> err &&
	[ "$(grep -c "^GET https://masto.example/api/v1/accounts/verify_credentials$" o)" = 1 ] &&
	grep -q "^GET https://masto.example/api/v1/accounts/ACCOUNT-ID/statuses?" o &&
	grep -q "^# r:replies comments$" o && grep -q "^# r:replies selfreply$" o &&
	grep -q "^GET https://oauth.reddit.com/message/selfreply?raw_json=1" o &&
	! grep -q s3cret o err && lines err 0'

done_testing
