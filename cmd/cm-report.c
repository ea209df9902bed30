/*
 * cm-report - aggregates cm records in one streaming pass: volume,
 * sentiment, intents, top authors, tags and terms, and response KPIs, as
 * text, CSV, JSON, Markdown or HTML; or as mergeable partial state
 * (--partial) that --merge turns into the same report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jq.h>

#include "core/buf.h"
#include "report/bizhours.h"
#include "cli/cli.h"
#include "filter/jqexpr.h"
#include "report/report.h"
#include "store/config.h"
#include "core/timeutil.h"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: cm-report [options] [FILE...]\n"
	    "\n"
	    "Aggregates cm records (cm-record(5)) from the FILEs or stdin into a\n"
	    "report: volume, sentiment, intents, top authors, tags and terms,\n"
	    "response rate, first-response times and the unanswered backlog.\n"
	    "\n"
	    "Options:\n"
	    "  -b, --by=FIELD,...    group every section by these fields\n"
	    "                        (dotted paths: platform, source.account)\n"
	    "  -B, --business-hours=HH:MM-HH:MM\n"
	    "                        business hours (default 09:00-17:00)\n"
	    "  -C, --capacity=N      distinct authors, tags and terms counted\n"
	    "                        exactly per group (default %d)\n"
	    "  -c, --check=EXPR      jq expression over the JSON report: exit 1\n"
	    "                        when it is false or null\n"
	    "      --compare=previous|DURATION\n"
	    "                        beside each summary figure, the same for\n"
	    "                        the period before --since (previous) or\n"
	    "                        the period DURATION earlier (7d, 4w)\n"
	    "      --csv-formulas    in CSV, leave text cells that start with\n"
	    "                        = + - @ as they are (default: a ' before)\n"
	    "  -f, --format=FORMAT   text, csv, json, markdown or html (default:\n"
	    "                        text on a terminal, json otherwise)\n"
	    "      --include-spam    count spam (score.intent \"spam\") in the\n"
	    "                        response rate and the backlog\n"
	    "  -i, --interval=UNIT   timeline buckets: hour, day or week\n"
	    "  -m, --merge           read partial states (from --partial) and\n"
	    "                        write the report they make together\n"
	    "  -n, --top=N           entries per top list (default 10, at most %d)\n"
	    "  -N, --now=TIME        measure backlog ages at TIME (default: now)\n"
	    "  -p, --partial         write mergeable partial state (NDJSON)\n"
	    "  -r, --rejects=FILE    copy bad input lines to FILE\n"
	    "  -s, --section=NAME    only this section (see cm-report(1))\n"
	    "  -S, --since=WHEN      only records created at or after WHEN\n"
	    "                        (RFC 3339, or a duration ago: 24h, 7d)\n"
	    "      --strict          stop at the first bad line\n"
	    "  -U, --until=WHEN      only records created before WHEN\n"
	    "  -w, --workdays=DAYS   business days (default Mon-Fri)\n"
	    "  -z, --tz=ZONE         time zone of buckets and business hours\n"
	    "                        (default $TZ, else UTC; e.g. Europe/Berlin)\n"
	    "  -h, --help            show this help and exit\n"
	    "  -V, --version         show the version and exit\n",
	    CM_REPORT_DEFAULT_CAPACITY, CM_REPORT_MAX_TOP);
}

static enum cm_report_format parse_format(const char *s)
{
	static const char *const names[] = { "text", "csv", "json",
	    "markdown", "html" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum cm_report_format)i;
	cm_usage_error("--format: '%s' is not a format (text, csv, json, "
	    "markdown, html)", s);
}

static const char *parse_section(const char *s)
{
	char all[512];
	size_t i, n = 0;

	for (i = 0; cm_report_sections[i]; i++)
		if (strcmp(s, cm_report_sections[i]) == 0)
			return cm_report_sections[i];
	all[0] = '\0';
	for (i = 0; cm_report_sections[i] && n < sizeof(all); i++)
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%s",
		    i ? ", " : "", cm_report_sections[i]);
	cm_usage_error("--section: '%s' is not a section (%s)", s, all);
}

/* Splits FIELD,... into o->by (pointing into s, which it edits). */
static void parse_by(char *s, struct cm_report_opts *o)
{
	char *f;

	o->nby = 0;
	for (f = strtok(s, ","); f; f = strtok(NULL, ",")) {
		if (o->nby == CM_REPORT_MAX_BY)
			cm_usage_error("--by: at most %d fields", CM_REPORT_MAX_BY);
		o->by[o->nby++] = f;
	}
	if (o->nby == 0)
		cm_usage_error("--by: no field given (e.g. platform or "
		    "platform,source.account)");
}

