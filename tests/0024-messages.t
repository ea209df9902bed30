#!/bin/bash
# The messages every program shares: a usage error is one line and the
# pointer to --help, getopt's messages name the program (not its path),
# --help that cannot be written is an error, a number too large says so.
. "$(dirname "$0")/lib.sh"

for p in cm cm-fetch cm-filter cm-score cm-report; do
	ok "$p: an unknown option: two lines, the program's name, status 2" eval '
		"$CM_BUILD/$p" --no-such-option < /dev/null > o 2> err; [ $? -eq 2 ] && lines o 0 && lines err 2 &&
		[ "$(head -n 1 err)" = "$p: unrecognized option '\''--no-such-option'\''" ] &&
		[ "$(tail -n 1 err)" = "Try '\''$p --help'\'' for more information." ]'
	ok "$p: --help to a full disk: status 1 and a write error" eval '
		"$CM_BUILD/$p" --help > /dev/full 2> err; [ $? -eq 1 ] && contains err "$p: write error: No space left on device"'
	ok "$p: --version to a full disk: status 1" eval '
		"$CM_BUILD/$p" --version > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error"'
done
for po in cm-fetch:--limit cm-filter:--since cm-score:--jobs cm-report:--since; do
	p=${po%%:*} o=${po#*:}
	ok "$p: an option missing its value: two lines, the program's name" eval '
		"$CM_BUILD/$p" $o < /dev/null > out 2> err; [ $? -eq 2 ] && lines err 2 &&
		[ "$(head -n 1 err)" = "$p: option '\''$o'\'' requires an argument" ]'
done
ok "a number too large says so" eval '
	cm-filter -F 1234567890123456789012345 < /dev/null 2> err; [ $? -eq 2 ] && lines err 2 &&
	contains err "cm-filter: --min-followers: '\''1234567890123456789012345'\'' is too large (at most 9223372036854775807)" &&
	cm-fetch --limit 99999999999999999999 demo 2> err; [ $? -eq 2 ] && contains err "is too large (at most 18446744073709551615)" &&
	cm-score --jobs 300 < /dev/null 2> err; [ $? -eq 2 ] && contains err "--jobs: '\''300'\'' is too large (at most 256)"'
ok "a jq expression that does not compile: one line and the pointer" eval '
	echo "{}" | cm-filter ".[" > o 2> err; [ $? -eq 2 ] && lines err 2 &&
	contains err "cm-filter: jq: error: syntax error, unexpected \$end" && contains err "line 1: .[" &&
	echo "{}" | cm-report -c ".[" > o 2> err; [ $? -eq 2 ] && lines err 2'

done_testing
