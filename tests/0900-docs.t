#!/bin/bash
# The documentation: every man page lints clean under mandoc and renders
# without a warning under groff, as man and 'cm help' show it, and its
# EXAMPLES print what they show; every program's --help lists its options,
# its man page names each, and the bash, zsh and fish completions of that
# program offer exactly those, with --help's descriptions; cm completes
# exactly the commands it runs.
. "$(dirname "$0")/lib.sh"
COMP=$SRC_DIR/completions
# Lists are compared in byte order: a UTF-8 locale's collation ignores
# the '-' and the tab, so "--lexicon-add" and "--lexicon" would sort one
# way as names and the other way as lines with their descriptions.
sort() { LC_ALL=C command sort "$@"; }

# groff reads the pages' UTF-8 (the demo's texts have emoji) as man-db
# does in a UTF-8 locale; man renders 80 columns wide, as on a terminal.
# cm-fetch(1)'s network examples read a Mastodon server named by the
# environment: the fake platform's, on 127.0.0.1.
fake_start || { echo "Bail out! the fake server does not start"; exit 1; }
export MASTODON_URL=$FAKE/mastodon MASTODON_TOKEN=fake-masto-token-9f2c

for page in "$SRC_DIR"/man/*.[157]; do
	name=${page##*/}
	ok "$name: mandoc -Tlint is clean" \
		eval 'out=$(mandoc -Tlint -Wwarning "$page" 2>&1); [ -z "$out" ] || { echo "$out"; false; }'
	ok "$name: groff renders it without a warning" \
		eval 'out=$(groff -K utf-8 -mandoc -ww -z -Tutf8 -rLL=78n "$page" 2>&1) && [ -z "$out" ] || { echo "$out"; false; }'
	ok "$name: man renders it without a warning" eval '
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" > out 2> err &&
		[ ! -s err ] && grep -q "^NAME" out || { cat err; head -n 3 out; false; }'
	ok "$name: the EXAMPLES print what they show" run_man_examples "$name"
done

# help_options PROG: each long option of PROG's --help, a tab and its
# description, the lines it wraps onto joined by a space.
help_options() {
	"$CM_BUILD/$1" --help | awk '
		function flush() { if (opt != "") print opt "\t" desc; opt = "" }
		/^ +(-[A-Za-z0-9], +)?--[a-z][a-z0-9-]*/ {
			flush()
			line = $0
			sub(/^ +/, "", line)
			if (match(line, /  +/)) {
				spec = substr(line, 1, RSTART - 1)
				desc = substr(line, RSTART + RLENGTH)
			} else {
				spec = line
				desc = ""
			}
			match(spec, /--[a-z][a-z0-9-]*/)
			opt = substr(spec, RSTART, RLENGTH)
			next
		}
		opt != "" && /^     +[^ ]/ {
			line = $0
			sub(/^ +/, "", line)
			desc = desc == "" ? line : desc " " line
			next
		}
		{ flush() }
		END { flush() }
	' | sort
}

# zsh_options PROG: each long option the zsh completion gives _arguments
# for PROG, a tab and its description.  The completion runs as zsh runs
# it for PROG (service=PROG), with _arguments and the functions it would
# call printing their arguments instead, so zsh itself does the quoting
# and the brace expansion; a spec that is not of the form
# (EXCLUSIONS)*-OPTION[+=-][DESCRIPTION]:MESSAGE:ACTION is an error.
zsh_options() {
	zsh -f -c '_arguments() { print -rl -- "$@"; }
		_describe() { :; }; _values() { :; }; _files() { :; }
		service=$1; source "$2"' zsh "$1" "$COMP/_cm" | perl -ne '
		chomp;
		next if /^-[sSC]$/ || /^(\*|\d+)::?/;
		/^(?:\([^)]*\))?\*?(--?[A-Za-z0-9][A-Za-z0-9-]*)(?:=-|[-+=])?\[((?:\\.|[^]\\])*)\](?::.*)?$/
		    or die "bad _arguments spec: $_\n";
		my ($o, $d) = ($1, $2);
		$d =~ s/\\(.)/$1/g;
		print "$o\t$d\n" if $o =~ /^--/;
	' | sort
}

# fish_complete LINE: what fish offers for LINE, from this tree's files.
fish_complete() {
	fish --no-config -c 'set fish_complete_path $argv[1] $fish_complete_path
		complete -C $argv[2]' "$COMP" "$1"
}

# bash_complete WORD...: what the bash completion offers for the last
# WORD of the command line WORD...
bash_complete() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_cm_complete; printf "%s\n" "${COMPREPLY[@]}"' bash "$COMP/cm.bash" "$@"
}

# same WANT GOT: the two lists are equal, or show how they differ.
same() {
	[ "$1" = "$2" ] || { diff -u <(echo "$1") <(echo "$2") | tail -n +3; false; }
}

