# tests/lib.sh - TAP helpers for cm's end-to-end tests, sourced by tests/*.t
#
# Each test runs in a fresh scratch directory with its own HOME, config and
# state, so nothing of the user's leaks in.  CM_BUILD names the directory
# of the programs under test (make check sets it).  With CM_VALGRIND=1 every
# cm program runs under valgrind's memcheck, and a leak or error fails it
# (CM_VALGRIND_LEAKS=no turns the leak check off for one command).

set -u
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(dirname "$TESTS_DIR")
: "${CM_BUILD:=$SRC_DIR/build}"
FIXTURES=$TESTS_DIR/fixtures
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm-test.XXXXXX")
trap 'fake_stop; rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1
export HOME=$SCRATCH/home XDG_CONFIG_HOME=$SCRATCH/home/.config \
	XDG_STATE_HOME=$SCRATCH/home/.local/state
mkdir -p "$HOME"
unset CM_CONFIG CM_STATE CM_LEXICON
# cm-report's zone defaults to $TZ: a test that wants one sets it.
unset TZ
# The locale of the run: C, or CM_TEST_LOCALE for all of it (CI runs the
# suite under en_US.UTF-8 and under de_DE.UTF-8, whose decimal point is a
# comma) but for messages: libc's strerror and getopt words stay in
# English, as the tests compare them.  A locale that is not installed
# would be C again without a word, so it stops the run.
unset LC_ALL LANGUAGE LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY \
	LC_PAPER LC_NAME LC_ADDRESS LC_TELEPHONE LC_MEASUREMENT LC_IDENTIFICATION
export LANG=${CM_TEST_LOCALE:-C} LC_MESSAGES=C
if [ -n "$(locale 2>&1 > /dev/null)" ]; then
	echo "Bail out! the locale $LANG is not installed (locale -a lists those that are)"
	exit 1
fi

PATH=$CM_BUILD:$PATH
# Under valgrind (CM_VALGRIND=1) or a sanitized build (CM_SANITIZED=1),
# each cm program runs through a wrapper that execs it (so its pid is the
# one the test sees) with the memory checker's report going to a file of
# its own, $SCRATCH/mem/PID.log*, beside PID.cmd, the command line.  ok
# fails the test during which a report was written and shows it with the
# command, though the test itself sent the program's stderr elsewhere.
MEM=$SCRATCH/mem
if [ "${CM_VALGRIND:-0}" = 1 ] || [ "${CM_SANITIZED:-0}" = 1 ]; then
	mkdir -p "$SCRATCH/vg" "$MEM"
	for p in "$CM_BUILD"/cm "$CM_BUILD"/cm-*; do
		case $p in *.d) continue;; esac
		[ -x "$p" ] || continue
		if [ "${CM_VALGRIND:-0}" = 1 ]; then
			pre= run="valgrind -q --error-exitcode=99 \
	--leak-check=\${CM_VALGRIND_LEAKS:-full} --errors-for-leak-kinds=definite,indirect \
	--log-file=$MEM/\$\$.log"
		else
			pre="ASAN_OPTIONS=\"\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}log_path=$MEM/\$\$.log\" \
	UBSAN_OPTIONS=\"\${UBSAN_OPTIONS:+\$UBSAN_OPTIONS:}log_path=$MEM/\$\$.log\" " run=
		fi
		cat > "$SCRATCH/vg/${p##*/}" <<VG
#!/bin/sh
printf '%s\\n' "${p##*/} \$*" | head -c 400 > "$MEM/\$\$.cmd"
${pre}exec $run "$p" "\$@"
VG
		chmod +x "$SCRATCH/vg/${p##*/}"
	done
	PATH=$SCRATCH/vg:$PATH
fi
export PATH

# The same fixed "now" for every demo run, so outputs are comparable.
DEMO_END=2026-11-24T12:00:00Z

test_count=0
test_failed=0

# ok DESCRIPTION COMMAND...: runs COMMAND, passes when it exits 0.
ok() {
	desc=$1
	shift
	test_count=$((test_count + 1))
	if ( "$@" ) > "$SCRATCH/.out" 2>&1 && mem_clean > "$SCRATCH/.mem"; then
		echo "ok $test_count - $desc"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $desc"
		mem_clean >> "$SCRATCH/.mem"
		sed 's/^/#   /' "$SCRATCH/.mem" | head -n 60
		sed 's/^/#   /' "$SCRATCH/.out" | head -n 40
	fi
}

