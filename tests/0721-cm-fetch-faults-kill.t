#!/bin/bash
# cm-fetch --new killed (SIGKILL) mid-run, again and again, then run
# until it completes: nothing lost, nothing twice when the output is one
# file appended to; through a pipe, only the page the man page says may
# come twice does (cm-fetch(1), NEW RECORDS AND RESUMING).
. "$(dirname "$0")/lib.sh"

fake_start || { echo "1..0 # SKIP the fake server does not start"; exit 0; }
export CM_STATE=$SCRATCH/state.db
fake_account mastodon m
export CM_CONFIG=$SCRATCH/config
F="timeout 60 cm-fetch"
NOTIF=/mastodon/api/v1/notifications

# ids FILE: the ids of FILE's records, sorted; a line that is not a
# whole JSON object fails it.
ids() {
	jq -r .id "$1" > "$1.ids" && sort "$1.ids"
}

# finish OUT: --new runs appended to OUT until one exits 0 (at most 5).
finish() {
	local i
	for i in 1 2 3 4 5; do
		$F --new m:mentions >> "$1" 2>> "$1.err" && return 0
	done
	return 1
}

# Under strace (when it runs here), each run's fsync of the output is
# held 150 ms and each write 3 ms: with -u, a page of 40 records takes
# 120 ms to write, so that random kills fall in the middle of pages and
# between a page synced and its cursor saved as often as in requests.
SLOW=
if [ "${CM_VALGRIND:-0}" != 1 ] && [ "${CM_SANITIZED:-0}" != 1 ] &&
    strace -o /dev/null true 2> /dev/null; then
	SLOW="strace -f -o /dev/null -e trace=fsync,write -e inject=fsync:delay_enter=150000 -e inject=write:delay_enter=3000"
fi

# killer OUT ITERATIONS [pipe]: ITERATIONS runs of cm-fetch --new -u,
# each killed at a random point 50 to 650 ms in, new mentions arriving
# on the server between them, and more runs (up to three times as many)
# until the kill has ended half of them: a run that finishes before its
# kill (a fast machine, a short feed) proves nothing.  The number of runs
# that the kill ended (their status 137) is in OUT.killed, of how many
# in OUT.runs.
# A run may be killed while LeakSanitizer checks it at its exit, whose
# tracer then reports the dead threads: the killed runs go unchecked (the
# runs to the end are checked as everywhere).
killer() {
	local out=$1 n=$2 pipe=${3:-} i=0 pid killed=0 st
	local ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
	while [ "$i" -lt "$n" ] ||
	    { [ $((killed * 2)) -lt "$n" ] && [ "$i" -lt $((n * 3)) ]; }; do
		i=$((i + 1))
		rm -f pid
		# sh writes its pid, then execs cm-fetch: the pid is cm-fetch's
		if [ -n "$pipe" ]; then
			( $SLOW sh -c 'echo $$ > pid; exec cm-fetch --new -u m:mentions' |
			    cat >> "$out"; exit "${PIPESTATUS[0]}" ) 2>> "$out.err" &
		else
			$SLOW sh -c 'echo $$ > pid; exec cm-fetch --new -u m:mentions' \
			    >> "$out" 2>> "$out.err" &
		fi
		while [ ! -s pid ]; do sleep 0.01; done
		pid=$(cat pid)
		sleep "0.$(printf %03d $((RANDOM % 600 + 50)))"
		kill -9 "$pid" 2> /dev/null
		wait $!
		st=$?
		[ "$st" -eq 137 ] && killed=$((killed + 1))
		fake_admin POST add "{\"platform\":\"mastodon\",\"n\":$((RANDOM % 80))}" > /dev/null
	done
	echo "$killed" > "$out.killed"
	echo "$i" > "$out.runs"
}

# 100 ms a request: the first run's six pages take most of a second, and
# up to 80 new mentions between runs make one to three pages more; the
# kills fall between requests, in them, and between a page written and
# its cursor saved.
fake_fault "{\"path\":\"$NOTIF\",\"kind\":\"delay\",\"ms\":100}"
ok "20 runs or more, killed at random, then --new to the end: every mention once" eval '
	killer out 20 && finish out &&
	[ "$(cat out.killed)" -ge 5 ] &&
	fake_expect mastodon mentions > want && ids want > want.s &&
	ids out > out.s && test_cmp want.s out.s'
ok "... and a last run writes nothing" eval '
	$F --new m:mentions > last && lines last 0'
echo "# $(cat out.killed) of $(cat out.runs) runs killed mid-run; $(wc -l < out) records; torn pages cut off: $(grep -c "removed the unfinished page" out.err)${SLOW:+ (under strace)}"

# A pipe cannot be read back: a page that a killed run may have written
# is written again, and said.
rm -f state.db
fake_admin POST reset > /dev/null
fake_fault "{\"path\":\"$NOTIF\",\"kind\":\"delay\",\"ms\":60}"
ok "through a pipe, 10 runs or more killed at random: nothing lost" eval '
	killer pout 10 pipe && finish pout &&
	[ "$(cat pout.killed)" -ge 5 ] &&
	fake_expect mastodon mentions > pwant && ids pwant > pwant.s &&
	ids pout | sort -u > pout.s && test_cmp pwant.s pout.s'
