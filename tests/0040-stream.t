#!/bin/bash
# The shared input and output conventions of lib/cli/cli.c, through the stream
# test driver: bad lines reported with file and line, counted, skipped or
# kept, --strict, closed pipes and full disks.
. "$(dirname "$0")/lib.sh"
S=$CM_BUILD/tests/stream

printf '%s\n' '{"id":"a","n":12345678901234567890}' '  {"id":"b" , "x":[1,{"y":null}]}  ' > good.ndjson
printf '{"id":"c"}\r\n{"id":"d"}' > crlf.ndjson
{
	echo '{"id":"1"}'
	echo '{"id":"2","text":"trunc'
	printf '{"id":"3","text":"bad \xff byte"}\n'
	printf '{"id":"4","text":"nul \0 byte"}\n'
	echo ''
	echo '[1,2,3]'
	python3 -c 'print("[" * 100000 + "]" * 100000)'
	echo '{"id":"5"}'
	echo '{"id":"6","a":1,}'
	echo '   '
	echo '{"id":"7"} {"id":"8"}'
	echo '{"id":"9"}'
} > bad.ndjson

ok "valid records pass byte for byte" \
	eval '"$S" good.ndjson > out && test_cmp good.ndjson out'
ok "CRLF lines and a last line without newline are read" \
	eval '"$S" crlf.ndjson > out && printf "%s\n" "{\"id\":\"c\"}" "{\"id\":\"d\"}" > want && test_cmp want out'
ok "bad lines: exit status 1" eval '"$S" bad.ndjson > out 2> err; [ $? -eq 1 ]'
ok "bad lines: the good ones all pass, in order" \
	eval 'printf "%s\n" "{\"id\":\"1\"}" "{\"id\":\"5\"}" "{\"id\":\"9\"}" > want && test_cmp want out'
ok "truncated JSON named with file and line" contains err 'stream: bad.ndjson:2: invalid JSON'
ok "invalid UTF-8 reported" contains err 'bad.ndjson:3: invalid JSON'
ok "NUL byte reported" contains err 'bad.ndjson:4: invalid JSON'
ok "empty and blank lines are skipped silently" \
	eval '! grep -q "bad.ndjson:5:" err && ! grep -q "bad.ndjson:10:" err'
ok "a JSON array is not a record" contains err 'bad.ndjson:6: not a JSON object'
ok "nesting 100,000 deep is refused, not a crash" contains err 'bad.ndjson:7: invalid JSON'
ok "trailing comma refused" contains err 'bad.ndjson:9: invalid JSON'
ok "two values on a line refused" contains err 'bad.ndjson:11: invalid JSON'
ok "one message per bad line" eval '[ "$(wc -l < err)" -eq 7 ]'

ok "--rejects keeps bad lines verbatim" \
	eval '"$S" --rejects rej bad.ndjson > /dev/null 2>&1; sed -n "2,4p;6,7p;9p;11p" bad.ndjson > want && cmp want rej'
ok "--strict stops at the first bad line with status 1" \
	eval '"$S" --strict bad.ndjson > out 2> err; [ $? -eq 1 ] && echo "{\"id\":\"1\"}" > want && test_cmp want out && [ "$(wc -l < err)" -eq 1 ]'

python3 -c 'print("{\"t\":\"" + "x" * 5000 + "\"}")' > long.ndjson
echo '{"id":"after"}' >> long.ndjson
ok "a line over --max-line is reported with its length" \
	eval '"$S" --max-line 1000 long.ndjson > out 2> err; [ $? -eq 1 ] && grep -q "long.ndjson:1: line too long (5008 bytes, limit 1000)" err && grep -q after out'

printf '{"id":"a"}\r\n{bad\r\n{"id":"b"}\n' > crlfbad.ndjson
python3 -c 'import sys; sys.stdout.write("{\"t\":\"" + "y" * 300000 + "\"}\r\n[1]")' > longbad.ndjson
ok "--rejects keeps CRLF line ends and lines over the cap verbatim" \
	eval '"$S" --max-line 1000 --rejects rej crlfbad.ndjson longbad.ndjson > out 2> err; [ $? -eq 1 ] &&
	{ printf "{bad\r\n"; cat longbad.ndjson; echo; } > want && cmp want rej && lines out 2'

ok "a missing file is named, the others are read" \
	eval '"$S" nosuch.ndjson good.ndjson > out 2> err; [ $? -eq 1 ] && grep -q "stream: nosuch.ndjson: No such file or directory" err && test_cmp good.ndjson out'
