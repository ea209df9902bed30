/* config.c - tests for the config file: syntax, errors with their line,
 * quoting, lookups, and secrets from env:, file:, cmd: and literals.
 * Run from the top of the source tree (the .t wrapper does). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/config.h"
#include "tap.h"

#define FIXTURES "tests/fixtures/config"

static char dir[] = "/tmp/cm-config-test.XXXXXX";

static const char *in_dir(const char *name)
{
	static char path[8][512];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

static void spew(const char *path, const char *data, size_t len, int mode)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
	chmod(path, (mode_t)mode);
}

static struct cm_config *parse_str(const char *text,
    struct cm_error *err)
{
	return cm_config_parse("t.conf", text, strlen(text), err);
}

static void test_default_path(void)
{
	struct cm_buf b = CM_BUF_INIT;

	setenv("CM_CONFIG", "/etc/cm.conf", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	is_str(cm_config_default_path(&b) == 0 ? b.data : NULL,
	    "/etc/cm.conf", "default path: $CM_CONFIG first");
	setenv("CM_CONFIG", "", 1);
	is_str(cm_config_default_path(&b) == 0 ? b.data : NULL,
	    "/xdg/cm/config", "default path: an empty CM_CONFIG is unset");
	unsetenv("CM_CONFIG");
	is_str(cm_config_default_path(&b) == 0 ? b.data : NULL,
	    "/xdg/cm/config", "default path: $XDG_CONFIG_HOME/cm/config");
	setenv("XDG_CONFIG_HOME", "xdg", 1);
	is_str(cm_config_default_path(&b) == 0 ? b.data : NULL,
	    "/home/u/.config/cm/config",
	    "default path: a relative XDG_CONFIG_HOME is ignored");
	unsetenv("XDG_CONFIG_HOME");
	is_str(cm_config_default_path(&b) == 0 ? b.data : NULL,
	    "/home/u/.config/cm/config", "default path: ~/.config/cm/config");
	unsetenv("HOME");
	ok(cm_config_default_path(&b) == -1, "default path: none without HOME");
	cm_buf_free(&b);
}

struct names {
	char list[512];
	int n;
};

static void collect(const char *name, void *arg)
{
	struct names *nm = arg;
	size_t len = strlen(nm->list);

	snprintf(nm->list + len, sizeof(nm->list) - len, "%s%s",
	    nm->n++ ? "|" : "", name ? name : "(null)");
}

static void collect_key(const char *key, size_t line, void *arg)
{
	struct names *nm = arg;
	size_t len = strlen(nm->list);

	snprintf(nm->list + len, sizeof(nm->list) - len, "%s%s:%zu",
	    nm->n++ ? "|" : "", key, line);
}

static void test_fixture(void)
{
	struct cm_error err;
	struct cm_config *cfg;
	struct names nm = { "", 0 };

	cfg = cm_config_load(FIXTURES "/good.conf", 0, &err);
	if (!ok(cfg != NULL, "good.conf loads"))
		printf("# %s\n", err.msg);
	if (cfg == NULL)
		return;
	is_str(cm_config_path(cfg), FIXTURES "/good.conf", "the path is kept");
	is_str(cm_config_get(cfg, "account", "acme-masto", "platform"),
	    "mastodon", "indented key");
	is_int(cm_config_line(cfg, "account", "acme-masto", "platform"), 5,
	    "its line, for messages");
	is_int(cm_config_line(cfg, "account", "acme-masto", "nokey"), 0,
	    "no line for an unset key");
	is_str(cm_config_get(cfg, "account", "acme-masto", "base_url"),
	    "https://mastodon.example", "a URL value");
	is_str(cm_config_get(cfg, "account", "acme-masto", "token"),
	    "env:CM_TEST_MASTO_TOKEN", "a comment after a value is dropped");
	is_str(cm_config_get(cfg, "account", "acme bsky", "platform"),
	    "bluesky", "a quoted section name with a space; key=value "
	    "without spaces");
	is_str(cm_config_get(cfg, "account", "acme bsky", "handle"),
	    "acme.example", "trailing spaces are trimmed");
	is_str(cm_config_get(cfg, "ACCOUNT", "reddit-main", "PLATFORM"),
	    "Reddit", "kinds and keys are case-insensitive, values are not");
	ok(cm_config_get(cfg, "account", "Reddit-Main", "platform") == NULL,
	    "section names are case-sensitive");
	is_str(cm_config_get(cfg, "account", "reddit-main", "user_agent"),
	    "cm/0.1 (by /u/acme; #ops)", "quotes keep ';' and '#'");
	is_str(cm_config_get(cfg, "account", "reddit-main", "greeting"),
	    "  two spaces kept  ", "quotes keep outer spaces");
	is_str(cm_config_get(cfg, "score", NULL, "weight_urgency"), "0.5",
	    "a section without a name");
	is_str(cm_config_get(cfg, "fetch", NULL, "limit"), "500",
	    "the last assignment wins, whatever the key's case");
	is_str(cm_config_get(cfg, "account", "acme-masto", "visibility"),
	    "unlisted", "a section seen twice is one section");
	is_str(cm_config_get(cfg, "account", "acme-masto", "handle"),
	    "@acme@mastodon.example", "... keeping its first keys");
	ok(cm_config_get(cfg, "account", "acme-masto", "nope") == NULL &&
	    cm_config_get(cfg, "account", "nobody", "platform") == NULL &&
	    cm_config_get(cfg, "score", "x", "weight_urgency") == NULL &&
	    cm_config_get(cfg, "fetch", NULL, "nope") == NULL,
	    "unset keys and sections are NULL");
	ok(cm_config_has_section(cfg, "account", "acme bsky") &&
	    cm_config_has_section(cfg, "Score", NULL) &&
	    !cm_config_has_section(cfg, "score", "x") &&
	    !cm_config_has_section(cfg, "account", NULL) &&
	    !cm_config_has_section(cfg, "reply", NULL),
	    "has_section");
	cm_config_each_section(cfg, "account", collect, &nm);
	is_str(nm.list, "acme-masto|acme bsky|reddit-main",
	    "each account once, in file order");
	nm.list[0] = '\0';
	nm.n = 0;
	cm_config_each_key(cfg, "Fetch", NULL, collect_key, &nm);
	cm_config_each_key(cfg, "account", "acme-masto", collect_key, &nm);
	cm_config_each_key(cfg, "account", "nobody", collect_key, &nm);
	is_str(nm.list, "limit:26|limit:27|platform:5|base_url:6|handle:7|"
	    "token:8|visibility:31", "each key of a section, in file order, "
	    "lower case, with its line; none of a section not there");
	cm_config_free(cfg);

	cfg = cm_config_load(FIXTURES "/crlf.conf", 0, &err);
	ok(cfg && strcmp(cm_config_get(cfg, "fetch", NULL, "limit"), "7") == 0 &&
	    strcmp(cm_config_get(cfg, "fetch", NULL, "name"), "a b") == 0,
	    "CRLF line ends and a byte order mark");
	cm_config_free(cfg);

	cfg = cm_config_load(FIXTURES "/bad.conf", 0, &err);
	is_str(cfg ? "(loaded)" : err.msg, FIXTURES "/bad.conf:4: missing ']' "
	    "at the end of the section header",
	    "a syntax error names the file and the line");
	cm_config_free(cfg);
}

/* Each text must fail with exactly this message. */
static void test_syntax_errors(void)
{
	static const struct {
		const char *text, *msg;
	} t[] = {
		{ "key = 1\n", "t.conf:1: key outside any section (put a "
		    "[section] line before it)" },
		{ "# c\n\n  k=v\n", "t.conf:3: key outside any section (put a "
		    "[section] line before it)" },
		{ "[a]\nkey value\n", "t.conf:2: expected '=' after key" },
		{ "[a]\nkey\n", "t.conf:2: expected '=' after key" },
		{ "[a]\nk.y = 1\n", "t.conf:2: key names are letters, digits, "
		    "'-' and '_'" },
		{ "[a]\n= 1\n", "t.conf:2: expected 'key = value', a [section] "
		    "header or a comment" },
		{ "[a]\n1key = 1\n", "t.conf:2: expected 'key = value', a "
		    "[section] header or a comment" },
		{ "[a]\n\n\nk = \"open\n", "t.conf:4: unterminated quoted "
		    "value (missing '\"')" },
		{ "[a]\nk = a\\qb\n", "t.conf:2: unknown escape in value "
		    "(known: \\\" \\\\ \\n \\t)" },
		{ "[a]\nk = a \\\n", "t.conf:2: backslash at the end of the "
		    "line (a value cannot continue on the next)" },
		{ "[a\n", "t.conf:1: missing ']' at the end of the section "
		    "header" },
		{ "[a b\n", "t.conf:1: missing ']' at the end of the section "
		    "header" },
		{ "[]\n", "t.conf:1: expected a section kind after '['" },
		{ "[ 9a]\n", "t.conf:1: expected a section kind after '['" },
		{ "[a.b]\n", "t.conf:1: section kinds are letters, digits, "
		    "'-' and '_'" },
		{ "[a b c]\n", "t.conf:1: expected ']' after the section name "
		    "(a name with spaces or quotes must be quoted)" },
		{ "[a b\"c\"]\n", "t.conf:1: expected ']' after the section "
		    "name (a name with spaces or quotes must be quoted)" },
		{ "[a \"b\n", "t.conf:1: unterminated quoted section name "
		    "(missing '\"')" },
		{ "[a \"\"]\n", "t.conf:1: empty section name" },
		{ "[a \"b\\x\"]\n", "t.conf:1: unknown escape in section name "
		    "(known: \\\" \\\\)" },
		{ "[a] x\n", "t.conf:1: text after ']' in section header" },
		{ "[a \"b\"] x\n", "t.conf:1: text after ']' in section header" },
	};
	struct cm_error err;
	struct cm_config *cfg;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cfg = parse_str(t[i].text, &err);
		is_str(cfg ? "(parsed)" : err.msg, t[i].msg, "syntax error %zu",
		    i + 1);
		cm_config_free(cfg);
	}
	cfg = cm_config_parse("t.conf", "[a]\nk = x\0y\n", 11, &err);
	is_str(cfg ? "(parsed)" : err.msg, "t.conf:2: NUL byte in line (not a "
	    "text file?)", "a NUL byte");
	cm_config_free(cfg);
}

