#!/bin/bash
# cm-fetch csv:FILE: rows to records through libcsv, a column mapping from
# an account, bad rows named with file and line, --new by ids.
. "$(dirname "$0")/lib.sh"
export CM_STATE=$SCRATCH/state.db

cat > plain.csv <<'CSV'
id,created_at,text,author.handle,author.name,metrics.likes,lang
1,2026-11-24T10:00:00Z,"hello, @acme #Great https://example.com/a.",jane,Jane Doe,3,en
2,2026-11-24T10:05:00+01:00,"a ""quoted"" word
on two lines",@bob,,,
3,2026-11-24T11:00:00Z,plain,carol,,0,de
CSV
ok "rows become records, in file order" eval '
	cm-fetch csv:plain.csv > o && lines o 3 && valid_ndjson o &&
	[ "$(jq -r .id o | tr "\n" " ")" = "csv:1 csv:2 csv:3 " ]'
ok "fields as the header names them" eval '
	jq -e -s ".[0] | .text == \"hello, @acme #Great https://example.com/a.\" and .author.handle == \"jane\" and
		.author.name == \"Jane Doe\" and .metrics.likes == 3 and .metrics.reposts == null and .lang == \"en\" and
		.platform == \"csv\" and .kind == \"post\" and .reason == \"search\" and .created_at == \"2026-11-24T10:00:00Z\"" o > /dev/null'
ok "quotes, doubled quotes and a newline inside a field" eval '
	jq -e -s ".[1].text == \"a \\\"quoted\\\" word\\non two lines\"" o > /dev/null'
ok "times are normalised to UTC; @ is dropped from a handle; the name defaults to it" eval '
	jq -e -s ".[1] | .created_at == \"2026-11-24T09:05:00Z\" and .author.handle == \"bob\" and .author.name == \"bob\" and .lang == null" o > /dev/null'
ok "source names csv and the file" eval '
	jq -e -s "all(.source.account == \"csv\" and .source.feed == \"plain.csv\")" o > /dev/null'
ok "stdin as -" eval 'cm-fetch csv:- < plain.csv > o2 && jq -c "del(.source)" o > a && jq -c "del(.source)" o2 > b && cmp a b'

printf '%s\n' 'Date;Message;From;Network;Post ID;Link' \
	'24/11/2026 10:00;"Hi @acme, broken again";@dana;X;99;https://x.com/dana/status/99' \
	'24/11/2026 10:30;"Thanks!";acme;x;100;https://x.com/acme/status/100' \
	'not a date;x;eve;x;101;' > export.csv
cat > cfg <<'CFG'
[account sprout]
platform = csv
columns = created_at=Date, text=Message, author.handle=From, platform=Network, id=Post ID, url=Link
delimiter = semicolon
time-format = %d/%m/%Y %H:%M
brand = acme
record-reason = mention
CFG
ok "an account maps columns, delimiter, time format, brand and reason" eval '
	cm-fetch -c cfg sprout:export.csv > o 2> err; [ $? -eq 1 ] && lines o 2 &&
	jq -e -s ".[0] | .id == \"x:99\" and .platform == \"x\" and .created_at == \"2026-11-24T10:00:00Z\" and
		.author.handle == \"dana\" and .author.is_brand == false and .reason == \"mention\" and .url == \"https://x.com/dana/status/99\"" o > /dev/null &&
	jq -e -s ".[1] | .author.is_brand == true and .platform == \"x\" and .source.account == \"sprout\"" o > /dev/null'
ok "a bad row is named with file and line, the rest go on, status 1" eval '
	contains err "cm-fetch: export.csv:4: created_at '"'"'not a date'"'"' is not a time" && lines err 1'

printf 'created_at,text\n2026-11-24T10:00:00Z,"unclosed\n2026-11-24T11:00:00Z,after\n' > broken.csv
ok "a malformed quote: the row named, status 1, no crash" eval '
	cm-fetch csv:broken.csv > o 2> err; [ $? -eq 1 ] && contains err "broken.csv:" && valid_ndjson o'
printf 'created_at,text\n@9999997777776,far\n@253402300799,last\n10000-01-01T00:00:00Z,past\n' > far.csv
ok "a time past 9999-12-31 is refused with its line (it overflowed the order once), the last second of 9999 is read" eval '
	cm-fetch csv:far.csv > o 2> err; [ $? -eq 1 ] && lines o 1 && jq -e ".created_at == \"9999-12-31T23:59:59Z\"" o > /dev/null &&
	contains err "far.csv:2: created_at '"'"'@9999997777776'"'"' is not a time" && contains err "far.csv:4:" && lines err 2'
