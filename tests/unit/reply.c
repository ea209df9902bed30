/* reply - tests for lib/reply/rules.c and draft.c: the rules file, drafts
 * by rules and templates and their helpers, the platforms' limits as
 * each counts, and the idempotency key */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "reply/draft.h"
#include "reply/rules.h"
#include "tap.h"

#define NOW 1795000000		/* 2026-11-18T11:06:40Z */

static char dir[] = "/tmp/cm-reply-test.XXXXXX";

static char *rep(const char *s, size_t n);

static struct cm_rules *parse(const char *text, struct cm_error *err)
{
	return cm_rules_parse("r.conf", text, strlen(text), NOW, err);
}

/* text must be refused with exactly msg, status 2. */
static void refused(const char *text, const char *msg, const char *what)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r = parse(text, &err);

	ok(r == NULL && err.status == 2, "refused: %s", what);
	is_str(err.msg, msg, "its message: %s", what);
	cm_rules_free(r);
}

/* The draft of line as "1 RULE TEXT", "-1 RULE WHY" or "0". */
static void drafts(struct cm_rules *r, const char *line, int spam,
    const char *want, const char *what)
{
	struct cm_buf text = CM_BUF_INIT, why = CM_BUF_INIT, got = CM_BUF_INIT;
	const char *rule = "stale";
	int rc;

	/* Both are emptied first. */
	cm_buf_adds(&text, "old text");
	cm_buf_adds(&why, "old why");
	rc = cm_rules_draft(r, line, strlen(line), spam, &rule, &text, &why);
	if (rc == 0)
		cm_buf_printf(&got, "0%s%s%s%s", rule ? " rule " : "",
		    rule ? rule : "", text.len ? " text " : "",
		    why.len ? " why" : "");
	else
		cm_buf_printf(&got, "%d %s %s", rc, rule ? rule : "(null)",
		    rc == 1 ? (text.data ? text.data : "") :
		    (why.data ? why.data : ""));
	is_str(got.data, want, "%s", what);
	cm_buf_free(&text);
	cm_buf_free(&why);
	cm_buf_free(&got);
}

/* A one-rule set whose template is expr, for the helpers. */
static void templ(const char *expr, const char *line, const char *want,
    const char *what)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r = cm_rules_template(expr, &err);

	if (!ok(r != NULL, "--template compiles: %s", what)) {
		printf("#   %s\n", err.msg);
		return;
	}
	drafts(r, line, 0, want, what);
	cm_rules_free(r);
}

static const char example[] =
	"# replies.conf: rules.h's example, and more\n"
	"[rule refund]\n"
	"platform = mastodon,bluesky\n"
	"match = refund|money back\n"
	"ignore_case = yes\n"
	"when = .score.intent == \"complaint\"\n"
	"template = \"Hi \\(first_name), sorry about that: DM us your order.\"\n"
	"\n"
	"   # an indented comment, no value open\n"
	"[rule question]\r\n"
	"platform = mastodon , bluesky ,reddit\r\n"
	"intent = question\n"
	"template =\n"
	"    \"Thanks for asking, \\(first_name)! \" +\n"
	"    (.text | shorten(24))   # jq's own comment\n"
	"[rule praise]\n"
	"label = positive\n"
	"min-priority = 0.2\n"
	"spam = no\n"
	"template = \"Thank you \\(handle)!\"\n"
	"[rule spammy]\n"
	"spam = yes\n"
	"intent = spam\n"
	"template = \"\\(.id) is spam\"\n";

static const char jane[] =
	"{\"id\":\"m1\",\"platform\":\"mastodon\",\"author\":{\"name\":"
	"\"Jane Doe\",\"handle\":\"jane@fosstodon.org\"},\"text\":\"I want "
	"my MONEY BACK now\",\"score\":{\"intent\":\"complaint\","
	"\"label\":\"negative\",\"priority\":0.9}}";

static void test_example(void)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r = parse(example, &err);

	if (!ok(r != NULL, "rules.h's example parses")) {
		printf("#   %s\n", err.msg);
		return;
	}
	is_int(cm_rules_count(r), 4, "four rules");
	drafts(r, jane, 0, "1 refund Hi Jane, sorry about that: DM us your "
	    "order.", "refund: platform, match (any case), when");
	drafts(r, "{\"platform\":\"reddit\",\"author\":{\"name\":\"bob\","
	    "\"handle\":\"bob\"},\"text\":\"refund?\",\"score\":{\"intent\":"
	    "\"complaint\"}}", 0, "0", "refund: not on reddit, and nothing else");
	drafts(r, "{\"platform\":\"mastodon\",\"author\":{\"name\":\"Al\"},"
	    "\"text\":\"refund please\",\"score\":{\"intent\":\"request\"}}",
	    0, "0", "refund: its when is false");
	drafts(r, "{\"platform\":\"reddit\",\"author\":{\"name\":\"bob\","
	    "\"handle\":\"bob\"},\"text\":\"How do I export all of my data "
	    "to a file?\",\"score\":{\"intent\":\"question\"}}", 0,
	    "1 question Thanks for asking, bob! How do I export all of…",
	    "question: a list with spaces, a value over lines, shorten");
	drafts(r, "{\"platform\":\"bluesky\",\"author\":{\"name\":\"Ann\","
	    "\"handle\":\"ann.bsky.social\"},\"text\":\"love it\",\"score\":"
	    "{\"intent\":\"praise\",\"label\":\"positive\",\"priority\":0.3}}",
	    0, "1 praise Thank you @ann.bsky.social!", "praise: label, "
	    "min-priority");
	drafts(r, "{\"platform\":\"bluesky\",\"author\":{\"name\":\"Ann\","
	    "\"handle\":\"ann.bsky.social\"},\"text\":\"love it\",\"score\":"
	    "{\"intent\":\"praise\",\"label\":\"positive\",\"priority\":0.1}}",
	    0, "0", "praise: under min-priority");
	/* Spam: only spam = yes, or include_spam. */
	drafts(r, "{\"id\":\"s1\",\"platform\":\"x\",\"score\":{\"intent\":"
	    "\"spam\",\"label\":\"positive\",\"priority\":0.9}}", 0,
	    "1 spammy s1 is spam", "spam: praise skips it, spammy takes it");
	drafts(r, "{\"id\":\"s1\",\"platform\":\"x\",\"score\":{\"intent\":"
	    "\"spam\",\"label\":\"positive\",\"priority\":0.9}}", 1,
	    "1 praise Thank you !", "spam with include_spam: the first rule "
	    "that matches");
	drafts(r, "{\"id\":\"s2\",\"platform\":\"x\",\"score\":{\"intent\":"
	    "\"complaint\"}}", 0, "0", "intent = spam: another intent does "
	    "not match");
	drafts(r, "not json", 0, "-1 (null) not a JSON record: invalid "
	    "literal", "a line that is not JSON");
	cm_rules_free(r);
}

