# fish completion for cm, the dispatcher, installed as cm.fish; each
# program has its own file (cm-fetch.fish, ...), which fish loads when it
# completes that program or, through cm, its command.

complete -c cm -f
complete -c cm -n __fish_use_subcommand -s h -l help -d 'show this help and exit'
complete -c cm -n __fish_use_subcommand -s V -l version -d 'show the version and exit'
complete -c cm -n __fish_use_subcommand -a fetch -d 'pull mentions, replies and searches as cm records'
complete -c cm -n __fish_use_subcommand -a filter -d 'select records by jq expression or common flags'
complete -c cm -n __fish_use_subcommand -a score -d 'add sentiment, intent, urgency and priority'
complete -c cm -n __fish_use_subcommand -a reply -d 'draft, review and send replies exactly once'
complete -c cm -n __fish_use_subcommand -a report -d 'volume, sentiment and response KPIs'
complete -c cm -n __fish_use_subcommand -a help -d 'show the manual of a command'
complete -c cm -n '__fish_seen_subcommand_from help' -a 'fetch filter score reply report record config'

# After its command, cm completes as cm-COMMAND would.
function __cm_command_completions
	set -l words (commandline -opc) (commandline -ct)
	set -e words[1]
	set words[1] cm-$words[1]
	complete -C (string join -- ' ' (string escape -- $words))
end
complete -c cm -n 'not __fish_use_subcommand; and not __fish_seen_subcommand_from help' -a '(__cm_command_completions)'
