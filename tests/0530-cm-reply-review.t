#!/bin/bash
# The interactive review (lib/reply/review.c) on a real terminal: tmux
# runs it in a pane, send-keys answers, capture-pane reads the screen.
# Approve, skip, edit (a scripted $EDITOR), quit, the keys that are no
# answer, ^C and ^Z restoring the terminal, and records that try to drive
# the terminal shown harmless.
. "$(dirname "$0")/lib.sh"
R=$CM_BUILD/tests/review

if ! command -v tmux > /dev/null; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

SOCK=$SCRATCH/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2> /dev/null; fake_stop; rm -rf "$SCRATCH"' EXIT
export TMPDIR=$SCRATCH/tmp
mkdir -p "$TMPDIR"
unset VISUAL EDITOR

tx() { tmux -f /dev/null -S "$SOCK" "$@"; }
# screen: what the pane shows, with its scrollback.
screen() { tx capture-pane -p -J -t t -S -1000 2> /dev/null; }
# wait_for TEXT [SECONDS]: polls the screen until TEXT is on it; else
# shows the screen and fails.
wait_for() {
	local i=0 n=$(( ${2:-15} * 10 ))
	until screen | grep -qF -- "$1"; do
		i=$((i + 1))
		if [ "$i" -ge "$n" ]; then
			echo "not on the screen after ${2:-15} s: $1"
			screen | sed '/^$/d' | tail -n 30
			return 1
		fi
		sleep 0.1
	done
}
# The server stays up between panes: one that exits as the last session
# goes can refuse the next one.
tx new-session -d -s keep "sleep 3600"
# start: a fresh 120x40 pane with a shell of its own, ready for input.
start() {
	tx kill-session -t t 2> /dev/null
	tx new-session -d -s t -x 120 -y 40 "bash --norc --noprofile -i" &&
	tx send-keys -t t -l 'echo RE""ADY' && tx send-keys -t t Enter &&
	wait_for READY
}
# run COMMAND: types COMMAND in the pane's shell, then "echo EXIT:$?".
run() { tx send-keys -t t -l "$1; echo EXIT:\$?" && tx send-keys -t t Enter; }
key() { tx send-keys -t t "$@"; }
# The terminal's line mode and echo, on lines the command does not hold.
MODE="stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | sed 's/^/MODE:/'"
# wait_shell: the pane's shell is in the foreground again.
wait_shell() {
	local i=0
	until [ "$(tx display -p -t t '#{pane_current_command}' 2> /dev/null)" = bash ]; do
		i=$((i + 1))
		[ "$i" -lt 150 ] || { echo "the shell is not back"; return 1; }
		sleep 0.1
	done
}
# done_run: the command in the pane has finished.
done_run() { wait_for "EXIT:${1:-0}"; }

rec() {
	# rec ID HANDLE TEXT DRAFT [WHY]
	printf '{"id":"%s","platform":"mastodon","created_at":"2026-12-03T19:50:22Z","url":"https://mastodon.example/@%s/%s","author":{"handle":"%s","name":"N %s"},"text":"%s","score":{"sentiment":-0.5,"label":"negative","intent":"complaint","priority":0.75,"why":["complaint","urgent"]},"reply":{"text":"%s","rule":"support"%s}}\n' \
		"$1" "$2" "$1" "$2" "$2" "$3" "$4" "${5:+,\"why\":\"$5\"}"
}
{
	rec 1 ann 'the app logs me out' 'Hi @ann, sorry about that'
	rec 2 bob 'refund please' 'Hi @bob, we will look'
	rec 3 cy 'where is my order' 'Hi @cy, checking now'
} > three.ndjson

start
run "$R < three.ndjson > out"
wait_for '[a]pprove [e]dit [s]kip [q]uit [?]help:'
ok "the record is shown: number, platform, handle, name, time, url" \
	wait_for '[1] mastodon ann (N ann) 2026-12-03T19:50:22Z https://mastodon.example/@ann/1'
ok "its text, score and why" eval 'screen > s && contains s "  the app logs me out" &&
	contains s "score: negative -0.5 priority 0.75 intent complaint" &&
	contains s "why: complaint, urgent"'
ok "its draft, rule and length" eval 'screen > s && contains s "draft (rule support):" &&
	contains s "  Hi @ann, sorry about that" && contains s "length: 25"'
key '?'
ok "? shows the keys" wait_for 'q  quit: this record and the rest stay drafts'
key x
ok "another key asks again" wait_for 'a, e, s, q or ? (? for help)'
key Up
sleep 0.3
key a
ok "a approves and the next record is shown" wait_for '[2] mastodon bob'
key s
wait_for '[3] mastodon cy'
key a
ok "the run ends" done_run
ok "approve, skip, approve: in order, texts kept" eval 'printf "%s\n" \
	"approved \"Hi @ann, sorry about that\"" "skipped \"Hi @bob, we will look\"" \
	"approved \"Hi @cy, checking now\"" > want && test_cmp want out'