static void test_order_and_flags(void)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r = parse(
	    "[rule first]\nkind = reply\ntemplate = \"first\"\n"
	    "[rule second]\nkind = reply,post\nmatch = a\nmatch = b\n"
	    "template = \"second\"\n"
	    "[rule lang]\nlang = pt\nauthor = @Vip\nauthor = other\n"
	    "template = \"lang\"\n"
	    "[rule time]\nsince = 2026-11-01\nuntil = 24h\nreason = mention\n"
	    "min_followers = 100\ntemplate = \"time\"\n"
	    "[rule case]\nmatch = refund\nignore_case = no\ntemplate = "
	    "\"case\"\n"
	    "[rule nocase]\nmatch = refund\nignore-case = true\ntemplate = "
	    "\"nocase\"\n"
	    "[rule any]\ntemplate = \"any\"\n", &err);

	if (!ok(r != NULL, "flags parse")) {
		printf("#   %s\n", err.msg);
		return;
	}
	drafts(r, "{\"kind\":\"reply\",\"text\":\"ab\"}", 0, "1 first first",
	    "the first rule that matches wins");
	drafts(r, "{\"kind\":\"post\",\"text\":\"b a\"}", 0, "1 second second",
	    "every match must match");
	drafts(r, "{\"kind\":\"post\",\"text\":\"b\"}", 0, "1 any any",
	    "one match fails: a later rule");
	drafts(r, "{\"lang\":\"pt-BR\",\"author\":{\"handle\":\"VIP\"}}", 0,
	    "1 lang lang", "lang range, author (any case, '@' optional)");
	drafts(r, "{\"lang\":\"pt-BR\",\"author\":{\"handle\":\"x\","
	    "\"id\":\"other\"}}", 0, "1 lang lang", "authors given twice "
	    "join");
	drafts(r, "{\"lang\":\"es\",\"author\":{\"handle\":\"vip\"}}", 0,
	    "1 any any", "another language");
	drafts(r, "{\"created_at\":\"2026-11-16T09:00:00Z\",\"reason\":"
	    "\"mention\",\"author\":{\"followers\":100}}", 0, "1 time time",
	    "since, until (relative to now), reason, min_followers");
	drafts(r, "{\"created_at\":\"2026-11-18T09:00:00Z\",\"reason\":"
	    "\"mention\",\"author\":{\"followers\":100}}", 0, "1 any any",
	    "not before until's 24h ago");
	drafts(r, "{\"created_at\":\"2026-10-31T09:00:00Z\",\"reason\":"
	    "\"mention\",\"author\":{\"followers\":100}}", 0, "1 any any",
	    "before since");
	drafts(r, "{\"created_at\":\"2026-11-16T09:00:00Z\",\"reason\":"
	    "\"mention\",\"author\":{\"followers\":99}}", 0, "1 any any",
	    "too few followers");
	drafts(r, "{\"text\":\"a refund\"}", 0, "1 case case", "match");
	drafts(r, "{\"text\":\"a REFUND\"}", 0, "1 nocase nocase",
	    "ignore_case = no keeps the case, ignore-case = true does not");
	cm_rules_free(r);
}

static void test_when(void)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r = parse(
	    "[rule a]\nwhen = .n == 1\ntemplate = \"a\"\n"
	    "[rule b]\nwhen = .n | if . == 2 then null elif . == 3 then "
	    "empty elif . == 4 then false, true else 0 end\n"
	    "template = \"b\"\n"
	    "[rule c]\nwhen = .n.x\ntemplate = \"c\"\n", &err);

	if (!ok(r != NULL, "when rules parse")) {
		printf("#   %s\n", err.msg);
		return;
	}
	drafts(r, "{\"n\":1}", 0, "1 a a", "when true");
	drafts(r, "{\"n\":2}", 0, "-1 c when: jq error: Cannot index number "
	    "with string \"x\"", "when null: not b; c's when fails: the rule fails");
	drafts(r, "{\"n\":{\"x\":1}}", 0, "1 b b", "0 is truthy");
	drafts(r, "{\"n\":3}", 0, "-1 c when: jq error: Cannot index number "
	    "with string \"x\"", "when without output: no match");
	drafts(r, "{\"n\":4}", 0, "-1 c when: jq error: Cannot index number "
	    "with string \"x\"", "only the first output counts (false)");
	drafts(r, "{\"n\":{\"x\":false}}", 0, "1 b b", "falsy when of c "
	    "never reached");
	cm_rules_free(r);
}