for prog in cm $(cd "$SRC_DIR/cmd" && ls cm-*.c | sed 's/\.c$//'); do
	help=$(help_options "$prog")
	opts=$(echo "$help" | cut -f1)
	ok "$prog: --help exits 0 and lists its options" eval '
		"$CM_BUILD/$prog" --help > /dev/null && [ -n "$help" ] &&
		echo "$help" | grep -qx -- "--help	.*"'
	[ -n "$help" ] || help="(no --help)" opts="(no --help)"
	ok "$prog: the man page names every option of --help" eval '
		for o in $opts; do grep -q -- "Fl \\\\-${o#--}" "$SRC_DIR/man/$prog.1" || { echo "$o missing"; exit 1; }; done'
	ok "$prog: bash offers exactly its long options" eval '
		same "$opts" "$(bash_complete "$prog" -- | sort)"'
	if command -v zsh > /dev/null; then
		ok "$prog: zsh offers exactly its long options, described as --help does" eval '
			same "$help" "$(zsh_options "$prog")"'
	else
		skip "$prog: zsh offers exactly its long options" "no zsh"
	fi
	if command -v fish > /dev/null; then
		ok "$prog: fish offers exactly its long options, described as --help does" eval '
			same "$help" "$(fish_complete "$prog --" | sort)"'
	else
		skip "$prog: fish offers exactly its long options" "no fish"
	fi
done

# 'cm help' runs man on the page: each manual it knows, without a warning.
for topic in cm fetch filter score reply report record config; do
	ok "'cm help $topic' shows its page, man warning of nothing" eval '
		LC_ALL=C.UTF-8 MANOPT=--warnings=w MANWIDTH=80 cm help "$topic" > out 2> err &&
		[ ! -s err ] && grep -q "^ *cm\(-$topic\)\{0,1\} " out || { cat err; head -n 8 out; false; }'
done

# What cm runs and shows: the programs it finds, and the pages of help.
commands=$(cm | awk '/^commands:/ { c = 1; next } c && !NF { exit } c { print $1 }' | sort)
commands_help=$(printf '%s\nhelp\n' "$commands" | sort)
manuals=$(printf '%s\nconfig\nrecord\n' "$commands" | sort)
ok "cm lists the programs of cmd/" eval '
	same "$(cd "$SRC_DIR/cmd" && ls cm-*.c | sed "s/^cm-//; s/\.c$//" | sort)" "$commands"'
ok "bash: cm completes exactly its commands and help" eval '
	same "$commands_help" "$(bash_complete cm "" | sort)"'
ok "bash: cm help completes exactly the manuals" eval '
	same "$manuals" "$(bash_complete cm help "" | sort)"'
if command -v zsh > /dev/null; then
	ok "zsh: cm completes exactly its commands and help, and the manuals" eval '
		cmds=$(zsh -f -c "_arguments() { :; }; _describe() { print -rl -- \"\${(@P)4}\"; }
			service=cm; state=command; source \"$COMP/_cm\"" | cut -d: -f1 | sort) &&
		same "$commands_help" "$cmds" &&
		pages=$(zsh -f -c "_arguments() { :; }; _values() { shift; print -rl -- \"\$@\"; }
			service=cm; state=args; words=(help); source \"$COMP/_cm\"" | sort) &&
		same "$manuals" "$pages"'
else
	skip "zsh: cm completes exactly its commands and help" "no zsh"
fi
if command -v fish > /dev/null; then
	ok "fish: cm completes exactly its commands and help, and the manuals" eval '
		same "$commands_help" "$(fish_complete "cm " | cut -f1 | sort)" &&
		same "$manuals" "$(fish_complete "cm help " | cut -f1 | sort)"'
	ok "fish: cm fetch completes as cm-fetch, and only that" eval '
		same "$(fish_complete "cm-fetch --" | sort)" "$(fish_complete "cm fetch --" | sort)" &&
		same "$(fish_complete "cm-filter --" | sort)" "$(fish_complete "cm filter --" | sort)"'
	ok "fish: cm-fetch completes the demo source, a file option files" eval '
		fish_complete "cm-fetch de" | grep -q "^demo	" && touch myconf.ini &&
		same myconf.ini "$(fish_complete "cm-fetch --config myc")"'
else
	skip "fish: cm completes exactly its commands" "no fish"
	skip "fish: cm fetch completes as cm-fetch" "no fish"
	skip "fish: cm-fetch completes the demo source" "no fish"
fi

ok "bash: cm completes command names" eval 'same fetch "$(bash_complete cm fe)"'
ok "bash: cm fetch completes cm-fetch options" eval 'same --limit "$(bash_complete cm fetch --li)"'
ok "bash: cm-fetch completes the demo source" eval 'bash_complete cm-fetch de | grep -qx demo'
ok "bash: a file option completes files" eval '
	touch myconf.ini; same myconf.ini "$(bash_complete cm-fetch --config myc)"'

done_testing
