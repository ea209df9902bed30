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

# cm-filter
complete -c cm-filter -s a -l author -x -d 'author.handle (any case, @ optional) or'
complete -c cm-filter -s h -l help -d 'show this help and exit'
complete -c cm-filter -l hold-limit -x -d '--unanswered: hold at most SIZE bytes'
complete -c cm-filter -s i -l ignore-case -d '--match ignores case'
complete -c cm-filter -s v -l invert -d 'pass the records that fail instead'
complete -c cm-filter -s k -l kind -x -a 'post reply comment message' -d 'post, reply, comment or message'
complete -c cm-filter -s L -l label -x -a 'positive neutral negative' -d 'score.label: positive, neutral, negative'
complete -c cm-filter -s l -l lang -x -d 'lang is in one of these ranges (en: en,'
complete -c cm-filter -s m -l match -x -d 'text matches REGEX (POSIX extended);'
complete -c cm-filter -s F -l min-followers -x -d 'author.followers is at least N'
complete -c cm-filter -s P -l min-priority -x -d 'score.priority is at least X (0 to 1)'
complete -c cm-filter -s p -l platform -x -a 'mastodon bluesky reddit hn youtube x discord rss csv demo' -d 'platform is one of these'
complete -c cm-filter -s R -l reason -x -a 'mention reply quote search tag channel own' -d 'mention, reply, quote, search, tag,'
complete -c cm-filter -s r -l rejects -r -F -d 'copy bad input lines to FILE'
complete -c cm-filter -s S -l since -x -d 'created at or after WHEN (RFC 3339, a'
complete -c cm-filter -l strict -d 'stop at the first bad line'
complete -c cm-filter -l unanswered -d 'inbound records that no later brand'
complete -c cm-filter -s u -l unbuffered -d 'flush each record'
complete -c cm-filter -l unique -d 'only the first record of each id'
complete -c cm-filter -s U -l until -x -d 'created before WHEN'
complete -c cm-filter -s V -l version -d 'show the version and exit'
complete -c cm-filter -s w -l window -x -d '--unanswered: a reply counts only within'
complete -c cm -n '__fish_seen_subcommand_from filter' -w cm-filter

# cm-score
complete -c cm-score -s c -l config -r -F -d 'config file, [score] section (default'
complete -c cm-score -s x -l explain -d 'explain each score on stderr'
complete -c cm-score -s f -l field -x -d 'score the text at PATH (default text)'
complete -c cm-score -s h -l help -d 'show this help and exit'
complete -c cm-score -s j -l jobs -x -d 'score on N threads (0: one per CPU;'
complete -c cm-score -s l -l lexicon -r -F -d 'lexicon to use instead of the installed one'
complete -c cm-score -s a -l lexicon-add -r -F -d 'add or override lexicon terms (repeatable)'
complete -c cm-score -s o -l only -x -a 'sentiment' -d 'only sentiment, label and why'
complete -c cm-score -s r -l rejects -r -F -d 'copy bad input lines to FILE'
complete -c cm-score -s s -l strict -d 'stop at the first bad line'
complete -c cm-score -s u -l unbuffered -d 'flush each record'
complete -c cm-score -s V -l version -d 'show the version and exit'
complete -c cm-score -s w -l weights -x -d 'priority weights: negativity=N,urgency=N,'
complete -c cm -n '__fish_seen_subcommand_from score' -w cm-score

# cm-report
complete -c cm-report -s B -l business-hours -x -d 'business-hours'
complete -c cm-report -s b -l by -x -d 'group every section by these fields'
complete -c cm-report -s C -l capacity -x -d 'distinct authors, tags and terms counted'
complete -c cm-report -s c -l check -x -d 'jq expression over the JSON report: exit 1'
complete -c cm-report -l csv-formulas -d 'in CSV, leave text cells that start with = + - @ as they are'
complete -c cm-report -s f -l format -x -a 'text csv json markdown html' -d 'text, csv, json, markdown or html (default:'
complete -c cm-report -s h -l help -d 'show this help and exit'
complete -c cm-report -s i -l interval -x -a 'hour day week' -d 'timeline buckets: hour, day or week'
complete -c cm-report -s m -l merge -d 'read partial states (from --partial) and'
complete -c cm-report -s N -l now -x -d 'measure backlog ages at TIME (default: now)'
complete -c cm-report -s p -l partial -d 'write mergeable partial state (NDJSON)'
complete -c cm-report -s r -l rejects -r -F -d 'copy bad input lines to FILE'
complete -c cm-report -s s -l section -x -a 'summary timeline breakdown sentiment intents authors tags terms response response_times response_distribution backlog input definitions' -d 'only this section (see cm-report(1))'
complete -c cm-report -s S -l since -x -d 'only records created at or after WHEN'
complete -c cm-report -l strict -d 'stop at the first bad line'
complete -c cm-report -s n -l top -x -d 'entries per top list (default 10, at most 100)'
complete -c cm-report -s z -l tz -x -d 'time zone of buckets and business hours'
complete -c cm-report -s U -l until -x -d 'only records created before WHEN'
complete -c cm-report -s V -l version -d 'show the version and exit'
complete -c cm-report -s w -l workdays -x -d 'business days (default Mon-Fri)'
complete -c cm -n '__fish_seen_subcommand_from report' -w cm-report