static void test_helpers(void)
{
	const char *m = "{\"platform\":\"mastodon\",\"author\":{\"name\":"
	    "\":blobcat: \xf0\x9f\x8c\xbb J\xc3\xa4ne-Marie Doe\",\"handle\":"
	    "\"jane@fosstodon.org\"}}";

	templ("first_name", m, "1 template J\xc3\xa4ne-Marie",
	    "first_name: the first word with a letter, shortcodes and emoji "
	    "left out");
	templ("handle", m, "1 template @jane@fosstodon.org",
	    "handle on mastodon: @user@host");
	templ("handle", "{\"platform\":\"mastodon\",\"author\":{\"handle\":"
	    "\"@jane\"}}", "1 template @jane", "handle on mastodon: one '@'");
	templ("first_name", "{\"platform\":\"mastodon\",\"author\":{\"name\":"
	    "\"\xf0\x9f\x8c\xbb\",\"handle\":\"jane@fosstodon.org\"}}",
	    "1 template jane", "first_name: the handle without its instance "
	    "when the name has no word");
	templ("first_name", "{\"platform\":\"bluesky\",\"author\":{\"name\":"
	    "\"jane.bsky.social\",\"handle\":\"jane.bsky.social\"}}",
	    "1 template jane", "first_name on bluesky: the name is the "
	    "handle, its first label");
	templ("handle", "{\"platform\":\"bluesky\",\"author\":{\"handle\":"
	    "\"jane.bsky.social\"}}", "1 template @jane.bsky.social",
	    "handle on bluesky");
	templ("[first_name, handle] | join(\" \")", "{\"platform\":\"reddit\","
	    "\"author\":{\"name\":\"sofia_m69\",\"handle\":\"sofia_m69\"}}",
	    "1 template sofia_m69 u/sofia_m69", "reddit: u/name");
	templ("handle", "{\"platform\":\"reddit\",\"author\":{\"handle\":"
	    "\"/u/bob\"}}", "1 template u/bob", "reddit: u/ once");
	templ("handle", "{\"platform\":\"hn\",\"author\":{\"handle\":\"pg\"}}",
	    "1 template pg", "others: the handle");
	templ("\"<\\(first_name)><\\(handle)>\"", "{\"platform\":\"mastodon\","
	    "\"author\":null}", "1 template <><>", "no author: empty strings, "
	    "not null");
	templ("first_name", "{\"author\":{\"name\":\"J.R.R. Tolkien\"}}",
	    "1 template J.R.R", "first_name: trailing dots left out");
	/* shorten */
	templ("\"Hello, wonderful world\" | shorten(100)", "{}",
	    "1 template Hello, wonderful world", "shorten: unchanged when it "
	    "fits");
	templ("\"Hello, wonderful world\" | shorten(22)", "{}",
	    "1 template Hello, wonderful world", "shorten: at its length");
	templ("\"Hello, wonderful world\" | shorten(21)", "{}",
	    "1 template Hello, wonderful\xe2\x80\xa6", "shorten: on a word "
	    "boundary, with the ellipsis in the count");
	templ("\"Hello, wonderful world\" | shorten(16)", "{}",
	    "1 template Hello\xe2\x80\xa6", "shorten: the comma before the "
	    "cut goes");
	templ("\"Hello, wonderful world\" | shorten(17)", "{}",
	    "1 template Hello, wonderful\xe2\x80\xa6", "shorten: the next "
	    "character is a space: the word is whole");
	templ("\"Supercalifragilistic\" | shorten(10)", "{}",
	    "1 template Supercali\xe2\x80\xa6", "shorten: one long word is "
	    "cut");
	templ("\"\xc3\xa9t\xc3\xa9 \xc3\xa0 Par\xc3\xads\" | shorten(8)", "{}",
	    "1 template \xc3\xa9t\xc3\xa9 \xc3\xa0\xe2\x80\xa6", "shorten: "
	    "counts characters, not bytes");
	templ("\"ab\" | shorten(1)", "{}", "1 template \xe2\x80\xa6",
	    "shorten(1): the ellipsis");
	templ("\"ab\" | [shorten(0), shorten(-3)] | join(\"|\")", "{}",
	    "1 template |", "shorten below 1: empty");
	templ("\"ab\" | shorten(1.9)", "{}", "1 template \xe2\x80\xa6",
	    "shorten: n rounded down");
	templ("1 | shorten(3)", "{}", "-1 template template: jq error: "
	    "shorten: number is not a string", "shorten of a number");
	templ("\"abc\" | shorten(\"2\")", "{}", "-1 template template: jq "
	    "error: shorten: the length is not a number", "shorten(\"2\")");
	templ("\"abc\" | shorten(nan)", "{}", "-1 template template: jq "
	    "error: shorten: the length is not a number", "shorten(nan)");
}

