/*
 * cm-fetch - pull what people say to and about a brand as cm records
 * (cm-record(5)), one JSON object per line on stdout.  This version knows
 * the offline source demo[:N], a seeded generator of realistic records.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "cli/cli.h"
#include "store/config.h"
#include "fetch/demo.h"
#include "core/json.h"
#include "store/state.h"
#include "core/timeutil.h"

#define DEMO_DEFAULT 1000

struct fetch_opts {
	uint64_t seed;
	uint64_t limit;		/* 0: no limit */
	int64_t end;
	int64_t since, until;	/* INT64_MIN / INT64_MAX: unbounded */
	int only_new;
	const char *config;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: cm-fetch [options] SOURCE...\n"
	    "\n"
	    "Writes cm records (cm-record(5)) from each SOURCE to stdout.\n"
	    "Sources:\n"
	    "  demo[:N]              N realistic offline records (default %d)\n"
	    "\n"
	    "Options:\n"
	    "  -c, --config=FILE     config file (default $CM_CONFIG or\n"
	    "                        ~/.config/cm/config)\n"
	    "  -e, --end=TIME        demo: time of the newest record (default:\n"
	    "                        now, to the hour)\n"
	    "  -n, --limit=N         at most N records per source\n"
	    "  -N, --new             only records newer than the last run's\n"
	    "                        (cursor kept in the state store)\n"
	    "  -s, --seed=N          demo: random seed (default 1)\n"
	    "  -S, --since=WHEN      only records created at or after WHEN\n"
	    "                        (RFC 3339, or a duration ago: 24h, 7d)\n"
	    "  -U, --until=WHEN      only records created before WHEN\n"
	    "  -u, --unbuffered      flush each record\n"
	    "  -h, --help            show this help and exit\n"
	    "  -V, --version         show the version and exit\n",
	    DEMO_DEFAULT);
}

/* The state store, opened only for --new; exits with the error's status
 * (2, or 75 when another process holds it) before anything is written. */
static struct cm_state *state_open(void)
{
	struct cm_error err;
	struct cm_buf path = CM_BUF_INIT;
	struct cm_state *st;

	if (cm_state_default_path(&path) < 0)
		cm_die(CM_EXIT_USAGE, "no state path: set CM_STATE or HOME");
	if ((st = cm_state_open(path.data, 0, &err)) == NULL) {
		cm_buf_free(&path);
		cm_die_error(&err);
	}
	cm_buf_free(&path);
	return st;
}

/*
 * The leases this run holds, one per source, taken before anything is
 * written and given back at exit on every path (a run killed with -9
 * leaves a lease whose holder is gone, which the next run takes over).
 */
static struct {
	struct cm_state *st;
	char **names;
	int n;
} leases;

static void drop_leases(void)
{
	for (int i = 0; i < leases.n; i++)
		if (leases.names[i])
			(void)cm_state_lease_drop(leases.st, leases.names[i],
			    NULL);
	leases.n = 0;
}

/*
 * Takes the lease of every source before any is fetched, so that a store
 * that cannot be written stops the run with nothing done.  A source that
 * another cm-fetch is fetching is skipped (its slot set to NULL) and
 * makes the run's status 75.
 */
static int take_leases(struct cm_state *st, char **sources, int n)
{
	struct cm_state_lease other;
	struct cm_error err;
	int i, r, status = CM_EXIT_OK;

	leases.st = st;
	leases.names = sources;
	for (i = 0; i < n; i++) {
		if ((r = cm_state_lease_take(st, sources[i], 0, &other,
		    &err)) < 0) {
			leases.n = i;
			cm_die_error(&err);
		}
		if (r == 0) {
			cm_warn("%s: skipped: another cm-fetch (pid %ld on "
			    "%s) is fetching it", sources[i], other.pid,
			    other.host);
			sources[i] = NULL;
			status = CM_EXIT_TEMPFAIL;
		}
	}
	leases.n = n;
	return status;
}

/*
 * What a source holds while it writes: freed at exit too, since a write
 * error ends the program from inside cm_out_line.
 */
static struct {
	struct cm_demo *demo;
	struct cm_json_paths *paths;
	struct cm_buf rec, cursor;
} held;

static void release_held(void)
{
	cm_demo_free(held.demo);
	cm_json_paths_free(held.paths);
	cm_buf_free(&held.rec);
	cm_buf_free(&held.cursor);
	memset(&held, 0, sizeof(held));
}