ok "... what comes twice is at most a page for each time it was said" eval '
	said=$(grep -c "an interrupted run wrote its last page to a pipe; it is written again here (its records may come twice)" pout.err);
	twice=$(sort pout.ids | uniq -d | wc -l);
	echo "said $said times, $twice records twice"; [ "$twice" -le $((said * 40)) ]'
echo "# pipe: $(cat pout.killed) of $(cat pout.runs) runs killed mid-run; $(sort pout.ids | uniq -d | wc -l) records twice"

# Kills at chosen points, by strace's fault injection: a system call of
# cm-fetch is held 3 s, and cm-fetch killed in it.
# held CALL WHEN OUT [OPTION...]: cm-fetch --new held in the WHEN-th CALL,
# killed there; its output appended to OUT.
held() {
	local call=$1 when=$2 out=$3 spid pid
	shift 3
	rm -f pid
	strace -f -o /dev/null -e trace="$call" \
	    -e inject="$call":delay_enter=3000000:when="$when" \
	    sh -c 'echo $$ > pid; exec cm-fetch --new "$@" m:mentions' sh "$@" \
	    >> "$out" 2>> "$out.err" &
	spid=$!
	while [ ! -s pid ]; do sleep 0.01; done
	pid=$(cat pid)
	sleep 1.5
	kill -9 "$pid"
	wait "$spid"
	return 0
}
if [ "${CM_VALGRIND:-0}" = 1 ] || [ "${CM_SANITIZED:-0}" = 1 ] ||
    ! strace -o /dev/null true 2> /dev/null; then
	skip "killed between a page written and its cursor saved" "no strace here, or a checker under it"
	skip "killed in the middle of a page" "no strace here, or a checker under it"
	skip "a page cut off, then a run whose first source writes at once" "no strace here, or a checker under it"
	skip "a page cut off, then a run of another source, then its own" "no strace here, or a checker under it"
	skip "killed in the middle of a page through a pipe" "no strace here, or a checker under it"
else
	fake_admin POST reset > /dev/null
	fake_expect mastodon mentions > swant && ids swant > swant.s
	# The second page is out and synced (the fsync held) when the kill
	# comes: the next run finds it whole and does not write it again.
	ok "killed between a page written and its cursor saved: the page counts" eval '
		rm -f state.db && held fsync 2 s1 && lines s1 80 &&
		finish s1 && ids s1 > s1.s && test_cmp swant.s s1.s && lacks s1.err "again"'
	# -u writes each record on its own, after the write of the pid by sh:
	# the 51st write is the 10th record of page 2.
	ok "killed in the middle of a page: the part cut off, the page written again" eval '
		rm -f state.db && held write 51 s2 -u && lines s2 49 &&
		finish s2 && ids s2 > s2.s && test_cmp swant.s s2.s &&
		contains s2.err "m:mentions: removed the unfinished page" &&
		contains s2.err "an interrupted run left at the end of the output; it is written again"'
	# The next run has a local source first, which writes at once.
	ok "a page cut off, then a run whose first source writes at once: its records stay" eval '
		rm -f state.db && held write 51 s4 -u && lines s4 49 &&
		$F --new -e 2026-11-24T12:00:00Z demo:3 m:mentions >> s4 2>> s4.err &&
		[ "$(jq -r "select(.source.account != \"m\") | .id" s4 | wc -l)" -eq 3 ] &&
		jq -r "select(.source.account == \"m\") | .id" s4 | sort > s4.s && test_cmp swant.s s4.s &&
		contains s4.err "removed the unfinished page"'
	# The next run to this file is of another source: the torn page is
	# settled then, not later, when that source's own run would cut it
	# off with what the other appended after it.
	ok "a page cut off, then a run of another source, then its own: nothing lost" eval '
		rm -f state.db && held write 51 s5 -u && lines s5 49 &&
		$F --new -e 2026-11-24T12:00:00Z demo:3 >> s5 2>> s5.err && lines s5 43 &&
		$F --new m:mentions >> s5 2>> s5.err &&
		[ "$(jq -r "select(.source.account != \"m\") | .id" s5 | wc -l)" -eq 3 ] &&
		jq -r "select(.source.account == \"m\") | .id" s5 | sort > s5.s && test_cmp swant.s s5.s &&
		contains s5.err "m:mentions: removed the unfinished page"'
	ok "killed in the middle of a page through a pipe: that part comes twice, said" eval '
		rm -f state.db pid &&
		strace -f -o /dev/null -e trace=write -e inject=write:delay_enter=3000000:when=51 \
		    sh -c "echo \$\$ > pid; exec cm-fetch --new -u m:mentions" 2>> s3.err | cat >> s3 &
		while [ ! -s pid ]; do sleep 0.01; done; sleep 1.5; kill -9 $(cat pid); wait;
		lines s3 49 && $F --new m:mentions 2>> s3.err | cat >> s3 &&
		ids s3 | sort -u > s3.s && test_cmp swant.s s3.s &&
		[ "$(sort s3.ids | uniq -d | wc -l)" -eq 9 ] &&
		contains s3.err "m:mentions: an interrupted run wrote its last page to a pipe; it is written again here (its records may come twice)"'
fi
done_testing
