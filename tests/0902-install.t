#!/bin/bash
# make install and uninstall, into a DESTDIR: the programs, the pages, and
# each shell's completions where that shell looks for them (bash and fish
# one file per program, zsh one for all); uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"
D=$SCRATCH/dest
mk() { make -s -C "$SRC_DIR" B="$CM_BUILD" DESTDIR="$D" PREFIX=/usr "$@"; }
progs=$(cd "$SRC_DIR/cmd" && ls *.c | sed 's/\.c$//')

# install builds what is out of date: only run it on a built tree, so a
# test never compiles into it (with other flags than make sanitize's).
if ! make -s -q -C "$SRC_DIR" B="$CM_BUILD" all 2> /dev/null; then
	skip "make install" "$CM_BUILD is not up to date"
	done_testing
	exit
fi

ok "make install" mk install
ok "the programs and the pages" eval '
	for p in $progs; do [ -x "$D/usr/bin/$p" ] || { echo "no $p"; exit 1; }; done
	for m in "$SRC_DIR"/man/*.[157]; do n=${m##*/}
		[ -f "$D/usr/share/man/man${n##*.}/$n" ] || { echo "no $n"; exit 1; }; done'
ok "bash: a completion for each program" eval '
	for p in $progs; do cmp "$SRC_DIR/completions/cm.bash" "$D/usr/share/bash-completion/completions/$p" || exit 1; done'
ok "zsh: _cm in site-functions" cmp "$SRC_DIR/completions/_cm" "$D/usr/share/zsh/site-functions/_cm"
ok "fish: one file per program, each its own" eval '
	for p in $progs; do cmp "$SRC_DIR/completions/$p.fish" "$D/usr/share/fish/vendor_completions.d/$p.fish" || exit 1; done
	[ "$(ls "$D/usr/share/fish/vendor_completions.d" | wc -l)" -eq "$(echo "$progs" | wc -w)" ]'
if command -v fish > /dev/null; then
	ok "fish: the installed files complete each program" eval '
		PATH=$D/usr/bin:$PATH fish --no-config -c "set fish_complete_path \$argv[1]
			complete -C \"cm-fetch --li\"; complete -C \"cm-score --le\"; complete -C \"cm filter --inv\"" \
			"$D/usr/share/fish/vendor_completions.d" | cut -f1 | sort > got &&
		printf "%s\n" --limit --lexicon --lexicon-add --invert | sort | cmp - got'
else
	skip "fish: the installed files complete each program" "no fish"
fi
ok "make uninstall leaves no file" eval '
	mk uninstall && left=$(find "$D" -type f) && [ -z "$left" ] || { echo "left: $left"; false; }'

done_testing
