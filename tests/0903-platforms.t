#!/bin/bash
# The platforms agree: lib/core/platform.c's table (build/tests/platform
# --names) is exactly what the bash, zsh and fish completions offer for
# cm-filter --platform and what cm-filter(1) and cm-record(5) list.
. "$(dirname "$0")/lib.sh"
COMP=$SRC_DIR/completions

want=$("$CM_BUILD/tests/platform" --names | sort)
ok "the table names platforms" eval '[ "$(echo "$want" | wc -l)" -ge 2 ]'

# same GOT: GOT (a list, one a line, any order) is the table's set.
same() {
	got=$(echo "$1" | sort)
	[ "$got" = "$want" ] || { diff -u <(echo "$want") <(echo "$got") | tail -n +3; false; }
}

# man_list PAGE START: the names of the .Cm lines of the list item of PAGE
# that starts at the line matching START, up to the item after it.
man_list() {
	awk -v start="$2" '
		$0 ~ start { in_item = 1; next }
		in_item && /^\.It / { exit }
		in_item && /^\.Cm / {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^[a-z][a-z0-9]*$/)
					print $i
		}
	' "$SRC_DIR/man/$1"
}

ok "cm-filter(1) --platform lists them" eval '
	same "$(man_list cm-filter.1 "^\\.It Fl p , Fl \\\\\\\\-platform")"'
ok "cm-record(5) platform field lists them" eval '
	same "$(man_list cm-record.5 "^\\.It Ic platform ")"'
ok "bash completes them for cm-filter --platform and -p" eval '
	for o in --platform -p; do
		same "$(bash -c "source \"$COMP/cm.bash\"; COMP_WORDS=(cm-filter $o \"\"); COMP_CWORD=2
			_cm_complete; printf \"%s\n\" \"\${COMPREPLY[@]}\"")" || exit 1
	done'
if command -v zsh > /dev/null; then
	ok "zsh completes them for cm-filter --platform and -p" eval '
		specs=$(zsh -f -c "_arguments() { print -rl -- \"\$@\"; }; service=cm-filter; source \"$COMP/_cm\"") &&
		for o in "-p+" "--platform="; do
			spec=$(echo "$specs" | grep -F -- ")$o[") || { echo "no $o"; exit 1; }
			same "$(echo "${spec##*_values -s , platform }" | tr " " "\n")" || exit 1
		done'
else
	skip "zsh completes them for cm-filter --platform" "no zsh"
fi
if command -v fish > /dev/null; then
	ok "fish completes them for cm-filter --platform and -p" eval '
		for o in "--platform " "-p "; do
			same "$(fish --no-config -c "set fish_complete_path \$argv[1] \$fish_complete_path
				complete -C \$argv[2]" "$COMP" "cm-filter $o" | cut -f1)" || exit 1
		done'
else
	skip "fish completes them for cm-filter --platform" "no fish"
fi
ok "cm-filter --platform takes each of them" eval '
	echo "{}" > one.ndjson
	for p in $want; do cm-filter --platform "$p" one.ndjson > /dev/null || exit 1; done'

done_testing
