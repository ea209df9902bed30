#!/bin/bash
# The documentation: every man page lints clean and its EXAMPLES run; every
# option a program's --help shows is in its man page and in the bash, zsh
# and fish completions; the bash completion offers what it should.
. "$(dirname "$0")/lib.sh"
export CM_STATE=$SCRATCH/state.db

for page in "$SRC_DIR"/man/*.[157]; do
	name=${page##*/}
	ok "$name: mandoc -Tlint is clean" \
		eval 'out=$(mandoc -Tlint -Wwarning "$page" 2>&1); [ -z "$out" ] || { echo "$out"; false; }'
	if grep -q '^\.Sh EXAMPLES' "$page"; then
		ok "$name: the EXAMPLES run" run_man_examples "$name"
	fi
done

for src in "$SRC_DIR"/cmd/cm-*.c; do
	prog=$(basename "$src" .c)
	"$CM_BUILD/$prog" --help > help.txt
	opts=$(grep -oE -- '--[a-z][a-z0-9-]+' help.txt | sort -u)
	ok "$prog: the man page names every option of --help" eval '
		for o in $opts; do grep -q -- "Fl \\\\-${o#--}" "$SRC_DIR/man/$prog.1" || { echo "$o missing"; exit 1; }; done'
	for f in cm.bash _cm cm.fish; do
		ok "$prog: completions/$f knows every option" eval '
			for o in $opts; do
				case $f in cm.fish) pat="-l ${o#--}";; *) pat="$o";; esac
				grep -q -- "$pat" "$SRC_DIR/completions/$f" || { echo "$o missing"; exit 1; }
			done'
	done
	ok "$prog: the bash completion offers every long option" eval '
		got=$(bash -c "source \"$SRC_DIR/completions/cm.bash\"; COMP_WORDS=($prog --); COMP_CWORD=1; _cm_complete; printf \"%s\n\" \"\${COMPREPLY[@]}\"" | sort -u)
		[ "$got" = "$opts" ] || { echo "offered: $got"; echo "wanted: $opts"; false; }'
done

ok "bash: cm completes command names" eval '
	got=$(bash -c "source \"$SRC_DIR/completions/cm.bash\"; COMP_WORDS=(cm fe); COMP_CWORD=1; _cm_complete; echo \${COMPREPLY[*]}")
	[ "$got" = fetch ]'
ok "bash: cm fetch completes cm-fetch options" eval '
	got=$(bash -c "source \"$SRC_DIR/completions/cm.bash\"; COMP_WORDS=(cm fetch --li); COMP_CWORD=2; _cm_complete; echo \${COMPREPLY[*]}")
	[ "$got" = --limit ]'
ok "bash: cm-fetch completes the demo source" eval '
	got=$(bash -c "source \"$SRC_DIR/completions/cm.bash\"; COMP_WORDS=(cm-fetch de); COMP_CWORD=1; _cm_complete; echo \${COMPREPLY[*]}")
	case $got in *demo*) ;; *) false;; esac'
ok "bash: a file option completes files" eval '
	touch myconf.ini; got=$(bash -c "source \"$SRC_DIR/completions/cm.bash\"; COMP_WORDS=(cm-fetch --config myc); COMP_CWORD=2; _cm_complete; echo \${COMPREPLY[*]}")
	[ "$got" = myconf.ini ]'
if command -v fish > /dev/null; then
	ok "fish: cm-fetch completes its options" eval '
		fish -c "source \"$SRC_DIR/completions/cm.fish\"; complete -C \"cm-fetch --li\"" | grep -q -- "^--limit"'
else
	skip "fish: cm-fetch completes its options" "no fish"
fi
if command -v zsh > /dev/null; then
	ok "zsh: the completion file parses" zsh -n "$SRC_DIR/completions/_cm"
else
	skip "zsh: the completion file parses" "no zsh"
fi

done_testing