/* Each value line in a section must give exactly this value. */
static void test_values(void)
{
	static const struct {
		const char *line, *value, *what;
	} t[] = {
		{ "k = plain", "plain", "plain" },
		{ "k=plain", "plain", "no spaces around '='" },
		{ "k =   inner  spaces kept   ", "inner  spaces kept",
		    "inner spaces kept, outer trimmed" },
		{ "k = a # comment", "a", "'#' comment" },
		{ "k = a ; comment", "a", "';' comment" },
		{ "k = a#b", "a", "a comment needs no space before it" },
		{ "k = \"a # b ; c\"", "a # b ; c", "quoted comment characters" },
		{ "k = \"\"", "", "empty quotes" },
		{ "k =", "", "nothing" },
		{ "k = \"q\\\"uote\" and \\\\ back", "q\"uote and \\ back",
		    "escaped quote and backslash" },
		{ "k = tab\\there\\nnewline", "tab\there\nnewline",
		    "\\t and \\n" },
		{ "k = mixed\" quoted \"part", "mixed quoted part",
		    "quoted and unquoted parts join" },
		{ "k = \"  \"  # x", "  ", "quoted spaces then a comment" },
		{ "k = caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80",
		    "UTF-8 kept" },
		{ "K-ey_2 = dash", NULL, "keys with '-', '_' and digits" },
	};
	struct cm_error err;
	struct cm_config *cfg;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "[s]\n%s\n", t[i].line);
		cfg = parse_str(text, &err);
		if (t[i].value)
			is_str(cfg ? cm_config_get(cfg, "s", NULL, "k") : err.msg,
			    t[i].value, "value: %s", t[i].what);
		else
			is_str(cfg ? cm_config_get(cfg, "s", NULL, "k-ey_2") :
			    err.msg, "dash", "value: %s", t[i].what);
		cm_config_free(cfg);
	}
	cfg = parse_str("[account \"a \\\"q\\\" ]b\"]\nk = 1\n"
	    "[account]\nk = 2\n[account x]\nk = 3\n", &err);
	ok(cfg && strcmp(cm_config_get(cfg, "account", "a \"q\" ]b", "k"),
	    "1") == 0, "a quoted section name with escapes and ']'");
	ok(cfg && strcmp(cm_config_get(cfg, "account", NULL, "k"), "2") == 0 &&
	    strcmp(cm_config_get(cfg, "account", "x", "k"), "3") == 0,
	    "[account] and [account x] are different sections");
	cm_config_free(cfg);
	cfg = parse_str("", &err);
	ok(cfg && !cm_config_has_section(cfg, "account", NULL),
	    "an empty file is an empty config");
	cm_config_free(cfg);
}

