# fish completion for cm-fetch, installed as cm-fetch.fish
complete -c cm-fetch -f
complete -c cm-fetch -s c -l config -r -F -d 'config file (default $CM_CONFIG or ~/.config/cm/config)'
complete -c cm-fetch -l dry-run -d 'show the first request of each source (secrets masked) and send nothing'
complete -c cm-fetch -s e -l end -x -d 'demo: time of the newest record (default: now, to the hour)'
complete -c cm-fetch -s j -l jobs -x -d 'sources fetched at once (default 4)'
complete -c cm-fetch -s n -l limit -x -d 'at most N records per source'
complete -c cm-fetch -l sources -d 'list the sources of the config\'s accounts and the public ones, with their feeds, one a line, and exit'
complete -c cm-fetch -l max-wait -x -d 'stop a source that would wait longer for the platform (default 10m); status 75'
complete -c cm-fetch -s N -l new -d 'only records no run with --new wrote before (state kept in the state store)'
complete -c cm-fetch -l raw -d 'keep each platform\'s own payload as raw'
complete -c cm-fetch -s s -l seed -x -d 'demo: random seed (default 1)'
complete -c cm-fetch -s S -l since -x -d 'only records created at or after WHEN (RFC 3339, a date, @SECONDS, or a duration ago: 24h, 7d)'
complete -c cm-fetch -l timeout -x -d 'give up a request after SECONDS (default 60; 30 without a byte)'
complete -c cm-fetch -s U -l until -x -d 'only records created before WHEN'
complete -c cm-fetch -s u -l unbuffered -d 'write each record at once'
complete -c cm-fetch -s v -l verbose -d 'say each request and answer on stderr'
complete -c cm-fetch -s h -l help -d 'show this help and exit'
complete -c cm-fetch -s V -l version -d 'show the version and exit'

# The sources: the config's accounts with their feeds and the public ones,
# as "cm-fetch --sources" lists them (a source, a tab, what it is);
# files after csv:.
function __cm_fetch_sources
	set -l tok (commandline -ct)
	if string match -q -- 'csv:*' $tok
		for f in (__fish_complete_path (string sub -s 5 -- $tok))
			echo csv:$f
		end
		return
	end
	set -l conf
	set -l words (commandline -opc)
	for i in (seq (count $words))
		switch $words[$i]
			case '--config=*'
				set conf (string sub -s 10 -- $words[$i])
			case --config -c
				set -l j (math $i + 1)
				set -q words[$j]; and set conf $words[$j]
			case '-c?*'
				set conf (string sub -s 3 -- $words[$i])
		end
	end
	set -l args --sources
	test -n "$conf"; and set args --config=$conf $args
	cm-fetch $args 2> /dev/null
	or printf '%s\t%s\n' demo 'demo records' 'csv:' 'a CSV file'
end
complete -c cm-fetch -n 'not string match -q -- "-*" (commandline -ct)' -a '(__cm_fetch_sources)'