static int out_writer(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	cm_out_write(p, n);	/* exits on a write error */
	return 0;
}

/* Runs the check over the report's JSON: 0 when truthy, 1 when false,
 * null or empty, 2 when jq fails; -1 when libjq ran out of memory (exit
 * 2). */
static int check_run(jq_state *jq, const char *expr, struct cm_buf *json,
    struct cm_buf *msg)
{
	jv in, out;
	int rc;

	in = jv_parse_sized(json->data, (int)json->len);
	if (!jv_is_valid(in)) {
		jv_free(in);
		cm_warn("--check: the report is not valid JSON");
		return CM_EXIT_USAGE;
	}
	if (cm_jq_first(jq, in, &out) < 0) {
		cm_warn("--check: the jq expression ran out of memory");
		return -1;
	}
	if (jv_is_valid(out)) {
		rc = jv_get_kind(out) == JV_KIND_FALSE ||
		    jv_get_kind(out) == JV_KIND_NULL;
		if (rc)
			cm_warn("check failed: %s", expr);
		jv_free(out);
		return rc ? CM_EXIT_FAIL : CM_EXIT_OK;
	}
	if (jv_invalid_has_msg(jv_copy(out))) {
		jv m = jv_invalid_get_msg(out);

		if (jv_get_kind(m) == JV_KIND_STRING)
			cm_warn("--check: %s", jv_string_value(m));
		else
			cm_warn("--check: jq error");
		jv_free(m);
		return CM_EXIT_USAGE;
	}
	jv_free(out);
	(void)msg;
	cm_warn("check failed (no output): %s", expr);
	return CM_EXIT_FAIL;
}

/*
 * --since and --until dates are days of the report's zone: their local
 * midnights.  An unknown zone is left for cm_report_new to report.
 */
static void dates_in_zone(const char *tz, int64_t since_day, int64_t *since,
    int64_t until_day, int64_t *until)
{
	struct cm_zone *z;

	if ((z = cm_zone_open(tz)) == NULL) {
		if (errno == ENOMEM)
			cm_die_nomem();
		return;
	}
	if (since_day != INT64_MIN)
		*since = cm_zone_from_local(z, since_day * 86400);
	if (until_day != INT64_MIN)
		*until = cm_zone_from_local(z, until_day * 86400);
	cm_zone_free(z);
}

/* The keys of [report], as cm-config(5) documents them. */
static const char *const report_keys[] = { "ignore_terms" };

struct brand_names {
	const struct cm_config *cfg;
	struct cm_report *r;
	int failed;
};

/* An account's handle, and a CSV account's brand handles, are the
 * brand's names. */
static void account_names(const char *name, void *arg)
{
	struct brand_names *b = arg;
	const char *h, *platform;

	if (name == NULL)
		return;
	/* Past CM_REPORT_MAX_IGNORE names (E2BIG) the rest count as terms,
	 * as brand records' handles do. */
	if ((h = cm_config_get(b->cfg, "account", name, "handle")) != NULL &&
	    cm_report_ignore(b->r, h, strlen(h), 1) < 0 && errno != E2BIG)
		b->failed = 1;
	platform = cm_config_get(b->cfg, "account", name, "platform");
	if (platform && strcmp(platform, "csv") == 0 &&
	    (h = cm_config_get(b->cfg, "account", name, "brand")) != NULL &&
	    cm_report_ignore(b->r, h, strlen(h), 1) < 0 && errno != E2BIG)
		b->failed = 1;
}