static void test_many_sections(void)
{
	struct cm_error err;
	struct cm_config *cfg;
	struct cm_buf text = CM_BUF_INIT;
	struct names nm = { "", 0 };
	int i, good = 1;
	char name[32], want[32];

	for (i = 0; i < 3000; i++)
		cm_buf_printf(&text, "[account a%d]\nn = %d\n", i, i);
	for (i = 0; i < 3000; i += 7)
		cm_buf_printf(&text, "[account a%d]\nn = again%d\n", i, i);
	cfg = cm_config_parse("many", text.data, text.len, &err);
	for (i = 0; cfg && i < 3000; i++) {
		const char *v;

		snprintf(name, sizeof(name), "a%d", i);
		snprintf(want, sizeof(want), i % 7 ? "%d" : "again%d", i);
		v = cm_config_get(cfg, "account", name, "n");
		if (v == NULL || strcmp(v, want) != 0)
			good = 0;
	}
	ok(cfg && good, "3000 sections, some seen twice: every lookup right");
	if (cfg) {
		nm.list[0] = '\0';
		cm_config_each_section(cfg, "account", collect, &nm);
	}
	is_int(nm.n, 3000, "each section listed once");
	cm_config_free(cfg);
	cm_buf_free(&text);
}

static void test_limits(void)
{
	struct cm_error err;
	struct cm_config *cfg;
	struct cm_buf text = CM_BUF_INIT;
	size_t n;

	cm_buf_adds(&text, "[s]\nk = 1\nlong = ");
	for (n = 0; n < ((size_t)64 << 10) - 7; n++)
		cm_buf_addc(&text, 'x');
	cfg = cm_config_parse("t.conf", text.data, text.len, &err);
	ok(cfg && strlen(cm_config_get(cfg, "s", NULL, "long")) ==
	    ((size_t)64 << 10) - 7, "a line of exactly 64 KiB is read");
	cm_config_free(cfg);
	cm_buf_adds(&text, "x\nk = 2\n");
	cfg = cm_config_parse("t.conf", text.data, text.len, &err);
	is_str(cfg ? "(parsed)" : err.msg, "t.conf:3: line too long (over "
	    "64 KiB)", "a line over 64 KiB is refused with its number");
	cm_config_free(cfg);
	spew(in_dir("long.conf"), text.data, text.len, 0600);
	cfg = cm_config_load(in_dir("long.conf"), 0, &err);
	ok(cfg == NULL && strstr(err.msg, "long.conf:3: line too long"),
	    "... from a file too");
	cm_config_free(cfg);

	cm_buf_reset(&text);
	cm_buf_adds(&text, "[s]\n");
	while (text.len <= ((size_t)4 << 20))
		cm_buf_adds(&text, "# a comment line to fill the file\n");
	cfg = cm_config_parse("t.conf", text.data, text.len, &err);
	is_str(cfg ? "(parsed)" : err.msg, "t.conf: file too large (over 4 "
	    "MiB)", "a file over 4 MiB is refused");
	cm_config_free(cfg);
	spew(in_dir("big.conf"), text.data, text.len, 0600);
	cfg = cm_config_load(in_dir("big.conf"), 0, &err);
	ok(cfg == NULL && strstr(err.msg, "big.conf: file too large"),
	    "... when loaded too");
	cm_config_free(cfg);
	cm_buf_free(&text);
}

