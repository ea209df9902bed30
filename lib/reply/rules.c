/* rules.c - cm-reply's rules file: rules in order, each a match (the
 * flags of cm-filter and a jq expression) and a template */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jq.h>

#include "rules.h"
#include "core/json.h"
#include "core/utf8.h"
#include "filter/filter.h"
#include "filter/jqexpr.h"
#include "score/score.h"

#define MAX_FILE ((size_t)4 << 20)
#define MAX_NAME 128		/* bytes of a rule's name */
#define MAX_NEST 256		/* brackets and strings open at once */
/* A template's text longer than this fits no platform (Reddit's 10,000
 * characters are at most 40,000 bytes): refused before it is copied. */
#define MAX_TEXT ((size_t)65536)

/*
 * The helpers, and what every expression runs under.  env and $ENV are
 * empty, so that a rules file (kept in a repository, reviewed less than
 * code) cannot put a token from the environment into a public reply.
 * The helpers keep regular expressions to bounded slices: libjq 1.6's
 * match with "g" and gsub are quadratic in the length of the text, and a
 * display name is anyone's to choose.
 */
const char cm_rules_helpers[] =
"def env: {};\n"
"def first_name:\n"
"  def _word: .[0:256] | gsub(\":[A-Za-z0-9_]+:\"; \" \")\n"
"    | (first(match(\"[\\\\p{L}\\\\p{M}\\\\p{N}][\\\\p{L}\\\\p{M}\\\\p{N}'\xe2\x80\x99._-]*\";\n"
"        \"g\").string | select(test(\"\\\\p{L}\"))) // \"\")\n"
"    | sub(\"[._'\xe2\x80\x99-]+$\"; \"\");\n"
"  . as $r\n"
"  | (((((.author | objects) // {}) | .handle | strings) // \"\")\n"
"     | sub(\"\\\\A@+\"; \"\")) as $h\n"
"  | ((((.author | objects) // {}) | .name | strings) // \"\") as $n\n"
"  | (if $n != \"\" and ($n | sub(\"\\\\A@+\"; \"\")) != $h then $n | _word\n"
"     else \"\" end) as $w\n"
"  | if $w != \"\" then $w\n"
"    else $h\n"
"      | (if startswith(\"/u/\") then .[3:] elif startswith(\"u/\") then .[2:]\n"
"         else . end)\n"
"      | (split(\"@\")[0] // \"\")\n"
"      | if $r.platform == \"bluesky\" then (split(\".\")[0] // \"\") else . end\n"
"    end;\n"
"def handle:\n"
"  . as $r\n"
"  | ((((.author | objects) // {}) | .handle | strings) // \"\")\n"
"  | if . == \"\" then \"\"\n"
"    elif $r.platform == \"mastodon\" or $r.platform == \"bluesky\" then\n"
"      sub(\"\\\\A@+\"; \"\") | if . == \"\" then \"\" else \"@\" + . end\n"
"    elif $r.platform == \"reddit\" then\n"
"      sub(\"\\\\A@+\"; \"\")\n"
"      | (if startswith(\"/u/\") then .[3:] elif startswith(\"u/\") then .[2:]\n"
"         else . end)\n"
"      | if . == \"\" then \"\" else \"u/\" + . end\n"
"    else . end;\n"
"def shorten($n):\n"
"  def _ws: . == 32 or (. >= 9 and . <= 13) or . == 133 or . == 160\n"
"    or . == 5760 or (. >= 8192 and . <= 8202) or . == 8232 or . == 8233\n"
"    or . == 8239 or . == 8287 or . == 12288;\n"
"  def _trail: _ws or . == 44 or . == 46 or . == 58 or . == 59 or . == 33\n"
"    or . == 63 or . == 45 or . == 8211 or . == 8212;\n"
"  if type != \"string\" then error(\"shorten: \\(type) is not a string\")\n"
"  elif ($n | type) != \"number\" or ($n | isnan) then\n"
"    error(\"shorten: the length is not a number\")\n"
"  elif length <= $n then .\n"
"  elif $n < 1 then \"\"\n"
"  else ($n | floor) as $m\n"
"    | explode as $c\n"
"    | (if $c[$m - 1] | _ws then $m - 1\n"
"       else first(range($m - 2; -1; -1) | select($c[.] | _ws)) // ($m - 1)\n"
"       end) as $cut\n"
"    | (first(range($cut - 1; -1; -1) | select($c[.] | _trail | not)) // -1)\n"
"      as $last\n"
"    | (if $last >= 0 then $c[0:$last + 1] else $c[0:$m - 1] end)\n"
"    | implode + \"\xe2\x80\xa6\"\n"
"  end;\n";

/*
 * The program of all the rules (see add_program): the helpers, then each
 * expression as a function of its own ("def __cm_K: ... (EXPR);"), since
 * libjq 1.6 refuses a function of more than 64 KiB of bytecode, then the
 * dispatch on [K, record] that calls the K-th.  An expression starts a
 * line of its own and a newline ends it, so its last line may end in a
 * jq comment.
 */
#define EXPR_OPEN "def __cm_%zu: {} as $ENV | .[1] | (\n"
#define EXPR_CLOSE "\n);\n"
#define GROUP 64		/* expressions per dispatch function */

enum key {
	K_PLATFORM, K_KIND, K_REASON, K_LANG, K_AUTHOR, K_LABEL,
	K_SINCE, K_UNTIL, K_MIN_FOLLOWERS, K_MIN_PRIORITY, K_MATCH,
	K_IGNORE_CASE, K_INTENT, K_WHEN, K_TEMPLATE, K_SPAM, K_COUNT
};

