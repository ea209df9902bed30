#!/bin/bash
# cm-reply --send answers every target exactly once: killed with -9 at
# random points of a run of 50 replies, many times, each time followed by
# a run to the end; two senders at once over the same input; and answers
# lost after the server made the post.  The fake Mastodon ignores
# Idempotency-Key here (as some servers of its API do), so that what is
# tested is cm's own ledger and its look on the platform, not the
# server's memory of keys.
. "$(dirname "$0")/lib.sh"

fake_start || { echo "Bail out! the fake server does not start"; exit 1; }
fake_account mastodon acme-masto
fake_account reddit acme-reddit
export CM_CONFIG=$PWD/config
N=50
POST_PATH=/mastodon/api/v1/statuses

# the 50 newest mentions, each with an approved reply
cm-fetch -n $N acme-masto:mentions > mentions.ndjson 2> err || { cat err; exit 1; }
cm-reply -t '"Thanks for the mention, \(first_name)!"' --approve \
    mentions.ndjson > approved.ndjson 2> err || { cat err; exit 1; }

# fresh: a new state store, the server's replies forgotten, keys ignored
fresh() {
	export CM_STATE=$PWD/state-$1.db
	rm -f "$CM_STATE"*
	fake_admin POST reset > /dev/null &&
	fake_admin POST quirks '{"mastodon_ignore_idempotency": true}' > /dev/null
}

# once: the server made exactly one reply to each of the N targets, and
# nothing else.
once() {
	fake_admin GET posts > posts.ndjson || return 1
	jq -r .target posts.ndjson | sort | uniq -c | awk '$1 != 1' > twice
	made=$(jq -r .target posts.ndjson | sort -u | wc -l)
	want=$(jq -r '.id | split(":") | last' approved.ndjson | sort -u)
	got=$(jq -r .target posts.ndjson | sort -u)
	[ ! -s twice ] && [ "$made" -eq $N ] && [ "$want" = "$got" ] || {
		echo "$(wc -l < posts.ndjson) posts to $made targets (want $N, once each)"
		head -n 5 twice
		return 1
	}
}

# all_sent FILE: every record of FILE says its reply was sent, with the
# id of the reply the server made for it.
all_sent() {
	jq -n -e --slurpfile r "$1" --slurpfile p posts.ndjson '
	  ($p | map({key: .target, value: .id}) | from_entries) as $made |
	  ($r | length) == '$N' and
	  all($r[]; .reply.status == "sent" and
	    (.reply.id | split(":") | last) == $made[.id | split(":") | last])' \
	    > /dev/null || {
		jq -c '[.id, .reply.status, .reply.why]' "$1" | grep -v '"sent"' | head -n 5
		return 1
	}
}

ok "a run sends each reply once, and says so of each record" eval '
	fresh one && cm-reply --send --max 100 approved.ndjson > out 2> err &&
	once && all_sent out'
ok "a second run sends nothing and writes the records as sent" eval '
	export CM_STATE=$PWD/state-one.db && cm-reply --send --max 100 approved.ndjson > out2 2> err && once &&
	all_sent out2 && [ "$(jq -r .reply.why out2 | sort -u)" = "sent by an earlier run" ]'

# kill_run I DELAY_MS: a run killed with -9 at a random time (the
# server answering each post DELAY_MS late, so that kills land in the
# middle of posts too), then a run to the end: once, all sent.
kill_run() {
	local i=$1 delay=$2 pid t
	fresh "k$i" || return 1
	[ "$delay" -gt 0 ] && fake_fault '{"path": "'"$POST_PATH"'", "method": "POST", "kind": "delay", "ms": '"$delay"'}'
	cm-reply --send --max 100 approved.ndjson > killed.out 2> killed.err &
	pid=$!
	# somewhere in a run: a run without delays takes some 100 ms,
	# with them about N times the delay
	t=$(( RANDOM % (delay > 0 ? N * delay : 150) ))
	sleep "$(printf '0.%03d' "$t")"
	kill -9 "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	fake_admin DELETE faults > /dev/null
	cm-reply --send --max 100 approved.ndjson > rerun.out 2> rerun.err || {
		echo "the rerun failed:"; cat rerun.err; return 1; }
	once && all_sent rerun.out || { echo "killed after ${t} ms"; return 1; }
}

rounds=12
[ "${CM_VALGRIND:-0}" = 1 ] && rounds=3
for i in $(seq 1 $rounds); do
	delay=0
	[ $((i % 2)) = 0 ] && delay=4
	ok "kill -9 at a random point (round $i, posts ${delay} ms late), then a rerun: one reply per target" \
	    kill_run "$i" "$delay"
done

# posts_seen N: waits (10 s at most) until the server has had N posts.
posts_seen() {
	local i=0
	while [ "$(fake_log | jq -s '[.[] | select(.method == "POST" and
	    (.path | endswith("/statuses")))] | length')" -lt "$1" ]; do
		[ $i -ge 200 ] && { echo "only $(fake_log | grep -c POST) posts came"; return 1; }
		sleep 0.05
		i=$((i + 1))
	done
}