static void test_load_errors(void)
{
	struct cm_error err;
	struct cm_config *cfg;
	char want[600];

	cfg = cm_config_load(in_dir("missing.conf"), 1, &err);
	ok(cfg && cm_config_get(cfg, "account", "x", "token") == NULL &&
	    strcmp(cm_config_path(cfg), in_dir("missing.conf")) == 0,
	    "a missing file with missing_ok is an empty config");
	cm_config_free(cfg);
	cfg = cm_config_load(in_dir("missing.conf"), 0, &err);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    in_dir("missing.conf"));
	is_str(cfg ? "(loaded)" : err.msg, want,
	    "a missing file without missing_ok is an error");
	cm_config_free(cfg);
	cfg = cm_config_load(dir, 1, &err);
	snprintf(want, sizeof(want), "%s: Is a directory", dir);
	is_str(cfg ? "(loaded)" : err.msg, want, "a directory is an error");
	cm_config_free(cfg);
}

/* A secret lookup that must fail with a message containing want (and
 * never the secret), leaving out empty. */
static void secret_fails(const struct cm_config *cfg, const char *name,
    const char *want, const char *secret, const char *what)
{
	struct cm_error err;
	struct cm_buf out = CM_BUF_INIT;
	int r;

	cm_buf_adds(&out, "stale");
	r = cm_config_secret(cfg, "account", name, "token", &out, &err);
	if (!ok(r == -1 && strstr(err.msg, want) != NULL, "%s", what))
		printf("# got %d '%s'\n", r, r == -1 ? err.msg : out.data);
	ok(r == -1 && out.len == 0 && (secret == NULL ||
	    strstr(err.msg, secret) == NULL),
	    "%s: the message holds no secret, out is empty", what);
	cm_buf_free(&out);
}

