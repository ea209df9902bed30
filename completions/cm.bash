# bash completion for cm and its programs            -*- shell-script -*-
# Installed once per program name (cm, cm-fetch, ...).

# _cm_options PROGRAM: the options PROGRAM knows, long and short.
_cm_options()
{
	case $1 in
	cm)
		echo "--help --version -h -V" ;;
	cm-fetch)
		echo "--config --end --help --limit --new --seed --since" \
		    "--unbuffered --until --version -c -e -h -n -N -s -S -u -U -V" ;;
	esac
}

# _cm_takes_file PROGRAM OPTION: whether OPTION's argument is a file.
_cm_takes_file()
{
	case $1:$2 in
	*:--config|*:-c) return 0 ;;
	esac
	return 1
}

# _cm_takes_arg PROGRAM OPTION: whether OPTION takes a (non-file) argument.
_cm_takes_arg()
{
	case $1:$2 in
	cm-fetch:--end|cm-fetch:-e|cm-fetch:--limit|cm-fetch:-n|\
	cm-fetch:--seed|cm-fetch:-s|cm-fetch:--since|cm-fetch:-S|\
	cm-fetch:--until|cm-fetch:-U) return 0 ;;
	esac
	return 1
}

# _cm_operands PROGRAM CUR: completions for operands.
_cm_operands()
{
	case $1 in
	cm-fetch)
		COMPREPLY=($(compgen -W "demo demo:1000 demo:100000" -- "$2")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$2")) ;;
	esac
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
		fi
		return
	fi
	if [ "$COMP_CWORD" -gt "$first" ] || [ "$prog" != "${COMP_WORDS[0]##*/}" ]; then
		if _cm_takes_file "$prog" "$prev"; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi
		if _cm_takes_arg "$prog" "$prev"; then
			COMPREPLY=()
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_cm_options "$prog")" -- "$cur"))
	else
		_cm_operands "$prog" "$cur"
	fi
}

complete -F _cm_complete cm cm-fetch
