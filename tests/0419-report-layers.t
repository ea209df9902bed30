#!/bin/sh
# lib/report is a one-way stack (the table at the top of
# lib/report/report.h): the leaf writer, the state, the view, one file per
# format, the dispatcher.  A file includes only headers of its own line of
# the table or of a line with a lower number; every file is in the table;
# outside lib/report only the interface and the leaves are included.
cd "$(dirname "$0")/.." || exit 1
n=0 failed=0
result() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$2" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}

# "LINE LEVEL FILE" for each file of the table: a table line starts
# " *  N file ..." and its files run, maybe over more lines, to the one
# ending in ':'.
table=$(awk '
	function files(from,   i, f, last) {
		for (i = from; i <= NF; i++) {
			f = $i
			last = sub(/:$/, "", f)
			print line, level, f
			if (last)
				return 0
		}
		return 1
	}
	/^ \* +[0-9]+ [a-z_]+\.[ch]/ { line++; level = $2; open = files(3); next }
	open && /^ \* +[a-z_]+\.[ch]/ { open = files(2); next }
	{ open = 0 }' lib/report/report.h)
result "report.h has the layer table" "$([ -n "$table" ] || echo "no table in lib/report/report.h")"

missing=$(for f in lib/report/*.[ch]; do
	printf '%s\n' "$table" | grep -q " ${f##*/}\$" || echo "$f is in no layer"
done; printf "%s\n" "$table" | while read -r line level f; do
	[ -n "$f" ] || continue
	[ -f "lib/report/$f" ] || echo "$f is in the table but not in lib/report"
done)
result "every file of lib/report is in the table, and only those" "$missing"

bad=$(for path in lib/report/*.[ch]; do
	f=${path##*/}
	set -- $(printf '%s\n' "$table" | awk -v f="$f" '$3 == f { print $1, $2 }')
	[ $# -eq 2 ] || continue
	fline=$1 flevel=$2
	grep -oE '^#include "[a-z_]+\.h"' "$path" | sed 's/.*"\(.*\)"/\1/' |
	while read -r h; do
		set -- $(printf '%s\n' "$table" | awk -v f="$h" '$3 == f { print $1, $2 }')
		if [ $# -ne 2 ]; then
			echo "$f includes $h, which is in no layer"
		elif [ "$2" -gt "$flevel" ] ||
		    { [ "$2" -eq "$flevel" ] && [ "$1" -ne "$fline" ]; }; then
			echo "$f (layer $flevel) includes $h (layer $2)"
		fi
	done
done)
result "each file of lib/report includes only its own layer and those below" "$bad"

outside=$(grep -HoE '^#include "report/[a-z_]+\.h"' cmd/*.c lib/*/*.[ch] |
    grep -v '^lib/report/' |
    grep -vE '"report/(report|bizhours|hist)\.h"$')
result "outside lib/report only report.h and the leaves are included" "$outside"

echo "1..$n"
[ "$failed" -eq 0 ]
