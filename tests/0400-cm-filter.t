#!/bin/bash
# cm-filter: every flag, the jq expression, --unique, --unanswered and its
# read-ahead, --invert, bad input and bad option values, byte-for-byte
# output, and agreement with jq on demo data.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/filter/records.ndjson
T=$FIXTURES/filter/thread.ndjson
BAD=$FIXTURES/filter/bad.ndjson

# picks FILE "N..." ARGS...: cm-filter ARGS FILE exits 0 and writes lines
# N... of FILE (each record's "n" is its line number), in that order, byte
# for byte.
picks() {
	file=$1 want=$2
	shift 2
	cm-filter "$@" "$file" > out 2> err
	st=$?
	[ "$st" -eq 0 ] || { echo "exit status $st"; cat err; return 1; }
	: > want.out
	for n in $want; do sed -n "${n}p" "$file" >> want.out; done
	cmp -s want.out out || {
		echo "got:  $(jq -r .n out | tr '\n' ' ')"
		echo "want: $want"
		cat err
		return 1
	}
}

# refuses MESSAGE ARGS...: cm-filter ARGS exits 2 before reading anything,
# writes nothing, and says MESSAGE.
refuses() {
	msg=$1
	shift
	timeout 20 sh -c 'yes "{}" | cm-filter "$@" > out 2> err' sh "$@"
	st=$?
	[ "$st" -eq 2 ] || { echo "exit status $st"; cat err; return 1; }
	[ ! -s out ] || { echo "wrote:"; head -n 3 out; return 1; }
	contains err "$msg"
}

ok "no test: every record, byte for byte" eval 'cm-filter "$R" > out && cmp "$R" out'
ok "'.' and '' are every record too" eval '
	cm-filter . "$R" > o1 && cmp "$R" o1 && cm-filter "" "$R" > o2 && cmp "$R" o2'
ok "large numbers and spacing are kept" eval '
	cm-filter -p mastodon,reddit "$R" | grep -F "12345678901234567890" > /dev/null &&
	cm-filter -p reddit "$R" | grep -F "{ \"n\" : 3, " > /dev/null'

ok "--platform" picks "$R" "1 4 8 9" --platform mastodon
ok "--platform decodes escapes in the record" picks "$R" "4" -p mastodon -k reply
ok "--platform takes a list" picks "$R" "1 2 4 8 9" -p mastodon,bluesky
ok "--platform given twice joins the lists" picks "$R" "1 2 4 8 9" -p mastodon -p bluesky
ok "--platform ignores the case of its value" picks "$R" "1 4 8 9" -p Mastodon
ok "--kind" picks "$R" "4" --kind reply
ok "--kind takes a list" picks "$R" "1 2 5 7 8 9 10 12" -k post,message
ok "--reason" picks "$R" "11 12" --reason own
ok "--since: RFC 3339, offsets compared as times" picks "$R" "3 4 5 11 12" --since 2026-11-21T08:00:00Z
ok "--until: a date is its midnight, exclusive" picks "$R" "1 8 9 10" --until 2026-11-21
ok "--since and --until: at since, before until" picks "$R" "2 8 9" -S 2026-11-20T11:00:00Z -U 2026-11-22T00:00:00Z
ok "--lang \"*\": any language, not an unknown one" eval '
	printf "%s\n" "{\"lang\":\"en\"}" "{\"lang\":\"pt-BR\"}" "{\"lang\":null}" "{}" > langs.ndjson &&
	cm-filter --lang "*" langs.ndjson > o && lines o 2'
ok "--since/--until: to the whole second, fractions dropped (as documented)" eval '
	echo "{\"created_at\":\"2026-11-24T10:00:00.9Z\"}" > frac.ndjson &&
	cm-filter -S 2026-11-24T10:00:00.5Z frac.ndjson > o && lines o 1 &&
	cm-filter -U 2026-11-24T10:00:00.5Z frac.ndjson > o && lines o 0'
ok "--since: a duration before now" eval '
	t0=$(date +%s); cm-fetch demo:500 > recent && cm-filter --since 24h recent > o &&
	cm-filter -v --since 24h recent > v; t1=$(date +%s)
	[ -s o ] && [ -s v ] && [ $(($(wc -l < o) + $(wc -l < v))) -eq 500 ] &&
	jq -e -s --argjson c $((t0 - 86400)) "all(.created_at | fromdate >= \$c)" o > /dev/null &&
	jq -e -s --argjson c $((t1 - 86400)) "all(.created_at | fromdate < \$c)" v > /dev/null'
