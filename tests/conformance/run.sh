#!/bin/sh
# run.sh - make conformance: real recorded answers (../shared/conformance,
# or CONFORMANCE_DIR) replayed on loopback to cm-fetch, whose records are
# checked against the payloads by check.py.  TAP on stdout.
#
# usage: tests/conformance/run.sh BUILD_DIR CONFORMANCE_DIR
set -u
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR CONFORMANCE_DIR}" && pwd) || exit 2
DIR=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "$DIR" ] || [ ! -d "$DIR" ] || [ -z "$(ls -A "$DIR" 2>/dev/null)" ]
then
	echo "conformance: CONFORMANCE_DIR=${DIR:-(unset)} is missing or empty" >&2
	exit 2
fi
DIR=$(cd "$DIR" && pwd)
python3 -c 'import yaml' 2>/dev/null || {
	echo "conformance: python3 needs its yaml module (python3-yaml)" >&2
	exit 2
}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/cm-conformance.XXXXXX")
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export HOME=$SCRATCH/home XDG_STATE_HOME=$SCRATCH/state LC_ALL=C
# check.py imports replay.py: no __pycache__ left in the tree
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$HOME" "$XDG_STATE_HOME"
# The recorded secrets are placeholders; these only have to resolve.
export CM_CONF_SECRET=placeholder CM_CONF_USER=cm-conformance

n=0
failed=0
say() { echo "$@"; }
pass() { n=$((n + 1)); say "ok $n - $1"; }
fail() {
	n=$((n + 1)); failed=$((failed + 1)); say "not ok $n - $1"
	[ -n "${2:-}" ] && [ -s "$2" ] && sed 's/^/#   /' "$2" | head -n 30
}