printf 'created_at,text\n2026-11-24T10:00:00Z,a\n' > noid.csv
ok "no id column: an id made of the row, the same on every import" eval '
	cm-fetch csv:noid.csv > a && cm-fetch csv:noid.csv > b && [ "$(jq -r .id a)" = "$(jq -r .id b)" ] && jq -e "(.id | test(\"^csv:csv-[0-9a-f]{16}$\"))" a > /dev/null'
printf 'name,when\nx,y\n' > nohead.csv
ok "a header without created_at or text: an error naming it" eval '
	cm-fetch csv:nohead.csv > o 2> err; [ $? -eq 1 ] && lines o 0 && contains err "no text column"'
ok "a missing file: status 1 naming it" eval '
	cm-fetch csv:nosuch.csv > o 2> err; [ $? -eq 1 ] && contains err "nosuch.csv: No such file or directory"'
ok "csv with nothing after it is a usage error" eval '
	cm-fetch csv: > o 2> err; [ $? -eq 2 ] && contains err "csv needs a FILE"'
printf '[account bad]\nplatform = csv\ncolumns = nosuch=Col\n' > badcfg
ok "a columns key naming no field: a config error with its line" eval '
	cm-fetch -c badcfg bad:plain.csv > o 2> err; [ $? -eq 2 ] && contains err "badcfg:3: [account bad] columns" && lines o 0'

ok "--new: a second import writes no row again" eval '
	cm-fetch --new csv:plain.csv > n1 && lines n1 3 && cm-fetch --new csv:plain.csv > n2 && lines n2 0'
ok "--new: rows added to the file come out alone" eval '
	echo "4,2026-11-25T00:00:00Z,new row,dan,,," >> plain.csv && cm-fetch --new csv:plain.csv > n3 && lines n3 1 &&
	[ "$(jq -r .id n3)" = csv:4 ]'
ok "--since and --limit apply" eval '
	cm-fetch --since 2026-11-24T10:30:00Z csv:plain.csv > s && lines s 2 && cm-fetch --limit 1 csv:plain.csv > l && lines l 1'
python3 -c '
import sys
print("created_at,text")
for i in range(5000): print("2026-11-24T10:00:00Z,row %d" % i)' > big.csv
ok "5,000 rows, in pages" eval 'cm-fetch csv:big.csv > o && lines o 5000 && [ "$(jq -r .id o | sort -u | wc -l)" -eq 5000 ]'
python3 -c 'print("created_at,text"); print("2026-11-24T10:00:00Z,\"" + "x" * (17 << 20) + "\""); print("2026-11-24T10:00:00Z,after")' > huge.csv
ok "a row over 16 MiB is refused, the next read" eval '
	cm-fetch csv:huge.csv > o 2> err; [ $? -eq 1 ] && contains err "huge.csv:2: a row over" && lines o 1 && [ "$(jq -r .text o)" = after ]'

printf '%s\n' 'platform,id,created_at,text,in_reply_to,thread,kind,reason' \
	'Mastodon,10,2026-11-24T10:00:00Z,root,,,,' \
	'mastodon,11,2026-11-24T10:01:00Z,answer,10,,,' \
	'mastodon,12,2026-11-24T10:02:00Z,deeper,mastodon:11,10,,' \
	'mastodon,13,2026-11-24T10:03:00Z,alone,,10,,' \
	'mastodon,14,2026-11-24T10:04:00Z,odd kind,,,tweet,' \
	'mastodon,15,2026-11-24T10:05:00Z,odd reason,,,,because' > thread.csv
ok "in_reply_to and thread carry the platform's prefix as ids do; the platform cell is read in any case" eval '
	cm-fetch csv:thread.csv > o 2> err; [ $? -eq 1 ] &&
	jq -e -s ".[0].platform == \"mastodon\" and .[1].in_reply_to == \"mastodon:10\" and .[1].thread == \"mastodon:10\" and
		.[2].in_reply_to == \"mastodon:11\" and .[2].thread == \"mastodon:10\" and .[1].kind == \"reply\"" o > /dev/null'
ok "a row that answers nothing has no thread, whatever its thread cell says" eval '
	jq -e -s ".[0].thread == null and .[3].thread == null and .[3].in_reply_to == null" o > /dev/null'
ok "a kind or reason outside cm-record(5) is a bad row" eval '
	lines o 4 && contains err "thread.csv:6: kind '"'"'tweet'"'"' is not one of cm-record(5)" &&
	contains err "thread.csv:7: reason '"'"'because'"'"' is not one of cm-record(5)"'
printf '[account imp]\nplatform = csv\nrecord-reason = whatever\n' > badreason.cfg
ok "record-reason outside cm-record(5): a config error naming file and line" eval '
	cm-fetch -c badreason.cfg imp:thread.csv > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "badreason.cfg:3: [account imp] record-reason: '"'"'whatever'"'"' is not a reason"'

done_testing