static const struct {
	const char *name;
	int opt;		/* enum cm_filter_opt, or -1 */
	int repeat;		/* may be given again */
	int list;		/* comma-separated */
} keys[K_COUNT] = {
	[K_PLATFORM] = { "platform", CM_FILTER_PLATFORM, 1, 1 },
	[K_KIND] = { "kind", CM_FILTER_KIND, 1, 1 },
	[K_REASON] = { "reason", CM_FILTER_REASON, 1, 1 },
	[K_LANG] = { "lang", CM_FILTER_LANG, 1, 1 },
	[K_AUTHOR] = { "author", CM_FILTER_AUTHOR, 1, 1 },
	[K_LABEL] = { "label", CM_FILTER_LABEL, 1, 1 },
	[K_SINCE] = { "since", CM_FILTER_SINCE, 0, 0 },
	[K_UNTIL] = { "until", CM_FILTER_UNTIL, 0, 0 },
	[K_MIN_FOLLOWERS] = { "min_followers", CM_FILTER_MIN_FOLLOWERS, 0, 0 },
	[K_MIN_PRIORITY] = { "min_priority", CM_FILTER_MIN_PRIORITY, 0, 0 },
	[K_MATCH] = { "match", CM_FILTER_MATCH, 1, 0 },
	[K_IGNORE_CASE] = { "ignore_case", CM_FILTER_IGNORE_CASE, 0, 0 },
	[K_INTENT] = { "intent", -1, 1, 1 },
	[K_WHEN] = { "when", -1, 0, 0 },
	[K_TEMPLATE] = { "template", -1, 0, 0 },
	[K_SPAM] = { "spam", -1, 0, 0 },
};

/* A jq expression of a rule, and where the file holds it. */
struct expr {
	char *src;		/* NULL: none */
	size_t line, last;	/* its first and last line in the file */
	int exhausted;		/* libjq ran out of memory running it */
};

struct rule {
	char *name;
	size_t line;		/* of "[rule NAME]" */
	struct cm_filter *flags;	/* NULL: no flag given */
	unsigned intents;	/* 1 << enum cm_intent; 0: any */
	int spam;
	unsigned seen;		/* 1 << enum key */
	struct expr when, tpl;
};

struct cm_rules {
	struct rule *v;
	size_t n, cap;
	jq_state *jq;		/* every expression, one program */
	char *prog;
	struct cm_json_paths *intent_path;
};

/* The parser's state: where it is and the value being read. */
struct parse {
	const char *name;
	int64_t now;
	struct cm_rules *r;
	struct cm_error *err;
	size_t lineno;		/* the line read */
	size_t at;		/* the line messages name */
	int key;		/* the key whose value is open, or -1 */
	size_t key_line, value_line, value_last;
	struct cm_buf value;
	struct cm_buf msg;
};

static void noop_emit(void *ctx, const char *line, size_t len)
{
}

static void rule_free(struct rule *ru)
{
	free(ru->name);
	cm_filter_free(ru->flags);
	free(ru->when.src);
	free(ru->tpl.src);
}

void cm_rules_free(struct cm_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		rule_free(&r->v[i]);
	free(r->v);
	if (r->jq)
		jq_teardown(&r->jq);
	free(r->prog);
	cm_json_paths_free(r->intent_path);
	free(r);
}

