# fish completion for cm and its programs
# Installed once per program name (cm.fish, cm-fetch.fish, ...).

# cm: the dispatcher
complete -c cm -f
complete -c cm -n __fish_use_subcommand -s h -l help -d 'Show help and exit'
complete -c cm -n __fish_use_subcommand -s V -l version -d 'Show the version and exit'
complete -c cm -n __fish_use_subcommand -a fetch -d 'Pull mentions, replies and searches'
complete -c cm -n __fish_use_subcommand -a filter -d 'Select records'
complete -c cm -n __fish_use_subcommand -a score -d 'Add sentiment, intent and priority'
complete -c cm -n __fish_use_subcommand -a reply -d 'Draft and send replies'
complete -c cm -n __fish_use_subcommand -a report -d 'Volume, sentiment and response KPIs'
complete -c cm -n __fish_use_subcommand -a help -d 'Show the manual of a command'
complete -c cm -n '__fish_seen_subcommand_from help' -a 'fetch filter score reply report record config'

# cm-fetch
complete -c cm-fetch -f
complete -c cm-fetch -s c -l config -r -F -d 'Config file'
complete -c cm-fetch -s e -l end -x -d 'Demo: time of the newest record'
complete -c cm-fetch -s h -l help -d 'Show help and exit'
complete -c cm-fetch -s n -l limit -x -d 'At most N records per source'
complete -c cm-fetch -s N -l new -d 'Only records newer than the last run'
complete -c cm-fetch -s s -l seed -x -d 'Demo: random seed'
complete -c cm-fetch -s S -l since -x -d 'Only records created at or after (RFC 3339, 24h, 7d)'
complete -c cm-fetch -s u -l unbuffered -d 'Flush each record'
complete -c cm-fetch -s U -l until -x -d 'Only records created before'
complete -c cm-fetch -s V -l version -d 'Show the version and exit'
complete -c cm-fetch -a 'demo demo:1000 demo:100000' -d 'Source'
complete -c cm -n '__fish_seen_subcommand_from fetch' -w cm-fetch