/* Runs the demo source; returns an exit status. */
static int fetch_demo(const char *source, const char *arg,
    const struct fetch_opts *o, struct cm_state *st)
{
	static const char *const paths[] = { "created_at" };
	struct cm_demo_opts dopts = { 0 };
	struct cm_buf *rec = &held.rec, *cursor = &held.cursor;
	struct cm_error serr;
	struct cm_json_value v;
	struct cm_json_error jerr;
	int64_t t, since = o->since, newest = INT64_MIN;
	uint64_t emitted = 0;
	int r, filter;

	dopts.count = arg ? cm_opt_count(source, arg, 0, UINT64_MAX) :
	    DEMO_DEFAULT;
	dopts.seed = o->seed;
	dopts.end = o->end;
	dopts.fetched_at = o->end;
	if (st && cm_state_cursor_get(st, source, cursor, &serr) < 0)
		cm_die_error(&serr);
	if (st && cursor->len && cm_time_parse(cursor->data, cursor->len, &t) == 0
	    && t + 1 > since)
		since = t + 1;	/* cursor: the newest created_at seen */
	filter = since != INT64_MIN || o->until != INT64_MAX || st;
	if ((held.demo = cm_demo_new(&dopts)) == NULL ||
	    (held.paths = cm_json_paths_new(paths, 1)) == NULL)
		cm_die_nomem();
	while ((r = cm_demo_next(held.demo, rec)) == 1) {
		if (filter) {
			if (cm_json_scan(rec->data, rec->len, 0, held.paths, &v, &jerr) < 0 ||
			    v.type != CM_JSON_STRING ||
			    cm_time_parse(v.raw + 1, v.len - 2, &t) < 0)
				cm_die(CM_EXIT_FAIL, "demo: bad record");
			if (t < since || t >= o->until) {
				cm_buf_reset(rec);
				continue;
			}
			if (t > newest)
				newest = t;
		}
		cm_out_line(rec->data, rec->len);
		cm_buf_reset(rec);
		if (o->limit && ++emitted >= o->limit)
			break;
	}
	if (r < 0)
		cm_die_nomem();
	if (st && newest != INT64_MIN) {
		char stamp[21];

		/* The cursor says these records were delivered: they must
		 * be out of our buffers (and on disk) first.  A write error
		 * ends the program here, the cursor where it was. */
		cm_out_sync();
		cm_time_format(newest, stamp);
		/* The lease keeps other cm-fetch runs away; a process that
		 * holds the whole store gets a long wait before the records
		 * just written would be written again by the next run. */
		cm_state_busy_timeout(st, 60000);
		if (cm_state_cursor_set(st, source, stamp, &serr) < 0) {
			cm_warn("%s: the cursor was not saved, so the next "
			    "run writes these records again: %s", source,
			    serr.msg);
			release_held();
			return serr.status;
		}
	}
	release_held();
	return CM_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "end", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "limit", required_argument, NULL, 'n' },
		{ "new", no_argument, NULL, 'N' },
		{ "seed", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ "until", required_argument, NULL, 'U' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct fetch_opts o = { 1, 0, 0, INT64_MIN, INT64_MAX, 0, NULL };
	struct cm_config *cfg = NULL;
	struct cm_state *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int c, i, status = CM_EXIT_OK;

	cm_cli_init(argv);
	atexit(release_held);
	o.end = now - now % 3600;
	while ((c = getopt_long(argc, argv, "c:e:hn:Ns:S:uU:V", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'e':
			o.end = cm_opt_when("--end", optarg, now, NULL);
			break;
		case 'h':
			cm_cli_help(usage);
		case 'n':
			o.limit = cm_opt_count("--limit", optarg, 0, UINT64_MAX);
			break;
		case 'N':
			o.only_new = 1;
			break;
		case 's':
			o.seed = cm_opt_count("--seed", optarg, 0, UINT64_MAX);
			break;
		case 'S':
			o.since = cm_opt_when("--since", optarg, now, NULL);
			break;
		case 'u':
			cm_out_set_unbuffered(1);
			break;
		case 'U':
			o.until = cm_opt_when("--until", optarg, now, NULL);
			break;
		case 'V':
			cm_cli_version();
		default:
			cm_cli_try();
		}
	}
	cm_opt_range(o.since, o.until);
	if (optind == argc)
		cm_usage_error("no SOURCE given (try demo)");
	/* Check every source before fetching any: nothing done on error. */
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], "demo") != 0 &&
		    strncmp(argv[i], "demo:", 5) != 0)
			cm_usage_error("%s: unknown source (this cm-fetch "
			    "knows demo[:N])", argv[i]);
	/* A config file is optional, but a broken one is an error. */
	cfg = cm_cli_config(o.config);
	if (o.only_new) {
		st = state_open();
		atexit(drop_leases);
		status = take_leases(st, argv + optind, argc - optind);
	}
	for (i = optind; i < argc; i++) {
		const char *colon;
		int r;

		if (argv[i] == NULL)
			continue;	/* another run holds it */
		colon = strchr(argv[i], ':');
		r = fetch_demo(argv[i], colon ? colon + 1 : NULL, &o, st);
		if (r > status)
			status = r;
	}
	drop_leases();
	cm_state_close(st);
	cm_config_free(cfg);
	cm_out_close();
	return status;
}
