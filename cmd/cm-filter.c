/*
 * cm-filter - selects cm records: passes each record's original line when
 * it passes every flag given and the jq expression EXPR.  The flags are
 * tested on fields the scanner extracts, without libjq; EXPR runs only on
 * the records the flags pass.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "cli/cli.h"
#include "filter/filter.h"
#include "filter/jqexpr.h"
#include "core/json.h"

enum {
	OPT_HOLD_LIMIT = 256,
	OPT_STRICT,
	OPT_UNANSWERED,
	OPT_UNIQUE
};

static void usage(FILE *fp)
{
	fputs("usage: cm-filter [options] [EXPR] [FILE...]\n"
	    "\n"
	    "Writes the records (cm-record(5)) of the FILEs or stdin that pass\n"
	    "every test given, byte for byte.  EXPR is a jq expression: a record\n"
	    "passes when it yields anything but false or null.  The first operand\n"
	    "is EXPR unless it is no jq expression but a file; . is every record.\n"
	    "\n"
	    "Tests (a list is comma-separated; given again, the lists join):\n"
	    "  -p, --platform=NAME,...  platform is one of these\n"
	    "  -k, --kind=KIND,...      post, reply, comment or message\n"
	    "  -R, --reason=REASON,...  mention, reply, quote, search, tag,\n"
	    "                           channel or own\n"
	    "  -S, --since=WHEN         created at or after WHEN (RFC 3339, a\n"
	    "                           date, or a duration ago: 24h, 7d)\n"
	    "  -U, --until=WHEN         created before WHEN\n"
	    "  -l, --lang=TAG,...       lang is in one of these ranges (en: en,\n"
	    "                           en-GB)\n"
	    "  -F, --min-followers=N    author.followers is at least N\n"
	    "  -m, --match=REGEX        text matches REGEX (POSIX extended);\n"
	    "                           given again, all must match\n"
	    "  -i, --ignore-case        --match ignores case\n"
	    "  -a, --author=HANDLE,...  author.handle (any case, @ optional) or\n"
	    "                           author.id is one of these\n"
	    "  -P, --min-priority=X     score.priority is at least X (0 to 1)\n"
	    "  -L, --label=LABEL,...    score.label: positive, neutral, negative\n"
	    "      --unique             only the first record of each id\n"
	    "      --unanswered         inbound records that no later brand\n"
	    "                           reply answers (read-ahead: records are\n"
	    "                           held until the end or --window)\n"
	    "  -w, --window=DURATION    --unanswered: a reply counts only within\n"
	    "                           DURATION of the record (24h, 7d)\n"
	    "      --hold-limit=SIZE    --unanswered: hold at most SIZE bytes\n"
	    "                           (default 256M)\n"
	    "  -v, --invert             pass the records that fail instead\n"
	    "\n"
	    "Input and output:\n"
	    "  -r, --rejects=FILE       copy bad input lines to FILE\n"
	    "      --strict             stop at the first bad line\n"
	    "  -u, --unbuffered         flush each record\n"
	    "  -h, --help               show this help and exit\n"
	    "  -V, --version            show the version and exit\n", fp);
}

/*
 * Freed at exit on every path, also when cm_input_reject or cm_die end
 * the program in the middle of a stream: libjq's state is then halfway
 * through a record, and ASan and valgrind must stay quiet.
 */
static struct cm_filter *filter;
static struct cm_jqexpr *expr;

static void cleanup(void)
{
	cm_jqexpr_free(expr);
	expr = NULL;
	cm_filter_free(filter);
	filter = NULL;
}

static void emit(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	cm_out_line(line, len);
}

/*
 * The first operand: EXPR, compiled, when it compiles as jq or names no
 * file; otherwise it is the first FILE, and *is_file is set.  A compile
 * error exits 2 with libjq's messages.
 */
static struct cm_jqexpr *compile_expr(const char *s, int *is_file)
{
	struct cm_buf err = CM_BUF_INIT;
	struct cm_jqexpr *x;
	size_t n = strlen(s);

