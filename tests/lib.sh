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
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1
export HOME=$SCRATCH/home XDG_CONFIG_HOME=$SCRATCH/home/.config \
	XDG_STATE_HOME=$SCRATCH/home/.local/state
mkdir -p "$HOME"
unset CM_CONFIG CM_STATE CM_LEXICON
export LC_ALL=${CM_TEST_LOCALE:-C}

PATH=$CM_BUILD:$PATH
if [ "${CM_VALGRIND:-0}" = 1 ]; then
	mkdir -p "$SCRATCH/vg"
	for p in "$CM_BUILD"/cm "$CM_BUILD"/cm-*; do
		case $p in *.d) continue;; esac
		[ -x "$p" ] || continue
		cat > "$SCRATCH/vg/${p##*/}" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=\${CM_VALGRIND_LEAKS:-full} \
	--errors-for-leak-kinds=definite,indirect "$p" "\$@"
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
	if ( "$@" ) > "$SCRATCH/.out" 2>&1; then
		echo "ok $test_count - $desc"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $desc"
		sed 's/^/#   /' "$SCRATCH/.out" | head -n 40
	fi
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

# run_man_examples PAGE: runs every .Bd -literal block of the EXAMPLES
# section of man/PAGE as a shell script (lines starting "$ " are commands;
# other lines are the output they show and are not run).  Each command
# must exit 0.
run_man_examples() {
	page=$SRC_DIR/man/$1
	awk '
		/^\.Sh EXAMPLES/ { ex = 1; next }
		/^\.Sh / { ex = 0 }
		ex && /^\.Bd -literal/ { lit = 1; next }
		ex && /^\.Ed/ { lit = 0; next }
		ex && lit && /^\$ / {
			line = substr($0, 3)
			while (line ~ /\\$/) {
				sub(/\\$/, "", line)
				getline nxt
				line = line "\n" nxt
			}
			gsub(/\\e/, "\\", line)
			gsub(/\\\(aq/, "'"'"'", line)
			gsub(/\\-/, "-", line)
			gsub(/\\&/, "", line)
			print line
		}
	' "$page" > "$SCRATCH/examples.sh"
	[ -s "$SCRATCH/examples.sh" ] || { echo "no examples in $page"; return 1; }
	( set -e; cd "$SCRATCH"; . "$SCRATCH/examples.sh" ) > "$SCRATCH/examples.out" 2>&1 || {
		echo "examples of $1 failed:"; cat "$SCRATCH/examples.sh"; tail -n 20 "$SCRATCH/examples.out"; return 1; }
}

done_testing() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}