static void secret_is(const struct cm_config *cfg, const char *name,
    const char *want, const char *what)
{
	struct cm_error err;
	struct cm_buf out = CM_BUF_INIT;
	int r = cm_config_secret(cfg, "account", name, "token", &out, &err);

	is_str(r == 0 ? out.data : r == 1 ? "(unset)" : err.msg, want, "%s",
	    what);
	cm_buf_free(&out);
}

static void test_secrets(void)
{
	struct cm_error err;
	struct cm_config *cfg;
	struct cm_buf text = CM_BUF_INIT, out = CM_BUF_INIT;
	char path[512], want[1200];

	snprintf(path, sizeof(path), "%s", in_dir("secrets.conf"));
	cfg = cm_config_load(FIXTURES "/good.conf", 0, &err);
	setenv("CM_TEST_MASTO_TOKEN", "masto-secret", 1);
	secret_is(cfg, "acme-masto", "masto-secret", "env: secret");
	secret_is(cfg, "acme bsky", "bsky-secret",
	    "file: secret, first line, relative to the config's directory");
	secret_is(cfg, "reddit-main", "reddit-secret", "cmd: secret");
	unsetenv("CM_TEST_MASTO_TOKEN");
	secret_fails(cfg, "acme-masto", FIXTURES "/good.conf:8: token: "
	    "environment variable CM_TEST_MASTO_TOKEN is not set", NULL,
	    "env: unset");
	setenv("CM_TEST_MASTO_TOKEN", "", 1);
	secret_fails(cfg, "acme-masto", "environment variable "
	    "CM_TEST_MASTO_TOKEN is empty", NULL, "env: empty");
	ok(cm_config_secret(cfg, "account", "acme-masto", "password", &out,
	    &err) == 1 && cm_config_secret(cfg, "account", "nobody", "token",
	    &out, &err) == 1, "an unset secret returns 1");
	cm_config_free(cfg);

	/* A private file (0600) may hold literals; the rest are resolved
	 * the same whatever the mode. */
	mkdir(in_dir("home"), 0700);
	spew(in_dir("home/tok"), "home-secret\r\nmore\n", 18, 0600);
	spew(in_dir("nonl"), "no-newline", 10, 0600);
	spew(in_dir("empty"), "\n", 1, 0600);
	setenv("HOME", in_dir("home"), 1);
	setenv("CM_TEST_SECRET", "env-secret", 1);
	cm_buf_printf(&text,
	    "[account lit]\ntoken = s3cr3t-literal-token\n"
	    "[account env]\ntoken = env:CM_TEST_SECRET\n"
	    "[account envbad]\ntoken = env:NOT A NAME\n"
	    "[account home]\ntoken = file:~/tok\n"
	    "[account abs]\ntoken = file:%s\n"
	    "[account nofile]\ntoken = file:%s\n"
	    "[account emptyfile]\ntoken = file:empty\n"
	    "[account cmd]\ntoken = \"cmd:printf 'one\\\\ntwo\\\\n'\"\n"
	    "[account cmdfail]\ntoken = \"cmd:echo cmd-secret-leak; exit 3\"\n"
	    "[account cmdsig]\ntoken = \"cmd:echo cmd-secret-leak; kill -9 $$\"\n"
	    "[account cmdempty]\ntoken = cmd:true\n"
	    "[account cmdhuge]\ntoken = cmd:yes\n"
	    "[account cmdlong]\ntoken = \"cmd:head -c 70000 /dev/zero | "
	    "tr '\\\\0' x\"\n"
	    "[account nul]\ntoken = file:/dev/zero\n"
	    "[account empty]\ntoken =\n",
	    in_dir("nonl"), in_dir("does-not-exist"));
	spew(path, text.data, text.len, 0600);
	cfg = cm_config_load(path, 0, &err);
	if (!ok(cfg != NULL, "secrets.conf loads"))
		printf("# %s\n", err.msg);
	if (cfg == NULL)
		return;
	secret_is(cfg, "lit", "s3cr3t-literal-token",
	    "a literal in a 0600 file is accepted");
	secret_is(cfg, "env", "env-secret", "env:");
	secret_fails(cfg, "envbad", "token: env: needs a variable name", NULL,
	    "env: with a bad name");
	secret_is(cfg, "home", "home-secret", "file:~/ is under $HOME; CRLF "
	    "stripped");
	secret_is(cfg, "abs", "no-newline", "file: with an absolute path, no "
	    "final newline");
	snprintf(want, sizeof(want), "%s:12: token: %s: No such file or "
	    "directory", path, in_dir("does-not-exist"));
	secret_fails(cfg, "nofile", want, NULL, "file: missing");
	secret_fails(cfg, "emptyfile", "the first line is empty", NULL,
	    "file: an empty first line");
	secret_is(cfg, "cmd", "one", "cmd: first line of the output");
	snprintf(want, sizeof(want), "%s:18: token: the command exited with "
	    "status 3", path);
	secret_fails(cfg, "cmdfail", want, "cmd-secret-leak",
	    "cmd: a failing command");
	secret_fails(cfg, "cmdsig", "the command was killed by signal 9",
	    "cmd-secret-leak", "cmd: a killed command");
	secret_fails(cfg, "cmdempty", "the command printed an empty first line",
	    NULL, "cmd: no output");
	secret_fails(cfg, "cmdhuge", "the command printed over 1 MiB", NULL,
	    "cmd: endless output is cut off");
	secret_fails(cfg, "cmdlong", "the first line is over 64 KiB",
	    "xxxxxxxx", "cmd: a line over 64 KiB");
	secret_fails(cfg, "nul", "a NUL byte in the first line", NULL,
	    "file: a NUL byte");
	secret_fails(cfg, "empty", "token is empty", NULL, "an empty value");
	unsetenv("HOME");
	secret_fails(cfg, "home", "cannot expand ~/tok: HOME is not set", NULL,
	    "file:~/ without HOME");
	cm_config_free(cfg);

	/* Readable by others: a literal is refused, the rest still work. */
	chmod(path, 0644);
	cfg = cm_config_load(path, 0, &err);
	snprintf(want, sizeof(want), "%s:2: token is a literal secret in a "
	    "file others can read; chmod 600 %s or use env:, file: or cmd:",
	    path, path);
	secret_fails(cfg, "lit", want, "s3cr3t-literal-token",
	    "a literal in a 0644 file is refused");
	secret_is(cfg, "env", "env-secret", "env: in a 0644 file");
	cm_config_free(cfg);
	chmod(path, 0640);
	cfg = cm_config_load(path, 0, &err);
	secret_fails(cfg, "lit", "literal secret", "s3cr3t-literal-token",
	    "a literal in a 0640 file is refused");
	cm_config_free(cfg);

	/* The fixture, copied: git keeps no mode bits but x. */
	cfg = cm_config_load(FIXTURES "/literal.conf", 0, &err);
	cm_buf_reset(&text);
	cm_buf_adds(&text, cfg ? cm_config_get(cfg, "account", "acme",
	    "token") : "");
	cm_config_free(cfg);
	cm_buf_printf(&out, "[account acme]\ntoken = %s\n", text.data);
	spew(in_dir("literal.conf"), out.data, out.len, 0644);
	cfg = cm_config_load(in_dir("literal.conf"), 0, &err);
	secret_fails(cfg, "acme", "token is a literal secret in a file others "
	    "can read", "s3cr3t-literal-token", "literal.conf at 0644");
	cm_config_free(cfg);
	chmod(in_dir("literal.conf"), 0600);
	cfg = cm_config_load(in_dir("literal.conf"), 0, &err);
	secret_is(cfg, "acme", "s3cr3t-literal-token", "literal.conf at 0600");
	cm_config_free(cfg);

	cfg = parse_str("[account a]\ntoken = s3cr3t-literal-token\n", &err);
	secret_fails(cfg, "a", "t.conf:2: token is a literal secret",
	    "s3cr3t-literal-token", "a literal in parsed text is refused");
	cm_config_free(cfg);
	cm_buf_free(&text);
	cm_buf_free(&out);
}

