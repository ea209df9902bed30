#!/bin/bash
# cm, the dispatcher.
. "$(dirname "$0")/lib.sh"

ok "cm alone lists the programs it finds" \
	eval 'cm > out && contains out "fetch" && contains out "usage: cm COMMAND"'
ok "cm help lists them too" eval 'cm help > out && contains out fetch'
ok "cm help NAME: an unknown name is a usage error" eval 'cm help nosuch > out 2> err; [ $? -eq 2 ] && contains err "not a cm command or manual"'
ok "cm fetch runs cm-fetch with the arguments" \
	eval 'cm fetch --seed 3 --end $DEMO_END demo:5 > a && cm-fetch --seed 3 --end $DEMO_END demo:5 > b && test_cmp a b && lines a 5'
ok "the program it runs names itself in messages" \
	eval 'cm fetch nosuch 2> err; contains err "cm-fetch: nosuch: unknown source"'
ok "an unknown command is a usage error" \
	eval 'cm nosuch 2> err; [ $? -eq 2 ] && contains err "cm: '"'"'nosuch'"'"' is not a cm command"'
ok "a path is not a command" exits_with 2 cm ../cm-fetch
ok "--help goes to stdout, status 0" \
	eval 'cm --help > out 2> err && contains out "usage: cm" && [ ! -s err ]'
ok "-V prints the version" eval 'cm -V | grep -Eq "^cm [0-9]+\.[0-9]+"'
ok "an unknown option is a usage error" exits_with 2 cm --nosuch
mkdir -p bin
printf '#!/bin/sh\necho "extra:$*"\n' > bin/cm-extra
chmod +x bin/cm-extra
ok "commands on PATH are found" \
	eval 'PATH=$PWD/bin:$PATH cm extra a b > out && contains out "extra:a b"'
if command -v man > /dev/null; then
	ok "cm help NAME shows the manual page" \
		eval 'MANPAGER=cat PAGER=cat MANWIDTH=80 cm help fetch > out 2>&1 && contains out "pull what people say"'
else
	skip "cm help NAME shows the manual page" "no man(1)"
fi

done_testing