static void test_outputs(void)
{
	char *big;
	size_t i;

	templ("42", "{}", "-1 template template: gave a number, not a string",
	    "a number");
	templ("null", "{}", "-1 template template: gave null, not a string",
	    "null");
	templ("{a: 1}", "{}", "-1 template template: gave an object, not a "
	    "string", "an object");
	templ("[.]", "{}", "-1 template template: gave an array, not a "
	    "string", "an array");
	templ("true", "{}", "-1 template template: gave a boolean, not a "
	    "string", "a boolean");
	templ("empty", "{}", "-1 template template: gave no output",
	    "no output");
	templ("\"a\", \"b\"", "{}", "1 template a", "the first output");
	templ("error(\"boom\")", "{}", "-1 template template: jq error: boom",
	    "error");
	templ("error({why: 1})", "{}", "-1 template template: jq error: "
	    "{\"why\":1}", "error with an object");
	templ(".text | error", "{\"text\":\"line\\n\"}", "-1 template "
	    "template: jq error: line", "error's trailing newline");
	templ("\"x\" | halt_error", "{}", "-1 template template: halt_error: "
	    "x", "halt_error");
	templ("halt", "{}", "-1 template template: gave no output", "halt");
	templ("\"\\(env.HOME)|\\($ENV.HOME)|\\(env | length)\"", "{}",
	    "1 template null|null|0", "env and $ENV are empty");
	templ("\"a\" * 70000", "{}", "-1 template template: gave 70000 bytes, "
	    "more than any platform takes", "a text too long for any "
	    "platform");
	/* After halt, the state is fresh: the next record drafts. */
	{
		struct cm_error err = { 0, "" };
		struct cm_rules *r = cm_rules_template("if .n == 1 then halt "
		    "elif .n == 2 then (\"bye\" | halt_error) else \"ok\" end",
		    &err);

		if (ok(r != NULL, "halting template compiles")) {
			drafts(r, "{\"n\":1}", 0, "-1 template template: gave "
			    "no output", "halt");
			drafts(r, "{\"n\":3}", 0, "1 template ok", "after halt");
			drafts(r, "{\"n\":2}", 0, "-1 template template: "
			    "halt_error: bye", "halt_error");
			drafts(r, "{\"n\":3}", 0, "1 template ok", "after "
			    "halt_error");
			/* libjq 1.6 frees a halted state's message at every
			 * later start (a use after free): ASan and valgrind
			 * see it when the state is not made anew. */
			drafts(r, "{\"n\":3}", 0, "1 template ok", "and again");
			drafts(r, "{\"n\":2}", 0, "-1 template template: "
			    "halt_error: bye", "halt_error again");
			drafts(r, "{\"n\":2}", 0, "-1 template template: "
			    "halt_error: bye", "and again");
			drafts(r, "{\"n\":1}", 0, "-1 template template: gave "
			    "no output", "halt after halt_error");
			drafts(r, "{\"n\":3}", 0, "1 template ok", "then ok");
			drafts(r, "{\"n\":3}", 0, "1 template ok", "and ok");
		}
		cm_rules_free(r);
	}
	/* A long error message is cut. */
	big = malloc(5000);
	strcpy(big, "{\"t\":\"");
	for (i = 0; i < 2000; i++)
		strcat(big, "\xc3\xa9");
	strcat(big, "\"}");
	{
		struct cm_error err = { 0, "" };
		struct cm_rules *r = cm_rules_template(".t | error", &err);
		struct cm_buf text = CM_BUF_INIT, why = CM_BUF_INIT;
		const char *rule;

		is_int(cm_rules_draft(r, big, strlen(big), 0, &rule, &text,
		    &why), -1, "a long error");
		ok(why.len > 1000 && why.len < 1100 && strcmp(why.data +
		    why.len - 3, "\xe2\x80\xa6") == 0, "cut near 1000 bytes, "
		    "with an ellipsis (%zu bytes)", why.len);
		cm_buf_free(&text);
		cm_buf_free(&why);
		cm_rules_free(r);
	}
	free(big);
}

/* Runaway templates: libjq's memory is capped, the rule fails and stays
 * failed, the others go on.  In a child, since what libjq held in its
 * frames is lost (jqexpr.h), and a leak check at exit would say so. */
static void test_runaway(void)
{
	struct cm_error err = { 0, "" };
	struct cm_buf text = CM_BUF_INIT, why = CM_BUF_INIT;
	const char *rule;
	struct cm_rules *r;
	int st = -1, rc1, rc2, rc3;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		r = parse("[rule big]\nwhen = .big\ntemplate = [range(1e9)] | "
		    "tostring\n[rule rest]\ntemplate = \"rest\"\n", &err);
		if (r == NULL)
			_exit(10);
		rc1 = cm_rules_draft(r, "{\"big\":true}", 12, 0, &rule, &text,
		    &why);
		if (rc1 != -1 || strcmp(rule, "big") != 0 ||
		    strcmp(why.data, "template: jq ran out of memory") != 0)
			_exit(11);
		rc2 = cm_rules_draft(r, "{\"big\":true}", 12, 0, &rule, &text,
		    &why);
		if (rc2 != -1 || strcmp(why.data, "template: jq ran out of "
		    "memory") != 0)
			_exit(12);
		rc3 = cm_rules_draft(r, "{\"big\":false}", 13, 0, &rule, &text,
		    &why);
		if (rc3 != 1 || strcmp(text.data, "rest") != 0)
			_exit(13);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "a template that "
	    "runs out of memory fails its rule, again on the next record, "
	    "and the other rules go on (status %d)", st);
}

