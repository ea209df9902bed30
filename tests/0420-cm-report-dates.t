#!/bin/bash
# cm-report --since/--until: dates are days of the report's zone, @N is
# epoch seconds, a bare number is refused, an empty range is an error.
. "$(dirname "$0")/lib.sh"

cm-fetch --end $DEMO_END demo:3000 > d
count() { jq -r --arg a "$1" --arg b "$2" 'select(.created_at >= $a and .created_at < $b) | .id' d | wc -l; }

ok "a date with --tz is that zone's midnight" eval '
	cm-report -f json -z America/New_York -S 2026-11-23 -U 2026-11-24 d > o &&
	[ "$(jq -r .options.since o)" = 2026-11-23T05:00:00Z ] &&
	[ "$(jq -r .options.until o)" = 2026-11-24T05:00:00Z ]'
ok "... and selects the records of that local day" eval '
	n=$(count 2026-11-23T05:00:00Z 2026-11-24T05:00:00Z) && [ "$n" -gt 0 ] &&
	[ "$(jq .input.records o)" = "$n" ]'
ok "a date east of UTC, in either order of the options" eval '
	cm-report -f json -S 2026-11-23 -z Asia/Tokyo d > o &&
	[ "$(jq -r .options.since o)" = 2026-11-22T15:00:00Z ]'
ok "a date across a daylight-saving change: the local midnight of that day" eval '
	cm-report -f json -z Europe/Berlin -S 2026-03-29 -U 2026-03-30 d > o &&
	[ "$(jq -r .options.since o)" = 2026-03-28T23:00:00Z ] &&
	[ "$(jq -r .options.until o)" = 2026-03-29T22:00:00Z ]'
ok "without --tz a date is midnight UTC" eval '
	cm-report -f json -S 2026-11-23 d > o && [ "$(jq -r .options.since o)" = 2026-11-23T00:00:00Z ]'
ok "a full timestamp keeps its own offset whatever the zone" eval '
	cm-report -f json -z Asia/Tokyo -S 2026-11-23T10:00:00+01:00 d > o &&
	[ "$(jq -r .options.since o)" = 2026-11-23T09:00:00Z ]'
ok "@N is seconds since the epoch" eval '
	cm-report -f json -S @1795392000 d > o && [ "$(jq -r .options.since o)" = 2026-11-23T00:00:00Z ]'
ok "a bare number is refused, naming both readings" eval '
	cm-report -S 1732442400 d > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "cm-report: --since: '\''1732442400'\'' is ambiguous: write @1732442400 for seconds since the epoch, or 1732442400s for that many seconds ago"'
ok "an inverted range is an error, nothing read" eval '
	cm-report -S 2026-11-24 -U 2026-11-23 nosuch > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "--since is not before --until"'
ok "an empty range (since = until) too" eval '
	cm-report -z Asia/Tokyo -S 2026-11-24 -U 2026-11-24 d > o 2> err; [ $? -eq 2 ]'

done_testing