size_t cm_rules_count(const struct cm_rules *r)
{
	return r->n;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* ---- the jq program ---- */

/*
 * Whether expr[0..n) has its brackets balanced and its strings closed,
 * as jq 1.6's lexer reads them (comments, string escapes and "\(...)"):
 * so that "(" expr ")" in the program holds exactly expr, and no
 * expression can close the parenthesis around it and reach another.
 * Returns NULL, or what is wrong.
 */
static const char *unbalanced(const char *s, size_t n)
{
	char stack[MAX_NEST];
	size_t depth = 0, i;
	char c, top;

	for (i = 0; i < n; i++) {
		c = s[i];
		top = depth ? stack[depth - 1] : 0;
		if (top == '"') {
			if (c == '"') {
				depth--;
			} else if (c == '\\') {
				if (i + 1 >= n)
					return "a string is not closed";
				if (s[++i] == '(') {
					if (depth == MAX_NEST)
						return "nested too deeply";
					stack[depth++] = 'I';
				}
			}
			continue;
		}
		switch (c) {
		case '#':
			while (i + 1 < n && s[i + 1] != '\n' && s[i + 1] != '\r')
				i++;
			break;
		case '"':
		case '(':
		case '[':
		case '{':
			if (depth == MAX_NEST)
				return "nested too deeply";
			stack[depth++] = c;
			break;
		case ')':
			if (top != '(' && top != 'I')
				return "a ')' closes nothing";
			depth--;
			break;
		case ']':
			if (top != '[')
				return "a ']' closes nothing";
			depth--;
			break;
		case '}':
			if (top != '{')
				return "a '}' closes nothing";
			depth--;
			break;
		}
	}
	if (depth == 0)
		return NULL;
	switch (stack[depth - 1]) {
	case '"':
		return "a string is not closed";
	case 'I':
		return "a string's \\( is not closed";
	default:
		return "a bracket is not closed";
	}
}

/* The lines of the program before an expression's first line. */
static size_t lines_before(void)
{
	size_t n = 1;		/* EXPR_OPEN's */
	const char *p;

	for (p = cm_rules_helpers; *p; p++)
		n += *p == '\n';
	return n;
}

/* The k-th expression: the when of rule k/2 for even k, its template for
 * odd k; its src is NULL when the rule has no when. */
static const struct expr *expr_at(const struct cm_rules *r, size_t k)
{
	return k % 2 ? &r->v[k / 2].tpl : &r->v[k / 2].when;
}

/* Appends a tree of ifs on .[0] over lo..hi-1, leaves by leaf(). */
static int add_tree(struct cm_buf *b, const struct cm_rules *r, size_t lo,
    size_t hi, size_t step, int (*leaf)(struct cm_buf *,
    const struct cm_rules *, size_t))
{
	size_t mid;

	if (hi - lo <= step)
		return leaf(b, r, lo);
	/* The middle on a multiple of step, so a leaf is a whole group. */
	mid = lo + ((hi - lo) / step / 2) * step;
	if (mid == lo)
		mid += step;
	if (cm_buf_printf(b, "if .[0] < %zu then ", mid) < 0 ||
	    add_tree(b, r, lo, mid, step, leaf) < 0 ||
	    cm_buf_adds(b, " else ") < 0 ||
	    add_tree(b, r, mid, hi, step, leaf) < 0)
		return -1;
	return cm_buf_adds(b, " end");
}

static int expr_leaf(struct cm_buf *b, const struct cm_rules *r, size_t k)
{
	if (expr_at(r, k)->src == NULL)
		return cm_buf_adds(b, "null");
	return cm_buf_printf(b, "__cm_%zu", k);
}

static int group_leaf(struct cm_buf *b, const struct cm_rules *r, size_t k)
{
	return cm_buf_printf(b, "__cm_g%zu", k / GROUP);
}

/* The program of expressions lo..hi-1 (all of them for the rules, one
 * to check it alone), into b.  The functions of a group's expressions
 * are defined inside the group's: libjq 1.6 binds each definition to
 * the rest of its scope, which over all of them at once takes seconds
 * for a thousand rules. */
static int add_program(struct cm_buf *b, const struct cm_rules *r,
    size_t lo, size_t hi, size_t *starts)
{
	const struct expr *x;
	size_t k, g, end;

	cm_buf_reset(b);
	if (cm_buf_adds(b, cm_rules_helpers) < 0)
		return -1;
	for (g = lo - lo % GROUP; g < hi; g += GROUP) {
		end = g + GROUP < hi ? g + GROUP : hi;
		if (cm_buf_printf(b, "def __cm_g%zu: ", g / GROUP) < 0)
			return -1;
		for (k = g > lo ? g : lo; k < end; k++) {
			x = expr_at(r, k);
			if (x->src && cm_buf_printf(b, EXPR_OPEN, k) < 0)
				return -1;
			if (starts)
				starts[k] = x->src ? b->len : (size_t)-1;
			if (x->src && (cm_buf_adds(b, x->src) < 0 ||
			    cm_buf_adds(b, EXPR_CLOSE) < 0))
				return -1;
		}
		if (add_tree(b, r, g > lo ? g : lo, end, 1, expr_leaf) < 0 ||
		    cm_buf_adds(b, ";\n") < 0)
			return -1;
	}
	return add_tree(b, r, lo, hi, GROUP, group_leaf);
}

/*
 * libjq's first message in msg, made to speak of the rules file: without
 * "jq: error: ", the shell's hint and the location, which becomes the
 * line of the file in *line (the expression's first line when there is
 * none).
 */
static void jq_message(struct cm_buf *msg, const struct expr *x, size_t *line)
{
	static const char loc[] = " at <top-level>, line ";
	static const char hint[] = " (Unix shell quoting issues?)";
	char *s = msg->data ? msg->data : "", *p, *e;
	unsigned long n;

	*line = x->line;
	/* Only the first message. */
	if ((p = strstr(s, "; jq: ")) != NULL)
		*p = '\0';
	if (strncmp(s, "jq: error: ", 11) == 0)
		memmove(s, s + 11, strlen(s + 11) + 1);
	if ((p = strstr(s, loc)) != NULL) {
		n = strtoul(p + sizeof(loc) - 1, &e, 10);
		if (n > lines_before())
			*line = x->line + (n - lines_before() - 1);
		if (*line > x->last)
			*line = x->last;
		*p = '\0';	/* the excerpt after it is the line named */
	}
	if ((p = strstr(s, hint)) != NULL)
		memmove(p, p + sizeof(hint) - 1, strlen(p + sizeof(hint) - 1) + 1);
	msg->len = strlen(s);
}

/* An expression's error: "FILE:LINE: rule NAME: KEY: why", or for
 * --template (no file: ru->line is 0) "--template: why". */
static void expr_error(struct cm_error *err, const char *name,
    const struct rule *ru, const char *key, size_t line, const char *why)
{
	if (ru->line == 0)
		cm_error_set(err, CM_EXIT_USAGE, "%s: %s", name, why);
	else
		cm_error_set(err, CM_EXIT_USAGE, "%s:%zu: rule %s: %s: %s",
		    name, line, ru->name, key, why);
}

/* Whether the program of expressions 0..n-1 compiles: 1, 0 (its
 * messages in *msg), -1 on ENOMEM.  starts as for add_program. */
static int compiles(struct cm_rules *r, size_t n, struct cm_buf *prog,
    struct cm_buf *msg, size_t *starts)
{
	jq_state *jq;

	if (add_program(prog, r, 0, n, starts) < 0)
		return -1;
	cm_buf_reset(msg);
	if ((jq = cm_jq_compile(prog->data, msg)) == NULL)
		return errno == ENOMEM ? -1 : 0;
	jq_teardown(&jq);
	return 1;
}

/*
 * The expression libjq's messages msg about prog point at: the one
 * holding the earliest line they name, or (size_t)-1.  starts[0..n) as
 * add_program set them.
 */
static size_t blamed(const struct cm_buf *prog, const struct cm_buf *msg,
    const size_t *starts, size_t n)
{
	static const char loc[] = " at <top-level>, line ";
	const char *p = msg->data ? msg->data : "";
	unsigned long line = ULONG_MAX, l;
	size_t off, k, best = (size_t)-1;

	while ((p = strstr(p, loc)) != NULL) {
		p += sizeof(loc) - 1;
		if ((l = strtoul(p, NULL, 10)) > 0 && l < line)
			line = l;
	}
	if (line == ULONG_MAX)
		return best;
	for (off = 0; line > 1 && off < prog->len; off++)
		line -= prog->data[off] == '\n';
	for (k = 0; k < n; k++)
		if (starts[k] != (size_t)-1 && starts[k] <= off)
			best = k;
	return best;
}

/*
 * The error of the k-th expression, which makes the program fail: 1
 * with *err set, 0 when it compiles alone after all, -1 on ENOMEM.
 */
static int expr_fails(struct cm_rules *r, const char *name, size_t k,
    struct cm_error *err)
{
	const struct expr *x = expr_at(r, k);
	const struct rule *ru = &r->v[k / 2];
	const char *key = k % 2 ? "template" : "when", *why;
	struct cm_buf prog = CM_BUF_INIT, msg = CM_BUF_INIT;
	jq_state *jq;
	size_t line;
	int rc = 1;

	/* Unbalanced, it cannot compile (jq's lexer refuses it), and
	 * libjq 1.6 is not asked: its lexer leaks on an unclosed string. */
	if ((why = unbalanced(x->src, strlen(x->src))) != NULL) {
		expr_error(err, name, ru, key, x->line, why);
		return 1;
	}
	if (add_program(&prog, r, k, k + 1, NULL) < 0)
		goto nomem;
	if ((jq = cm_jq_compile(prog.data, &msg)) != NULL) {
		jq_teardown(&jq);
		rc = 0;
	} else if (errno == ENOMEM) {
		goto nomem;
	} else {
		jq_message(&msg, x, &line);
		expr_error(err, name, ru, key, line, msg.data ? msg.data :
		    "does not compile");
	}
	cm_buf_free(&prog);
	cm_buf_free(&msg);
	return rc;
nomem:
	cm_buf_free(&prog);
	cm_buf_free(&msg);
	return -1;
}

/*
 * Compiles every expression of r into r->jq.  When the program does not
 * compile, the expression to blame is the one where libjq's message
 * points; for a message without a place, the first expression in file
 * order that fails is found by bisection over prefixes (libjq 1.6 takes
 * some 15 ms to compile anything, binding its builtins, and more for a
 * large program).
 */
static int compile(struct cm_rules *r, const char *name,
    struct cm_error *err)
{
	struct cm_buf prog = CM_BUF_INIT, msg = CM_BUF_INIT;
	size_t n = 2 * r->n, lo, hi, mid, k, *starts;
	int rc;

	if ((starts = calloc(n, sizeof(*starts))) == NULL)
		goto nomem;
	/* An unbalanced one is wrong: the first error is there or before. */
	for (k = 0; k < n; k++)
		if (expr_at(r, k)->src &&
		    unbalanced(expr_at(r, k)->src, strlen(expr_at(r, k)->src)))
			break;
	if (add_program(&prog, r, 0, k, starts) < 0)
		goto nomem;
	if ((r->jq = cm_jq_compile(prog.data, &msg)) != NULL) {
		if (k == n) {
			free(starts);
			cm_buf_free(&msg);
			r->prog = prog.data;
			return 0;
		}
		jq_teardown(&r->jq);
		if ((rc = expr_fails(r, name, k, err)) < 0)
			goto nomem;
		goto fail;
	}
	if (errno == ENOMEM)
		goto nomem;
	if ((hi = blamed(&prog, &msg, starts, k)) != (size_t)-1) {
		if ((rc = expr_fails(r, name, hi, err)) < 0)
			goto nomem;
		if (rc)
			goto fail;
	}
	/* 0..lo-1 compile, 0..hi-1 do not. */
	for (lo = 0, hi = k; hi - lo > 1;) {
		mid = lo + (hi - lo) / 2;
		if ((rc = compiles(r, mid, &prog, &msg, starts)) < 0)
			goto nomem;
		if (rc)
			lo = mid;
		else
			hi = mid;
	}
	if ((rc = expr_fails(r, name, hi - 1, err)) < 0)
		goto nomem;
	if (rc == 0) {
		if (compiles(r, k, &prog, &msg, starts) < 0)
			goto nomem;
		jq_message(&msg, expr_at(r, hi - 1), &mid);
		cm_error_set(err, CM_EXIT_USAGE, "%s: the rules do not compile "
		    "together: %s", name, msg.data ? msg.data : "");
	}
fail:
	free(starts);
	cm_buf_free(&prog);
	cm_buf_free(&msg);
	return -1;
nomem:
	free(starts);
	cm_buf_free(&prog);
	cm_buf_free(&msg);
	cm_error_nomem(err, name);
	return -1;
}

/* ---- the file ---- */

static int __attribute__((format(printf, 2, 3)))
fail(struct parse *ps, const char *fmt, ...)
{
	char msg[sizeof(ps->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cm_error_set(ps->err, CM_EXIT_USAGE, "%s:%zu: %s", ps->name, ps->at,
	    msg);
	return -1;
}

static int nomem(struct parse *ps)
{
	cm_error_nomem(ps->err, ps->name);
	return -1;
}

static struct rule *current(struct parse *ps)
{
	return ps->r->n ? &ps->r->v[ps->r->n - 1] : NULL;
}

static int yes_no(const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		return 0;
	return -1;
}

/* "a, b ,c" as "a,b,c" in ps->msg: the lists of cm-filter take no
 * spaces. */
static int tight_list(struct parse *ps, const char *v)
{
	const char *p = v, *e;

	cm_buf_reset(&ps->msg);
	if (cm_buf_add(&ps->msg, "", 0) < 0)
		return -1;
	for (;;) {
		while (is_space(*p))
			p++;
		e = p + strcspn(p, ",");
		while (e > p && is_space(e[-1]))
			e--;
		if (cm_buf_add(&ps->msg, p, (size_t)(e - p)) < 0)
			return -1;
		p = e + strspn(e, " \t\r");
		if (*p != ',')
			return 0;
		if (cm_buf_addc(&ps->msg, ',') < 0)
			return -1;
		p++;
	}
}

static int set_intents(struct parse *ps, struct rule *ru, const char *list)
{
	const char *p = list, *comma;
	size_t n;
	int i, found;

	do {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		for (found = -1, i = 0; i <= CM_INTENT_SPAM && found < 0; i++)
			if (strlen(cm_intent_name((enum cm_intent)i)) == n &&
			    strncasecmp(cm_intent_name((enum cm_intent)i), p,
			    n) == 0)
				found = i;
		if (found < 0)
			return fail(ps, "rule %s: intent: '%.*s' is not an intent "
			    "(other, question, complaint, praise, request, spam)",
			    ru->name, (int)n, p);
		ru->intents |= 1u << found;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return 0;
}

/* The value of ps->key is complete: applies it to the current rule. */
static int apply(struct parse *ps)
{
	struct rule *ru = current(ps);
	struct cm_buf ferr = CM_BUF_INIT;
	int k = ps->key, yn;
	const char *v;
	struct expr *x;

	ps->key = -1;
	/* Messages name the key's line. */
	ps->at = ps->key_line;
	v = ps->value.data ? ps->value.data : "";
	while (ps->value.len > 0 && is_space(v[ps->value.len - 1]))
		ps->value.data[--ps->value.len] = '\0';
	if (ps->value.len == 0)
		return fail(ps, "rule %s: %s has no value", ru->name,
		    keys[k].name);
	if ((ru->seen & (1u << k)) && !keys[k].repeat)
		return fail(ps, "rule %s: %s is given twice", ru->name,
		    keys[k].name);
	ru->seen |= 1u << k;
	if (k == K_WHEN || k == K_TEMPLATE) {
		x = k == K_WHEN ? &ru->when : &ru->tpl;
		if ((x->src = strdup(v)) == NULL)
			return nomem(ps);
		x->line = ps->value_line;
		x->last = ps->value_last;
		return 0;
	}
	if (memchr(v, '\n', ps->value.len))
		return fail(ps, "rule %s: %s: the value is one line (%s)",
		    ru->name, keys[k].name, keys[k].list ? "give the key again "
		    "to add to the list" : "only when and template go on");
	if (k == K_SPAM || k == K_IGNORE_CASE) {
		if ((yn = yes_no(v)) < 0)
			return fail(ps, "rule %s: %s: '%s' is not yes or no",
			    ru->name, keys[k].name, v);
		if (k == K_SPAM) {
			ru->spam = yn;
			return 0;
		}
		if (yn == 0)
			return 0;
	}
	if (keys[k].list) {
		if (tight_list(ps, v) < 0)
			return nomem(ps);
		v = ps->msg.data;
	}
	if (k == K_INTENT)
		return set_intents(ps, ru, v);
	if (ru->flags == NULL &&
	    (ru->flags = cm_filter_new(ps->now, noop_emit, NULL)) == NULL)
		return nomem(ps);
	if (cm_filter_set(ru->flags, (enum cm_filter_opt)keys[k].opt, v,
	    &ferr) < 0) {
		if (errno == ENOMEM) {
			cm_buf_free(&ferr);
			return nomem(ps);
		}
		fail(ps, "rule %s: %s: %s", ru->name, keys[k].name,
		    ferr.data ? ferr.data : "not accepted");
		cm_buf_free(&ferr);
		return -1;
	}
	cm_buf_free(&ferr);
	return 0;
}

/* The rule before a new one (or the end) is complete. */
static int rule_done(struct parse *ps)
{
	struct rule *ru = current(ps);

	if (ru == NULL)
		return 0;
	if (ru->tpl.src == NULL) {
		ps->at = ru->line;
		return fail(ps, "rule %s has no template", ru->name);
	}
	if (ru->flags && cm_filter_prepare(ru->flags) < 0)
		return nomem(ps);
	return 0;
}

static int is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* "[rule NAME]", trimmed, in s[0..n). */
static int section(struct parse *ps, const char *s, size_t n)
{
	struct cm_rules *r = ps->r;
	struct rule *ru;
	const char *name;
	size_t len, i;

	if (n < 2 || s[n - 1] != ']')
		return fail(ps, "a section is [rule NAME]");
	s++;
	n -= 2;
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n < 5 || strncmp(s, "rule", 4) != 0 || !is_space(s[4]))
		return fail(ps, "'[%.*s]' is not a section: a rule starts with "
		    "[rule NAME]", (int)(n > 64 ? 64 : n), s);
	name = s + 5;
	len = n - 5;
	while (len > 0 && is_space(*name)) {
		name++;
		len--;
	}
	for (i = 0; i < len; i++)
		if (!is_name_char((unsigned char)name[i]))
			return fail(ps, "a rule's name is letters, digits, '-', "
			    "'_' and '.'");
	if (len > MAX_NAME)
		return fail(ps, "a rule's name is at most %d bytes", MAX_NAME);
	for (i = 0; i < r->n; i++)
		if (strlen(r->v[i].name) == len &&
		    memcmp(r->v[i].name, name, len) == 0)
			return fail(ps, "rule %.*s is already at line %zu",
			    (int)len, name, r->v[i].line);
	if (rule_done(ps) < 0)
		return -1;
	if (r->n == CM_RULES_MAX_RULES)
		return fail(ps, "more than %d rules", CM_RULES_MAX_RULES);
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;

		if ((ru = realloc(r->v, cap * sizeof(*ru))) == NULL)
			return nomem(ps);
		r->v = ru;
		r->cap = cap;
	}
	ru = &r->v[r->n];
	memset(ru, 0, sizeof(*ru));
	if ((ru->name = strndup(name, len)) == NULL)
		return nomem(ps);
	ru->line = ps->lineno;
	r->n++;
	return 0;
}

/* "key = value" in s[0..n), trimmed. */
static int key_line(struct parse *ps, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n), *v;
	char key[32];
	size_t klen, i;
	int k;

	if (eq == NULL)
		return fail(ps, "expected 'key = value', '[rule NAME]' or a "
		    "comment");
	for (klen = (size_t)(eq - s); klen > 0 && is_space(s[klen - 1]);)
		klen--;
	if (klen == 0)
		return fail(ps, "a key is missing before '='");
	for (i = 0; i < klen && i < sizeof(key) - 1; i++)
		key[i] = s[i] == '-' ? '_' : s[i];
	key[i] = '\0';
	for (k = 0; k < K_COUNT; k++)
		if (klen == strlen(keys[k].name) && strcmp(key, keys[k].name) == 0)
			break;
	if (k == K_COUNT)
		return fail(ps, "'%.*s' is not a key (platform, kind, reason, "
		    "lang, author, label, since, until, min_followers, "
		    "min_priority, match, ignore_case, intent, when, template, "
		    "spam)", (int)(klen > 64 ? 64 : klen), s);
	if (current(ps) == NULL)
		return fail(ps, "%s is outside a rule: start one with "
		    "[rule NAME]", keys[k].name);
	for (v = eq + 1; v < s + n && is_space(*v); v++)
		;
	ps->key = k;
	ps->key_line = ps->lineno;
	cm_buf_reset(&ps->value);
	if (cm_buf_add(&ps->value, v, (size_t)(s + n - v)) < 0)
		return errno == EMSGSIZE ? fail(ps, "the value is longer than "
		    "%d bytes", CM_RULES_MAX_VALUE) : nomem(ps);
	ps->value_line = ps->value_last = ps->lineno;
	return 0;
}

/* A line that starts with white space: more of the open value. */
static int continued(struct parse *ps, const char *s, size_t n)
{
	if (ps->value.len == 0) {
		ps->value_line = ps->lineno;
	} else if (cm_buf_addc(&ps->value, '\n') < 0) {
		goto bad;
	}
	if (cm_buf_add(&ps->value, s, n) < 0)
		goto bad;
	ps->value_last = ps->lineno;
	return 0;
bad:
	return errno == EMSGSIZE ? fail(ps, "the value is longer than %d "
	    "bytes", CM_RULES_MAX_VALUE) : nomem(ps);
}

/* Checks line s[0..n): UTF-8, and no control character but tab (and a
 * CR before the newline, trimmed as white space). */
static int line_ok(struct parse *ps, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			if ((p[i] < 0x20 && p[i] != '\t' &&
			    !(p[i] == '\r' && i + 1 == n)) || p[i] == 0x7f)
				return fail(ps, "a control character (0x%02x)",
				    p[i]);
			i++;
			continue;
		}
		if ((k = cm_utf8_valid_prefix(p + i, n - i)) == 0)
			return fail(ps, "invalid UTF-8");
		i += k;
	}
	return 0;
}

