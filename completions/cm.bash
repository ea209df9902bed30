# bash completion for cm and its programs            -*- shell-script -*-
# Installed once per program name (cm, cm-fetch, ...).

# _cm_options PROGRAM: the options PROGRAM knows, long and short.
_cm_options()
{
	case $1 in
	cm)
		echo "--help --version -h -V" ;;
	cm-fetch)
		echo "--config --dry-run --end --help --jobs --limit --sources" \
		    "--max-wait --new --raw --seed --since --timeout --unbuffered" \
		    "--until --verbose --version -c -e -h -j -n -N -s -S -u -U -v -V" ;;
	cm-filter)
		echo "--author --help --hold-limit --ignore-case --invert --kind --label --lang --match --min-followers --min-priority --platform --reason --rejects --since --strict --unanswered --unbuffered --unique --until --version --window -F -L -P -R -S -U -V -a -h -i -k -l -m -p -r -u -v -w" ;;
	cm-score)
		echo "--config --explain --field --help --jobs --lexicon --lexicon-add --only --rejects --strict --unbuffered --version --weights -V -a -c -f -h -j -l -o -r -s -u -w -x" ;;
	cm-reply)
		echo "--account --approve --config --dry-run --help --include-spam --log --max --max-wait --rejects --review --rules --send --strict --template --unbuffered --verbose --version -M -V -a -c -f -h -r -t -u -v" ;;
	cm-report)
		echo "--business-hours --by --capacity --check --compare --csv-formulas --format --help --include-spam --interval --merge --now --partial --rejects --section --since --strict --top --tz --until --version --workdays -B -C -N -S -U -V -b -c -f -h -i -m -n -p -r -s -w -z" ;;
	esac
}

# _cm_takes_file PROGRAM OPTION: whether OPTION's argument is a file.
_cm_takes_file()
{
	case $1:$2 in
	*:--config|*:-c) return 0 ;;
	cm-filter:--rejects) return 0 ;;
	cm-filter:-r) return 0 ;;
	cm-score:--lexicon-add) return 0 ;;
	cm-score:-a) return 0 ;;
	cm-score:--config) return 0 ;;
	cm-score:-c) return 0 ;;
	cm-score:--lexicon) return 0 ;;
	cm-score:-l) return 0 ;;
	cm-score:--rejects) return 0 ;;
	cm-score:-r) return 0 ;;
	cm-report:--rejects) return 0 ;;
	cm-report:-r) return 0 ;;
	cm-reply:--rules|cm-reply:-f|cm-reply:--rejects|cm-reply:-r) return 0 ;;
	esac
	return 1
}

# _cm_takes_arg PROGRAM OPTION: whether OPTION takes a (non-file) argument.
_cm_takes_arg()
{
	case $1:$2 in
	cm-fetch:--end|cm-fetch:-e|cm-fetch:--jobs|cm-fetch:-j|\
	cm-fetch:--limit|cm-fetch:-n|cm-fetch:--max-wait|\
	cm-fetch:--seed|cm-fetch:-s|cm-fetch:--since|cm-fetch:-S|\
	cm-fetch:--timeout|cm-fetch:--until|cm-fetch:-U) return 0 ;;
	cm-reply:--account|cm-reply:-a|cm-reply:--max|cm-reply:-M|\
	cm-reply:--max-wait|cm-reply:--template|cm-reply:-t) return 0 ;;
	cm-filter:--platform) return 0 ;;
	cm-filter:-p) return 0 ;;
	cm-filter:--kind) return 0 ;;
	cm-filter:-k) return 0 ;;
	cm-filter:--reason) return 0 ;;
	cm-filter:-R) return 0 ;;
	cm-filter:--since) return 0 ;;
	cm-filter:-S) return 0 ;;
	cm-filter:--until) return 0 ;;
	cm-filter:-U) return 0 ;;
	cm-filter:--lang) return 0 ;;
	cm-filter:-l) return 0 ;;
	cm-filter:--min-followers) return 0 ;;
	cm-filter:-F) return 0 ;;
	cm-filter:--match) return 0 ;;
	cm-filter:-m) return 0 ;;
	cm-filter:--author) return 0 ;;
	cm-filter:-a) return 0 ;;
	cm-filter:--min-priority) return 0 ;;
	cm-filter:-P) return 0 ;;
	cm-filter:--label) return 0 ;;
	cm-filter:-L) return 0 ;;
	cm-filter:--window) return 0 ;;
	cm-filter:-w) return 0 ;;
	cm-filter:--hold-limit) return 0 ;;
	cm-score:--field) return 0 ;;
	cm-score:-f) return 0 ;;
	cm-score:--only) return 0 ;;
	cm-score:-o) return 0 ;;
	cm-score:--weights) return 0 ;;
	cm-score:-w) return 0 ;;
	cm-report:--by) return 0 ;;
	cm-report:-b) return 0 ;;
	cm-report:--business-hours) return 0 ;;
	cm-report:-B) return 0 ;;
	cm-report:--capacity) return 0 ;;
	cm-report:-C) return 0 ;;
	cm-report:--check) return 0 ;;
	cm-report:-c) return 0 ;;
	cm-report:--compare) return 0 ;;
	cm-report:--format) return 0 ;;
	cm-report:-f) return 0 ;;
	cm-report:--interval) return 0 ;;
	cm-report:-i) return 0 ;;
	cm-report:--top) return 0 ;;
	cm-report:-n) return 0 ;;
	cm-report:--now) return 0 ;;
	cm-report:-N) return 0 ;;
	cm-report:--section) return 0 ;;
	cm-report:-s) return 0 ;;
	cm-report:--since) return 0 ;;
	cm-report:-S) return 0 ;;
	cm-report:--until) return 0 ;;
	cm-report:-U) return 0 ;;
	cm-report:--workdays) return 0 ;;
	cm-report:-w) return 0 ;;
	cm-report:--tz) return 0 ;;
	cm-report:-z) return 0 ;;
	esac
	return 1
}