	*is_file = 0;
	x = cm_jqexpr_new(s, &err);
	if (x == NULL && errno == ENOMEM)
		cm_die_nomem();
	if ((x == NULL || cm_jqexpr_sugared(x)) && access(s, F_OK) == 0) {
		*is_file = 1;
		cm_jqexpr_free(x);
		x = NULL;
	} else if (x == NULL) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", err.len ? err.data :
		    "jq: the expression does not compile");
		cm_buf_free(&err);
		if (strchr(s, '/') || (n > 5 && (strcmp(s + n - 5,
		    ".json") == 0 || strcmp(s + n - 6, ".jsonl") == 0 ||
		    (n > 7 && strcmp(s + n - 7, ".ndjson") == 0))))
			cm_usage_error("%s: no such file, and not a jq "
			    "expression", s);
		cm_usage_error("%s", msg);
	}
	cm_buf_free(&err);
	return x;
}

/*
 * libjq ran out of memory on the current record: a runaway expression,
 * which no retry cures, so a usage error.  Between records stdout holds
 * whole lines only, so the output ends with the last record written;
 * records --unanswered holds are not written.
 */
static void __attribute__((noreturn)) expr_exhausted(struct cm_input *in,
    const char *msg)
{
	const char *name = cm_input_name(in);

	cm_warn("%s:%zu: %s", name ? name : "-", cm_input_lineno(in), msg);
	(void)cm_input_close(in);
	cm_out_close();
	exit(CM_EXIT_USAGE);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "author", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "hold-limit", required_argument, NULL, OPT_HOLD_LIMIT },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "invert", no_argument, NULL, 'v' },
		{ "kind", required_argument, NULL, 'k' },
		{ "label", required_argument, NULL, 'L' },
		{ "lang", required_argument, NULL, 'l' },
		{ "match", required_argument, NULL, 'm' },
		{ "min-followers", required_argument, NULL, 'F' },
		{ "min-priority", required_argument, NULL, 'P' },
		{ "platform", required_argument, NULL, 'p' },
		{ "reason", required_argument, NULL, 'R' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 'S' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "unanswered", no_argument, NULL, OPT_UNANSWERED },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ "unique", no_argument, NULL, OPT_UNIQUE },
		{ "until", required_argument, NULL, 'U' },
		{ "version", no_argument, NULL, 'V' },
		{ "window", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	/* Each test option, the filter's name for it, and its own name. */
	static const struct {
		int c;
		enum cm_filter_opt opt;
		const char *name;
	} tests[] = {
		{ 'a', CM_FILTER_AUTHOR, "--author" },
		{ 'F', CM_FILTER_MIN_FOLLOWERS, "--min-followers" },
		{ 'i', CM_FILTER_IGNORE_CASE, "--ignore-case" },
		{ 'k', CM_FILTER_KIND, "--kind" },
		{ 'L', CM_FILTER_LABEL, "--label" },
		{ 'l', CM_FILTER_LANG, "--lang" },
		{ 'm', CM_FILTER_MATCH, "--match" },
		{ 'P', CM_FILTER_MIN_PRIORITY, "--min-priority" },
		{ 'p', CM_FILTER_PLATFORM, "--platform" },
		{ 'R', CM_FILTER_REASON, "--reason" },
		{ 'S', CM_FILTER_SINCE, "--since" },
		{ 'U', CM_FILTER_UNTIL, "--until" },
		{ 'v', CM_FILTER_INVERT, "--invert" },
		{ 'w', CM_FILTER_WINDOW, "--window" },
		{ OPT_HOLD_LIMIT, CM_FILTER_HOLD_LIMIT, "--hold-limit" },
		{ OPT_UNANSWERED, CM_FILTER_UNANSWERED, "--unanswered" },
		{ OPT_UNIQUE, CM_FILTER_UNIQUE, "--unique" }
	};
	struct cm_json_value vals[CM_FILTER_MAX_VALUES];
	struct cm_input_opts iopts = { 0 };
	struct cm_buf err = CM_BUF_INIT;
	struct cm_filter_stats st;
	struct cm_input *in;
	const struct cm_json_paths *paths;
	enum cm_filter_verdict verdict;
	const char *line, *hold_limit = NULL;
	size_t len, i;
	uint64_t early = 0;
	int c, r, status, unanswered = 0, window = 0, is_file;

	cm_cli_init(argv);
	atexit(cleanup);
	if ((filter = cm_filter_new((int64_t)time(NULL), emit, NULL)) == NULL)
		cm_die_nomem();
	while ((c = getopt_long(argc, argv, "a:F:hik:L:l:m:P:p:R:r:S:U:uVvw:",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cm_cli_help(usage);
		case 'r':
			iopts.rejects = optarg;
			continue;
		case OPT_STRICT:
			iopts.strict = 1;
			continue;
		case 'u':
			cm_out_set_unbuffered(1);
			continue;
		case 'V':
			cm_cli_version();
		case OPT_UNANSWERED:
			unanswered = 1;
			break;
		case 'w':
			window = 1;
			break;
		case OPT_HOLD_LIMIT:
			hold_limit = optarg;
			break;
		default:
			break;
		}
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			if (tests[i].c == c)
				break;
		if (i == sizeof(tests) / sizeof(tests[0])) {
			cm_cli_try();
		}
		if (cm_filter_set(filter, tests[i].opt, optarg, &err) < 0) {
			if (errno == ENOMEM)
				cm_die_nomem();
			cm_usage_error("%s: %s", tests[i].name, err.data);
		}
	}
	/* Nothing of it is used yet, but a broken config is an error in
	 * every program, before anything is read. */
	cm_config_free(cm_cli_config(NULL));
	if (!unanswered && (window || hold_limit))
		cm_usage_error("%s applies only with --unanswered",
		    window ? "--window" : "--hold-limit");
	/* A lone "-" is standard input, never an expression. */
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		if (cm_jqexpr_trivial(argv[optind]))
			optind++;
		else if ((expr = compile_expr(argv[optind], &is_file)) != NULL ||
		    !is_file)
			optind++;
	}
	if (cm_filter_prepare(filter) < 0)
		cm_die_nomem();
	paths = cm_filter_paths(filter);

	in = cm_input_open(argv + optind, argc - optind, &iopts);
	while (cm_input_next_record(in, paths, paths ? vals : NULL, &line,
	    &len)) {
		verdict = cm_filter_test(filter, vals) ? CM_FILTER_PASS :
		    CM_FILTER_FAIL;
		if (verdict == CM_FILTER_PASS && expr) {
			r = cm_jqexpr_test(expr, line, len, &err);
			if (r == -3)
				expr_exhausted(in, err.data);
			if (r == -2)
				cm_die_nomem();
			if (r < 0) {
				verdict = CM_FILTER_ERROR;
				cm_input_reject(in, "%s", err.data);
			} else if (r == 0) {
				verdict = CM_FILTER_FAIL;
			}
		}
		if (cm_filter_feed(filter, line, len, vals, verdict) < 0)
			cm_die_nomem();
		if (unanswered) {
			cm_filter_stats(filter, &st);
			if (st.released_early && !early)
				cm_warn("--unanswered: more than %s held; the "
				    "oldest records are let go as unanswered "
				    "before their replies can come (see "
				    "--hold-limit, --window)",
				    hold_limit ? hold_limit : "256M");
			early = st.released_early;
		}
	}
	if (cm_filter_finish(filter) < 0)
		cm_die_nomem();
	if (early)
		cm_warn("--unanswered: %llu records were let go before the end "
		    "of input", (unsigned long long)early);
	status = cm_input_close(in);
	cleanup();
	cm_buf_free(&err);
	cm_out_close();
	return status;
}
