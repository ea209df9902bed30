#!/bin/bash
# cm-filter's resource limits: --match patterns whose expansion would take
# gigabytes in regcomp are refused, and a jq expression that exhausts
# memory ends the program cleanly (status 2, one line, whole records).
. "$(dirname "$0")/lib.sh"

# At most about 1 GB of address space and 20 s, so that a regression
# fails the test instead of eating the machine.  ASan reserves terabytes
# of address space and valgrind runs its own allocator, so those runs
# skip what needs the limit.
# The jq memory guard is cm's own (a cap on the blocks libjq's allocator
# may take), so it works in any environment: no address-space limit,
# under ASan and under valgrind.  The timeout only keeps a broken guard
# from hanging the suite.
guarded_ok() {
	ok "$@"
}
# A stopped evaluation loses what libjq held only in its own frames
# (cm_jqexpr_test says so): leak checks are off for these runs alone.
guarded() {
	CM_VALGRIND_LEAKS=no ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	    timeout 120 "$@"
}

echo '{"n":1,"text":"aaa"}' > one.nd
seq 3000 | sed 's/.*/{"n":&,"text":"hello"}/' > many.nd

# too_complex WHY PATTERN [ARGS...]: --match PATTERN is refused: status
# 2, nothing written, and why.
too_complex() {
	why=$1 re=$2
	shift 2
	timeout 20 cm-filter "$@" --match "$re" one.nd > out 2> err
	st=$?
	[ "$st" -eq 2 ] || { echo "exit status $st"; cat err; return 1; }
	[ ! -s out ] || { echo "wrote:"; head -n 3 out; return 1; }
	contains err "cm-filter: --match: pattern too complex ($why"
}

# allowed PATTERN: --match PATTERN compiles and runs.
allowed() {
	timeout 20 cm-filter --match "$1" one.nd > out 2> err ||
		{ echo "exit status $?"; cat err; return 1; }
}

size="its expanded size is estimated above 4096"

guarded_ok "--match: a nested bound is refused at once, not compiled" eval '
	for re in "(a{1,32767}){1,32767}" "(a{,32767}){,32767}"; do
		guarded cm-filter --match "$re" one.nd > out 2> err
		st=$?; [ "$st" -eq 2 ] || { echo "$re: exit status $st"; cat err; exit 1; }
		[ ! -s out ] && [ "$(wc -l < err)" -eq 2 ] &&
		contains err "cm-filter: --match: pattern too complex ($size" &&
		contains err "Try '\''cm-filter --help'\''" || exit 1
	done'
ok "--match: a bound's size is its upper bound" eval '
	allowed "a{1,4096}" && too_complex "$size" "a{1,4097}"'
ok "--match: an open bound counts its lower bound plus one" eval '
	allowed "a{4095,}" && too_complex "$size" "a{4096,}" &&
	allowed "a+b*c?" && too_complex "$size" "(a{2048}b?)+"'
ok "--match: {,n} is {0,n}, as glibc reads it" eval '
	allowed "a{,4096}" && too_complex "$size" "a{,4097}" && allowed "a{,}"'
ok "--match: a UTF-8 character is one atom of its bytes" eval '
	e=$(printf "\303\251")
	LC_ALL=C.UTF-8 allowed "$e{1,2048}" && LC_ALL=C.UTF-8 too_complex "$size" "$e{1,2049}"'
ok "--match: nested bounds multiply, a group counts one more" eval '
	allowed "(a{1,63}){1,64}" && too_complex "$size" "(a{1,64}){1,64}"'
ok "--match: stacked bounds multiply" eval '
	allowed "a{64}{64}" && too_complex "$size" "a{64}{65}"'
ok "--match: a bracket expression counts two, up to its real end" eval '
	allowed "[[:alpha:]]{1,2048}" && too_complex "$size" "[[:alpha:]]{1,2049}" &&
	allowed "[]a]{1,2048}" && too_complex "$size" "[]a]{1,2049}" &&
	allowed "[^]a]{1,2048}" && too_complex "$size" "[^]a]{1,2049}" &&
	allowed "[(]{1,2048}" && too_complex "$size" "[(]{1,2049}"'
ok "--match: an escaped brace is no bound" eval '
	allowed "x\\{1,32767}" && too_complex "$size" "x\\{{1,4096}"'
ok "--match: alternatives add up" eval '
	allowed "(a{1,1000}|b{1,1000}|c{1,1000})" &&
	too_complex "$size" "(a{1,2000}|b{1,2000}|c{1,2000})"'
ok "--match: a pattern longer than 4096 bytes" eval '
	allowed "$(printf "%04096d" 0)" &&
	too_complex "longer than 4096 bytes" "$(printf "%04097d" 0)"'
ok "--match: refused with --ignore-case and with a second pattern too" eval '
	too_complex "$size" "a{1,4097}" -i && too_complex "$size" "a{9999}" -m refund'
ok "--match: a syntax error is still reported by regcomp" eval '
	timeout 20 cm-filter --match "(a{1,2}" one.nd > out 2> err; [ $? -eq 2 ] &&
	contains err "--match: '\''(a{1,2}'\'' is not a regular expression"'

# oom EXPR FILE: cm-filter EXPR FILE under the guard, into out and err.
oom() {
	guarded cm-filter "$@" > out 2> err
}

guarded_ok "EXPR out of memory (recursion): status 2, one line, no abort" eval '
	oom "def f: 1 + f; f" one.nd; st=$?
	[ "$st" -eq 2 ] || { echo "exit status $st"; cat err; exit 1; }
	[ ! -s out ] && [ "$(wc -l < err)" -eq 1 ] &&
	contains err "cm-filter: one.nd:1: jq expression ran out of memory"'
guarded_ok "EXPR out of memory: the output ends with the last whole record" eval '
	oom "def f: 1 + f; if .n == 2999 then f else true end" many.nd; st=$?
	[ "$st" -eq 2 ] || { echo "exit status $st"; cat err; exit 1; }
	[ "$(cat err)" = "cm-filter: many.nd:2999: jq expression ran out of memory" ] &&
	head -n 2998 many.nd | cmp - out'
guarded_ok "EXPR out of memory (a growing string), on stdin, with -u" eval '
	guarded cm-filter -u "if .n == 2000 then reduce range(40) as \$i (\"x\"; . + .) | length > 0 else true end" \
		< many.nd > out 2> err; st=$?
	[ "$st" -eq 2 ] || { echo "exit status $st"; cat err; exit 1; }
	[ "$(wc -l < err)" -eq 1 ] && contains err ":2000: jq expression ran out of memory" &&
	head -n 1999 many.nd | cmp - out'
guarded_ok "EXPR out of memory with --unanswered: held records are not written" eval '
	oom --unanswered "def f: 1 + f; if .n == 5 then f else true end" many.nd; st=$?
	[ "$st" -eq 2 ] && [ ! -s out ] && contains err "many.nd:5: jq expression ran out of memory"'

done_testing