ok "standard input is read as -" \
	eval '"$S" - < good.ndjson > out && test_cmp good.ndjson out'
ok "a rejects file that cannot be written is a usage error" \
	exits_with 2 "$S" --rejects /nonexistent/dir/rej good.ndjson

# Thousands of bad lines of one kind: ten messages, then one summary.
{ echo '{"id":"first"}'; for i in $(seq 2000); do echo "{\"id\": $i,"; done; echo '[1]'; echo '{"id":"last"}'; } > many-bad.ndjson
python3 -c 'import json
for i in range(300): print(json.dumps({"id": str(i), "tags": ["a"]}, indent=2))' > pretty.ndjson
ok "many bad lines of one kind: 10 shown, then one summary line" eval '
	"$S" --rejects rej many-bad.ndjson > out 2> err; [ $? -eq 1 ] && lines out 2 && lines rej 2001 &&
	[ "$(grep -c "many-bad.ndjson:[0-9]*: invalid JSON" err)" -eq 10 ] &&
	contains err "stream: many-bad.ndjson:12-2001: 1990 more lines rejected the same way (the first: invalid JSON at byte 11: unexpected end of input)" &&
	contains err "many-bad.ndjson:2002: not a JSON object" && lines err 12'
ok "pretty-printed JSON: a few dozen lines of messages, not thousands" eval '
	"$S" pretty.ndjson > out 2> err; [ $? -eq 1 ] && lines out 0 && [ "$(wc -l < err)" -le 30 ] &&
	[ "$(grep -c "more lines rejected the same way" err)" -ge 1 ]'
ok "each file has its own ten" eval '
	"$S" many-bad.ndjson many-bad.ndjson > out 2> err; [ $? -eq 1 ] && lines err 24'
ok "--strict stops at the first, as before" eval '
	"$S" --strict many-bad.ndjson > out 2> err; [ $? -eq 1 ] && lines err 1'

# --rejects truncates its file: one that is also an input or the output
# would lose it, so it is refused before anything is opened for writing.
cp bad.ndjson keep.ndjson
ok "--rejects naming an input: status 2, the input kept" eval '
	"$S" --rejects keep.ndjson good.ndjson keep.ndjson > out 2> err; [ $? -eq 2 ] &&
	cmp keep.ndjson bad.ndjson && lines out 0 && contains err "--rejects keep.ndjson: is also an input (keep.ndjson)"'
ok "--rejects naming an input by another name (a hard link)" eval '
	ln -f keep.ndjson link.ndjson && "$S" --rejects link.ndjson keep.ndjson > out 2> err; [ $? -eq 2 ] && cmp keep.ndjson bad.ndjson'
ok "--rejects naming standard input's file" eval '
	"$S" --rejects keep.ndjson < keep.ndjson > out 2> err; [ $? -eq 2 ] && cmp keep.ndjson bad.ndjson && contains err "(stdin)"'
ok "--rejects naming the output file" eval '
	cp good.ndjson o.ndjson && "$S" --rejects o.ndjson bad.ndjson >> o.ndjson 2> err; [ $? -eq 2 ] && cmp o.ndjson good.ndjson && contains err "is also the output"'
ok "--rejects /dev/null with output to /dev/null is fine" eval '
	"$S" --rejects /dev/null bad.ndjson > /dev/null 2> err; [ $? -eq 1 ]'
for p in cm-score cm-filter cm-report; do
	ok "$p: --rejects naming an input is refused, the input kept" eval '
		$p --rejects keep.ndjson keep.ndjson > out 2> err; [ $? -eq 2 ] && cmp keep.ndjson bad.ndjson'
done

python3 -c '
for i in range(200000): print("{\"id\":\"%d\",\"text\":\"some text here\"}" % i)' > big.ndjson
ok "a closed pipe ends it quietly" \
	eval '"$S" big.ndjson 2> err | head -n 1 > /dev/null; [ ! -s err ]'
ok "a full disk is a clear error and status 1" \
	eval '"$S" big.ndjson > /dev/full 2> err; [ $? -eq 1 ] && grep -q "stream: write error: No space left on device" err'
ok "--set adds a member to every record" \
	eval '"$S" --set "score={\"p\":1}" good.ndjson > out && jq -e -s "all(.score.p == 1)" out > /dev/null && head -n 1 out | grep -q 12345678901234567890'

done_testing