static int parse_line(struct parse *ps, const char *s, size_t n)
{
	size_t lead = 0;

	if (line_ok(ps, s, n) < 0)
		return -1;
	while (lead < n && is_space(s[lead]))
		lead++;
	while (n > lead && is_space(s[n - 1]))
		n--;
	if (lead == n) {
		/* A blank line ends a value. */
		if (ps->key >= 0 && apply(ps) < 0)
			return -1;
		return 0;
	}
	if (lead > 0 && ps->key >= 0)
		return continued(ps, s + lead, n - lead);
	if (ps->key >= 0 && apply(ps) < 0)
		return -1;
	ps->at = ps->lineno;
	if (s[lead] == '#')
		return 0;
	if (lead > 0)
		return fail(ps, "an indented line continues a value, and there "
		    "is none above it");
	if (s[0] == '[')
		return section(ps, s, n);
	return key_line(ps, s, n);
}

struct cm_rules *cm_rules_parse(const char *name, const char *data,
    size_t len, int64_t now, struct cm_error *err)
{
	static const char *const intent_path[] = { "score.intent" };
	struct parse ps = { 0 };
	const char *p = data, *end = data + len, *nl;
	struct cm_rules *r;

	if (len > MAX_FILE) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: larger than 4 MiB", name);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		cm_error_nomem(err, name);
		return NULL;
	}
	ps.name = name;
	ps.now = now;
	ps.r = r;
	ps.err = err;
	ps.key = -1;
	ps.value.limit = CM_RULES_MAX_VALUE;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		ps.at = ++ps.lineno;
		if (memchr(p, '\0', (size_t)((nl ? nl : end) - p))) {
			fail(&ps, "a NUL byte");
			goto fail;
		}
		if (parse_line(&ps, p, (size_t)((nl ? nl : end) - p)) < 0)
			goto fail;
		p = nl ? nl + 1 : end;
	}
	if ((ps.key >= 0 && apply(&ps) < 0) || rule_done(&ps) < 0)
		goto fail;
	if (r->n == 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: no rules in it (a rule "
		    "starts with [rule NAME])", name);
		goto fail;
	}
	if ((r->intent_path = cm_json_paths_new(intent_path, 1)) == NULL) {
		cm_error_nomem(err, name);
		goto fail;
	}
	if (compile(r, name, err) < 0)
		goto fail;
	cm_buf_free(&ps.value);
	cm_buf_free(&ps.msg);
	return r;
