#!/bin/bash
# cm-fetch --sources: the sources of the config's accounts with their
# feeds, then the public ones, one a line with a tab and what it is; every
# source it lists is one cm-fetch takes, no secret is read for it, and the
# bash, zsh and fish completions offer an account's feeds from it
# (cm-fetch acme-masto:<TAB>).
. "$(dirname "$0")/lib.sh"
COMP=$SRC_DIR/completions

mkdir -p "$XDG_CONFIG_HOME/cm"
CONF=$XDG_CONFIG_HOME/cm/config
cat > "$CONF" <<EOF
[account acme-masto]
platform = mastodon
token = cmd:touch $SCRATCH/secret-read && echo t

[account acme-bsky]
platform = bluesky
handle = acme.example
app_password = env:ACME_BSKY_PASSWORD

[account acme-reddit]
platform = reddit
client_id = env:REDDIT_ID
client_secret = env:REDDIT_SECRET
refresh_token = env:REDDIT_REFRESH

[account exports]
platform = csv

[account later]
platform = youtube

[account hn]
platform = hn
handle = acme
EOF
chmod 600 "$CONF"

ok "--sources exits 0 and reads no secret" eval '
	cm-fetch --sources > list && [ ! -e "$SCRATCH/secret-read" ]'
ok "an account's feeds, in the order of its platform, an argument's colon kept" eval '
	grep "^acme-masto:" list | cut -f1 > got &&
	printf "%s\n" acme-masto:mentions acme-masto:search: acme-masto:tag: \
	    acme-masto:thread: acme-masto:own | test_cmp - got'
ok "each line is a source, a tab, its platform and what it is" eval '
	grep -qx "acme-masto:mentions	mastodon: statuses that mention the account (its notifications)" list &&
	awk -F "\t" "NF != 2 || \$2 !~ /^[a-z]+: ./ { print; bad = 1 } END { exit bad }" list'
ok "a csv account takes its file after the colon" eval 'grep -q "^exports:	csv: " list'
ok "an account of a platform cm-fetch cannot fetch from is left out" eval '! grep -q "^later" list'
ok "an account named as a platform stands for it: no public hn lines" eval '
	[ "$(grep -c "^hn:" list)" -eq 2 ] && grep -q "^hn:search:	" list'
ok "the public sources: feeds that need no account, csv and demo" eval '
	grep -v "^acme-\|^exports:\|^hn:" list | cut -f1 > got &&
	printf "%s\n" mastodon:tag: mastodon:thread: bluesky:search: bluesky:thread: \
	    reddit:sub: reddit:search: reddit:thread: csv: demo demo: | test_cmp - got'
ok "without a config, the public sources alone" eval '
	cm-fetch --config /dev/null --sources | cut -f1 > got &&
	grep -c ":" got > /dev/null && ! grep -q "^acme" got && grep -qx "hn:search:" got &&
	grep -qx "mastodon:tag:" got'

# Every source listed is one cm-fetch takes: with an argument where it
# needs one, --dry-run (which sends nothing) accepts each.
echo "created_at,text" > one.csv
ok "cm-fetch takes every source it lists" eval '
	while IFS="	" read -r src desc; do
		case $src in
		*:thread:) case $desc in bluesky:*) src=${src}at://did:plc:x/app.bsky.feed.post/y;; *) src=${src}1;; esac ;;
		exports:|csv:) src=${src}one.csv ;;
		demo:) src=demo:5 ;;
		*:) src=${src}acme ;;
		esac
		ACME_BSKY_PASSWORD=p REDDIT_ID=i REDDIT_SECRET=s REDDIT_REFRESH=r \
		    cm-fetch --dry-run "$src" > /dev/null || { echo "refused: $src"; exit 1; }
	done < list'
ok "--config names the file it lists" eval '
	printf "[account other]\nplatform = hn\n" > other.conf &&
	cm-fetch --config other.conf --sources | grep -q "^other:search:	" &&
	! cm-fetch --config other.conf --sources | grep -q "^acme"'
ok "a SOURCE with --sources is a usage error" exits_with 2 cm-fetch --sources demo
ok "a broken config is an error" eval '
	echo "[account" > broken.conf; exits_with 2 cm-fetch --config broken.conf --sources'