ok "an escape sequence (arrow key) was no answer" eval '! screen | grep -q "^\[a\]pprove.*: \^\["'
# the mode is read once the run has ended, and checked once it is all
# on the screen (under ASan the pane is slow: the run's end alone was no
# sign that stty had printed)
run "$MODE; echo MODE\"\"-READ"
ok "the terminal is in its old mode afterwards" \
	eval 'wait_for MODE-READ && screen > s && contains s "MODE:icanon" && contains s "MODE:echo" && lacks s "MODE:-"'

# quit: this and the rest pass through as drafts
start
run "$R < three.ndjson > out"
wait_for '[1] mastodon ann'
key q
done_run
ok "q: the record asked about and the rest are drafts, unasked" eval 'printf "%s\n" \
	"draft \"Hi @ann, sorry about that\"" "draft \"Hi @bob, we will look\"" \
	"draft \"Hi @cy, checking now\"" > want && test_cmp want out && ! screen | grep -qF "[2] mastodon"'

# edit: $EDITOR rewrites the file; the file is private and removed
cat > ed.sh <<'EOF'
#!/bin/sh
stat -c %a "$1" > "$EDLOG"
printf '%s\n' "$1" >> "$EDLOG"
sed -i 's/sorry about that/so sorry, a fix ships today/' "$1"
EOF
chmod +x ed.sh
EDLOG=$SCRATCH/edlog
start
run "EDLOG='$EDLOG' EDITOR='$SCRATCH/ed.sh' $R < three.ndjson > out"
wait_for '[1] mastodon ann'
key e
ok "e: the edited draft is shown and asked about again" \
	wait_for '  Hi @ann, so sorry, a fix ships today'
ok "the edited draft's header and length" eval 'screen > s && contains s "edited draft (rule support):" && contains s "length: 36"'
key a
wait_for '[2] mastodon bob'
key q
done_run
ok "the approved text is the edited one, trailing newline trimmed" \
	eval 'head -n 1 out > got && echo "approved \"Hi @ann, so sorry, a fix ships today\"" > want && test_cmp want got'
ok "the temporary file was mode 0600, in \$TMPDIR" \
	eval 'test "$(head -n 1 "$EDLOG")" = 600 && sed -n 2p "$EDLOG" | grep -q "^$TMPDIR/"'
ok "and is gone" eval 'test -z "$(ls -A "$TMPDIR")"'

# $VISUAL before $EDITOR; an editor that fails keeps the old text
start
run "EDLOG=/dev/null VISUAL=false EDITOR='$SCRATCH/ed.sh' $R < three.ndjson > out"
wait_for '[1] mastodon ann'
key e
ok "a failing editor (\$VISUAL first) keeps the draft and says so" \
	wait_for 'the editor exited with status 1: the draft is unchanged'
key a
wait_for '[2] mastodon bob'
key q
done_run
ok "the draft sent is the old one" eval 'head -n 1 out | grep -qxF "approved \"Hi @ann, sorry about that\"" && test -z "$(ls -A "$TMPDIR")"'

# an invalid draft: approve refused until edited into a valid one; check()
# judges the edited text
printf '#!/bin/sh\nprintf "%%s\\n\\n\\n" "$NEWTEXT" > "$1"\n' > put.sh
chmod +x put.sh
start
rec 1 ann 'hi' 'Hi @ann, this draft is far too long' 'over the limit' > one.ndjson
run "NEWTEXT='Hi @ann, it is longer still than twenty' EDITOR='$SCRATCH/put.sh' $R --max 20 < one.ndjson > out"
wait_for '[a]pprove'
ok "an invalid draft says why" wait_for 'invalid: over the limit (edit it or skip)'
key a
ok "and cannot be approved" wait_for 'cannot approve: over the limit'
key e
ok "an edited text check() refuses is invalid, with check()'s reason" \
	wait_for 'invalid: 39 bytes, over 20 (edit it or skip)'
key a
wait_for 'cannot approve: 39 bytes, over 20'
key s
done_run
ok "skipped, the edited text kept" eval 'echo "skipped \"Hi @ann, it is longer still than twenty\"" > want && test_cmp want out'