ok "--lang: a range matches its subtags, in any case" picks "$R" "1 2 4" --lang en
ok "--lang: a longer range" picks "$R" "2" -l en-gb
ok "--lang: several" picks "$R" "2 5" -l en-GB,pt
ok "--min-followers: at least, null fails, 2e3 counts" picks "$R" "1 4 8 9 11 12" --min-followers 1000
ok "--match: POSIX ERE on the text" picks "$R" "1 7" --match 'refund|money back'
ok "--match sees the text past a NUL" picks "$R" "7" -m 'byte refund$'
ok "--match: escapes decoded, anchored at the start" picks "$R" "4" -m '^say "hi"'
ok "--match given twice: both must match" picks "$R" "1" -m broken -m refund
ok "--ignore-case" picks "$R" "1 3 7" --ignore-case --match REFUND
ok "--ignore-case may come after --match" picks "$R" "1 3 7" -m refund -i
ok "--match in a UTF-8 locale: . is a character" eval '
	LC_ALL=C.UTF-8 cm-filter -m "^say \"hi\" to .mile$" "$R" > o && [ "$(jq .n o)" = 4 ] &&
	LC_ALL=C cm-filter -m "^say \"hi\" to .mile$" "$R" > o && [ ! -s o ]'
ok "--author: handle in any case, @ optional" picks "$R" "1 8 9" --author @ALICE
ok "--author: a handle given with @ in the record" picks "$R" "4" -a dave
ok "--author: author.id" picks "$R" "2 5" -a did:plc:bob,42
ok "--min-priority: at least; strings and absent scores fail" picks "$R" "1 3 5" --min-priority 0.7
ok "--label" picks "$R" "1 5" --label negative
ok "--label takes a list" picks "$R" "2 3" -L positive,neutral
ok "flags combine with AND" picks "$R" "8 9" -p mastodon -k post -U 2026-11-21 -m again

ok "--unique: the first of each id; escaped ids are the same id" picks "$R" "1 2 3 4 5 6 7 10 11 12" --unique
ok "--unique: records without id are never duplicates" picks "$R" "10 11" --unique -p rss,csv
ok "--unique -v: the duplicates" picks "$R" "8 9" --unique -v
ok "--unique: first among the records that pass the rest" picks "$R" "2 3 4 5 6 7 8 10 11 12" --unique '.n != 1'
ok "--unique over a stream read twice" eval '
	cm-fetch --seed 3 demo:3000 > d && cat d d d | cm-filter --unique > o && cmp d o'

ok "--invert: the complement" picks "$R" "2 3 5 6 7 10 11 12" -v -p mastodon
ok "--invert with an expression" picks "$R" "1 2" --invert '.n > 2'

ok "EXPR: passes when truthy" picks "$R" "11 12" '.n > 10'
ok "EXPR: null and false fail, strings pass" picks "$R" "1 2 4 5" '.lang'
ok "EXPR: 0 and \"\" are truthy, as in jq" eval 'picks "$R" "1 2 3 4 5 6 7 8 9 10 11 12" 0 &&
	picks "$R" "1 2 3 4 5 6 7 8 9 10 11 12" "\"\""'
ok "EXPR: any truthy output passes, once" picks "$R" "2" '(false, .n == 2, .n == 2)'
ok "EXPR: no output fails" picks "$R" "" 'empty'
ok "EXPR: fields without the dot (score.priority), with jq's ordering" \
	picks "$R" "1 3 5 6" 'score.priority >= 0.7'
ok "EXPR runs after the flags" picks "$R" "8 9" -p mastodon \
	'if .platform == "mastodon" then .n > 4 else error("EXPR saw a record -p refuses") end'
ok "EXPR output is byte for byte, not re-serialized" eval '
	cm-filter ".n == 1 or .n == 3" "$R" > o && sed -n "1p;3p" "$R" | cmp - o'
ok "EXPR that does not compile: status 2, libjq's message, nothing read" \
	refuses "syntax error" '.a ===='
ok "EXPR: an unknown function is a compile error" refuses "nosuch/1 is not defined" 'nosuch(.x)'
ok "EXPR: a run-time error names file and line, skips the record, status 1" eval '
	cm-filter ".text | test(\"refund\")" "$R" > o 2> err; [ $? -eq 1 ] &&
	contains err "cm-filter: $R:6: jq error: null (null) cannot be matched" &&
	[ "$(wc -l < err)" -eq 1 ] && sed -n "1p;7p" "$R" | cmp - o'