# bash_complete WORD...: what the bash completion offers for the last WORD.
bash_complete() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_cm_complete; printf "%s\n" "${COMPREPLY[@]}"' bash "$COMP/cm.bash" "$@"
}
masto=$(printf "%s\n" acme-masto:mentions acme-masto:search: acme-masto:tag: \
    acme-masto:thread: acme-masto:own)
ok "bash: cm-fetch acme-masto: offers that account's feeds" eval '
	[ "$(bash_complete cm-fetch acme-masto:)" = "$masto" ]'
ok "bash: cm fetch acme-masto:s offers search:" eval '
	[ "$(bash_complete cm fetch acme-masto:s)" = acme-masto:search: ]'
ok "bash: with -c FILE, that file's accounts" eval '
	[ "$(bash_complete cm-fetch -c other.conf oth)" = "$(printf "%s\n" other:search: other:thread:)" ]'
# As bash runs it on a line: the word split at its colon
# (COMP_WORDBREAKS), the line and the cursor set; what it offers then
# replaces the part after the colon.
ok "bash: on a line split at the colon, the feeds after the colon" eval '
	got=$(bash -c "source \"$COMP/cm.bash\"; COMP_LINE=\"cm-fetch acme-masto:m\"; COMP_POINT=\${#COMP_LINE}
		COMP_WORDS=(cm-fetch acme-masto : m); COMP_CWORD=3; _cm_complete; printf \"%s\n\" \"\${COMPREPLY[@]}\"") &&
	[ "$got" = mentions ]'
ok "bash: csv: completes files" eval '
	[ "$(bash_complete cm-fetch csv:on)" = csv:one.csv ]'

if command -v fish > /dev/null; then
	fish_complete() {
		fish --no-config -c 'set fish_complete_path $argv[1] $fish_complete_path
			complete -C $argv[2]' "$COMP" "$1"
	}
	ok "fish: cm-fetch acme-masto: offers that account's feeds, described" eval '
		[ "$(fish_complete "cm-fetch acme-masto:" | cut -f1 | sort)" = "$(echo "$masto" | sort)" ] &&
		fish_complete "cm-fetch acme-masto:m" | grep -qx "acme-masto:mentions	mastodon: statuses that mention the account (its notifications)"'
	ok "fish: cm fetch completes the feeds too" eval '
		[ "$(fish_complete "cm fetch acme-masto:" | cut -f1 | sort)" = "$(echo "$masto" | sort)" ]'
	ok "fish: with --config FILE, that file's accounts" eval '
		fish_complete "cm-fetch --config other.conf oth" | cut -f1 | grep -qx other:search:'
	ok "fish: csv: completes files" eval '
		fish_complete "cm-fetch csv:on" | cut -f1 | grep -qx csv:one.csv'
else
	skip "fish: the feeds of an account" "no fish"
	skip "fish: cm fetch completes the feeds" "no fish"
	skip "fish: with --config FILE" "no fish"
	skip "fish: csv: completes files" "no fish"
fi

if command -v zsh > /dev/null; then
	# The source action as _arguments would call it, with _describe
	# printing what it would offer.
	zsh_sources() {
		zsh -f -c '_arguments() { :; }; _describe() {
			shift 2; print -rl -- "${(@P)2}"; print -rl -- "${(@P)4}"; }
			compset() { return 1; }; typeset -A opt_args; opt_args=(${=2})
			service=cm-fetch; source "$1"; _cm_fetch_sources' zsh "$COMP/_cm" "${1-}"
	}
	ok "zsh: the sources, an account's feeds among them, colons escaped" eval '
		zsh_sources > zgot &&
		grep -qx "acme-masto\\\\:mentions:mastodon: statuses that mention the account (its notifications)" zgot &&
		grep -qx "acme-masto\\\\:search\\\\::mastodon: statuses that match QUERY (search v2)" zgot'
	ok "zsh: with --config FILE, that file's accounts" eval '
		zsh_sources "--config other.conf" | grep -q "^other\\\\:search\\\\::"'
else
	skip "zsh: the sources" "no zsh"
	skip "zsh: with --config FILE" "no zsh"
fi

done_testing
