/*
 * cm-fetch - pull what people say to and about a brand as cm records
 * (cm-record(5)), one JSON object per line on stdout, from every source
 * named: a platform's feed through an account of the config, its public
 * data, the demo generator, a CSV file.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "fetch/driver.h"
#include "fetch/source.h"
#include "store/config.h"
#include "store/state.h"

enum {
	OPT_DRY_RUN = 256,
	OPT_SOURCES,
	OPT_MAX_WAIT,
	OPT_RAW,
	OPT_TIMEOUT
};

#define MAX_WAIT_DEFAULT 600

static void usage(FILE *fp)
{
	fputs("usage: cm-fetch [options] SOURCE...\n"
	    "\n"
	    "Writes cm records (cm-record(5)) from each SOURCE to stdout.\n"
	    "A SOURCE is ACCOUNT:FEED[:ARG] (ACCOUNT a section of the config),\n"
	    "PLATFORM:FEED[:ARG] for public data, demo[:N] or csv:FILE;\n"
	    "cm-fetch(1) lists every platform's feeds.\n"
	    "\n"
	    "Options:\n"
	    "  -c, --config=FILE     config file (default $CM_CONFIG or\n"
	    "                        ~/.config/cm/config)\n"
	    "      --dry-run         show the first request of each source\n"
	    "                        (secrets masked) and send nothing\n"
	    "  -e, --end=TIME        demo: time of the newest record (default:\n"
	    "                        now, to the hour)\n"
	    "  -j, --jobs=N          sources fetched at once (default 4)\n"
	    "  -n, --limit=N         at most N records per source\n"
	    "      --max-wait=DURATION  stop a source that would wait longer\n"
	    "                        for the platform (default 10m); status 75\n"
	    "  -N, --new             only records no run with --new wrote\n"
	    "                        before (state kept in the state store)\n"
	    "      --raw             keep each platform's own payload as raw\n"
	    "  -s, --seed=N          demo: random seed (default 1)\n"
	    "  -S, --since=WHEN      only records created at or after WHEN\n"
	    "                        (RFC 3339, a date, @SECONDS, or a\n"
	    "                        duration ago: 24h, 7d)\n"
	    "      --sources         list the sources of the config's accounts\n"
	    "                        and the public ones, with their feeds,\n"
	    "                        one a line, and exit\n"
	    "      --timeout=SECONDS  give up a request after SECONDS\n"
	    "                        (default 60; 30 without a byte)\n"
	    "  -U, --until=WHEN      only records created before WHEN\n"
	    "  -u, --unbuffered      write each record at once\n"
	    "  -v, --verbose         say each request and answer on stderr\n"
	    "  -h, --help            show this help and exit\n"
	    "  -V, --version         show the version and exit\n", fp);
}

/* The state store: for --new, and for the sessions of accounts.  NULL
 * when it is not needed, or (without --new) cannot be opened. */
static struct cm_state *state_open(int needed)
{
	struct cm_error err;
	struct cm_buf path = CM_BUF_INIT;
	struct cm_state *st;

	if (cm_state_default_path(&path) < 0) {
		if (needed)
			cm_die(CM_EXIT_USAGE, "no state path: set CM_STATE or "
			    "HOME");
		return NULL;
	}
	st = cm_state_open(path.data, 0, &err);
	cm_buf_free(&path);
	if (st == NULL && needed)
		cm_die_error(&err);
	if (st == NULL)
		cm_warn("%s (sessions are not kept)", err.msg);
	return st;
}

/*
 * The leases this run holds, one per source, taken before anything is
 * written and given back at exit on every path (a run killed with -9
 * leaves a lease whose holder is gone, which the next run takes over).
 */
static struct {
	struct cm_state *st;
	struct cm_source *srcs;
	int *held;
	size_t n;
} leases;

static void drop_leases(void)
{
	for (size_t i = 0; i < leases.n; i++)
		if (leases.held[i])
			(void)cm_state_lease_drop(leases.st,
			    leases.srcs[i].key, NULL);
	leases.n = 0;
}

/*
 * Takes the lease of every source before any is fetched, so that a store
 * that cannot be written stops the run with nothing done.  A source that
 * another cm-fetch is fetching is taken out of the list and makes the
 * run's status 75.
 */
static int take_leases(struct cm_state *st, struct cm_source *srcs,
    size_t *n)
{
	struct cm_state_lease other;
	struct cm_error err;
	size_t i, kept = 0;
	int r, status = CM_EXIT_OK;

	if ((leases.held = calloc(*n ? *n : 1, sizeof(int))) == NULL)
		cm_die_nomem();
	leases.st = st;
	leases.srcs = srcs;
	for (i = 0; i < *n; i++) {
		if ((r = cm_state_lease_take(st, srcs[i].key, 0, &other,
		    &err)) < 0) {
			leases.n = kept;
			cm_die_error(&err);
		}
		if (r == 0) {
			cm_warn("%s: skipped: another cm-fetch (pid %ld on "
			    "%s) is fetching it", srcs[i].spec, other.pid,
			    other.host);
			cm_source_free(&srcs[i]);
			status = CM_EXIT_TEMPFAIL;
			continue;
		}
		srcs[kept] = srcs[i];
		leases.held[kept++] = 1;
		leases.n = kept;
	}
	*n = kept;
	return status;
}

static void notice(void *ctx, const char *msg)
{
	(void)ctx;
	cm_warn("%s", msg);
}

/* On a terminal only: how far each source has got, on one line. */
static int progress_shown;