# killed_in FAULT: a run killed while its 11th post hangs on FAULT; the
# ledger then holds one pending claim of a process that is gone.
killed_in() {
	fresh "$1" || return 1
	fake_fault '{"path": "/mastodon/api/v1/statuses", "method": "POST", "kind": "'"$1"'", "skip": 10, "seconds": 30, "ms": 30000}'
	cm-reply --send --max 100 approved.ndjson > killed.out 2> killed.err &
	pid=$!
	posts_seen 11 || return 1
	kill -9 $pid
	wait $pid 2> /dev/null
	fake_admin DELETE faults > /dev/null
	cm-reply --log > log.ndjson &&
	[ "$(jq -s 'map(select(.status == "pending")) | length' log.ndjson)" = 1 ] &&
	[ "$(jq -s 'map(select(.status == "sent")) | length' log.ndjson)" = 10 ] &&
	jq -e 'select(.status == "pending") | .claimed_by.alive == false' log.ndjson > /dev/null || {
		echo "the ledger after the kill:"; cat log.ndjson; return 1; }
	fake_admin DELETE log > /dev/null
	cm-reply --send --max 100 approved.ndjson > rerun.out 2> rerun.err || {
		cat rerun.err; return 1; }
	pending=$(jq -r 'select(.status == "pending") | .target' log.ndjson)
	contains rerun.err "$pending: a send of an earlier run" &&
	once && all_sent rerun.out &&
	# the look came before any post for that target
	fake_log | jq -s -e --arg t "${pending##*:}" '
	  (map(.path | contains($t + "/context")) | index(true)) as $look |
	  $look != null and all(.[:$look][]; .method != "POST")' > /dev/null
}
ok "killed while its post hung unmade: the rerun looks, finds nothing, posts once" eval '
	killed_in stall &&
	[ "$(jq -r "select(.id == \"$pending\") | .reply.why" rerun.out)" = null ]'
ok "killed after its post was made, before the answer: the rerun finds it, posts nothing" eval '
	killed_in late &&
	[ "$(jq -r "select(.id == \"$pending\") | .reply.why" rerun.out)" = "found on the platform: an earlier run'"'"'s send had gone" ]'

# the one-step pipeline of a cron job, killed in a post, then run again
# on input that no longer holds the record (cm-fetch --new): the claim is
# settled all the same
settles_alone() {
	fresh alone || return 1
	fake_fault '{"path": "/mastodon/api/v1/statuses", "method": "POST", "kind": "late", "skip": 4, "ms": 30000}'
	cm-reply -t '"Thanks for the mention, \(first_name)!"' --approve --send mentions.ndjson > killed.out 2> killed.err &
	pid=$!
	posts_seen 5 || return 1
	kill -9 $pid
	wait $pid 2> /dev/null
	fake_admin DELETE faults > /dev/null
	cm-reply -t '"x"' --approve --send /dev/null > rerun.out 2> rerun.err || {
		cat rerun.err; return 1; }
	[ ! -s rerun.out ] && contains rerun.err "the claim an earlier run left is settled: found on the platform," &&
	[ "$(cm-reply --log | jq -s "map(select(.status == \"sent\")) | length")" = 5 ] &&
	[ "$(fake_admin GET posts | wc -l)" = 5 ] &&
	# and the rest, drafted again in one step, go once each
	cm-reply -t '"Thanks for the mention, \(first_name)!"' --approve --send --max 100 mentions.ndjson > out 2> err &&
	once && [ "$(jq -r .reply.why out | grep -c "answered already")" = 5 ]
}
ok "a claim left pending is settled by the next run even without its record" settles_alone

# answers lost after the post was made: the run cannot know; the next
# look finds them
lost_run() {
	fresh lost || return 1
	fake_fault '{"path": "/mastodon/api/v1/statuses", "method": "POST", "kind": "lost", "count": 5, "skip": 3}'
	cm-reply --send --max 100 approved.ndjson > lost.out 2> lost.err
	st=$?
	fake_admin DELETE faults > /dev/null
	# each lost answer was retried after a look: sent in this run
	[ $st -eq 0 ] || { echo "exit status $st"; cat lost.err; return 1; }
	once && all_sent lost.out
}
ok "answers lost after the post: the retry looks first, one reply each" lost_run

ok "five lost answers made five looks that found the post" eval '
	[ "$(grep -c "found on the platform" <(jq -r .reply.why lost.out))" -eq 5 ]'

concurrent() {
	fresh both || return 1
	cm-reply --send --max 100 approved.ndjson > a.out 2> a.err &
	a=$!
	cm-reply --send --max 100 approved.ndjson > b.out 2> b.err &
	b=$!
	wait $a; sa=$?
	wait $b; sb=$?
	[ $sa -eq 0 ] && [ $sb -eq 0 ] || { echo "exit $sa $sb"; cat a.err b.err; return 1; }
	once || return 1
	# each target is sent, in one output at least; where the other
	# run met a claim in flight it left the reply approved, and says so
	jq -s -e --slurpfile b b.out '
	  [., $b] | transpose | all(.[0].reply.status == "sent" or
	    .[1].reply.status == "sent")' a.out > /dev/null || return 1
	cm-reply --send --max 100 approved.ndjson > c.out 2> c.err && once &&
	all_sent c.out
}
for i in 1 2 3; do
	ok "two senders at once over the same input: one reply per target (round $i)" concurrent
done

# The same on Reddit, which has no idempotency key at all: the look among
# the target's replies is all there is.
cm-fetch acme-reddit:mentions acme-reddit:replies > mentions.ndjson 2> err || { cat err; exit 1; }
cm-reply -t '"Thanks for the mention, \(first_name)!"' --approve mentions.ndjson |
    cm-filter --unique 'reply.status == "approved"' > approved.ndjson 2> err || { cat err; exit 1; }
N=$(wc -l < approved.ndjson)
POST_PATH=/reddit/api/comment
ok "reddit: $N approved replies to send" eval '[ "$N" -ge 20 ]'
for i in $(seq 1 $((rounds / 2))); do
	delay=0
	[ $((i % 2)) = 0 ] && delay=4
	ok "reddit: kill -9 at a random point (round $i, comments ${delay} ms late), then a rerun: one reply per target" \
	    kill_run "r$i" "$delay"
done
ok "reddit: two senders at once over the same input: one reply per target" concurrent

done_testing
