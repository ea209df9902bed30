#!/bin/sh
# lib/'s folders form a one-way stack (README.md, Layout): a file includes
# headers of its own folder and of the folders its folder may use, never
# one above it.  Each line of the table: a folder and the folders it may
# include from.
cd "$(dirname "$0")/.." || exit 1
allowed='core:
store:core
net:core
score:core
filter:core
report:core
platforms:core store net
fetch:core store net platforms
reply:core store net score filter platforms
cli:core store score filter report net platforms fetch'
n=0 failed=0
for dir in lib/*/; do
	d=$(basename "$dir")
	may=$(printf '%s\n' "$allowed" | sed -n "s/^$d://p")
	n=$((n + 1))
	if ! printf '%s\n' "$allowed" | grep -q "^$d:"; then
		echo "not ok $n - lib/$d is in the layer table"
		failed=$((failed + 1))
		continue
	fi
	bad=$(grep -HoE '^#include "[a-z_]+/[a-z_]+\.h"' "$dir"*.[ch] |
	    while IFS= read -r hit; do
		used=${hit#*\"}
		used=${used%%/*}
		case " $may " in *" $used "*) ;; *) echo "$hit";; esac
	done)
	if [ -z "$bad" ]; then
		echo "ok $n - lib/$d uses only: ${may:-itself}"
	else
		echo "not ok $n - lib/$d uses only: ${may:-itself}"
		printf '%s\n' "$bad" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