ok "EXPR: the record that failed is not written with -v either" eval '
	cm-filter -v ".text | test(\"refund\")" "$R" > o 2> /dev/null; [ $? -eq 1 ] &&
	[ "$(jq -r .n o | tr "\n" " ")" = "2 3 4 5 8 9 10 11 12 " ]'
ok "EXPR: --rejects keeps the record that failed" eval '
	cm-filter -r rej ".text | test(\"refund\")" "$R" > /dev/null 2>&1; sed -n 6p "$R" | cmp - rej'
ok "EXPR: --strict stops at the first failure" eval '
	cm-filter --strict ".text | test(\"refund\")" "$R" > o 2> err; [ $? -eq 1 ] &&
	sed -n 1p "$R" | cmp - o && [ "$(wc -l < err)" -eq 1 ]'
ok "EXPR: halt_error is an error on that record only" eval '
	cm-filter "if .n == 2 then \"stop here\n\" | halt_error else .n < 4 end" "$R" > o 2> err
	[ $? -eq 1 ] && contains err "$R:2: jq halt_error: stop here" && sed -n "1p;3p" "$R" | cmp - o'
ok "EXPR: halt ends the expression for that record only" eval '
	cm-filter "if .n == 2 or .n == 3 then halt else .n < 6 end" "$R" > o 2> err &&
	[ ! -s err ] && sed -n "1p;4p;5p" "$R" | cmp - o'
# Deeper than libjq's parser goes (256), not than the scanner's (512).
{ head -n 1 "$R"; python3 -c 'print("{\"a\":" + "[" * 300 + "]" * 300 + "}")'; sed -n 2p "$R"; } > deep
ok "EXPR: records deeper than libjq's parser allows are evaluated too" eval '
	cm-filter ".a | length == 1" deep > o 2> err && [ ! -s err ] && sed -n 2p deep | cmp - o'
ok "EXPR: \$ENV is the environment" eval 'CMF_N=5 picks "$R" "5" ".n == (\$ENV.CMF_N | tonumber)"'

ok "--unanswered: inbound, no later brand reply" picks "$T" "3 5 13 15 16" --unanswered
ok "--unanswered -v: the complement, in input order" picks "$T" "1 2 4 6 7 8 9 10 11 12 14" --unanswered -v
ok "--unanswered: replies that fail the flags still answer" picks "$T" "3 13 15 16" --unanswered --kind post
ok "--unanswered with other flags" picks "$T" "3 16" --unanswered -p mastodon
ok "--unanswered with EXPR" picks "$T" "5" --unanswered '.platform == "bluesky"'
ok "--unanswered --unique: one of each id, after the replies" picks "$T" "3 5 13 15" --unanswered --unique
ok "--unanswered --unique -v" picks "$T" "1 2 4 6 7 8 9 10 11 12 14 16" --unanswered --unique -v
ok "--window: a reply counts within the window (stream time)" picks "$T" "3 4 5 7 8 10 13 15 16" --unanswered --window 1h
# Its input stays open while the first record is awaited: the record
# must come before the end of input.  The read's bound only turns a
# cm-filter that holds it into a failure.
ok "--window: written as soon as decided, before the end of input" eval '
	rm -f fifo ofifo; mkfifo fifo ofifo
	cm-filter --unanswered -u --window 1h < fifo > ofifo & p=$!
	exec 3> fifo 4< ofifo
	head -n 7 "$T" >&3
	IFS= read -r -t 120 first <&4; s=$?
	exec 3>&-; cat <&4 > /dev/null; exec 4<&-; wait $p
	[ $s -eq 0 ] && [ "$(printf "%s\n" "$first" | jq -r .n)" = 3 ]'
ok "--hold-limit: beyond it, the oldest go as unanswered, with a warning" eval '
	picks "$T" "1 3 4 5 7 8 10 13 15 16" --unanswered --hold-limit 1 &&
	contains err "more than 1 held" && contains err "10 records were let go"'
ok "--hold-limit large enough: no warning" eval '
	picks "$T" "3 5 13 15 16" --unanswered --hold-limit 1M && [ ! -s err ]'