static void progress(void *ctx, const char *spec, uint64_t records,
    unsigned pages)
{
	(void)ctx;
	fprintf(stderr, "\r%s: %llu records, %u page%s\033[K", spec,
	    (unsigned long long)records, pages, pages == 1 ? "" : "s");
	progress_shown = 1;
}

static void progress_notice(void *ctx, const char *msg)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
	notice(ctx, msg);
}

static struct cm_source *sources;
static size_t nsources;
static struct cm_config *config;
static struct cm_state *store;

static void release(void)
{
	drop_leases();
	for (size_t i = 0; i < nsources; i++)
		cm_source_free(&sources[i]);
	free(sources);
	free(leases.held);
	leases.held = NULL;
	sources = NULL;
	nsources = 0;
	cm_state_close(store);
	store = NULL;
	cm_config_free(config);
	config = NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "end", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "limit", required_argument, NULL, 'n' },
		{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
		{ "new", no_argument, NULL, 'N' },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "seed", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "sources", no_argument, NULL, OPT_SOURCES },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ "until", required_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cm_fetch_opts o = { 0 };
	struct cm_fetch_io io = { STDOUT_FILENO, notice, NULL, NULL };
	const char *config_path = NULL;
	struct cm_error err;
	int64_t now = (int64_t)time(NULL), end, wait;
	uint64_t seed = 1;
	int c, dry_run = 0, list = 0, status = CM_EXIT_OK, any_account = 0, r;
	size_t i;

	cm_cli_init(argv);
	atexit(release);
	end = now - now % 3600;
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.max_wait = MAX_WAIT_DEFAULT;
	while ((c = getopt_long(argc, argv, "c:e:hj:n:Ns:S:uU:vV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case OPT_DRY_RUN:
			dry_run = 1;
			break;
		case 'e':
			end = cm_opt_when("--end", optarg, now, NULL);
			break;
		case 'h':
			cm_cli_help(usage);
		case 'j':
			o.jobs = (unsigned)cm_opt_count("--jobs", optarg, 1, 64);
			break;
		case 'n':
			o.limit = cm_opt_count("--limit", optarg, 0, UINT64_MAX);
			break;
		case OPT_SOURCES:
			list = 1;
			break;
		case OPT_MAX_WAIT:
			if (cm_duration_parse(optarg, &wait) < 0)
				cm_usage_error("--max-wait: '%s' is not a "
				    "duration (90s, 15m, 1h)", optarg);
			o.max_wait = (double)wait;
			break;
		case 'N':
			o.only_new = 1;
			break;
		case OPT_RAW:
			o.raw = 1;
			break;
		case 's':
			seed = cm_opt_count("--seed", optarg, 0, UINT64_MAX);
			break;
		case 'S':
			o.since = cm_opt_when("--since", optarg, now, NULL);
			break;
		case OPT_TIMEOUT:
			o.timeout = (long)cm_opt_count("--timeout", optarg, 1,
			    86400);
			break;
		case 'u':
			o.unbuffered = 1;
			break;
		case 'U':
			o.until = cm_opt_when("--until", optarg, now, NULL);
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'V':
			cm_cli_version();
		default:
			cm_cli_try();
		}
	}
	cm_opt_range(o.since, o.until);
	if (list) {
		struct cm_buf out = CM_BUF_INIT;

		if (optind < argc)
			cm_usage_error("--sources takes no SOURCE");
		config = cm_cli_config(config_path);
		if (cm_source_list(config, &out) < 0)
			cm_die_nomem();
		cm_out_write(out.data, out.len);
		cm_buf_free(&out);
		cm_out_close();
		return CM_EXIT_OK;
	}
	if (optind == argc)
		cm_usage_error("no SOURCE given (try demo)");
	/* A config file is optional, but a broken one is an error. */
	config = cm_cli_config(config_path);
	/* Every source is resolved before any is fetched: nothing is done
	 * when one is wrong. */
	if ((sources = calloc((size_t)(argc - optind) * CM_FEED_MAX_PARTS,
	    sizeof(*sources))) == NULL)
		cm_die_nomem();
	for (c = optind; c < argc; c++) {
		size_t got;

		if (cm_source_resolve(argv[c], config, &sources[nsources],
		    &got, &err) < 0) {
			if (err.status == CM_EXIT_USAGE)
				cm_usage_error("%s", err.msg);
			cm_die_error(&err);
		}
		for (i = nsources; i < nsources + got; i++) {
			sources[i].now = now;
			sources[i].seed = seed;
			sources[i].end = end;
			any_account |= sources[i].has_account;
		}
		nsources += got;
	}
	if (dry_run) {
		struct cm_buf out = CM_BUF_INIT;

		status = cm_fetch_dry_run(sources, nsources, &io, &out);
		cm_out_write(out.data, out.len);
		cm_buf_free(&out);
		cm_out_close();
		return status;
	}
	if (o.only_new || any_account)
		store = state_open(o.only_new);
	for (i = 0; i < nsources; i++)
		sources[i].st = store;
	if (o.only_new)
		status = take_leases(store, sources, &nsources);
	if (isatty(STDERR_FILENO)) {
		io.progress = progress;
		io.notice = progress_notice;
	}
	r = cm_fetch_run(sources, nsources, o.only_new ? store : NULL, &o,
	    &io);
	if (progress_shown)
		fputs("\r\033[K", stderr);
	if (r < 0) {
		/* The reader is gone: end quietly, as a closed pipe does. */
		release();
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		return CM_EXIT_FAIL;
	}
	if (r == CM_EXIT_TEMPFAIL || (r > status && status !=
	    CM_EXIT_TEMPFAIL))
		status = r;
	release();
	cm_out_close();
	return status;
}