/* The brand's own names, left out of the top terms: [report]
 * ignore_terms and the accounts' handles. */
static void config_names(const struct cm_config *cfg, struct cm_report *r)
{
	struct brand_names b = { cfg, r, 0 };
	struct cm_error err;
	const char *v;

	if (cfg == NULL)
		return;
	if (cm_config_check_keys(cfg, "report", NULL, report_keys,
	    sizeof(report_keys) / sizeof(report_keys[0]), &err) < 0)
		cm_die_error(&err);
	if ((v = cm_config_get(cfg, "report", NULL, "ignore_terms")) != NULL &&
	    cm_report_ignore(r, v, strlen(v), 0) < 0) {
		if (errno != E2BIG)
			cm_die_nomem();
		cm_die(CM_EXIT_USAGE, "%s:%zu: [report] ignore_terms: more "
		    "than %d terms", cm_config_path(cfg), cm_config_line(cfg,
		    "report", NULL, "ignore_terms"), CM_REPORT_MAX_IGNORE);
	}
	cm_config_each_section(cfg, "account", account_names, &b);
	if (b.failed)
		cm_die_nomem();
}

/*
 * The zone of $TZ, the default of -z, as the rest of the system reports
 * in it: a tz database name, with the leading ':' POSIX allows; NULL
 * when TZ is unset or empty.  Anything else (a POSIX rule such as
 * CET-1CEST, a file) is an error rather than a quiet UTC, as a report by
 * the wrong days is worse than none.  The copy is the caller's.
 */
static char *env_zone(void)
{
	const char *tz = getenv("TZ");
	struct cm_zone *z;
	char *copy;

	if (tz == NULL || *tz == '\0')
		return NULL;
	if (*tz == ':')
		tz++;
	if ((copy = strdup(tz)) == NULL)
		cm_die_nomem();
	if ((z = cm_zone_open(copy)) == NULL) {
		if (errno == ENOMEM)
			cm_die_nomem();
		cm_usage_error("TZ: '%s' is not a time zone of the tz database "
		    "(like Europe/Berlin; give --tz, or unset TZ for UTC)", copy);
	}
	cm_zone_free(z);
	return copy;
}

/*
 * --compare's previous period: as long as --since to --until (or to
 * --now), just before it, or the period shifted back by a duration.
 */