fail:
	cm_buf_free(&ps.value);
	cm_buf_free(&ps.msg);
	cm_rules_free(r);
	return NULL;
}

struct cm_rules *cm_rules_load(const char *path, int64_t now,
    struct cm_error *err)
{
	struct cm_rules *r;
	struct stat st;
	char *buf;
	size_t n = 0;
	ssize_t got;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: %s", path,
		    S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno));
		close(fd);
		return NULL;
	}
	/* One byte more than allowed: to tell a file that is too large. */
	if ((buf = malloc(MAX_FILE + 1)) == NULL) {
		close(fd);
		cm_error_nomem(err, path);
		return NULL;
	}
	while (n <= MAX_FILE) {
		if ((got = read(fd, buf + n, MAX_FILE + 1 - n)) < 0) {
			if (errno == EINTR)
				continue;
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s", path,
			    strerror(errno));
			close(fd);
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	r = cm_rules_parse(path, buf, n, now, err);
	free(buf);
	return r;
}

struct cm_rules *cm_rules_template(const char *expr, struct cm_error *err)
{
	static const char *const intent_path[] = { "score.intent" };
	const char *name = "--template", *p;
	struct cm_rules *r;
	struct rule *ru;
	size_t k;

	if (strlen(expr) > CM_RULES_MAX_VALUE) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: longer than %d bytes",
		    name, CM_RULES_MAX_VALUE);
		return NULL;
	}
	/* What a file may hold, as for a file. */
	for (p = expr; *p; p += k) {
		k = 1;
		if ((unsigned char)*p >= 0x80 &&
		    (k = cm_utf8_valid_prefix((const unsigned char *)p,
		    strlen(p))) == 0) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: invalid UTF-8",
			    name);
			return NULL;
		}
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n') ||
		    *p == 0x7f) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: a control "
			    "character (0x%02x)", name, (unsigned char)*p);
			return NULL;
		}
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->v = ru = calloc(1, sizeof(*ru))) == NULL)
		goto nomem;
	r->n = r->cap = 1;
	if ((ru->name = strdup("template")) == NULL ||
	    (ru->tpl.src = strdup(expr)) == NULL ||
	    (r->intent_path = cm_json_paths_new(intent_path, 1)) == NULL)
		goto nomem;
	/* Not from a file: ru->line 0 says so to the messages. */
	ru->tpl.line = ru->tpl.last = 1;
	for (p = expr; *p; p++)
		ru->tpl.last += *p == '\n';
	if (compile(r, name, err) < 0) {
		cm_rules_free(r);
		return NULL;
	}
	return r;