static void test_errors(void)
{
	char *s;
	size_t i;

	refused("", "r.conf: no rules in it (a rule starts with [rule NAME])",
	    "an empty file");
	refused("# only\n\n", "r.conf: no rules in it (a rule starts with "
	    "[rule NAME])", "only comments");
	refused("[rule a\n", "r.conf:1: a section is [rule NAME]",
	    "no closing bracket");
	refused("[rules a]\n", "r.conf:1: '[rules a]' is not a section: a "
	    "rule starts with [rule NAME]", "another section");
	refused("[rule]\n", "r.conf:1: '[rule]' is not a section: a rule "
	    "starts with [rule NAME]", "no name");
	refused("[rule a b]\n", "r.conf:1: a rule's name is letters, digits, "
	    "'-', '_' and '.'", "a space in the name");
	refused("[rule caf\xc3\xa9]\n", "r.conf:1: a rule's name is letters, "
	    "digits, '-', '_' and '.'", "a letter not ASCII");
	s = malloc(200);
	strcpy(s, "[rule ");
	for (i = 0; i < 129; i++)
		strcat(s, "n");
	strcat(s, "]\n");
	refused(s, "r.conf:1: a rule's name is at most 128 bytes",
	    "a long name");
	free(s);
	refused("[rule a]\ntemplate = \"x\"\n\n[rule a]\n", "r.conf:4: rule a "
	    "is already at line 1", "a name twice");
	refused("[rule a]\nkind = post\n[rule b]\ntemplate = \"x\"\n",
	    "r.conf:1: rule a has no template", "no template, then a rule");
	refused("[rule a]\ntemplate = \"x\"\n[rule b]\nkind = post\n",
	    "r.conf:3: rule b has no template", "no template at the end");
	refused("kind = post\n", "r.conf:1: kind is outside a rule: start one "
	    "with [rule NAME]", "a key before any rule");
	refused("[rule a]\ncolour = red\n", "r.conf:2: 'colour' is not a key "
	    "(platform, kind, reason, lang, author, label, since, until, "
	    "min_followers, min_priority, match, ignore_case, intent, when, "
	    "template, spam)", "an unknown key");
	refused("[rule a]\n= x\n", "r.conf:2: a key is missing before '='",
	    "no key");
	refused("[rule a]\ntemplate \"x\"\n", "r.conf:2: expected 'key = "
	    "value', '[rule NAME]' or a comment", "no '='");
	refused("[rule a]\n\n  \"x\"\n", "r.conf:3: an indented line "
	    "continues a value, and there is none above it",
	    "a continuation after a blank line");
	refused("[rule a]\nwhen =\ntemplate = \"x\"\n", "r.conf:2: rule a: "
	    "when has no value", "an empty value");
	refused("[rule a]\ntemplate = \"x\"\ntemplate = \"y\"\n", "r.conf:3: "
	    "rule a: template is given twice", "template twice");
	refused("[rule a]\nsince = 1d\nsince = 2d\ntemplate = \"y\"\n",
	    "r.conf:3: rule a: since is given twice", "since twice");
	refused("[rule a]\nplatform = mastodon,\n  bluesky\ntemplate = \"y\"\n",
	    "r.conf:2: rule a: platform: the value is one line (give the key "
	    "again to add to the list)", "a list over lines");
	refused("[rule a]\nmatch = a\n  b\ntemplate = \"y\"\n",
	    "r.conf:2: rule a: match: the value is one line (only when and "
	    "template go on)", "a flag over lines");
	refused("[rule a]\nspam = maybe\ntemplate = \"y\"\n", "r.conf:2: rule "
	    "a: spam: 'maybe' is not yes or no", "spam = maybe");
	refused("[rule a]\nignore_case = si\ntemplate = \"y\"\n", "r.conf:2: "
	    "rule a: ignore_case: 'si' is not yes or no", "ignore_case = si");
	refused("[rule a]\nkind = posts\ntemplate = \"y\"\n", "r.conf:2: rule "
	    "a: kind: 'posts' is not a kind (post, reply, comment, message)",
	    "a kind");
	refused("[rule a]\nplatform = mastodon, twitter\ntemplate = \"y\"\n",
	    "r.conf:2: rule a: platform: 'twitter' is not a platform "
	    "(mastodon, bluesky, reddit, hn, youtube, x, discord, rss, csv, "
	    "demo)", "a platform");
	refused("[rule a]\nintent = complaint, gripe\ntemplate = \"y\"\n",
	    "r.conf:2: rule a: intent: 'gripe' is not an intent (other, "
	    "question, complaint, praise, request, spam)", "an intent");
	refused("[rule a]\nintent = complaint,,praise\ntemplate = \"y\"\n",
	    "r.conf:2: rule a: intent: '' is not an intent (other, "
	    "question, complaint, praise, request, spam)", "an empty intent");
	refused("[rule a]\nmin_priority = 2\ntemplate = \"y\"\n", "r.conf:2: "
	    "rule a: min_priority: '2' is not a number from 0 to 1 (like 0.7)",
	    "min_priority");
	refused("[rule a]\nmatch = (\ntemplate = \"y\"\n", "r.conf:2: rule a: "
	    "match: '(' is not a regular expression (POSIX extended, like "
	    "'refund|broken'): Unmatched ( or \\(", "match");
	refused("[rule a]\nlang = e1\ntemplate = \"y\"\n", "r.conf:2: rule a: "
	    "lang: 'e1' is not a language tag (BCP 47, like en, pt-BR; "
	    "several: en,de)", "lang");
	refused("[rule a]\ntemplate = \"x\x01\"\n", "r.conf:2: a control "
	    "character (0x01)", "a control character");
	refused("[rule a]\ntemplate = \"x\xff\"\n", "r.conf:2: invalid UTF-8",
	    "invalid UTF-8");
	{
		static const char nul[] = "[rule a]\ntemplate = \"x\0\"\n";
		struct cm_error err = { 0, "" };
		struct cm_rules *r = cm_rules_parse("r.conf", nul,
		    sizeof(nul) - 1, NOW, &err);

		ok(r == NULL && err.status == 2, "a NUL byte is refused");
		is_str(err.msg, "r.conf:2: a NUL byte", "its message");
		cm_rules_free(r);
	}
	/* jq's errors, at the line they are on. */
	refused("[rule a]\ntemplate = \"Hi \\(first_nam)\"\n", "r.conf:2: rule "
	    "a: template: first_nam/0 is not defined", "an unknown function");
	refused("[rule a]\nkind = post\ntemplate =\n  \"Hi\" +\n  (\"x\"\n",
	    "r.conf:4: rule a: template: a bracket is not closed",
	    "an unclosed parenthesis, at the value's first line");
	refused("[rule a]\ntemplate =\n  \"Hi\" +\n", "r.conf:3: rule a: "
	    "template: syntax error, unexpected ')'", "a missing operand");
	refused("[rule a]\ntemplate = \"x\") | (\"y\"\n", "r.conf:2: rule a: "
	    "template: a ')' closes nothing", "a parenthesis that closes the "
	    "one around it");
	refused("[rule a]\ntemplate = \"x\"\n[rule b]\nwhen = .a ==\n"
	    "template = \"x\"\n", "r.conf:4: rule b: when: syntax error, "
	    "unexpected ')'", "a when that does not compile");
	refused("[rule a]\ntemplate = \"ok\"\n[rule b]\ntemplate =\n"
	    "  if .a then\n    \"x\"\n  else\n    first_nam\n  end\n"
	    "[rule c]\ntemplate = (\n", "r.conf:8: rule b: template: "
	    "first_nam/0 is not defined", "the first error in file order, "
	    "at its line");
	refused("[rule a]\ntemplate = include \"x\"; \"y\"\n", "r.conf:2: "
	    "rule a: template: syntax error, unexpected include",
	    "no modules");
	refused("[rule a]\ntemplate = # nothing\n", "r.conf:2: rule a: "
	    "template: syntax error, unexpected ')'", "only a comment");
	/* Sizes. */
	/* A value of 65536 bytes (a string of 65534 x) is read. */
	{
		struct cm_error err = { 0, "" };
		struct cm_rules *r;
		char *x = rep("x", CM_RULES_MAX_VALUE - 2);

		s = malloc(CM_RULES_MAX_VALUE + 64);
		sprintf(s, "[rule a]\ntemplate = \"%s\"\n", x);
		r = parse(s, &err);
		ok(r != NULL, "a value of 65536 bytes is read");
		cm_rules_free(r);
		sprintf(s, "[rule a]\ntemplate = \"x%s\"\n", x);
		refused(s, "r.conf:2: the value is longer than 65536 bytes",
		    "a value of 65537 bytes");
		sprintf(s, "[rule a]\ntemplate =\n  \"\n  x%s\"\n", x);
		refused(s, "r.conf:4: the value is longer than 65536 bytes",
		    "a value over 65536 bytes, on a continued line");
		free(s);
		free(x);
	}
	s = malloc((CM_RULES_MAX_RULES + 1) * 40 + 1);
	s[0] = '\0';
	for (i = 0; i <= CM_RULES_MAX_RULES; i++)
		sprintf(s + strlen(s), "[rule r%zu]\ntemplate = \"x\"\n", i);
	refused(s, "r.conf:2001: more than 1000 rules", "1001 rules");
	free(s);
	{
		size_t big = ((size_t)4 << 20) + 1;
		struct cm_error err = { 0, "" };
		struct cm_rules *r;

		s = malloc(big);
		memset(s, '#', big);
		r = cm_rules_parse("r.conf", s, big, NOW, &err);
		ok(r == NULL && err.status == 2, "a file over 4 MiB");
		is_str(err.msg, "r.conf: larger than 4 MiB", "its message");
		free(s);
	}
}

