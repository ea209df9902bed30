# fish completion for cm-fetch, installed as cm-fetch.fish
complete -c cm-fetch -f
complete -c cm-fetch -s c -l config -r -F -d 'config file (default $CM_CONFIG or ~/.config/cm/config)'
complete -c cm-fetch -s e -l end -x -d 'demo: time of the newest record (default: now, to the hour)'
complete -c cm-fetch -s n -l limit -x -d 'at most N records per source'
complete -c cm-fetch -s N -l new -d 'only records newer than the last run\'s (cursor kept in the state store)'
complete -c cm-fetch -s s -l seed -x -d 'demo: random seed (default 1)'
complete -c cm-fetch -s S -l since -x -d 'only records created at or after WHEN (RFC 3339, or a duration ago: 24h, 7d)'
complete -c cm-fetch -s U -l until -x -d 'only records created before WHEN'
complete -c cm-fetch -s u -l unbuffered -d 'flush each record'
complete -c cm-fetch -s h -l help -d 'show this help and exit'
complete -c cm-fetch -s V -l version -d 'show the version and exit'
complete -c cm-fetch -a 'demo demo:1000 demo:100000' -d 'demo records (demo:N for N of them)'
