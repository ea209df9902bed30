#!/bin/bash
# cm-score finds its lexicon where make install puts it: a tree of its
# own is built with PREFIX in the scratch directory (so the compiled-in
# data directory is one the test controls), installed with DESTDIR, and
# each place of the search order (cm-score(1), FILES) is shown to be
# looked at, in its order.
. "$(dirname "$0")/lib.sh"

S=$SCRATCH
P=$S/usr			# PREFIX: the data directory is $P/share/cm
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRC_DIR" \
		B="$S/build" PREFIX="$P" "$@" > "$S/make.log" 2>&1 ||
		{ tail -n 20 "$S/make.log"; return 1; }
}
# Which lexicon a binary read: each copy below gives "widget" a valence
# of its own (1: 0.25, -1: -0.25, 3: 0.6124, -3: -0.6124), so the
# sentiment names the file.
senti() {
	echo '{"text":"widget"}' | "$@" -o sentiment | jq -r .score.sentiment
}
# A copy of the shipped lexicon where "widget" has valence $1.
lexicon() {
	cat "$SRC_DIR/data/lexicon.txt"
	printf '[words]\nwidget\t%s\n' "$1"
}

ok "a tree of its own builds and installs with DESTDIR" eval '
	mk -j2 all && mk DESTDIR="$S/stage" install &&
	[ -x "$S/stage$P/bin/cm-score" ] && [ -f "$S/stage$P/share/cm/lexicon.txt" ]'
printf '[words]\nwidget\t1\n' >> "$S/stage$P/share/cm/lexicon.txt"
ok "installed: the lexicon in ../share/cm beside the program" eval '
	[ "$(senti "$S/stage$P/bin/cm-score")" = 0.25 ]'

mkdir -p "$S/elsewhere/bin"
cp "$S/stage$P/bin/cm-score" "$S/elsewhere/bin/"
ok "none beside it and none in the data directory: status 2, saying where it looked" eval '
	echo "{}" | "$S/elsewhere/bin/cm-score" > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "cm-score: no lexicon" && contains err "$P/share/cm" &&
	contains err "$S/elsewhere/bin/../share/cm/lexicon.txt" && contains err "--lexicon"'
mkdir -p "$P/share/cm"
lexicon -1 > "$P/share/cm/lexicon.txt"
ok "none beside it: the data directory it was built for" eval '
	[ "$(senti "$S/elsewhere/bin/cm-score")" = -0.25 ]'

mkdir -p "$S/elsewhere/data"
lexicon 3 > "$S/elsewhere/data/lexicon.txt"
ok "../data beside it (a build tree) before the data directory" eval '
	[ "$(senti "$S/elsewhere/bin/cm-score")" = 0.6124 ]'
mkdir -p "$S/elsewhere/share/cm"
lexicon -3 > "$S/elsewhere/share/cm/lexicon.txt"
ok "../share/cm beside it before ../data" eval '
	[ "$(senti "$S/elsewhere/bin/cm-score")" = -0.6124 ]'
ok "a symlink to the program finds what is beside the program" eval '
	mkdir -p "$S/links" && ln -s "$S/stage$P/bin/cm-score" "$S/links/cm-score" &&
	[ "$(senti "$S/links/cm-score")" = 0.25 ] &&
	ln -sf "$S/elsewhere/bin/cm-score" "$S/links/cm-score" &&
	[ "$(senti "$S/links/cm-score")" = -0.6124 ]'
ok "CM_LEXICON before any of them" eval '
	[ "$(CM_LEXICON=$P/share/cm/lexicon.txt senti "$S/elsewhere/bin/cm-score")" = -0.25 ]'

done_testing