static void test_template_option(void)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r;

	r = cm_rules_template("\"Hi \\(first_nam)\"", &err);
	ok(r == NULL && err.status == 2, "--template: an error");
	is_str(err.msg, "--template: first_nam/0 is not defined",
	    "--template: the message names the option");
	r = cm_rules_template("\"a\" +", &err);
	is_str(err.msg, "--template: syntax error, unexpected ')'",
	    "--template: a syntax error");
	r = cm_rules_template("\"\xeb\"", &err);
	ok(r == NULL && err.status == 2, "--template: invalid UTF-8");
	is_str(err.msg, "--template: invalid UTF-8", "says so");
	r = cm_rules_template("\"a\x1b\"", &err);
	is_str(err.msg, "--template: a control character (0x1b)",
	    "--template: a control character");
	r = cm_rules_template("\"\\", &err);
	is_str(err.msg, "--template: a string is not closed",
	    "--template: an unclosed string");
	r = cm_rules_template("\"a\"\n\n  # blank lines and comments\n+ \"b\"",
	    &err);
	if (ok(r != NULL, "--template: any text, over lines"))
		is_int(cm_rules_count(r), 1, "one rule");
	templ("\"a\"\n\n  # blank lines and comments\n+ \"b\"", "{}",
	    "1 template ab", "--template: its text");
	cm_rules_free(r);
}

static void test_load(void)
{
	struct cm_error err = { 0, "" };
	struct cm_rules *r;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/replies.conf", dir);
	r = cm_rules_load(path, NOW, &err);
	ok(r == NULL && err.status == 2, "load: a missing file");
	ok(strstr(err.msg, path) == err.msg &&
	    strstr(err.msg, ": No such file or directory"), "load: '%s'",
	    err.msg);
	r = cm_rules_load(dir, NOW, &err);
	ok(r == NULL && strstr(err.msg, ": Is a directory"), "load: a "
	    "directory: '%s'", err.msg);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(example, f);
		fclose(f);
	}
	r = cm_rules_load(path, NOW, &err);
	if (ok(r != NULL, "load: the example"))
		is_int(cm_rules_count(r), 4, "load: four rules");
	cm_rules_free(r);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("[rule a]\nkind = x\n", f);
		fclose(f);
	}
	r = cm_rules_load(path, NOW, &err);
	ok(r == NULL && strstr(err.msg, path) == err.msg &&
	    strcmp(err.msg + strlen(path), ":2: rule a: kind: 'x' is not a "
	    "kind (post, reply, comment, message)") == 0, "load: messages "
	    "name the path: '%s'", err.msg);
}

static void test_many_rules(void)
{
	struct cm_buf b = CM_BUF_INIT;
	struct cm_error err = { 0, "" };
	struct cm_rules *r;
	char line[64], want[64];
	size_t i;

	for (i = 0; i < CM_RULES_MAX_RULES; i++)
		cm_buf_printf(&b, "[rule r%zu]\nwhen = .n == %zu\ntemplate = "
		    "\"r\\(.n)\"\n", i, i);
	r = cm_rules_parse("r.conf", b.data, b.len, NOW, &err);
	if (ok(r != NULL, "1000 rules with when and template")) {
		is_int(cm_rules_count(r), 1000, "1000 rules");
		for (i = 0; i < CM_RULES_MAX_RULES; i += 111) {
			snprintf(line, sizeof(line), "{\"n\":%zu}", i);
			snprintf(want, sizeof(want), "1 r%zu r%zu", i, i);
			drafts(r, line, 0, want, "each rule's own expressions");
		}
		drafts(r, "{\"n\":999}", 0, "1 r999 r999", "the last");
	} else {
		printf("#   %s\n", err.msg);
	}
	cm_rules_free(r);
	/* An error in the last of them is found, at its line. */
	cm_buf_reset(&b);
	for (i = 0; i < CM_RULES_MAX_RULES; i++)
		cm_buf_printf(&b, "[rule r%zu]\nwhen = .n == %zu\ntemplate = "
		    "\"r\\(.n)\"%s\n", i, i, i == 999 ? " +" : "");
	refused(b.data, "r.conf:3000: rule r999: template: syntax error, "
	    "unexpected ')'", "an error in the 1000th rule");
	cm_buf_free(&b);
}

/* ---- drafts and platforms ---- */

/* cm_draft_fit of text as "RC TEXT|WHY". */
static void fits(const char *platform, const char *author, size_t max,
    const char *text, const char *want, const char *what)
{
	struct cm_draft_target t = { platform, author, max };
	struct cm_buf b = CM_BUF_INIT, why = CM_BUF_INIT, got = CM_BUF_INIT;
	int rc;

	cm_buf_add(&b, text, strlen(text));
	cm_buf_adds(&why, "old");
	rc = cm_draft_fit(&t, &b, &why);
	cm_buf_printf(&got, "%d %s", rc, rc == 0 ? b.data : why.data);
	is_str(got.data, want, "%s", what);
	cm_buf_free(&b);
	cm_buf_free(&why);
	cm_buf_free(&got);
}