# start CASSETTE...: the replay server on a free port; sets PORT.
start() {
	rm -f "$SCRATCH/port" "$SCRATCH/log"
	: > "$SCRATCH/log"
	python3 "$HERE/replay.py" --port-file "$SCRATCH/port" \
	    --log "$SCRATCH/log" "$@" 2> "$SCRATCH/server.err" &
	SERVER=$!
	i=0
	while [ ! -s "$SCRATCH/port" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$SERVER" 2>/dev/null; then
			cat "$SCRATCH/server.err" >&2
			echo "conformance: the replay server did not start" >&2
			exit 1
		fi
		sleep 0.1
	done
	PORT=$(cat "$SCRATCH/port")
}

stop() {
	kill "$SERVER" 2>/dev/null
	wait "$SERVER" 2>/dev/null
	SERVER=
}

# config PLATFORM EXTRA-LINES: an account "a" on the replay server.
config() {
	printf '[account a]\nplatform = %s\nbase_url = http://127.0.0.1:%s\n%s' \
	    "$1" "$PORT" "$2" > "$SCRATCH/config"
	chmod 600 "$SCRATCH/config"
	rm -rf "$XDG_STATE_HOME"/*
}

# case NAME PLATFORM FEED SOURCE BRAND EXPECT-EXIT MISSES -- CASSETTE...:
# replays the cassettes to cm-fetch SOURCE and checks its records (as
# many as the payloads hold: --limit stops it before a page nobody
# recorded) and that the server saw no request but the MISSES allowed
# (a pattern, or "none").
case_() {
	name=$1 platform=$2 feed=$3 source=$4 brand=$5 want_rc=$6 misses=$7
	shift 8
	count=$(python3 "$HERE/check.py" "$platform" "$feed" "127.0.0.1:$PORT" \
	    "$brand" --count "$@") || { fail "$name: the payloads read" ; return; }
	limit=
	[ "$count" -gt 0 ] && limit=--limit=${LIMIT:-$count}
	"$BUILD/cm-fetch" -c "$SCRATCH/config" --raw $limit "$source" \
	    > "$SCRATCH/out" 2> "$SCRATCH/err"
	rc=$?
	if [ "$rc" = "$want_rc" ]; then
		pass "$name: cm-fetch exits $rc"
	else
		fail "$name: cm-fetch exits $rc, not $want_rc" "$SCRATCH/err"
	fi
	if python3 "$HERE/check.py" "$platform" "$feed" "127.0.0.1:$PORT" \
	    "$brand" --records "$SCRATCH/out" "$@" > "$SCRATCH/check"; then
		pass "$name: $(tail -n 1 "$SCRATCH/check")"
	else
		fail "$name: the records differ from the payload" "$SCRATCH/check"
	fi
	if [ "$misses" = none ]; then
		grep MISS "$SCRATCH/log" > "$SCRATCH/miss"
	else
		grep MISS "$SCRATCH/log" | grep -v -e "$misses" > "$SCRATCH/miss"
	fi
	if [ -s "$SCRATCH/miss" ]; then
		fail "$name: requests nobody recorded" "$SCRATCH/miss"
	else
		pass "$name: every request was one recorded"
	fi
}

M=$DIR/Mastodon.py/tests/cassettes
B=$DIR/bskyr/tests/testthat/_vcr
A=$DIR/atproto/tests/test_atproto_client/models/test_data
R=$DIR/praw/tests/integration/cassettes
MASTO_KEYS='token = env:CM_CONF_SECRET
'
# The account whose token made the Mastodon.py recordings.
MASTO_ME=117020565966271181
BSKY_KEYS='handle = bskyr.bsky.social
app_password = env:CM_CONF_SECRET
'
REDDIT_KEYS="auth_url = http://127.0.0.1:PORT
client_id = env:CM_CONF_SECRET
client_secret = env:CM_CONF_SECRET
username = env:CM_CONF_USER
password = env:CM_CONF_SECRET
"

mastodon() {
	start "$@"
	config mastodon "$MASTO_KEYS"
}

# Mastodon: verify_credentials from test_fetch_next_previous says who the
# brand is before every feed.
V=$M/test_fetch_next_previous.yaml
mastodon "$M/test_notifications_mentions_only.yaml" "$V"
case_ "mastodon mentions" mastodon mentions a:mentions $MASTO_ME 0 none -- \
    "$M/test_notifications_mentions_only.yaml"
stop
mastodon "$V"
case_ "mastodon own, two pages by max_id" mastodon own a:own $MASTO_ME 0 \
    none -- "$V"
stop
mastodon "$M/test_hashtag_tl.yaml" "$V"
case_ "mastodon tag" mastodon tag a:tag:hoot $MASTO_ME 0 none -- \
    "$M/test_hashtag_tl.yaml"
stop
mastodon "$M/test_search.yaml" "$V"
case_ "mastodon search (v2, no status found)" mastodon search \
    a:search:mastodonpy_test $MASTO_ME 0 none -- "$M/test_search.yaml"
stop
mastodon "$M/test_status_context.yaml" "$V"
case_ "mastodon thread" mastodon thread a:thread:117020585487094447 \
    $MASTO_ME 0 none -- "$M/test_status_context.yaml"
stop
mastodon "$M/test_status_missing.yaml" "$V"
case_ "mastodon thread of a status that is not there" mastodon thread \
    a:thread:0 $MASTO_ME 1 none -- "$M/test_status_missing.yaml"
if grep -q '404: Not Found' "$SCRATCH/err"; then
	pass "mastodon: the 404 is said with the server's error"
else
	fail "mastodon: the 404 is said with the server's error" "$SCRATCH/err"
fi
stop

# Bluesky: the recorded createSession signs in; threads by their URI.
start "$B/repo_auth_direct.yml" "$B/f_postthread.yml"
config bluesky "$BSKY_KEYS"
case_ "bluesky thread (bsky.social)" bluesky thread \
    a:thread:at://did:plc:ic6zqvuw5ulmfpjiwnhsr2ns/app.bsky.feed.post/3k7qmjev5lr2s \
    bskyr.bsky.social 0 none -- "$B/f_postthread.yml"
stop
T=$A/thread_view_post_with_embed_media.json
start "$B/repo_auth_direct.yml" --route GET \
    /xrpc/app.bsky.feed.getPostThread "$T"
config bluesky "$BSKY_KEYS"
case_ "bluesky thread with embedded media (atproto)" bluesky thread \
    "a:thread:$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["thread"]["post"]["uri"])' "$T")" \
    bskyr.bsky.social 0 none -- "GET:/xrpc/app.bsky.feed.getPostThread=$T"
stop

# Reddit: each cassette holds the token its client got first.
reddit() {
	start "$@"
	config reddit "$(echo "$REDDIT_KEYS" | sed "s/PORT/$PORT/")
"
}
reddit "$R/TestInbox.test_mentions.json"
case_ "reddit mentions" reddit mentions a:mentions cm-conformance 0 none -- \
    "$R/TestInbox.test_mentions.json"
stop
# replies reads /message/comments and /message/selfreply; only the first
# was recorded, so that part fails (status 1) and the other is checked.
reddit "$R/TestInbox.test_comment_replies.json"
case_ "reddit replies (comments; selfreply not recorded)" reddit replies \
    a:replies cm-conformance 1 'GET /message/selfreply' -- \
    "$R/TestInbox.test_comment_replies.json"
stop
reddit "$R/TestSubredditListings.test_new.json" \
    "$R/TestSubredditListings.test_comments.json"
# a limit per part: each recorded page holds 100
LIMIT=100 case_ "reddit sub (new posts and new comments)" reddit sub a:sub:askreddit \
    cm-conformance 0 none -- "$R/TestSubredditListings.test_new.json" \
    "$R/TestSubredditListings.test_comments.json"
stop
# recorded as a search of r/all: the same Listing as /search
reddit --alias /search=/r/all/search "$R/TestSubreddit.test_search.json"
case_ "reddit search" reddit search "a:search:praw oauth search" \
    cm-conformance 0 none -- "$R/TestSubreddit.test_search.json"
stop
reddit "$R/TestSubmission.test_comments.json"
case_ "reddit thread" reddit thread a:thread:2gmzqe cm-conformance 0 none \
    -- "$R/TestSubmission.test_comments.json"
stop

echo "1..$n"
[ "$failed" = 0 ]