/*
 * The sample configuration in man/cm-config.5's EXAMPLES parses and means
 * what the page says (roff's \e is a backslash).  The page writes it with
 * a here-document: its lines are those after the shell's "> " prompt.
 */
static void test_man_example(void)
{
	struct cm_error err;
	struct cm_config *cfg = NULL;
	struct cm_buf text = CM_BUF_INIT;
	char line[1024];
	int state = 0;
	FILE *fp;

	if ((fp = fopen("man/cm-config.5", "r")) == NULL) {
		ok(0, "man/cm-config.5: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p;

		if (state == 0 && strcmp(line, ".Sh EXAMPLES\n") == 0)
			state = 1;
		else if (state == 1 && strncmp(line, ".Bd -literal", 12) == 0)
			state = 2;
		else if (state == 2 && strcmp(line, ".Ed\n") == 0)
			break;
		else if (state == 2 && line[0] == '>' &&
		    strcmp(line, "> EOF\n") != 0) {
			while ((p = strstr(line, "\\e")) != NULL)
				memmove(p + 1, p + 2, strlen(p + 2) + 1);
			cm_buf_adds(&text, line + (line[1] == ' ' ? 2 : 1));
		}
	}
	fclose(fp);
	if (text.len)
		cfg = cm_config_parse("cm-config.5", text.data, text.len, &err);
	if (!ok(cfg != NULL, "the man page's example parses"))
		printf("# %s\n", text.len ? err.msg : "no example found");
	if (cfg) {
		struct names nm = { "", 0 };

		cm_config_each_section(cfg, "account", collect, &nm);
		is_str(nm.list, "acme-masto|acme-bsky|acme reddit",
		    "the man page's example: its accounts");
		is_str(cm_config_get(cfg, "account", "acme-bsky", "app_password"),
		    "file:acme-bsky.password", "the man page's example: a comment "
		    "after a value");
		is_str(cm_config_get(cfg, "account", "acme reddit", "password"),
		    "cmd:secret-tool lookup service cm account \"acme reddit\"",
		    "the man page's example: a quoted command");
	}
	cm_config_free(cfg);
	cm_buf_free(&text);
}

int main(void)
{
	char cmd[600];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_default_path();
	test_fixture();
	test_syntax_errors();
	test_values();
	test_many_sections();
	test_limits();
	test_load_errors();
	test_secrets();
	test_man_example();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
