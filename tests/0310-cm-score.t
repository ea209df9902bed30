#!/bin/bash
# cm-score: the score object, byte preservation, bad input, every option,
# the config's [score] section, exit statuses.
. "$(dirname "$0")/lib.sh"

cm-fetch --end $DEMO_END demo:500 > d

# The record as it was: the appended ,"score":{...} taken off again.
unscore() {
	perl -pe 's/,"score":\{"sentiment":.*\}\}$/}/' "$1"
}

ok "every record gets one score" eval '
	cm-score d > s && lines s 500 && valid_ndjson s &&
	jq -e -s "all(.score | ((.sentiment|type==\"number\") and
		(.sentiment >= -1 and .sentiment <= 1) and
		(.label|IN(\"positive\",\"neutral\",\"negative\")) or
		(.sentiment == null and .label == null and
		any(.why[]; startswith(\"not scored: \")))) and
		(.intent|IN(\"question\",\"complaint\",\"praise\",\"request\",\"spam\",\"other\")) and
		(.urgency >= 0 and .urgency <= 1) and (.influence >= 0 and .influence <= 1) and
		(.priority >= 0 and .priority <= 1) and (.why|type==\"array\" and length >= 1))" s > /dev/null'
ok "the label follows the sentiment and the 0.05 thresholds" eval '
	jq -e -s "all(.score | select(.sentiment != null) |
		(.sentiment >= 0.05) == (.label == \"positive\") and
		(.sentiment <= -0.05) == (.label == \"negative\"))" s > /dev/null'
ok "every other byte of the record is kept" eval 'unscore s > u && cmp d u'
ok "scoring an already scored record replaces its score" eval '
	cm-score s > s2 && cmp s s2 && [ "$(grep -o "\"score\":" s2 | wc -l)" -eq 500 ]'
ok "a score from elsewhere is replaced in place" eval '
	printf "%s\n" "{\"id\":\"a\",\"score\":{\"old\":true},\"text\":\"I love it\"}" | cm-score > o &&
	jq -e ".score.label == \"positive\" and (.score.old|not) and (keys_unsorted == [\"id\",\"score\",\"text\"])" o > /dev/null'
ok "large numbers and odd spacing survive byte for byte" eval '
	printf "%s\n" "{ \"id\" : 12345678901234567890, \"text\" : \"great\\u0021\" , \"x\":1e400 }" > big &&
	cm-score big > o && [ "$(unscore o)" = "$(cat big)" ]'
ok "several intents in the demo stream" eval '
	[ "$(jq -r .score.intent s | sort -u | wc -l)" -ge 5 ]'
ok "the brand's own posts get priority 0" eval '
	jq -e -s "map(select(.author.is_brand)) | length > 0 and all(.score.priority == 0 and .score.why[0] == \"own post\" and
		(.score.why | length == 1 or (.[1] | startswith(\"not scored: \"))))" s > /dev/null'

cat > r.ndjson <<'EOF'
{"id":"t:1","text":"@acme my watch died after 3 weeks. I want a refund, not another troubleshooting guide 😤😤","author":{"followers":48000},"metrics":{"likes":3}}
{"id":"t:2","text":"Thanks so much, the new app is fantastic!","author":{"followers":12}}
{"id":"t:3","text":"How do I reset my password?"}
{"id":"t:4","text":"🚀 AIRDROP is LIVE claim your free crypto https://a.example https://b.example https://c.example"}
{"id":"t:5","text":"Can you add an export to CSV please"}
{"id":"t:6","text":"My charger caught fire and burned my desk"}
EOF
ok "a complaint: negative, urgent, influential, first" eval '
	cm-score r.ndjson > o &&
	jq -e -s ".[0].score | .label == \"negative\" and .intent == \"complaint\" and .urgency > 0.5 and .priority > 0.5" o > /dev/null &&
	[ "$(jq -s -r "sort_by(-.score.priority) | .[0].id" o)" = "t:1" ]'
ok "why names the signals: negative, complaint, urgency, influence" eval '
	jq -r ".score.why[]" o | head -n 4 > why && contains why "negative 0." &&
	contains why "complaint: refund" && contains why "urgency" &&
	contains why "influence 0.8 (48k followers, 3 interactions)"'
ok "praise, question, spam, request" eval '
	[ "$(jq -r .score.intent o | tr "\n" " ")" = "complaint praise question spam request complaint " ]'
ok "spam has a low priority" eval 'jq -e -s ".[3].score.priority <= 0.05" o > /dev/null'
ok "safety is urgent" eval 'jq -e -s ".[5].score.urgency >= 0.6" o > /dev/null'
ok "links are cm-record(5)'s: HTTPS:// counts, www. does not" eval '
	printf "%s\n" "{\"id\":\"w:1\",\"text\":\"win a free phone at www.a.example www.b.example www.c.example\"}" \
		"{\"id\":\"w:2\",\"text\":\"win a free phone at HTTPS://A.EXAMPLE HTTPS://B.EXAMPLE HTTPS://C.EXAMPLE\"}" |
	cm-score | jq -r .score.intent | tr "\n" " " > got && [ "$(cat got)" = "praise spam " ]'

# Counts beyond 64 bits (1e29, 20 digits, 1e400) weigh the most, not
# nothing; negative ones are no followers.
cat > huge.ndjson <<'EOF'
{"id":"h:1m","text":"hello there","author":{"followers":1000000}}
{"id":"h:1e29","text":"hello there","author":{"followers":1e29}}
{"id":"h:20digits","text":"hello there","author":{"followers":99999999999999999999}}
{"id":"h:1e400","text":"hello there","author":{"followers":1e400}}
{"id":"h:int64max","text":"hello there","author":{"followers":9223372036854775807}}
{"id":"h:1.5e3","text":"hello there","author":{"followers":1.5e3}}
{"id":"h:1500","text":"hello there","author":{"followers":1500}}
{"id":"h:neg","text":"hello there","author":{"followers":-5}}
{"id":"h:neg1e29","text":"hello there","author":{"followers":-1e29}}
{"id":"h:none","text":"hello there"}
{"id":"h:likes","text":"hello there","metrics":{"likes":1e29,"reposts":9223372036854775807,"replies":9223372036854775807,"quotes":9223372036854775807}}
EOF
ok "huge follower counts give the highest influence, negative ones none" eval '
	cm-score huge.ndjson > o && jq -r "[.id, .score.influence] | @tsv" o > got &&
	printf "%s\t%s\n" h:1m 1 h:1e29 1 h:20digits 1 h:1e400 1 h:int64max 1 h:1.5e3 0.529 h:1500 0.529 \
		h:neg 0 h:neg1e29 0 h:none 0 h:likes 1 > want && test_cmp want got'
ok "why says so, without a made-up number" eval '
	jq -r "select(.id == \"h:1e29\" or .id == \"h:likes\") | .score.why[]" o > why &&
	contains why "influence 1.0 (over 1T followers)" && contains why "influence 1.0 (over 1T interactions)"'
# The first 256 KiB (262144 bytes) of a text are scored: a word that ends
# at the cap counts, one cut by it does not, nor does an emoji (U+1F621,
# four bytes) cut by it.  The padding ("box ", 65534 times) is 262136
# bytes.
perl -e '$p = "box " x 65534; print map { "{\"text\":\"$p$_\"}\n" }
	"bo awful", "box awful", "box \xf0\x9f\x98\xa1", "box b\xf0\x9f\x98\xa1",
	"box " x 10000 . "awful"' > cap.ndjson
ok "the 256 KiB text cap: a word ending at it counts, past it not" eval '
	[ "$(jq -r ".text | utf8bytelength" cap.ndjson | tr "\n" " ")" = "262144 262145 262144 262145 302141 " ] &&
	cm-score -o sentiment cap.ndjson > o && jq -r .score.label o | tr "\n" " " > got &&
	[ "$(cat got)" = "negative neutral negative neutral neutral " ] || { cat got; false; }'
ok "no text: neutral, why no text, not an error" eval '
	printf "%s\n" "{\"id\":\"n1\"}" "{\"id\":\"n2\",\"text\":null}" "{\"id\":\"n3\",\"text\":\"\"}" "{\"id\":\"n4\",\"text\":42}" |
	cm-score > o 2> err && lines o 4 && [ ! -s err ] &&
	jq -e -s "all(.score.label == \"neutral\" and .score.sentiment == 0 and .score.why == [\"no text\"])" o > /dev/null'

printf '%s\n' '{"text":"good"}' 'not json' '{"text":"bad"' '' '[1,2]' '{"text":"fine"}' > bad.ndjson
ok "bad lines: reported with file and line, skipped, status 1" eval '
	cm-score bad.ndjson > o 2> err; [ $? -eq 1 ] && lines o 2 && valid_ndjson o &&
	contains err "cm-score: bad.ndjson:2: invalid JSON" && contains err "bad.ndjson:3:" &&
	contains err "bad.ndjson:5: not a JSON object" && [ "$(wc -l < err)" -eq 3 ]'
ok "--rejects keeps the bad lines verbatim" eval '
	cm-score --rejects rej bad.ndjson > o 2> /dev/null; [ $? -eq 1 ] &&
	printf "%s\n" "not json" "{\"text\":\"bad\"" "[1,2]" > want && test_cmp want rej'
ok "--strict stops at the first bad line" eval '
	cm-score --strict bad.ndjson > o 2> err; [ $? -eq 1 ] && lines o 1 && [ "$(wc -l < err)" -eq 1 ]'
ok "a missing file is reported, the others scored, status 1" eval '
	cm-score nosuch.ndjson r.ndjson > o 2> err; [ $? -eq 1 ] && lines o 6 && contains err "nosuch.ndjson"'
ok "stdin by default, - too" eval 'cm-score < r.ndjson > a && cm-score - < r.ndjson > b && cmp a b && lines a 6'

ok "--only sentiment: sentiment, label and why only" eval '
	cm-score --only sentiment r.ndjson > o &&
	jq -e -s "all(.score | keys_unsorted == [\"sentiment\",\"label\",\"why\"])" o > /dev/null &&
	jq -r ".score.why[0]" o | head -n 1 | grep -q "^😤 -1.6$\|^died -2.6$\|^refund"'
ok "--only sentiment gives the same sentiment" eval '
	cm-score r.ndjson | jq -c "[.score.sentiment,.score.label]" > a &&
	cm-score -o sentiment r.ndjson | jq -c "[.score.sentiment,.score.label]" > b && cmp a b'
ok "--only with anything else is a usage error" exits_with 2 cm-score --only intent r.ndjson

ok "--field scores another text field" eval '
	printf "%s\n" "{\"text\":\"I love it\",\"reply\":{\"text\":\"this is awful\"}}" > f &&
	cm-score --field reply.text f | jq -e ".score.label == \"negative\"" > /dev/null &&
	cm-score f | jq -e ".score.label == \"positive\"" > /dev/null'
ok "--field on a missing field: no text" eval '
	cm-score -f nope.text f | jq -e ".score.why == [\"no text\"]" > /dev/null'
ok "--field with an empty path is a usage error" exits_with 2 cm-score --field "" f
ok "--field with an empty segment is a usage error" exits_with 2 cm-score --field "a..b" f

printf 'refund\t-1.5\tfor a retailer\n' > add.txt
printf '%s\n' '{"text":"where is my refund"}' > refund
ok "--lexicon-add adds domain terms" eval '
	cm-score refund | jq -e ".score.label == \"neutral\"" > /dev/null &&
	cm-score --lexicon-add add.txt refund | jq -e ".score.label == \"negative\"" > /dev/null'
ok "--lexicon-add overrides shipped terms" eval '
	printf "love\t-3\n" > neg.txt &&
	printf "%s\n" "{\"text\":\"I love it\"}" | cm-score -a neg.txt | jq -e ".score.label == \"negative\"" > /dev/null'
ok "--lexicon replaces the lexicon" eval '
	printf "[words]\nwidget\t2.5\n[negations]\nnot\n" > mini.txt &&
	printf "%s\n" "{\"text\":\"widget\"}" "{\"text\":\"not widget\"}" "{\"text\":\"great\"}" |
	cm-score --lexicon mini.txt | jq -r .score.label | tr "\n" " " | grep -qx "positive negative neutral "'
ok "CM_LEXICON names the lexicon" eval '
	printf "%s\n" "{\"text\":\"widget\"}" | CM_LEXICON=mini.txt cm-score | jq -e ".score.label == \"positive\"" > /dev/null'
ok "a lexicon with an error: status 2, file and line" eval '
	printf "good\t1\nbad\tvery\n" > broken.txt && cm-score -l broken.txt r.ndjson > o 2> err; [ $? -eq 2 ] &&
	lines o 0 && contains err "broken.txt:2: value is not a number"'
ok "a missing lexicon: status 2" eval '
	cm-score -a nosuch.txt r.ndjson > o 2> err; [ $? -eq 2 ] && contains err "nosuch.txt"'

ok "--weights changes the priority" eval '
	cm-score --weights urgency=1,negativity=0,influence=0,intent=0 r.ndjson > o &&
	jq -e -s "all(.score.intent == \"spam\" or (.score.priority - .score.urgency | fabs) < 0.0011)" o > /dev/null'
ok "--weights names only some" eval '
	cm-score -w influence=0 r.ndjson > o && jq -r ".score.why[]" o > why && lacks why "influence"'
ok "--weights: an unknown weight is a usage error" eval '
	cm-score --weights speed=1 r.ndjson > o 2> err; [ $? -eq 2 ] && contains err "unknown weight"'
ok "--weights: a bad value is a usage error" exits_with 2 cm-score -w urgency=-1 r.ndjson
ok "--weights: all zero is a usage error" exits_with 2 cm-score -w urgency=0,negativity=0,influence=0,intent=0 r.ndjson

mkdir -p "$XDG_CONFIG_HOME/cm"
printf '[score]\nurgency = 1\nnegativity = 0\ninfluence = 0\nintent = 0\n' > "$XDG_CONFIG_HOME/cm/config"
ok "the config's [score] section sets the weights" eval '
	cm-score r.ndjson > o &&
	jq -e -s "all(.score.intent == \"spam\" or (.score.priority - .score.urgency | fabs) < 0.0011)" o > /dev/null'
ok "--weights overrides the config" eval '
	cm-score -w intent=1 r.ndjson > o && jq -e -s "any(.score.priority > .score.urgency + 0.01)" o > /dev/null'
ok "-c names another config" eval '
	printf "[score]\nlexicon-add = add.txt\n" > other.conf &&
	cm-score -c other.conf refund | jq -e ".score.label == \"negative\"" > /dev/null'
ok "[score] lexicon replaces the lexicon, from the config's directory" eval '
	mkdir -p conf && cp mini.txt conf/mine.lex && printf "[score]\nlexicon = mine.lex\n" > conf/lex.conf &&
	printf "%s\n" "{\"text\":\"widget\"}" "{\"text\":\"not widget\"}" "{\"text\":\"great\"}" > w.ndjson &&
	cm-score w.ndjson | jq -r .score.label | tr "\n" " " > before &&
	cm-score -c conf/lex.conf w.ndjson | jq -r .score.label | tr "\n" " " > after &&
	[ "$(cat before)" = "neutral neutral positive " ] && [ "$(cat after)" = "positive negative neutral " ]'
ok "the lexicon: -l, then CM_LEXICON, then [score] lexicon" eval '
	printf "widget\t-2\n" > neg.lex && printf "widget\t0\n" > zero.lex &&
	echo "{\"text\":\"widget\"}" > w1 &&
	[ "$(CM_LEXICON=neg.lex cm-score -c conf/lex.conf -o sentiment w1 | jq -r .score.label)" = negative ] &&
	[ "$(CM_LEXICON=neg.lex cm-score -c conf/lex.conf -l zero.lex -o sentiment w1 | jq -r .score.label)" = neutral ] &&
	[ "$(CM_LEXICON= cm-score -c conf/lex.conf -o sentiment w1 | jq -r .score.label)" = positive ]'
ok "[score] lexicon that cannot be read: status 2, the file named" eval '
	printf "[score]\nlexicon = nosuch.lex\n" > conf/nolex.conf &&
	cm-score -c conf/nolex.conf r.ndjson > o 2> err; [ $? -eq 2 ] && lines o 0 && contains err "conf/nosuch.lex"'
ok "a bad [score] value: status 2, file and line named, the value not echoed" eval '
	printf "[score]\n# weights\nurgency = lots\n" > bad.conf && cm-score -c bad.conf r.ndjson > o 2> err; [ $? -eq 2 ] &&
	contains err "bad.conf:3: [score] urgency:" && lacks err lots && lines o 0'
ok "an unknown [score] key: status 2, file and line named, nothing done" eval '
	printf "[score]\nurgency = 0.5\n\n# a typo\nurgncy = 0.9\n[fetch]\nlimit = 1\n" > typo.conf &&
	cm-score -c typo.conf r.ndjson > o 2> err; [ $? -eq 2 ] && lines o 0 &&
	contains err "cm-score: typo.conf:5: [score] urgncy: unknown key" && [ "$(wc -l < err)" -eq 1 ]'
ok "every key cm-score(1) names is known, in any case" eval '
	printf "[score]\nNegativity = 1\nurgency = 1\ninfluence = 1\nintent = 1\nlexicon = mini.txt\nLexicon-Add = add.txt\n" > all.conf &&
	cm-score -c all.conf refund > o && lines o 1'
ok "[score] lexicon-add: ~/ is the home directory, a relative path is the config's directory" eval '
	mkdir -p home/.config/cm home/lex && printf "refund\t-1.5\n" > home/shop.lex && printf "refund\t-1.5\n" > home/.config/cm/rel.lex &&
	printf "[score]\nlexicon-add = ~/shop.lex\n" > home/.config/cm/config &&
	echo "{\"text\":\"refund\"}" | HOME=$PWD/home XDG_CONFIG_HOME= CM_CONFIG= cm-score --only sentiment > o &&
	contains o "\"label\":\"negative\"" &&
	printf "[score]\nlexicon-add = rel.lex\n" > home/.config/cm/config &&
	echo "{\"text\":\"refund\"}" | HOME=$PWD/home XDG_CONFIG_HOME= CM_CONFIG= cm-score --only sentiment > o &&
	contains o "\"label\":\"negative\""'
ok "a missing named config is an error" exits_with 2 cm-score -c nosuch.conf r.ndjson
rm -f "$XDG_CONFIG_HOME/cm/config"

ok "--explain breaks each score down on stderr" eval '
	cm-score --explain r.ndjson > o 2> ex && lines o 6 &&
	contains ex "t:1" && contains ex "sentiment -0." && contains ex "refund" &&
	contains ex "priority 0." && contains ex "why:" && contains ex "intent complaint"'
ok "--explain shows the rules that applied" eval '
	printf "%s\n" "{\"text\":\"The food was great but the service was NOT good\"}" | cm-score -x 2> ex > /dev/null &&
	contains ex "after \"but\" x1.5" && contains ex "negated" && contains ex "<stdin>:1"'

# --jobs: the same bytes, messages and rejects as one thread, in input
# order, across batches (1024 lines) and the stream's own rejects.
cm-fetch --end $DEMO_END demo:2600 > d2600
{ head -n 1000 d2600; echo 'not json'; echo; sed -n 1001,2100p d2600; echo '[1]'
  echo '{"text":"\ud800"}'; perl -e 'print "{\"text\":\"", "x" x (17 << 20), "\"}\n"'
  sed -n 2101,2600p d2600; } > mixed.ndjson
ok "--jobs: the same output as one thread" eval '
	cm-score d2600 > a && for j in 2 3 0; do cm-score -j $j d2600 > b && cmp a b || exit 1; done &&
	cm-score --only sentiment d2600 > a && cm-score -j2 --only sentiment d2600 > b && cmp a b'
ok "--jobs: bad lines in input order among the records, status 1" eval '
	cm-score --rejects rej1 mixed.ndjson > all1 2>&1; s1=$?
	cm-score -j2 --rejects rej2 mixed.ndjson > all2 2>&1; s2=$?
	[ $s1 -eq 1 ] && [ $s2 -eq 1 ] && cmp all1 all2 && cmp rej1 rej2 &&
	[ "$(grep -c "^cm-score: mixed.ndjson:" all2)" -eq 4 ] && contains all2 "mixed.ndjson:2105: line too long" &&
	[ "$(grep -c "\"score\":" all2)" -eq 2600 ]'
ok "--jobs: --strict stops where one thread stops" eval '
	cm-score --strict mixed.ndjson > s1 2>&1; a=$?
	cm-score -j2 --strict mixed.ndjson > s2 2>&1; b=$?
	[ $a -eq 1 ] && [ $b -eq 1 ] && cmp s1 s2 && [ "$(grep -c "\"score\":" s2)" -eq 1000 ]'
ok "--jobs: a missing file between others, in order" eval '
	cm-score d2600 nosuch r.ndjson > m1 2>&1; a=$?
	cm-score -j2 d2600 nosuch r.ndjson > m2 2>&1; b=$?
	[ $a -eq 1 ] && [ $b -eq 1 ] && cmp m1 m2'
ok "--jobs: --explain in the same order" eval '
	cm-score -x d2600 > a 2> ea && cm-score -j2 -x d2600 > b 2> eb && cmp a b && cmp ea eb'
printf '%s\n' '{"text":"good"}' '{bad' > tiny.ndjson
ok "--jobs: what is held is written at a file's end, before the next open waits" eval '
	mkfifo never.fifo && timeout 20 cm-score -j2 -s tiny.ndjson never.fifo > o 2> e; [ $? -eq 1 ] &&
	lines o 1 && contains e "tiny.ndjson:2: invalid JSON"'
# The writer is this shell: it keeps the FIFO open until cm-score has
# ended, so cm-score must finish with the writer idle, not at its EOF.
# The timeout only turns a hang into a failure.
ok "--jobs: and before a read that waits on an idle writer" eval '
	mkfifo idle.fifo && { timeout 120 cm-score -j2 -s idle.fifo > o 2> e & p=$!; } &&
	exec 3> idle.fifo && cat tiny.ndjson >&3 && { wait $p; rc=$?; exec 3>&-; } &&
	[ $rc -eq 1 ] && lines o 1 && contains e "idle.fifo:2: invalid JSON"'
ok "--jobs: a bad count is a usage error" exits_with 2 cm-score -j 999 r.ndjson
ok "HTML references in the text are decoded before scoring, the record kept" eval '
	printf "%s\n" "{\"text\":\"I don&#39;t like it &lt;3\"}" > ent.ndjson && cm-score -o sentiment ent.ndjson > o &&
	jq -e ".score.why == [\"<3 +2.8\", \"like -1.5\"] and .text == \"I don&#39;t like it &lt;3\"" o > /dev/null'
cat > lang.ndjson <<'EOF'
{"id":"l:1","text":"Das ist wirklich schlecht","lang":null}
{"id":"l:2","text":"C'est génial, merci !"}
{"id":"l:3","text":"¡Me encanta!","lang":null}
{"id":"l:4","text":"This is terrible","lang":"de"}
{"id":"l:5","text":"Das ist wirklich schlecht","lang":"en"}
{"id":"l:6","text":"Это ужасно, ничего не работает","lang":null}
{"id":"l:7","text":"这个应用太糟糕了"}
{"id":"l:8","text":"This is terrible","lang":"pt-BR","author":{"is_brand":true}}
EOF
cat > loan.ndjson <<'EOF'
{"text":"Danke!"}
{"text":"the café was lovely"}
{"text":"déjà vu all over again, the app is down"}
{"text":"what a fiesta last night, loved it"}
{"text":"Oh well, c'est la vie, I guess"}
{"text":"No no no!"}
{"text":"Bon appétit, enjoy your meal"}
{"text":"this is terrible","lang":"EN-gb"}
EOF
ok "a text in a language the lexicon lacks: sentiment and label null, why says so" eval '
	cm-score lang.ndjson > o &&
	[ "$(jq -c "[.score.sentiment, .score.label, .score.why[0]]" o | head -n 3)" = "$(printf "%s\n" \
	    "[null,null,\"not scored: text looks German\"]" \
	    "[null,null,\"not scored: text looks French\"]" \
	    "[null,null,\"not scored: text looks Spanish\"]")" ]'
ok "the record's lang decides when it is set" eval '
	jq -e -s ".[3].score | .sentiment == null and .why[0] == \"not scored: language de (lexicon: en)\"" o > /dev/null &&
	jq -e -s ".[4].score.sentiment | type == \"number\"" o > /dev/null'
ok "texts in other scripts are not scored" eval '
	[ "$(jq -c "[.score.sentiment, .score.why[0]]" o | sed -n 6,7p)" = "$(printf "%s\n" \
	    "[null,\"not scored: text in Cyrillic script\"]" \
	    "[null,\"not scored: text in Han script\"]")" ]'
ok "the brand's own post: priority 0, and not scored" eval '
	jq -e -s ".[7].score | .sentiment == null and .priority == 0 and
	    .why == [\"own post\", \"not scored: language pt-BR (lexicon: en)\"]" o > /dev/null'
ok "a text not scored adds no negativity to the priority" eval '
	printf "%s\n" "{\"text\":\"Das ist wirklich terrible, so ein Mist\"}" | cm-score -x 2> err > p &&
	jq -e ".score.sentiment == null" p > /dev/null && contains err "0.25 x negativity 0.00 +"'
ok "English texts with loanwords and short ones are scored" eval '
	cm-score loan.ndjson > o && lines o 8 &&
	jq -e -s "all(.score.sentiment | type == \"number\")" o > /dev/null'
ok "words English shares with another language, and the lexicon's terms, keep a text English" eval '
	printf "{\"text\":\"%s\"}\n" "Man, war is hell" "Man, da bomb" "Come on, per usual" > shared.ndjson &&
	cm-score -o sentiment shared.ndjson > o && lines o 3 &&
	jq -e -s "all(.score.sentiment | type == \"number\")" o > /dev/null &&
	printf "{\"text\":\"%s\"}\n" "Das war schlecht" "Ich bin so froh" | cm-score -o sentiment > o &&
	[ "$(jq -r ".score.why[0]" o | sort -u)" = "not scored: text looks German" ]'
ok "a word of other letters in Latin ones, and hashtags, go by their letters" eval '
	printf "{\"text\":\"%s\"}\n" "iPhone\u306eapp\u304c\u3059\u3050\u843d\u3061\u308bbug" \
	    "\u6700\u60aa\u3067\u3059 #acmeappdown #acmerouter" > mixed.ndjson &&
	cm-score -o sentiment mixed.ndjson > o &&
	[ "$(jq -r ".score.why[0]" o | sort -u)" = "not scored: text in kana script" ]'
ok "--only sentiment: null too, why says so" eval '
	cm-score -o sentiment lang.ndjson > o &&
	jq -e -s ".[0].score == {\"sentiment\":null,\"label\":null,\"why\":[\"not scored: text looks German\"]}" o > /dev/null'
ok "--explain says why there is no sentiment" eval '
	cm-score -x lang.ndjson 2> err > /dev/null &&
	contains err "  sentiment null: not scored: text looks German"'
ok "a lexicon's [languages] section says what it covers" eval '
	printf "[languages]\nde\n[words]\nschlecht\t-2\n" > de.txt &&
	printf "%s\n" "{\"text\":\"Das ist wirklich schlecht\"}" "{\"text\":\"This is really bad, you know\"}" |
	    cm-score -o sentiment -l de.txt > o &&
	[ "$(jq -c "[.score.label, .score.why[0]]" o)" = "$(printf "%s\n" \
	    "[\"negative\",\"schlecht -2.0\"]" "[null,\"not scored: text looks English\"]")" ]'
ok "a lexicon without [languages] is English" eval '
	printf "schlecht\t-2\n" > nolang.txt &&
	printf "%s\n" "{\"text\":\"Das ist wirklich schlecht\"}" | cm-score -o sentiment -l nolang.txt > o &&
	jq -e ".score.sentiment == null" o > /dev/null'
ok "a bad [languages] line: status 2, file and line named" eval '
	printf "[languages]\nen-GB\n" > bad.txt && ! cm-score -l bad.txt r.ndjson > /dev/null 2> err &&
	contains err "bad.txt:2: not a language subtag"'
ok "--help on stdout lists every option" eval '
	cm-score --help > h && for o in config explain field help jobs lexicon lexicon-add only rejects strict unbuffered version weights; do
		grep -q -- "--$o" h || { echo "--$o missing"; exit 1; }; done'
ok "-V prints the version" eval 'cm-score -V | grep -q "^cm-score [0-9]"'
ok "an unknown option: status 2" exits_with 2 cm-score --frobnicate
ok "a closed pipe ends it quietly" eval 'cm-fetch --end $DEMO_END demo:20000 | cm-score 2> err | head -n 1 > /dev/null; [ ! -s err ]'
ok "/dev/full: write error, status 1" eval 'cm-score d > /dev/full 2> err; [ $? -eq 1 ] && contains err "write error"'
ok "-u flushes each record" eval '
	got=$(first_out d cm-score -u) && [ "$got" = "$(head -n 1 d | cm-score)" ]'
ok "the same output in the C and a UTF-8 locale" eval '
	LC_ALL=C cm-score d > a && LC_ALL=C.UTF-8 cm-score d > b && cmp a b'
ok_heavy "memory does not grow with the input" eval '
	cm-fetch --end $DEMO_END demo:200000 > big.ndjson &&
	/usr/bin/time -f %M -o m1 cm-score r.ndjson > /dev/null && /usr/bin/time -f %M -o m2 cm-score big.ndjson > /dev/null &&
	[ "$(cat m2)" -lt $(( $(cat m1) + 4096 )) ] || { echo "RSS $(cat m1) KB vs $(cat m2) KB"; false; }'
# (two full batches are held: measured against 5,000 records, not 6)
ok_heavy "memory does not grow with the input, with --jobs either" eval '
	head -n 5000 big.ndjson > b5k.ndjson &&
	/usr/bin/time -f %M -o m1 cm-score -j2 b5k.ndjson > /dev/null && /usr/bin/time -f %M -o m2 cm-score -j2 big.ndjson > /dev/null &&
	[ "$(cat m2)" -lt $(( $(cat m1) + 8192 )) ] || { echo "RSS $(cat m1) KB vs $(cat m2) KB"; false; }'
# a long record in a different slot of each batch: slots must not each
# keep a long record's buffers (they did: 270 MB for 300 batches).  Not
# under ASan, whose quarantine keeps freed memory by design.
if [ "${CM_SANITIZED:-0}" = 1 ]; then
	skip "--jobs: what batches keep is bounded" "ASan keeps freed memory"
else
ok_heavy "--jobs: what batches keep is bounded, wherever the long records fall" eval '
	perl -e "\$t = \"good bad \" x 100000; for \$b (0..79) { for \$i (0..1023) {
		print \$i == \$b * 12 ? \"{\\\"text\\\":\\\"\$t\\\"}\\n\" : \"{}\\n\" } }" > keep.ndjson &&
	[ "$(wc -l < keep.ndjson)" -eq 81920 ] &&
	/usr/bin/time -f %M -o m cm-score -j2 --only sentiment keep.ndjson > /dev/null &&
	[ "$(cat m)" -lt 49152 ] || { echo "RSS $(cat m) KB"; false; }'
fi
ok "the shipped lexicon lists each term once per section (case aside)" eval '
	awk -F "\t" "/^\\[(words|boosters|post-boosters|negations|contrasts)\\]\$/ { sec = \$0; next }
		/^#/ || !NF { next } { k = sec SUBSEP tolower(\$1); if (k in seen) { print \"twice: \" \$1; bad = 1 } seen[k] = 1 }
		END { exit bad }" "$SRC_DIR/data/lexicon.txt"'
ok "the man page examples run" run_man_examples cm-score.1

done_testing