ok "--unanswered agrees with jq on demo data" eval '
	cm-fetch --seed 5 demo:3000 > d && cm-filter --unanswered d > o &&
	jq -c -s "(reduce (to_entries[] | select(.value.author.is_brand == true and .value.in_reply_to != null)) as \$e
		({}; .[\$e.value.in_reply_to] = \$e.key)) as \$last
		| to_entries[] | select(.value.author.is_brand != true)
		| select((\$last[.value.id] // -1) <= .key) | .value" d > want &&
	[ -s o ] && cmp want o'
ok "--unanswered -v on demo data: the rest, in order" eval '
	cm-filter --unanswered -v d > v && [ $(($(wc -l < o) + $(wc -l < v))) -eq 3000 ] &&
	jq -c -s "map(select(.author.is_brand)) | .[]" d | cmp - <(jq -c -s "map(select(.author.is_brand)) | .[]" v)'

ok "bad lines: named, skipped, status 1; the good ones pass" eval '
	cm-filter -p mastodon "$BAD" > o 2> err; [ $? -eq 1 ] && sed -n "1p;7p" "$BAD" | cmp - o &&
	contains err "cm-filter: $BAD:2: invalid JSON" && contains err "$BAD:3: not a JSON object" &&
	contains err "$BAD:6: invalid JSON" && [ "$(wc -l < err)" -eq 3 ]'
ok "bad lines are not written with -v" eval '
	cm-filter -v -p mastodon "$BAD" > o 2> /dev/null; [ $? -eq 1 ] && sed -n 4p "$BAD" | cmp - o'
ok "--rejects keeps bad lines verbatim" eval '
	cm-filter -r rej "$BAD" > /dev/null 2>&1; sed -n "2p;3p;6p" "$BAD" | cmp - rej'
ok "--strict stops at the first bad line" eval '
	cm-filter --strict "$BAD" > o 2> err; [ $? -eq 1 ] && sed -n 1p "$BAD" | cmp - o'

ok "a file as the first operand is read when it is no expression" eval '
	cm-filter "$R" "$T" > o && cat "$R" "$T" | cmp - o'
ok "stdin, and - among files" eval '
	cm-filter -p x < "$T" > o1 && [ "$(jq -r .n o1 | tr "\n" " ")" = "10 14 " ] &&
	cm-filter . "$R" - < "$T" > o2 && cat "$R" "$T" | cmp - o2'
ok "a first operand that is neither file nor expression: status 2" eval '
	cm-filter nosuch.ndjson > o 2> err; [ $? -eq 2 ] && contains err "nosuch.ndjson: no such file, and not a jq expression"'
ok "a missing file after EXPR: named, the others read, status 1" eval '
	cm-filter . nosuch.ndjson "$R" > o 2> err; [ $? -eq 1 ] && contains err "nosuch.ndjson: No such file" && cmp "$R" o'

ok "--platform: a bad value names the option and the platforms" \
	refuses "--platform: 'twitter' is not a platform (mastodon, bluesky, reddit, hn, youtube, x, discord, rss, csv, demo)" --platform twitter
ok "--kind: a bad value" refuses "--kind: 'tweet' is not a kind (post, reply, comment, message)" -k post,tweet
ok "--reason: a bad value" refuses "--reason: 'dm' is not a reason (mention, reply, quote, search, tag, channel, own)" --reason dm
ok "--label: a bad value" refuses "--label: 'angry' is not a label (positive, neutral, negative)" --label angry
ok "--lang: a bad tag" refuses "--lang: 'english1' is not a language tag (BCP 47, like en, pt-BR" --lang english1
ok "--lang: an empty item" refuses "--lang: '' is not a language tag" --lang en,
ok "--author: empty" refuses "--author: '' is not an author (a handle, @handle or author id" --author @
ok "--since: a bad time names the forms" refuses "--since: 'yesterday' is not a time (RFC 3339 like 2026-11-24T10:00:00Z, a date like 2026-11-24, @SECONDS since the epoch, or a duration ago like 24h, 7d)" --since yesterday
ok "--until: an impossible date" refuses "--until: '2026-13-01' is not a time" --until 2026-13-01
ok "--min-followers: not a whole number" refuses "--min-followers: '-5' is not a whole number" --min-followers -5
ok "--min-priority: out of range" refuses "--min-priority: '1.5' is not a number from 0 to 1 (like 0.7)" --min-priority 1.5
ok "--min-priority: not a number" refuses "--min-priority: '.7' is not a number from 0 to 1" --min-priority .7
ok "--match: not a regular expression" refuses "--match: 'a(' is not a regular expression (POSIX extended" --match 'a('
ok "--window: not a duration" refuses "--window: 'soon' is not a duration (90s, 15m, 24h, 7d, 2w" --unanswered --window soon
ok "--hold-limit: not a size" refuses "--hold-limit: '0' is not a size (bytes, at least 1, or with k, M or G like 64M)" --unanswered --hold-limit 0
ok "--hold-limit: a suffix it does not know" refuses "--hold-limit: '5T' is not a size" --unanswered --hold-limit 5T
ok "--window without --unanswered" refuses "--window applies only with --unanswered" --window 1h
ok "--hold-limit without --unanswered" refuses "--hold-limit applies only with --unanswered" --hold-limit 1M
ok "an unknown option" refuses "Try 'cm-filter --help'" --frobnicate
ok "a rejects file that cannot be written" refuses "/nonexistent/rej" -r /nonexistent/rej

ok "--help on stdout lists every option" eval '
	cm-filter --help > h && for o in author help hold-limit ignore-case invert kind label lang match \
		min-followers min-priority platform reason rejects since strict unanswered unbuffered unique \
		until version window; do grep -q -- "--$o" h || { echo "--$o missing"; exit 1; }; done'
ok "-V prints the version" eval 'cm-filter -V | grep -q "^cm-filter [0-9]"'
ok "-u flushes each record" eval '
	got=$(first_out "$R" cm-filter -u) && [ "$got" = "$(head -n 1 "$R")" ]'
ok "a closed pipe ends it quietly" eval '
	cm-fetch demo:20000 | cm-filter -p mastodon 2> err | head -n 1 > /dev/null; [ ! -s err ]'
ok "/dev/full: clear error, status 1" eval '
	cm-filter "$R" > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error: No space left on device"'

ok_heavy "200,000 demo records: flags agree with jq select, byte for byte" eval '
	cm-fetch --seed 9 demo:200000 > big &&
	cm-filter --platform mastodon big > o && jq -c "select(.platform == \"mastodon\")" big > want &&
	[ -s o ] && cmp want o'
ok_heavy "200,000 demo records: the same jq expression agrees with jq" eval '
	cm-filter ".platform == \"mastodon\"" big > o2 && cmp want o2 &&
	cm-filter "(.metrics.likes // 0) > 3 and .lang == \"en\"" big > o3 &&
	jq -c "select((.metrics.likes // 0) > 3 and .lang == \"en\")" big | cmp - o3'

ok "--since: a bare number is refused, @N is epoch seconds" eval '
	cm-fetch --end $DEMO_END demo:300 > m && cm-filter --since 1795478400 m > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "is ambiguous" && cm-filter --since @1795478400 m > a && cm-filter --since 2026-11-24 m | cmp - a'
ok "an inverted --since/--until range is a usage error" eval '
	cm-filter --until 2026-11-23 --since 2026-11-24 m > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err "--since must be before --until"'
# What no test checked before: memory that does not grow with the input,
# and --strict with the records --unanswered holds.
if [ "${CM_SANITIZED:-0}" = 1 ]; then
	skip "memory does not grow with the input (flags and EXPR)" "ASan keeps freed memory"
else
ok_heavy "memory does not grow with the input (flags and EXPR)" eval '
	cm-fetch --end $DEMO_END demo:2000 > small && cm-fetch --end $DEMO_END demo:300000 > large &&
	/usr/bin/time -f %M -o m1 cm-filter -p mastodon -m refund ".text | length > 3" small > /dev/null &&
	/usr/bin/time -f %M -o m2 cm-filter -p mastodon -m refund ".text | length > 3" large > /dev/null &&
	[ "$(cat m2)" -lt $(( $(cat m1) + 4096 )) ] || { echo "RSS $(cat m1) KB vs $(cat m2) KB"; false; }'
fi
printf '%s\n' '{"id":"a","platform":"x","kind":"post","reason":"mention","created_at":"2026-11-24T10:00:00Z","author":{"is_brand":false},"text":"hi"}' \
	'not json' '{"id":"b","platform":"x","kind":"post","reason":"mention","created_at":"2026-11-24T11:00:00Z","author":{"is_brand":false},"text":"hi"}' > strict-held
ok "--strict with --unanswered: stops at the bad line, held records not written" eval '
	cm-filter --unanswered --strict strict-held > o 2> err; [ $? -eq 1 ] && lines o 0 && lines err 1 &&
	contains err "strict-held:2: invalid JSON"'
ok "--unanswered without --strict: the rest is processed" eval '
	cm-filter --unanswered strict-held > o 2> err; [ $? -eq 1 ] && lines o 2'
ok "a lone - is standard input, not an expression" eval '
	cm-fetch --seed 11 --end $DEMO_END demo:300 > m && cm-filter -p mastodon m > want &&
	[ -s want ] && cat m | cm-filter -p mastodon - > got && cmp want got &&
	cat m | cm-filter -p mastodon - m > got2 && cat want want | cmp - got2 &&
	cat m | cm-filter - > all && cmp m all'

ok "the man page's EXAMPLES run" run_man_examples cm-filter.1

done_testing