# Signals.  An interactive bash puts the terminal back itself after a job
# dies or stops, so these run under a plain sh that does not (its traps
# keep it alive; its children get the default actions), and the mode is
# read from outside, on the pane's tty.
# start_plain: a fresh pane running the driver under sh.
start_plain() {
	tx kill-session -t t 2> /dev/null
	tx new-session -d -s t -x 120 -y 40 \
		"sh -c 'trap : INT TSTP; $R < three.ndjson > out; echo EXIT:\$?; sleep 600'" &&
	wait_for '[1] mastodon ann'
}
# ttymode: the pane's terminal's line mode and echo, as "icanon echo".
ttymode() {
	stty -F "$(tx display -p -t t '#{pane_tty}' 2> /dev/null)" -a 2> /dev/null | tr ' ' '\n' |
		grep -x -e icanon -e echo -e -icanon -e -echo | tr '\n' ' '
}
# mode_is WANT: the pane's terminal reaches mode WANT.
mode_is() {
	local i=0
	until [ "$(ttymode)" = "$1 " ]; do
		i=$((i + 1))
		[ "$i" -lt 50 ] || { echo "mode: $(ttymode), wanted: $1"; return 1; }
		sleep 0.1
	done
}
start_plain
ok "asking, the terminal is in raw mode (no line editing, no echo)" mode_is "-icanon -echo"
key C-c
ok "^C ends it by SIGINT" wait_for EXIT:130
ok "with the terminal's mode restored" mode_is "icanon echo"

# SIGTERM while asking, and while the editor runs: the terminal and the
# temporary file are cleaned up before it dies
start_plain
ok "asking again, raw mode" mode_is "-icanon -echo"
kill -TERM "$(pgrep -P "$(tx display -p -t t '#{pane_pid}')")"
ok "SIGTERM ends it" wait_for EXIT:143
ok "with the terminal's mode restored" mode_is "icanon echo"
printf '#!/bin/sh\necho $$ > "%s/edpid"; echo EDITING; exec sleep 600\n' "$SCRATCH" > slow.sh
chmod +x slow.sh
tx kill-session -t t 2> /dev/null
tx new-session -d -s t -x 120 -y 40 \
	"sh -c 'trap : INT TERM; EDITOR=$SCRATCH/slow.sh $R < three.ndjson > out; echo EXIT:\$?; sleep 600'"
wait_for '[1] mastodon ann'
key e
wait_for EDITING
ok "the draft is in a temporary file while it is edited" test -n "$(ls -A "$TMPDIR")"
kill -TERM "$(pgrep -P "$(tx display -p -t t '#{pane_pid}')")"
ok "SIGTERM while editing ends it" wait_for EXIT:143
ok "and removes the temporary file" eval 'test -z "$(ls -A "$TMPDIR")"'
kill "$(cat edpid)"

# ^Z: a stop from the terminal is discarded in the orphaned process
# group of a shell without job control, so here sh runs it as a job (set
# -m: dash keeps no terminal modes of its own), then brings it back.
tx kill-session -t t 2> /dev/null
tx new-session -d -s t -x 120 -y 40 \
	"sh -c 'set -m; trap : INT; $R < three.ndjson > out; echo STOP:\$?; read x; fg; echo EXIT:\$?; sleep 600'"
wait_for '[1] mastodon ann'
key C-z
ok "^Z stops it" wait_for STOP:148
ok "with the terminal's mode restored" mode_is "icanon echo"
key Enter
ok "in the foreground again, raw mode again" mode_is "-icanon -echo"
key a
ok "and it asks on" wait_for "[2] mastodon bob"
key q
ok "and the run ends normally" done_run
ok "the terminal as it was" mode_is "icanon echo"


# a record that tries to drive the terminal
printf '%s\n' '{"id":"x","platform":"bluesky","created_at":"2026-12-03T19:50:22Z","url":"https://x.example/\u001b[1m","author":{"handle":"eve\u001b[31mred","name":"E\u009b2J"},"text":"A\u001b[2JB\u001b]0;pwned\u0007C\u202eD\u2066E\rF\u007fG\nsecond line","reply":{"text":"ok \u001b[H","rule":"r\u001b[5m"}}' > evil.ndjson
start
title=$(tx display -p -t t '#{pane_title}')
run "echo MARKER-BEFORE; $R < evil.ndjson > out"
wait_for '[a]pprove'
screen > s
ok "ESC [2J is shown, not obeyed (the screen is not cleared)" \
	eval 'contains s "A\x1b[2JB" && contains s "MARKER-BEFORE"'
ok "ESC ]0;title BEL is shown as text" contains s '\x1b]0;pwned\x07C'
ok "bidi override and isolate shown as code points" contains s '\u202eD\u2066E'
ok "CR and DEL are shown, the newline kept" eval 'contains s "E\rF\x7fG" && grep -qx "  second line" s'
ok "header fields and the draft neutralised too" eval 'contains s "eve\x1b[31mred (E\u009b2J)" &&
	contains s "https://x.example/\x1b[1m" && contains s "  ok \x1b[H" && contains s "draft (rule r\x1b[5m):"'