# _cm_values PROGRAM OPTION: the fixed values OPTION takes, if any.
_cm_values()
{
	case $1:$2 in
	cm-filter:--platform) echo "mastodon bluesky reddit hn youtube x discord rss csv demo" ;;
	cm-filter:-p) echo "mastodon bluesky reddit hn youtube x discord rss csv demo" ;;
	cm-filter:--kind) echo "post reply comment message" ;;
	cm-filter:-k) echo "post reply comment message" ;;
	cm-filter:--reason) echo "mention reply quote search tag channel own" ;;
	cm-filter:-R) echo "mention reply quote search tag channel own" ;;
	cm-filter:--label) echo "positive neutral negative" ;;
	cm-filter:-L) echo "positive neutral negative" ;;
	cm-score:--only) echo "sentiment" ;;
	cm-score:-o) echo "sentiment" ;;
	cm-report:--compare) echo "previous 1d 7d 4w" ;;
	cm-report:--format) echo "text csv json markdown html" ;;
	cm-report:-f) echo "text csv json markdown html" ;;
	cm-report:--interval) echo "hour day week" ;;
	cm-report:-i) echo "hour day week" ;;
	cm-report:--section) echo "summary timeline breakdown sentiment intents authors tags terms response response_times response_distribution backlog input definitions" ;;
	cm-report:-s) echo "summary timeline breakdown sentiment intents authors tags terms response response_times response_distribution backlog input definitions" ;;
	esac
}

# _cm_fetch_sources [CONFIG]: the sources cm-fetch knows, one a line: those
# of the config's accounts with their feeds and the public ones, as
# "cm-fetch --sources" lists them (the demo alone when it cannot).
_cm_fetch_sources()
{
	local out

	if out=$(cm-fetch ${1:+--config="$1"} --sources 2> /dev/null); then
		printf '%s\n' "$out" | cut -f1
	else
		printf '%s\n' demo demo: csv:
	fi
}

# _cm_operands PROGRAM CUR [CONFIG]: completions for operands.
_cm_operands()
{
	local word=$2 colon

	case $1 in
	cm-fetch)
		# bash splits acme-masto:men at its colon (COMP_WORDBREAKS):
		# the source is what the line holds up to the cursor.
		if [[ -n ${COMP_LINE-} && $COMP_WORDBREAKS == *:* ]]; then
			word=${COMP_LINE:0:COMP_POINT}
			word=${word##*[[:space:]]}
		fi
		if [[ $word == csv:* ]]; then
			COMPREPLY=($(compgen -f -P csv: -- "${word#csv:}"))
		else
			COMPREPLY=($(compgen -W "$(_cm_fetch_sources "$3")" -- "$word"))
		fi
		# A feed that takes an argument goes on after its colon.
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *: ]]; then
			compopt -o nospace 2> /dev/null
		fi
		if [[ $word != "$2" && $word == *:* ]]; then
			colon=${word%"${word##*:}"}
			COMPREPLY=("${COMPREPLY[@]#"$colon"}")
		fi ;;
	*)
		COMPREPLY=($(compgen -f -- "$2")) ;;
	esac
}

# _cm_config_arg: the --config (-c) the words before the current one name.
_cm_config_arg()
{
	local i w

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--config=*) echo "${w#--config=}" ;;
		--config|-c) echo "${COMP_WORDS[i+1]}" ;;
		-c?*) echo "${w#-c}" ;;
		esac
	done | tail -n 1
}

_cm_complete()
{
	local prog=${COMP_WORDS[0]##*/} cur=${COMP_WORDS[COMP_CWORD]}
	local prev= first=1 i

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$prog" = cm ]; then
		# Find the command word; everything after it is the command's.
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			-*) ;;
			help)
				COMPREPLY=($(compgen -W "fetch filter score reply report record config" -- "$cur"))
				return ;;
			*)
				prog=cm-${COMP_WORDS[i]}
				first=$((i + 1))
				break ;;
			esac
		done
		if [ "$prog" = cm ]; then
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "$(_cm_options cm)" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "fetch filter score reply report help" -- "$cur"))
			fi
			return
		fi
	fi
	if [[ $cur == --*=* ]]; then
		local opt=${cur%%=*}
		cur=${cur#*=}
		if _cm_takes_file "$prog" "$opt"; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_cm_values "$prog" "$opt")" -- "$cur"))
		fi
		return
	fi
	if [ "$COMP_CWORD" -gt "$first" ] || [ "$prog" != "${COMP_WORDS[0]##*/}" ]; then
		if _cm_takes_file "$prog" "$prev"; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi
		if _cm_takes_arg "$prog" "$prev"; then
			COMPREPLY=($(compgen -W "$(_cm_values "$prog" "$prev")" -- "$cur"))
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_cm_options "$prog")" -- "$cur"))
	else
		_cm_operands "$prog" "$cur" "$(_cm_config_arg)"
	fi
}

complete -F _cm_complete cm cm-fetch cm-filter cm-score cm-reply cm-report