# mem_clean: no memory checker's report was written since the last call;
# or prints each, after the command it was for, and fails.  Either way
# the reports are gone after it.
mem_clean() {
	local f found=0
	[ -d "$MEM" ] || return 0
	for f in "$MEM"/*.log*; do
		[ -s "$f" ] || continue
		found=1
		echo "${CM_VALGRIND:+valgrind}${CM_SANITIZED:+ASan/UBSan} report for: $(cat "${f%%.log*}.cmd" 2> /dev/null || echo "(unknown command)")"
		head -n 50 "$f"
	done
	rm -f "$MEM"/*
	[ "$found" = 0 ]
}

# ok_heavy DESCRIPTION COMMAND...: as ok, but skipped under valgrind,
# where a million records would take an hour.
ok_heavy() {
	if [ "${CM_VALGRIND:-0}" = 1 ]; then
		skip "$1" "too slow under valgrind"
	else
		ok "$@"
	fi
}

# skip DESCRIPTION REASON
skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

# test_cmp EXPECTED ACTUAL: files are equal, or show the difference.
test_cmp() {
	diff -u "$1" "$2"
}

# exits_with STATUS COMMAND...: COMMAND exits with exactly STATUS.
exits_with() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "exit status $got, wanted $want" >&2
		return 1
	fi
}

# contains FILE STRING: FILE has STRING (fixed string) somewhere.
contains() {
	grep -qF -- "$2" "$1" || { echo "'$2' not in $1:"; head -n 20 "$1"; return 1; }
}

# lacks FILE STRING
lacks() {
	! grep -qF -- "$2" "$1" || { echo "'$2' found in $1"; return 1; }
}

# lines FILE N: FILE has exactly N lines.
lines() {
	n=$(wc -l < "$1")
	[ "$n" -eq "$2" ] || { echo "$1 has $n lines, wanted $2"; return 1; }
}

# valid_ndjson FILE: every line is one JSON object (checked by jq).
valid_ndjson() {
	jq -e -s 'all(type == "object")' "$1" > /dev/null
}

# first_out INPUT COMMAND...: prints the first line COMMAND writes while
# it still waits for more input: its stdin is a FIFO that is held open
# after the first line of INPUT, so COMMAND is blocked reading it while
# the first line of its output is awaited.  The wait is bounded (60 s,
# for valgrind) only so that a COMMAND that keeps its output buffered
# fails rather than hangs; a COMMAND that flushes passes at once.
first_out() {
	local input=$1 pid got= s
	shift
	rm -f "$SCRATCH/fo.in" "$SCRATCH/fo.out"
	mkfifo "$SCRATCH/fo.in" "$SCRATCH/fo.out" || return 1
	"$@" < "$SCRATCH/fo.in" > "$SCRATCH/fo.out" &
	pid=$!
	exec 8> "$SCRATCH/fo.in" 9< "$SCRATCH/fo.out"
	head -n 1 "$input" >&8
	IFS= read -r -t 60 got <&9
	s=$?
	exec 8>&- 9<&-
	wait "$pid"
	[ "$s" -eq 0 ] || { echo "no output while the input was open" >&2; return 1; }
	printf '%s\n' "$got"
}

# run_man_examples PAGE: runs the EXAMPLES of man/PAGE (or of the file
# PAGE, when it names a path) and checks that they print what it shows.
#
# In each .Bd -literal block of the EXAMPLES section, a line "$ COMMAND"
# is a command.  As in the shell, it goes on on the lines right after it
# that start with ">" (a here-document, an open quote), and on the next
# line after a backslash.  The lines after it, up to the next "$ " line
# or .Ed, are what it prints, standard output and standard error
# together, and must be exactly that (a carriage return before a newline,
# as in CSV, is dropped: a terminal does not show it), but for notations
# that a reader of the page understands too (cm(7) explains them):
#
#   ...              a line of its own (\&... in roff): any lines, or none
#   text...text      "..." within a line: any text here (a path, a time)
#   (exit status N)  the last line: the command exits with status N
#
# A command without an exit status shown must exit 0.  The commands run
# one by one, in order, in one bash with errexit and pipefail, so that a
# command that fails in the middle of a list, or at the start of a
# pipeline, fails the page; a command that SIGPIPE ended because a later
# one in its pipeline (head) had read enough is no failure.  Stdin is
# /dev/null; the directory is a fresh one, which is also HOME; an
# "export" or "cd" holds for the commands after it.  A command that shows
# an exit status runs in a bash of its own.  A block with no "$ " line
# (a file's contents, a sketch) is not run.  Roff escapes are read as
# the page renders them (\e \- \& \(aq \(dq \(ti \(ha \(ga); any other
# escape, or a request inside a block, fails the page rather than be run
# as something the reader does not see.
run_man_examples() {
	case $1 in */*) page=$1;; *) page=$SRC_DIR/man/$1;; esac
	ex=$(mktemp -d "$SCRATCH/examples.XXXXXX")
	mkdir "$ex/run" "$ex/run/.config" "$ex/run/.local" "$ex/run/.local/state"
	LC_ALL=C awk -v dir="$ex" '
		function unescape(s) {
			gsub(/\\e/, "\001", s)
			gsub(/\\-/, "-", s)
			gsub(/\\&/, "", s)
			gsub(/\\\(aq/, "'"'"'", s)
			gsub(/\\\(dq/, "\"", s)
			gsub(/\\\(ti/, "~", s)
			gsub(/\\\(ha/, "^", s)
			gsub(/\\\(ga/, "`", s)
			if (index(s, "\\")) {
				printf "line %d: an escape the runner does not know: %s\n", NR, s > "/dev/stderr"
				bad = 1
			}
			gsub(/\001/, "\\", s)
			return s
		}
		/^\.Sh / { ex = ($0 ~ /^\.Sh EXAMPLES/); lit = 0; next }
		!ex { next }
		/^\.Bd -literal/ { lit = 1; cont = incmd = cur = 0; next }
		lit && /^\.Ed/ { lit = 0; cur = 0; next }
		!lit { next }
		/^[.'"'"']/ {
			printf "line %d: a request inside an example: %s\n", NR, $0 > "/dev/stderr"
			bad = 1
			next
		}
		{ line = unescape($0) }
		(cont || incmd) && (cont || /^>( |$)/) {
			sub(/^>( |$)/, "", line)
			print line > (dir "/" cur ".sh")
			cont = (line ~ /\\$/)
			next
		}
		/^\$ / {
			cur = ++n
			line = substr(line, 3)
			print line > (dir "/" cur ".sh")
			printf "" > (dir "/" cur ".want")
			cont = (line ~ /\\$/)
			incmd = 1
			next
		}
		cur { print line > (dir "/" cur ".want"); incmd = 0 }
		END { print n + 0 > (dir "/count"); exit bad }
	' "$page" || { echo "$page: cannot read its EXAMPLES"; return 1; }
	n=$(cat "$ex/count")
	[ "$n" -gt 0 ] || { echo "no examples in $page"; return 1; }
	i=1
	while [ "$i" -le "$n" ]; do
		status=$(sed -n '$s/^(exit status \([0-9][0-9]*\))$/\1/p' "$ex/$i.want")
		if [ -n "$status" ]; then
			sed -i '$d' "$ex/$i.want"
			echo "$status" > "$ex/$i.wantstatus"
		fi
		i=$((i + 1))
	done
	# errexit, but for SIGPIPE (141) in a pipeline whose last command
	# succeeded: the ERR trap fires where errexit would, and sees each
	# status of the pipeline.  An eval that ran such a pipeline returns
	# its 141 alone, and is forgiven too: a command's own output is a
	# file here, never a closed pipe.
	cat > "$ex/prelude.sh" <<'PRELUDE'
set -o pipefail -o errtrace
cm_ex_err() {
	local s=$? ps=("${PIPESTATUS[@]}") p
	if [ "${#ps[@]}" -eq 1 ]; then
		[ "$s" = 141 ] && return 0
	elif [ "${ps[-1]}" = 0 ]; then
		for p in "${ps[@]}"; do
			[ "$p" = 0 ] || [ "$p" = 141 ] || exit "$s"
		done
		return 0
	fi
	exit "$s"
}
trap cm_ex_err ERR
PRELUDE
	cat > "$ex/driver.sh" <<'DRIVER'
. "$EX/prelude.sh"
trap 'echo "$cm_ex_i $?" > "$EX/done"' EXIT
for ((cm_ex_i = 1; cm_ex_i <= CM_EX_N; cm_ex_i++)); do
	if [ -f "$EX/$cm_ex_i.wantstatus" ]; then
		trap - ERR
		bash -c '. "$EX/prelude.sh"; eval "$(cat "$1")"' sh \
		    "$EX/$cm_ex_i.sh" > "$EX/$cm_ex_i.out" 2>&1
		echo $? > "$EX/$cm_ex_i.status"
		trap cm_ex_err ERR
	else
		eval "$(cat "$EX/$cm_ex_i.sh")" > "$EX/$cm_ex_i.out" 2>&1
	fi
done
cm_ex_i=0
DRIVER
	( cd "$ex/run" && unset CM_STATE CM_CONFIG CM_LEXICON &&
	  EX=$ex CM_EX_N=$n HOME=$ex/run XDG_CONFIG_HOME=$ex/run/.config \
	  XDG_STATE_HOME=$ex/run/.local/state bash "$ex/driver.sh" < /dev/null )
	read -r failed status < "$ex/done" || { echo "$1: the examples' shell died"; return 1; }
	if [ "$failed" != 0 ]; then
		echo "$1: example $failed exited $status:"
		sed 's/^/  $ /' "$ex/$failed.sh"
		tail -n 20 "$ex/$failed.out"
		return 1
	fi
	i=1
	while [ "$i" -le "$n" ]; do
		if [ -f "$ex/$i.wantstatus" ] &&
		    [ "$(cat "$ex/$i.status")" != "$(cat "$ex/$i.wantstatus")" ]; then
			echo "$1: example $i exited $(cat "$ex/$i.status"), the page shows $(cat "$ex/$i.wantstatus"):"
			sed 's/^/  $ /' "$ex/$i.sh"
			tail -n 20 "$ex/$i.out"
			return 1
		fi
		if ! output_matches "$ex/$i.want" "$ex/$i.out"; then
			echo "$1: example $i printed other than the page shows:"
			sed 's/^/  $ /' "$ex/$i.sh"
			diff -u "$ex/$i.want" "$ex/$i.out" | tail -n +3 | head -n 40
			return 1
		fi
		i=$((i + 1))
	done
}

# output_matches WANT GOT: GOT is WANT, with its "..." placeholders
# (see run_man_examples) standing for any lines or any text in a line.
output_matches() {
	perl -e '
		local $/;
		open(my $w, "<", $ARGV[0]) or die "$ARGV[0]: $!\n";
		open(my $g, "<", $ARGV[1]) or die "$ARGV[1]: $!\n";
		my ($want, $got) = (<$w>, <$g>);
		$got =~ s/\r\n/\n/g;
		my $re = "";
		for my $line ($want =~ /([^\n]*)\n/g) {
			$re .= $line eq "..." ? "(?:.*\\n)*?" :
			    join(".*?", map { quotemeta } split(/\.\.\./, $line, -1)) . "\\n";
		}
		exit($got =~ /\A$re\z/ ? 0 : 1);
	' "$1" "$2"
}

# fake_start [OPTION...]: starts the fake-platform server
# (tests/servers/fake, its README says what it serves) on two free ports
# of 127.0.0.1, with OPTIONs passed on (--mastodon N, --seed S, ...), and
# waits until it listens.  Sets FAKE (http://127.0.0.1:PORT, its main
# origin), FAKE_OTHER (the second port: another origin, for redirects)
# and FAKE_PID.  The server stops when the test ends, or at fake_stop.
# With --cert FILE --key FILE it serves https: FAKE is https://..., and
# fake_admin trusts FILE (FAKE_CACERT).
FAKE_PID=
fake_start() {
	local i=0 scheme=http a prev=
	for a in "$@"; do
		[ "$prev" = --cert ] && { scheme=https; export FAKE_CACERT=$a; }
		prev=$a
	done
	rm -f "$SCRATCH/fake.port"
	python3 "$TESTS_DIR/servers/fake/fakeplat.py" \
	    --port-file "$SCRATCH/fake.port" "$@" 2> "$SCRATCH/fake.err" &
	FAKE_PID=$!
	# the file appears whole (written, then renamed) once it listens
	while [ ! -s "$SCRATCH/fake.port" ]; do
		if ! kill -0 "$FAKE_PID" 2> /dev/null || [ $i -ge 300 ]; then
			echo "fake server did not start:" >&2
			cat "$SCRATCH/fake.err" >&2
			FAKE_PID=
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	read -r FAKE_PORT FAKE_OTHER_PORT < "$SCRATCH/fake.port"
	FAKE=$scheme://127.0.0.1:$FAKE_PORT
	FAKE_OTHER=$scheme://127.0.0.1:$FAKE_OTHER_PORT
}

# fake_stop: stops the server fake_start started, if it runs.
fake_stop() {
	if [ -n "${FAKE_PID:-}" ]; then
		kill "$FAKE_PID" 2> /dev/null
		wait "$FAKE_PID" 2> /dev/null
		FAKE_PID=
	fi
	return 0
}

# fake_account PLATFORM NAME [BASE]: appends to ./config an [account NAME]
# that the fake server's PLATFORM (mastodon or reddit) accepts, its
# secrets in the environment (exported here), its base URL $FAKE's or
# BASE (a dead port, say).
fake_account() {
	local base=${3:-$FAKE}
	export MT=fake-masto-token-9f2c RID=fake-client-id \
	    RSEC=fake-client-secret RU=acme_support RP=fake-reddit-pass-5
	[ -s config ] && echo >> config
	case $1 in
	mastodon) printf '%s\n' "[account $2]" "platform = mastodon" \
	    "base_url = $base/mastodon" "handle = acme" "token = env:MT" ;;
	reddit) printf '%s\n' "[account $2]" "platform = reddit" \
	    "base_url = $base/reddit" "auth_url = $base/reddit" \
	    "client_id = env:RID" "client_secret = env:RSEC" \
	    "username = env:RU" "password = env:RP" "handle = acme_support" ;;
	*) echo "fake_account: no such platform: $1" >&2; return 1 ;;
	esac >> config
}

# fake_admin METHOD CALL [JSON]: one call of the server's admin API
# (/_admin/CALL), its answer on stdout; fails on an HTTP error.
fake_admin() {
	python3 "$TESTS_DIR/servers/fake/admin.py" "$FAKE" "$@"
}

# fake_fault JSON: injects a fault (see the server's README).
fake_fault() {
	fake_admin POST fault "$1" > /dev/null
}

# fake_log: the server's request log, one JSON object a line.
fake_log() {
	fake_admin GET log
}

# fake_expect PLATFORM FEED [ARG]: the records cm-fetch must make of the
# feed, as the server's corpus says, one a line, newest first.
fake_expect() {
	fake_admin GET expect "platform=$1" "feed=$2" ${3+"arg=$3"}
}

# records_match OUT WANT: the records of OUT (cm-fetch's, their
# source.fetched_at and source.account aside) are those of WANT
# (fake_expect's), matched by id, field by field; the differences are
# shown one a line.
records_match() {
	jq -n -c --slurpfile a "$1" --slurpfile b "$2" '
	  ($a | map(del(.source.fetched_at, .source.account)) | INDEX(.id)) as $A |
	  ($b | INDEX(.id)) as $B |
	  (([$A | keys[]] - [$B | keys[]])[] | "not wanted: " + .),
	  (([$B | keys[]] - [$A | keys[]])[] | "missing: " + .),
	  ($A | keys[] as $k | select($B[$k] != null) |
	    ([$A[$k], $B[$k]] | map([paths(type != "object")]) | add | unique[]) as $p |
	    select(($A[$k] | getpath($p)) != ($B[$k] | getpath($p))) |
	    {id: $k, field: ($p | map(tostring) | join(".")),
	     got: ($A[$k] | getpath($p)), want: ($B[$k] | getpath($p))})' > "$SCRATCH/.diff" &&
	[ "$(jq -s length "$1")" -gt 0 ] &&
	[ "$(jq -r .id "$1" | sort | uniq -d | wc -l)" -eq 0 ] &&
	[ "$(jq -s length "$1")" -eq "$(jq -s length "$2")" ] &&
	[ ! -s "$SCRATCH/.diff" ] || {
		echo "$1: $(jq -s length "$1") records, $2: $(jq -s length "$2")"
		jq -r .id "$1" | sort | uniq -d | sed 's/^/twice: /' | head -n 5
		head -n 20 "$SCRATCH/.diff"
		return 1
	}
}

done_testing() {
	# reports of programs run outside any ok, or still running at its end
	if ! mem_clean > "$SCRATCH/.mem"; then
		test_count=$((test_count + 1))
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - no memory errors outside the tests above"
		sed 's/^/#   /' "$SCRATCH/.mem" | head -n 60
	fi
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

# ---- a real Bluesky network on loopback (tests/servers/bsky) ----
#
# bsky_start [--rate-limits] starts the reference PLC, PDS and AppView of
# @atproto/dev-env on 127.0.0.1 over a PostgreSQL cluster of its own, for
# the whole test file; they are stopped and the cluster removed when the
# test exits, whatever the way.  The npm packages are installed once into
# $CM_BSKY_CACHE (build/bsky) from the lock file.  Without node, npm or
# PostgreSQL the test file is skipped with the reason, or, with
# CM_REQUIRE_BSKY=1 (CI), fails.  Sets BSKY_PDS, BSKY_APPVIEW,
# BSKY_CONTROL (see bsky_call), BSKY_NETLOG (each listen, HTTP request
# and refused outbound connection) and BSKY_PID.
BSKY_SERVER=$TESTS_DIR/servers/bsky
# one install for every build tree (make sanitize has its own CM_BUILD)
: "${CM_BSKY_CACHE:=$SRC_DIR/build/bsky}"
BSKY_PID=

# bsky_unavailable REASON [node]: skips the file, or with CM_REQUIRE_BSKY=1
# fails it; CM_REQUIRE_BSKY=tools fails it for a missing tool but skips
# it for a Node.js too old (Debian 12's own, in CI's fresh root).
bsky_unavailable() {
	if [ "${CM_REQUIRE_BSKY:-0}" = 1 ] ||
	    { [ "${CM_REQUIRE_BSKY:-0}" = tools ] && [ "${2:-}" != node ]; }; then
		echo "Bail out! the Bluesky network cannot run: $1 (CM_REQUIRE_BSKY=1)"
		exit 1
	fi
	echo "1..0 # SKIP the Bluesky network cannot run: $1"
	exit 0
}

bsky_pg_bin() {
	local d
	command -v "$1" 2> /dev/null && return 0
	for d in $(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -rV); do
		[ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}

# bsky_install: the packages of package-lock.json in $CM_BSKY_CACHE, once.
bsky_install() {
	local want have
	mkdir -p "$CM_BSKY_CACHE" || return 1
	want=$(cat "$BSKY_SERVER/package.json" "$BSKY_SERVER/package-lock.json" | sha256sum)
	(
		# one installer at a time (prove -j)
		flock 9
		have=$(cat "$CM_BSKY_CACHE/.installed" 2> /dev/null)
		[ "$have" = "$want" ] && [ -d "$CM_BSKY_CACHE/node_modules/@atproto/dev-env" ] && exit 0
		cp "$BSKY_SERVER/package.json" "$BSKY_SERVER/package-lock.json" "$CM_BSKY_CACHE/" &&
		# Debian's Node headers, and better-sqlite3 built here rather than
		# downloaded from outside the registry.
		( cd "$CM_BSKY_CACHE" && npm_config_nodedir=/usr \
		    npm_config_build_from_source=better-sqlite3 \
		    npm ci --no-audit --no-fund --loglevel=error ) \
		    > "$CM_BSKY_CACHE/npm.log" 2>&1 ||
		    { echo "npm ci failed:"; tail -n 20 "$CM_BSKY_CACHE/npm.log"; exit 1; }
		echo "$want" > "$CM_BSKY_CACHE/.installed"
	) 9> "$CM_BSKY_CACHE/.lock"
}

bsky_start() {
	local rl=0 d i
	[ "${1:-}" = --rate-limits ] && rl=1
	command -v node > /dev/null || bsky_unavailable "no node (Debian's nodejs)"
	command -v npm > /dev/null || bsky_unavailable "no npm (Debian's npm)"
	# Seen here: the pinned servers do not start on Debian 12's Node.js 18
	# (their AWS SDK and other dependencies declare node >= 20).
	node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
	    bsky_unavailable "node $(node --version) is older than 20, which the pinned @atproto/dev-env needs" node
	bsky_pg_bin initdb > /dev/null && bsky_pg_bin pg_ctl > /dev/null ||
	    bsky_unavailable "no PostgreSQL server (Debian's postgresql)"
	if [ "$(id -u)" = 0 ]; then
		id -u postgres > /dev/null 2>&1 || bsky_unavailable "no postgres user to run PostgreSQL as"
		command -v runuser > /dev/null || bsky_unavailable "no runuser"
	fi
	command -v curl > /dev/null || bsky_unavailable "no curl"
	command -v flock > /dev/null || bsky_unavailable "no flock"
	bsky_install || { echo "Bail out! installing @atproto/dev-env failed"; exit 1; }
	d=$SCRATCH/bsky
	mkdir -p "$d"
	BSKY_NETLOG=$d/netlog
	: > "$BSKY_NETLOG"
	trap 'bsky_stop; rm -rf "$SCRATCH"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	# the postgres user finds its programs through PATH, as we do
	# The PDS keeps its data and blobs under TMPDIR: in the scratch, so
	# they go with it; the cluster beside it, where postgres may go.
	mkdir -p "$d/tmp"
	CM_BSKY_PGTMP=${TMPDIR:-/tmp} TMPDIR=$d/tmp \
	PATH=$PATH:$(dirname "$(bsky_pg_bin pg_ctl)") CM_BSKY_DIR=$d \
	    CM_BSKY_MODULES=$CM_BSKY_CACHE CM_BSKY_NETLOG=$BSKY_NETLOG \
	    CM_BSKY_RATELIMITS=$rl node -r "$BSKY_SERVER/guard.cjs" \
	    "$BSKY_SERVER/run.mjs" < /dev/null > "$d/log" 2>&1 &
	BSKY_PID=$!
	# ready when it has written its URLs; it may take a minute on a busy
	# machine, and fails at once when the runner dies
	i=0
	while [ ! -f "$d/ready" ]; do
		if ! kill -0 "$BSKY_PID" 2> /dev/null; then
			echo "Bail out! the Bluesky network did not start:"
			tail -n 20 "$d/log" | sed 's/^/# /'
			exit 1
		fi
		i=$((i + 1))
		[ "$i" -lt 3000 ] || { echo "Bail out! the Bluesky network was not ready in 300 s"; exit 1; }
		sleep 0.1
	done
	BSKY_PDS=$(jq -r .pds "$d/ready")
	BSKY_APPVIEW=$(jq -r .appview "$d/ready")
	BSKY_CONTROL=$(jq -r .control "$d/ready")
	export BSKY_PDS BSKY_APPVIEW BSKY_CONTROL BSKY_NETLOG
}

# bsky_stop: the network stopped and its cluster removed (also when the
# runner had died on its own).
bsky_stop() {
	local d=$SCRATCH/bsky i=0 pgdata
	if [ -n "$BSKY_PID" ] && kill -0 "$BSKY_PID" 2> /dev/null; then
		kill -TERM "$BSKY_PID" 2> /dev/null
		while kill -0 "$BSKY_PID" 2> /dev/null && [ "$i" -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$BSKY_PID" 2> /dev/null
		wait "$BSKY_PID" 2> /dev/null
	fi
	BSKY_PID=
	pgdata=$(cat "$d/pgdata" 2> /dev/null) || return 0
	case $pgdata in /*cm-bsky-pg.*) ;; *) return 0;; esac
	if [ -d "$pgdata" ]; then
		if [ -f "$pgdata/db/postmaster.pid" ]; then
			if [ "$(id -u)" = 0 ]; then
				runuser -u postgres -- "$(bsky_pg_bin pg_ctl)" -D "$pgdata/db" \
				    -m immediate -w stop > /dev/null 2>&1
			else
				"$(bsky_pg_bin pg_ctl)" -D "$pgdata/db" -m immediate -w stop > /dev/null 2>&1
			fi
		fi
		rm -rf "$pgdata"
	fi
}

# bsky_call COMMAND [JSON]: a command of the network's control port
# (user, app_password, post, indexed, expired_token, burn, probe, info);
# prints its JSON answer, fails on an error.
bsky_call() {
	local body=${2-}
	[ -n "$body" ] || body='{}'
	curl -sS --fail-with-body --max-time 120 -X POST -H 'Content-Type: application/json' \
	    --data-binary "$body" "$BSKY_CONTROL/$1"
}