ok "the pane's title is unchanged" test "$(tx display -p -t t '#{pane_title}')" = "$title"
ok "no colour or attribute reached the pane" eval '! tx capture-pane -p -e -t t | grep -q "$(printf "\033")\["'
key s
done_run
ok "the run ends" eval 'echo "skipped \"ok \\u001b[H\"" > want && test_cmp want out'

# an editor can write anything: invalid UTF-8 is shown as U+FFFD
start
run "NEWTEXT=\"\$(printf 'bad \\377 byte')\" EDITOR='$SCRATCH/put.sh' $R < one.ndjson > out"
wait_for '[a]pprove'
key e
ok "invalid UTF-8 in an edited draft is shown as U+FFFD" wait_for "bad $(printf '\357\277\275') byte"
ok "and has no length" wait_for "length: - (not valid UTF-8)"
key q
done_run

# the text is wrapped to the pane's width at spaces, wide characters
# counted as two columns
words=$(seq -f 'word%02g' 1 40 | tr '\n' ' ')
cjk=$(python3 -c 'print("\u65e5" * 100)')
rec 1 ann "$words" "$cjk" > wide.ndjson
start
run "$R < wide.ndjson > out"
wait_for '[a]pprove'
tx capture-pane -p -t t > s
ok "words are not cut at the pane's edge" eval 'grep "word" s > w && lines w 3 &&
	! grep -vE "^  (word[0-9][0-9] ?)+$" w && ! grep -E "^  .{119}" w'
ok "wide characters fill the line, no more" eval 'grep -F "$(printf "\346\227\245")" s > c && lines c 2 &&
	! grep -v "^  $(printf "\346\227\245")" c && test "$(head -n 1 c)" = "  $(python3 -c "print(\"\\u65e5\" * 59)")"'
key q
done_run

# the length is the platform's: Mastodon counts a link as 23
rec 1 ann 'hi' 'see https://example.com/a/very/long/path/that/goes/on' > url.ndjson
start
run "$R < url.ndjson > out"
ok "a draft's length as its platform counts it" wait_for 'length: 27'
key q
done_run

# cm-reply --review itself, on drafts it made
export CM_STATE=$SCRATCH/state.db CM_CONFIG=$SCRATCH/config
: > config
jq -c 'del(.reply)' three.ndjson > todo.ndjson
jq -c '.author.name = "Bad\u001b[1m"' one.ndjson | jq -c 'del(.reply)' >> todo.ndjson
cm-reply -t '"Hi \(.author.name), thanks!"' todo.ndjson > drafts.ndjson
printf '#!/bin/sh\nsed -i "s/thanks/so sorry/; s/Bad.\\[1m/Bad/" "$1"\n' > fix.sh
chmod +x fix.sh
start
run "CM_STATE='$CM_STATE' CM_CONFIG='$CM_CONFIG' EDITOR='$SCRATCH/fix.sh' cm-reply --review drafts.ndjson > out"
wait_for '[1] mastodon ann'
key a
wait_for '[2] mastodon bob'
key e
wait_for '  @bob Hi N bob, so sorry!'
key a
wait_for '[3] mastodon cy'
key s
ok "cm-reply: an invalid draft is shown with its reason" wait_for 'invalid: a control character (U+001B)'
key a
wait_for 'cannot approve: a control character'
key e
wait_for 'edited draft (rule template):'
key a
done_run
ok "cm-reply --review: approved, edited and approved, skipped, fixed and approved" \
	eval 'jq -r "[.reply.status, .reply.text] | @tsv" out > got && printf "%s\t%s\n" \
	approved "@ann Hi N ann, thanks!" approved "@bob Hi N bob, so sorry!" \
	skipped "@cy Hi N cy, thanks!" approved "@ann Hi Bad, so sorry!" > want && test_cmp want got'
start
run "CM_STATE='$CM_STATE' CM_CONFIG='$CM_CONFIG' cm-reply --review drafts.ndjson > out"
wait_for '[1] mastodon ann'
key q
done_run
ok "cm-reply --review, q: the rest pass through as drafts" \
	eval 'jq -r .reply.status out | sort | uniq -c | tr -s " " > got && printf " 3 draft\n 1 invalid\n" > want && test_cmp want got'

# no terminal at all
ok "without a terminal: exit 2 and a message" \
	eval 'setsid -w "$R" < three.ndjson > out 2> err; [ $? -eq 2 ] && contains err "review: --review needs a terminal: /dev/tty:"'

done_testing
