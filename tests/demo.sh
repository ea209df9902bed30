#!/bin/sh
# make demo: the fullest cm pipeline over the built-in demo data, offline.
set -eu
B=${1:-build}
PATH=$(cd "$B" && pwd):$PATH
export PATH

echo "== cm-fetch demo:2000: two weeks of a brand's mentions, replies and comments"
cm-fetch --seed 1 demo:2000 > demo.ndjson
echo "   $(wc -l < demo.ndjson) records in demo.ndjson; by platform:"
jq -r .platform demo.ndjson | sort | uniq -c | sort -rn | sed 's/^/   /'
echo
echo "== three records people wrote, as jq sees them"
jq -c 'select(.author.is_brand | not) | {platform, author: .author.handle, followers: .author.followers, text}' demo.ndjson | head -n 3
echo
echo "== a brand reply and what it answers"
jq -c 'select(.author.is_brand) | {created_at, in_reply_to, text}' demo.ndjson | head -n 1