nomem:
	cm_rules_free(r);
	cm_error_nomem(err, name);
	return NULL;
}

/* ---- drafting ---- */

#define MAX_WHY 1000		/* bytes of a reason from libjq */

/* Appends prefix and libjq's value v (consumed) to why: a string as it
 * is, anything else as JSON, cut at MAX_WHY on a character's start. */
static void add_message(struct cm_buf *why, const char *prefix, jv v)
{
	const char *s;
	size_t n;
	jv d;

	if (jv_get_kind(v) != JV_KIND_STRING) {
		d = jv_dump_string(v, 0);
		v = d;
	}
	s = jv_string_value(v);
	n = (size_t)jv_string_length_bytes(jv_copy(v));
	while (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > MAX_WHY) {
		n = MAX_WHY;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	(void)cm_buf_adds(why, prefix);
	(void)cm_buf_add(why, s, n);
	if (n < (size_t)jv_string_length_bytes(jv_copy(v)) && s[n] != '\n')
		(void)cm_buf_adds(why, "\xe2\x80\xa6");
	jv_free(v);
}

/* A fresh state for r->jq: after halt (libjq 1.6 keeps a state halted)
 * or after running out of memory.  Returns 0, or -1 on ENOMEM. */
static int recompile(struct cm_rules *r)
{
	if (r->jq)
		jq_teardown(&r->jq);
	r->jq = cm_jq_compile(r->prog, NULL);
	return r->jq ? 0 : -1;
}

/*
 * Runs the k-th expression (see expr_at) on rec (consumed): 1 with
 * its first output in *out, 0 when it has none (or halts), -1 with the
 * reason in *why after what (a jq error, halt_error), -2 on ENOMEM, -3
 * when libjq ran out of memory evaluating it.
 */
static int run(struct cm_rules *r, size_t k, jv rec, jv *out,
    struct cm_buf *why, const char *what)
{
	jv in, msg;

	if (r->jq == NULL) {
		jv_free(rec);
		return -2;
	}
	in = jv_array_append(jv_array_append(jv_array(),
	    jv_number((double)k)), rec);
	if (cm_jq_first(r->jq, in, out) == -3)
		return recompile(r) < 0 ? -2 : -3;
	if (jv_is_valid(*out))
		return 1;
	if (jv_invalid_has_msg(jv_copy(*out))) {
		(void)cm_buf_adds(why, what);
		add_message(why, "jq error: ", jv_invalid_get_msg(*out));
		return -1;
	}
	jv_free(*out);
	if (!jq_halted(r->jq))
		return 0;
	msg = jq_get_error_message(r->jq);
	if (recompile(r) < 0) {
		jv_free(msg);
		return -2;
	}
	if (!jv_is_valid(msg)) {
		jv_free(msg);
		return 0;
	}
	(void)cm_buf_adds(why, what);
	add_message(why, "halt_error: ", msg);
	return -1;
}

static int intent_in(unsigned mask, const struct cm_json_value *v)
{
	int i;

	for (i = 0; i <= CM_INTENT_SPAM; i++)
		if ((mask & (1u << i)) &&
		    cm_json_string_eq(v, cm_intent_name((enum cm_intent)i)))
			return 1;
	return 0;
}

/* Whether rule ru's flags and intents hold for the record. */
static int flags_hold(const struct rule *ru, const char *line, size_t len,
    const struct cm_json_value *intent)
{
	struct cm_json_value v[CM_FILTER_MAX_VALUES];
	struct cm_json_error jerr;

	if (ru->intents && !intent_in(ru->intents, intent))
		return 0;
	if (ru->flags == NULL)
		return 1;
	return cm_json_scan(line, len, 0, cm_filter_paths(ru->flags), v,
	    &jerr) == 0 && cm_filter_test(ru->flags, v);
}

static const char *kind_name(jv_kind k)
{
	switch (k) {
	case JV_KIND_NULL:
		return "null";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return "a boolean";
	case JV_KIND_NUMBER:
		return "a number";
	case JV_KIND_ARRAY:
		return "an array";
	case JV_KIND_OBJECT:
		return "an object";
	default:
		return "no string";
	}
}

/* The template's first output out (consumed) as the text: 1, or -1 with
 * *why, -2 on ENOMEM. */
static int take_text(jv out, struct cm_buf *text, struct cm_buf *why)
{
	size_t n;
	int r = 1;

	if (jv_get_kind(out) != JV_KIND_STRING) {
		(void)cm_buf_printf(why, "template: gave %s, not a string",
		    kind_name(jv_get_kind(out)));
		jv_free(out);
		return -1;
	}
	n = (size_t)jv_string_length_bytes(jv_copy(out));
	if (n > MAX_TEXT) {
		(void)cm_buf_printf(why, "template: gave %zu bytes, more than "
		    "any platform takes", n);
		r = -1;
	} else if (cm_buf_add(text, jv_string_value(out), n) < 0) {
		if (errno == ENOMEM)
			r = -2;
		else {
			(void)cm_buf_printf(why, "template: gave %zu bytes, "
			    "more than the text may hold", n);
			r = -1;
		}
		cm_buf_reset(text);
	}
	jv_free(out);
	return r;
}

int cm_rules_draft(struct cm_rules *r, const char *line, size_t len,
    int include_spam, const char **rule, struct cm_buf *text,
    struct cm_buf *why)
{
	struct cm_json_value intent;
	struct cm_json_error jerr;
	struct rule *ru;
	jv rec = jv_invalid(), out;
	int spam, rc = 0, have = 0;
	size_t i;

	*rule = NULL;
	cm_buf_reset(text);
	cm_buf_reset(why);
	if (len > INT_MAX ||
	    cm_json_scan(line, len, 0, r->intent_path, &intent, &jerr) < 0) {
		(void)cm_buf_printf(why, "not a JSON record: %s", len > INT_MAX ?
		    "too long" : jerr.msg);
		return -1;
	}
	spam = cm_json_string_eq(&intent, "spam");
	for (i = 0; i < r->n; i++) {
		ru = &r->v[i];
		if ((spam && !ru->spam && !include_spam) ||
		    !flags_hold(ru, line, len, &intent))
			continue;
		if (!have) {
			/* The line is strict JSON (scanned): libjq reads it
			 * the same. */
			rec = jv_parse_sized(line, (int)len);
			have = 1;
			/* Deeper than libjq nests (256): never run a rule
			 * on the invalid value it gives instead. */
			if (!jv_is_valid(rec)) {
				*rule = ru->name;
				(void)cm_buf_adds(why, "the record is nested "
				    "too deep for jq");
				rc = -1;
				goto out;
			}
		}
		*rule = ru->name;
		if (ru->when.src) {
			if (ru->when.exhausted)
				goto exhausted_when;
			rc = run(r, 2 * i, jv_copy(rec), &out, why, "when: ");
			if (rc == -3) {
				ru->when.exhausted = 1;
				goto exhausted_when;
			}
			if (rc < 0)
				goto out;
			if (rc == 0 || jv_get_kind(out) == JV_KIND_NULL ||
			    jv_get_kind(out) == JV_KIND_FALSE) {
				if (rc)
					jv_free(out);
				*rule = NULL;
				rc = 0;
				continue;
			}
			jv_free(out);
		}
		if (ru->tpl.exhausted)
			goto exhausted_tpl;
		rc = run(r, 2 * i + 1, jv_copy(rec), &out, why, "template: ");
		if (rc == -3) {
			ru->tpl.exhausted = 1;
			goto exhausted_tpl;
		}
		if (rc == 0) {
			(void)cm_buf_adds(why, "template: gave no output");
			rc = -1;
		}
		if (rc == 1)
			rc = take_text(out, text, why);
		goto out;
	}
	*rule = NULL;
	rc = 0;
	goto out;
exhausted_when:
	(void)cm_buf_adds(why, "when: jq ran out of memory");
	rc = -1;
	goto out;
exhausted_tpl:
	(void)cm_buf_adds(why, "template: jq ran out of memory");
	rc = -1;
out:
	jv_free(rec);
	return rc;
}
