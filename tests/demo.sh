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
echo
echo "== cm-score: what needs attention first (top 5 by priority)"
cm-score demo.ndjson > scored.ndjson
cm-filter 'select(.author.is_brand | not)' scored.ndjson |
	jq -s -c 'sort_by(-.score.priority) | .[:5][] | {priority: .score.priority, label: .score.label, intent: .score.intent, why: .score.why, text}'
echo
echo "== cm-filter --unanswered --label negative: the backlog that hurts"
cm-filter --unanswered --label negative scored.ndjson | wc -l | sed 's/^/   records: /'
echo
echo "== cm-reply: drafts for the unanswered, from data/replies.conf (nothing is sent)"
cm-filter --unanswered scored.ndjson | cm-reply --rules "$(dirname "$0")/../data/replies.conf" > drafts.ndjson
jq -r 'select(.reply) | .reply.status' drafts.ndjson | sort | uniq -c | sed 's/^/   /'
jq -c 'select(.reply.status == "draft") | {platform, to: .author.handle, rule: .reply.rule, reply: .reply.text}' drafts.ndjson | head -n 3
echo
echo "== cm-report"
if [ -t 1 ]; then cm-report scored.ndjson; else cm-report --format text scored.ndjson; fi
cm-report --format html scored.ndjson > demo-report.html
echo "   wrote demo-report.html"