static void compare_periods(const char *arg, struct cm_report_opts *o,
    int64_t now)
{
	int64_t end = o->until != INT64_MAX ? o->until : now, shift;

	if (o->since == INT64_MIN)
		cm_usage_error("--compare: give the period to compare with "
		    "--since (and --until, default --now): e.g. --since 7d "
		    "--compare previous");
	if (o->since >= end)
		cm_usage_error("--compare: --since is not before --until or "
		    "--now: the period has no length");
	if (strcmp(arg, "previous") == 0)
		shift = end - o->since;
	else if (cm_duration_parse(arg, &shift) < 0 || shift <= 0)
		cm_usage_error("--compare: '%s' is neither previous nor a "
		    "duration (90m, 24h, 7d, 4w)", arg);
	if (o->since < CM_TIME_MIN + shift)
		cm_usage_error("--compare: '%s' goes back before the year 0",
		    arg);
	o->compare = 1;
	o->prev_since = o->since - shift;
	o->prev_until = end - shift;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "business-hours", required_argument, NULL, 'B' },
		{ "by", required_argument, NULL, 'b' },
		{ "capacity", required_argument, NULL, 'C' },
		{ "check", required_argument, NULL, 'c' },
		{ "compare", required_argument, NULL, 3 },
		{ "csv-formulas", no_argument, NULL, 2 },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "include-spam", no_argument, NULL, 4 },
		{ "interval", required_argument, NULL, 'i' },
		{ "merge", no_argument, NULL, 'm' },
		{ "now", required_argument, NULL, 'N' },
		{ "partial", no_argument, NULL, 'p' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "section", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "strict", no_argument, NULL, 1 },
		{ "top", required_argument, NULL, 'n' },
		{ "until", required_argument, NULL, 'U' },
		{ "version", no_argument, NULL, 'V' },
		{ "workdays", required_argument, NULL, 'w' },
		{ "tz", required_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 }
	};
	struct cm_report_opts ro;
	struct cm_report_out out = { CM_REPORT_JSON, NULL, 10, 0, 0 };
	struct cm_input_opts io = { 0 };
	struct cm_error err;
	struct cm_buf json = CM_BUF_INIT, jqmsg = CM_BUF_INIT;
	struct cm_report *r;
	struct cm_input *in;
	const char *line, *check = NULL, *shaping = NULL, *compare = NULL;
	char *tz_env = NULL;
	struct cm_config *cfg;
	jq_state *jq = NULL;
	int64_t now = (int64_t)time(NULL), since_day = INT64_MIN,
	    until_day = INT64_MIN;
	size_t len;
	long cut;
	int c, merge = 0, partial = 0, have_format = 0, status, st2;

	cm_cli_init(argv);
	cm_report_opts_init(&ro);
	out.now = now;
	while ((c = getopt_long(argc, argv, "b:B:c:C:f:hi:mn:N:pr:s:S:U:Vw:z:",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			parse_by(optarg, &ro);
			shaping = "--by";
			break;
		case 'B':
			if (cm_bizhours_parse_hours(optarg, &ro.open, &ro.close)
			    < 0)
				cm_usage_error("--business-hours: '%s' is not a "
				    "range of the day (HH:MM-HH:MM like "
				    "09:00-17:00; 24:00 ends at midnight)",
				    optarg);
			shaping = "--business-hours";
			break;
		case 'c':
			check = optarg;
			break;
		case 2:
			out.csv_formulas = 1;
			break;
		case 3:
			compare = optarg;
			shaping = "--compare";
			break;
		case 'C':
			ro.capacity = cm_opt_count("--capacity", optarg, 1,
			    (uint64_t)1 << 30);
			shaping = "--capacity";
			break;
		case 'f':
			out.format = parse_format(optarg);
			have_format = 1;
			break;
		case 'h':
			cm_cli_help(usage);
		case 4:
			ro.include_spam = 1;
			shaping = "--include-spam";
			break;
		case 'i':
			if (cm_report_parse_interval(optarg, &ro.interval) < 0)
				cm_usage_error("--interval: '%s' is not an "
				    "interval (hour, day, week)", optarg);
			shaping = "--interval";
			break;
		case 'm':
			merge = 1;
			break;
		case 'n':
			out.top = cm_opt_count("--top", optarg, 1,
			    CM_REPORT_MAX_TOP);
			break;
		case 'N':
			out.now = cm_opt_when("--now", optarg, now, NULL);
			break;
		case 'p':
			partial = 1;
			break;
		case 'r':
			io.rejects = optarg;
			break;
		case 's':
			out.section = parse_section(optarg);
			break;
		case 'S':
			ro.since = cm_opt_when("--since", optarg, now,
			    &since_day);
			shaping = "--since";
			break;
		case 1:
			io.strict = 1;
			break;
		case 'U':
			ro.until = cm_opt_when("--until", optarg, now,
			    &until_day);
			shaping = "--until";
			break;
		case 'V':
			cm_cli_version();
		case 'w':
			if (cm_bizhours_parse_days(optarg, &ro.workdays) < 0)
				cm_usage_error("--workdays: '%s' is not a list of "
				    "days (three-letter names, ranges and "
				    "commas: Mon-Fri, Sun-Thu, Mon,Wed,Fri)",
				    optarg);
			shaping = "--workdays";
			break;
		case 'z':
			ro.tz = optarg;
			shaping = "--tz";
			break;
		default:
			cm_cli_try();
		}
	}
	if (ro.tz == NULL && !merge)
		ro.tz = tz_env = env_zone();
	if (ro.tz && (since_day != INT64_MIN || until_day != INT64_MIN))
		dates_in_zone(ro.tz, since_day, &ro.since, until_day,
		    &ro.until);
	cm_opt_range(ro.since, ro.until);
	if (merge && shaping)
		cm_usage_error("%s: with --merge the partial states' own options "
		    "apply (give it to cm-report --partial)", shaping);
	if (compare)
		compare_periods(compare, &ro, out.now);
	if (partial && (check || have_format || out.section ||
	    out.csv_formulas))
		cm_usage_error("--partial writes state, not a report: --check, "
		    "--csv-formulas, --format and --section go with --merge");
	if (!have_format)
		out.format = isatty(STDOUT_FILENO) ? CM_REPORT_TEXT :
		    CM_REPORT_JSON;
	/* A broken config is an error in every program, before anything
	 * is read. */
	cfg = cm_cli_config(NULL);
	if (merge)
		r = cm_report_new_merge(&err);
	else
		r = cm_report_new(&ro, &err);
	if (r == NULL) {
		if (err.status != CM_EXIT_USAGE)
			cm_die_error(&err);
		cm_usage_error("%s", err.msg);
	}
	config_names(cfg, r);
	cm_config_free(cfg);
	if (check && (jq = cm_jq_compile(check, &jqmsg)) == NULL) {
		if (errno == ENOMEM)
			cm_die_nomem();
		cm_report_free(r);
		cm_usage_error("--check: %s", jqmsg.len ? jqmsg.data :
		    "the jq expression does not compile");
	}
	in = cm_input_open(argv + optind, argc - optind, &io);
	if (merge) {
		while (cm_input_next(in, &line, &len)) {
			if (len == 0)
				continue;
			if (cm_report_merge_line(r, line, len, &err) < 0) {
				if (err.status == CM_EXIT_NOMEM)
					cm_die_error(&err);
				cm_input_reject(in, "%s", err.msg);
			}
		}
		if ((cut = cm_report_merge_end(r)) > 0)
			cm_warn("%ld partial state%s cut short (no end line)",
			    cut, cut == 1 ? "" : "s");
		if (!cm_report_merged_any(r)) {
			cm_input_close(in);
			cm_report_free(r);
			if (jq)
				jq_teardown(&jq);
			cm_buf_free(&jqmsg);
			cm_die(CM_EXIT_FAIL, "no partial state in the input "
			    "(make it with cm-report --partial)");
		}
	} else {
		while (cm_input_next_record(in, cm_report_paths(r),
		    cm_report_values(r), &line, &len))
			if (cm_report_add(r) < 0)
				cm_die(CM_EXIT_NOMEM, "out of memory (try "
				    "fewer --by groups or a lower --capacity)");
		cut = 0;
	}
	cm_report_add_bad(r, cm_input_bad(in));
	status = cm_input_close(in);
	if (cut > 0)
		status = CM_EXIT_FAIL;

	if (partial) {
		if (cm_report_write_partial(r, out_writer, NULL) < 0)
			cm_die_nomem();
	} else {
		if (jq) {
			struct cm_report_out jo = out;

			jo.format = CM_REPORT_JSON;
			jo.section = NULL;
			if (cm_report_write(r, &jo, cm_report_buf_writer, &json)
			    < 0)
				cm_die_nomem();
		}
		if (cm_report_write(r, &out, out_writer, NULL) < 0)
			cm_die_nomem();
		if (jq) {
			if ((st2 = check_run(jq, check, &json, &jqmsg)) < 0)
				st2 = CM_EXIT_USAGE;
			jq_teardown(&jq);
			if (st2 > status)
				status = st2;
		}
	}
	cm_buf_free(&json);
	cm_buf_free(&jqmsg);
	cm_report_free(r);
	free(tz_env);
	cm_out_close();
	return status;
}