/* n copies of s, in a buffer the caller frees. */
static char *rep(const char *s, size_t n)
{
	size_t k = strlen(s), i;
	char *out = malloc(k * n + 1);

	for (i = 0; i < n; i++)
		memcpy(out + i * k, s, k);
	out[k * n] = '\0';
	return out;
}

static char *cat(const char *a, const char *b)
{
	char *out = malloc(strlen(a) + strlen(b) + 1);

	strcpy(out, a);
	strcat(out, b);
	return out;
}

/* The text fits (status 0, unchanged) or not, with why. */
static void fits_or(const char *platform, const char *author, size_t max,
    const char *text, const char *why, const char *what)
{
	char *want = why ? cat("1 ", why) : cat("0 ", text);

	fits(platform, author, max, text, want, what);
	free(want);
}

static void test_mastodon(void)
{
	char *a, *s, *t;

	a = rep("a", 494);
	s = cat("@jane ", a);
	fits_or("mastodon", "jane", 0, s, NULL, "500 with the mention there");
	free(s);
	s = cat("@jane a", a);
	fits_or("mastodon", "jane", 0, s, "501 characters, over Mastodon's "
	    "500", "501");
	free(s);
	free(a);
	fits("mastodon", "jane@fosstodon.org", 0, "Hi", "0 @jane@fosstodon.org "
	    "Hi", "the mention is put in front");
	fits("mastodon", "@jane@fosstodon.org", 0, "Hi", "0 @jane@fosstodon.org "
	    "Hi", "a handle written with '@'");
	fits("mastodon", "jane@fosstodon.org", 0, "thanks @Jane@Fosstodon.ORG!",
	    "0 thanks @Jane@Fosstodon.ORG!", "not when the text mentions the "
	    "author (any case)");
	fits("mastodon", "jane", 0, "cc @jane@other.example", "0 @jane cc "
	    "@jane@other.example", "another jane is not the author");
	fits("mastodon", "jane", 0, "mail jane@example.com", "0 @jane mail "
	    "jane@example.com", "an address is no mention");
	fits("mastodon", NULL, 0, "Hi", "0 Hi", "no author: no mention");
	fits("mastodon", "Jane Doe", 0, "Hi", "0 Hi", "a handle that is no "
	    "mention gets none");
	fits("bluesky", "jane.bsky.social", 0, "Hi", "0 Hi", "bluesky: no "
	    "mention put in front");
	fits("reddit", "bob", 0, "Hi", "0 Hi", "reddit: none");
	/* The mention pushes it over. */
	a = rep("a", 495);
	fits_or("mastodon", "jane@fosstodon.org", 0, a, "501 characters, over "
	    "Mastodon's 500", "495 and the mention put in front (as @jane): "
	    "501");
	free(a);
	a = rep("a", 494);
	s = cat("@jane@fosstodon.org ", a);
	fits_or("mastodon", "jane@fosstodon.org", 0, s, NULL, "a mention counts "
	    "its user name: 500");
	free(s);
	free(a);
	/* A link counts 23. */
	a = rep("a", 476);
	s = cat("https://example.com/a/very/long/path/that/is/much/longer/than/"
	    "twenty-three/characters?q=1 ", a);
	fits_or("mastodon", "", 0, s, NULL, "a link and 476: 500");
	t = cat(s, "b");
	fits_or("mastodon", "", 0, t, "501 characters, over Mastodon's 500",
	    "a link and 477: 501");
	is_int(cm_draft_length("mastodon", s, strlen(s)), 500,
	    "cm_draft_length on mastodon");
	free(t);
	free(s);
	free(a);
	/* Graphemes: a thumbs-up with a skin tone is one. */
	a = rep("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 500);
	fits_or("mastodon", "", 0, a, NULL, "500 emoji with modifiers: 500");
	s = cat(a, "e\xcc\x81");
	fits_or("mastodon", "", 0, s, "501 characters, over Mastodon's 500",
	    "and an e with a combining accent: 501");
	free(s);
	free(a);
	/* The instance's max_characters. */
	a = rep("x", 1000);
	fits_or("mastodon", "", 1000, a, NULL, "max_characters 1000: 1000");
	s = cat(a, "y");
	fits_or("mastodon", "", 1000, s, "1001 characters, over Mastodon's 1000",
	    "max_characters 1000: 1001");
	free(s);
	free(a);
}

static void test_bluesky(void)
{
	static const char family[] = "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91"
	    "\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6";
	char *a, *b, *s, *t;

	/* 10 families (ZWJ sequences of 7 code points, 25 bytes) and 290
	 * e + combining acute: 300 graphemes, 1120 bytes. */
	a = rep(family, 10);
	b = rep("e\xcc\x81", 290);
	s = cat(a, b);
	fits_or("bluesky", "", 0, s, NULL, "300 graphemes of ZWJ sequences and "
	    "combining marks");
	is_int(cm_draft_length("bluesky", s, strlen(s)), 300,
	    "cm_draft_length on bluesky: graphemes");
	is_int(cm_draft_length("reddit", s, strlen(s)), 650,
	    "cm_draft_length on reddit: code points");
	t = cat(s, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7");
	fits_or("bluesky", "", 0, t, "301 characters, over Bluesky's 300",
	    "and a flag: 301");
	free(t);
	free(s);
	free(b);
	free(a);
	/* 3000 bytes: 120 families. */
	a = rep(family, 120);
	fits_or("bluesky", "", 0, a, NULL, "3000 bytes");
	s = cat(a, "!");
	fits_or("bluesky", "", 0, s, "3001 bytes, over Bluesky's 3000",
	    "3001 bytes");
	free(s);
	free(a);
	a = rep("a", 300);
	s = cat(a, "a");
	fits_or("bluesky", "", 0, a, NULL, "300 letters");
	fits_or("bluesky", "", 0, s, "301 characters, over Bluesky's 300",
	    "301 letters");
	free(s);
	free(a);
}

static void test_other_platforms(void)
{
	char *a, *s;

	a = rep("\xc3\xa9", 10000);
	s = cat(a, "e");
	fits_or("reddit", "", 0, a, NULL, "reddit: 10000 characters");
	fits_or("reddit", "", 0, s, "10001 characters, over Reddit's 10000",
	    "reddit: 10001");
	fits_or("myspace", "", 0, a, NULL, "a platform cm does not know: "
	    "10000");
	fits_or("myspace", "", 0, s, "10001 characters, over the limit of "
	    "10000", "and 10001");
	fits_or(NULL, "", 0, s, "10001 characters, over the limit of 10000",
	    "no platform");
	free(s);
	free(a);
	a = rep("x", 280);
	s = cat(a, "x");
	fits_or("x", "", 0, a, NULL, "x: 280, by the platform table");
	fits_or("x", "", 0, s, "281 characters, over X's 280", "x: 281");
	free(s);
	free(a);
	fits_or("hn", "", 0, "hello", "no reply can be posted on Hacker News",
	    "hn takes none");
	fits_or("rss", "", 0, "hello", "no reply can be posted on RSS and Atom feeds",
	    "rss takes none");
}

static void test_text_checks(void)
{
	fits("reddit", "", 0, "Hi \t\n \xc2\xa0\xe3\x80\x80", "0 Hi",
	    "trailing white space trimmed (also NBSP, ideographic space)");
	fits("reddit", "", 0, "  Hi", "0   Hi", "leading white space kept");
	fits("reddit", "", 0, "a\n\tb", "0 a\n\tb", "newline and tab");
	fits("reddit", "", 0, " \n\t", "1 the text is empty", "only white "
	    "space");
	fits("mastodon", "jane", 0, "", "1 the text is empty", "empty, no "
	    "mention put in front");
	fits("reddit", "", 0, "ab\x07", "1 a control character (U+0007) at "
	    "byte 2", "a bell");
	fits("reddit", "", 0, "a\r\nb", "1 a control character (U+000D) at "
	    "byte 1", "a carriage return");
	fits("reddit", "", 0, "a\xc2\x9b" "b", "1 a control character (U+009B) "
	    "at byte 1", "a C1 control");
	fits("reddit", "", 0, "a\x7f", "1 a control character (U+007F) at "
	    "byte 1", "DEL");
	fits("reddit", "", 0, "abc\xff", "1 invalid UTF-8 at byte 3",
	    "invalid UTF-8");
	fits("reddit", "", 0, "a\xed\xa0\x80", "1 invalid UTF-8 at byte 1",
	    "a surrogate");
	is_int(cm_draft_length("bluesky", "a\xff", 2), -1,
	    "cm_draft_length of invalid UTF-8");
	{
		struct cm_draft_target t = { "reddit", NULL, 0 };
		struct cm_buf b = CM_BUF_INIT, why = CM_BUF_INIT;

		is_int(cm_draft_fit(&t, &b, &why), 1, "a buffer never used");
		is_str(why.data, "the text is empty", "is empty");
		cm_buf_free(&b);
		cm_buf_free(&why);
	}
	{
		/* A buffer at its limit has no room for the mention. */
		struct cm_draft_target t = { "mastodon", "jane", 0 };
		struct cm_buf b = CM_BUF_INIT, why = CM_BUF_INIT;

		b.limit = 8;
		cm_buf_adds(&b, "Hi there");
		is_int(cm_draft_fit(&t, &b, &why), 1, "no room for the mention");
		is_str(why.data, "no room for the mention of @jane", "says so");
		cm_buf_free(&b);
		cm_buf_free(&why);
	}
}

static void test_key(void)
{
	char k[33], k2[33];
	char *long_text = rep("x", 1000);

	/* Expected values: the first 32 hex digits of sha256sum over the
	 * same bytes (printf 'a\0b\0c' | sha256sum). */
	cm_draft_key("a", "b", "c", k);
	is_str(k, "8badde10c760e9b702defb4b5e225de7", "key of a, b, c");
	cm_draft_key("mastodon-main", "mastodon:mastodon.social:"
	    "113456789012345678", "@jane Hi Jane, sorry about that: DM us "
	    "your order.", k);
	is_str(k, "67f0713bfb7293bda0b7bc625816c6ed", "key of a real reply");
	cm_draft_key("", "", "", k);
	is_str(k, "96a296d224f285c67bee93c30f8a3091", "key of nothing");
	cm_draft_key(NULL, NULL, NULL, k2);
	is_str(k2, k, "NULL counts as empty");
	cm_draft_key("bsky", "bluesky:at://did:plc:abc/app.bsky.feed.post/3k",
	    long_text, k);
	is_str(k, "3cbdb150fe04592cede98d74c8104ac3", "key over many blocks");
	free(long_text);
	cm_draft_key("a", "b", "c", k);
	cm_draft_key("a", "b", "d", k2);
	ok(strcmp(k, k2) != 0, "another text, another key");
	cm_draft_key("a", "B", "c", k2);
	ok(strcmp(k, k2) != 0, "another target, another key");
	cm_draft_key("A", "b", "c", k2);
	ok(strcmp(k, k2) != 0, "another account, another key");
	cm_draft_key("ab", "", "c", k);
	cm_draft_key("a", "b", "c", k2);
	ok(strcmp(k, k2) != 0, "the parts are kept apart");
	ok(strlen(k) == 32 && strspn(k, "0123456789abcdef") == 32,
	    "32 lower-case hex digits");
}

int main(void)
{
	char cmd[600];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("HOME", "/home/secret", 1);
	test_example();
	test_order_and_flags();
	test_when();
	test_helpers();
	test_outputs();
	test_runaway();
	test_errors();
	test_template_option();
	test_load();
	test_many_rules();
	test_mastodon();
	test_bluesky();
	test_other_platforms();
	test_text_checks();
	test_key();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
