#!/bin/bash
# The man-page EXAMPLES runner (run_man_examples in tests/lib.sh) on pages
# made here: it passes what is true and fails each way a page can lie.
. "$(dirname "$0")/lib.sh"

# page NAME: writes NAME.1, an mdoc page whose EXAMPLES are stdin's lines.
page() {
	{
		printf '.Dd November 25, 2026\n.Dt T 1\n.Os\n.Sh NAME\n.Nm t\n'
		printf '.Nd test\n.Sh DESCRIPTION\nA test.\n.Sh EXAMPLES\n'
		cat
		printf '.Sh SEE ALSO\n.Xr cm 7\n'
	} > "$SCRATCH/$1.1"
}

# passes NAME / fails NAME MESSAGE: the runner passes the page, or fails
# it and says MESSAGE.
passes() {
	run_man_examples "$SCRATCH/$1.1"
}
fails() {
	if run_man_examples "$SCRATCH/$1.1" > "$SCRATCH/$1.out" 2>&1; then
		echo "the runner passed $1"
		return 1
	fi
	contains "$SCRATCH/$1.out" "$2"
}

page good <<'EOF'
.Bd -literal -offset indent
$ printf 'a\enb\en'
a
b
$ export GREETING=hello; mkdir sub && cd sub
$ echo "$GREETING from $(basename "$PWD")"
hello from sub
$ seq 100000 | head -n 2
1
2
$ printf 'x\er\eny\er\en'
x
y
$ false || echo handled
handled
.Ed
.Pp
A file shown is not run:
.Bd -literal -offset indent
[section]
key = value
.Ed
EOF
ok "a true page passes: output, state carried, SIGPIPE from head, CRLF" passes good

page placeholders <<'EOF'
.Bd -literal -offset indent
$ seq 10
1
\&...
10
$ date -u +'now: %Y-%m-%dT%H:%M:%SZ'
now: ...Z
$ seq 3
1
2
3
\&...
$ cat << 'EOF'
> one
>
> three
> EOF
one

three
$ echo a \e
  b
a b
.Ed
EOF
ok "'...' stands for lines or text; '>' and a backslash continue a command" passes placeholders

page status <<'EOF'
.Bd -literal -offset indent
$ sh -c 'echo oops >&2; exit 3'
oops
(exit status 3)
$ echo after
after
.Ed
EOF
ok "(exit status N): the command must exit N, and the page goes on" passes status

page middle <<'EOF'
.Bd -literal -offset indent
$ echo one
one
$ false
$ echo three
three
.Ed
EOF
ok "a failing command in the middle fails the page" fails middle "example 2 exited 1"

page inlist <<'EOF'
.Bd -literal -offset indent
$ false && echo never
$ echo last
last
.Ed
EOF
ok "a failing first command of a list fails the page" fails inlist "example 1 exited 1"

page pipe <<'EOF'
.Bd -literal -offset indent
$ sh -c 'exit 4' | cat
$ echo last
last
.Ed
EOF
ok "a pipeline whose first command fails fails the page" fails pipe "example 1 exited 4"

page pipebig <<'EOF'
.Bd -literal -offset indent
$ { seq 100000; exit 5; } | head -n 1
1
.Ed
EOF
ok "a pipeline into head whose first command fails fails the page" fails pipebig "exited 5"

page wrong <<'EOF'
.Bd -literal -offset indent
$ echo 41
42
.Ed
EOF
ok "a wrong shown output fails the page" fails wrong "example 1 printed other than the page shows"

page missing <<'EOF'
.Bd -literal -offset indent
$ printf 'a\enb\en'
a
.Ed
EOF
ok "output the page does not show fails it" fails missing "printed other than"

page silent <<'EOF'
.Bd -literal -offset indent
$ echo surprise
.Ed
EOF
ok "output under a command that shows none fails the page" fails silent "printed other than"

page stderr <<'EOF'
.Bd -literal -offset indent
$ echo warning >&2
.Ed
EOF
ok "standard error counts as output" fails stderr "printed other than"

page badstatus <<'EOF'
.Bd -literal -offset indent
$ sh -c 'exit 1'
(exit status 2)
.Ed
EOF
ok "another exit status than the one shown fails the page" fails badstatus "example 1 exited 1, the page shows 2"

page okstatus <<'EOF'
.Bd -literal -offset indent
$ true
(exit status 1)
.Ed
EOF
ok "success where the page shows a failure fails it" fails okstatus "example 1 exited 0, the page shows 1"

page dots <<'EOF'
.Bd -literal -offset indent
$ echo 'a b c'
a...d
.Ed
EOF
ok "'...' within a line still matches the rest exactly" fails dots "printed other than"

page escape <<'EOF'
.Bd -literal -offset indent
$ echo \fBbold\fR
bold
.Ed
EOF
ok "an escape the runner does not know fails the page" fails escape "an escape the runner does not know"

page request <<'EOF'
.Bd -literal -offset indent
$ echo a
.Pp
a
.Ed
EOF
ok "a request inside an example fails the page" fails request "a request inside an example"

page none <<'EOF'
.Bd -literal -offset indent
just a file
.Ed
EOF
ok "a page without commands fails" fails none "no examples"

done_testing
