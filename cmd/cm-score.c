/*
 * cm-score - add a "score" object to each cm record: sentiment, label,
 * intent, urgency, influence, priority and why (cm-score(1)).  Every
 * other byte of the record is kept as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/batch.h"
#include "core/buf.h"
#include "cli/cli.h"
#include "store/config.h"
#include "core/html.h"
#include "core/json.h"
#include "core/record.h"
#include "score/score.h"
#include "score/sentiment.h"
#include "core/workers.h"

#ifndef CM_DATADIR
#define CM_DATADIR "/usr/local/share/cm"
#endif

#define MAX_ADD 32

/* The fields read from a record, in this order. */
enum { P_TEXT, P_ID, P_FOLLOWERS, P_VERIFIED, P_IS_BRAND, P_LIKES, P_REPOSTS,
	P_REPLIES, P_QUOTES, P_LINKS, P_MENTIONS, P_TAGS, P_SCORE, P_LANG, P_N };

/*
 * What lives for the whole run.  At file scope, so that an exit from
 * inside the library (a write error in cm_out_line, --strict) leaves it
 * reachable rather than lost, for valgrind.
 */
static struct cm_input *input;
static struct cm_json_paths *paths_c;

struct opts {
	const char *lexicon;
	const char *adds[MAX_ADD];
	int nadd;
	const char *weights;
	const char *field;
	const char *config;
	int only_sentiment;
	int explain;
	unsigned jobs;
	struct cm_input_opts in;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: cm-score [options] [FILE...]\n"
	    "\n"
	    "Adds \"score\" to each cm record read from FILEs (default stdin):\n"
	    "sentiment, label, intent, urgency, influence, priority and why.\n"
	    "\n"
	    "Options:\n"
	    "  -a, --lexicon-add=FILE  add or override lexicon terms (repeatable)\n"
	    "  -c, --config=FILE       config file, [score] section (default\n"
	    "                          $CM_CONFIG or ~/.config/cm/config)\n"
	    "  -f, --field=PATH        score the text at PATH (default text)\n"
	    "  -j, --jobs=N            score on N threads (0: one per CPU;\n"
	    "                          default 1, and 1 with -u)\n"
	    "  -l, --lexicon=FILE      lexicon to use instead of the installed one\n"
	    "  -o, --only=sentiment    only sentiment, label and why\n"
	    "  -r, --rejects=FILE      copy bad input lines to FILE\n"
	    "  -s, --strict            stop at the first bad line\n"
	    "  -u, --unbuffered        flush each record\n"
	    "  -w, --weights=SPEC      priority weights: negativity=N,urgency=N,\n"
	    "                          influence=N,intent=N\n"
	    "  -x, --explain           explain each score on stderr\n"
	    "  -h, --help              show this help and exit\n"
	    "  -V, --version           show the version and exit\n");
}

/*
 * The installed lexicon: the first readable of ../share/cm/lexicon.txt
 * (installed) and ../data/lexicon.txt (the build tree) beside the
 * executable, symlinks resolved, and CM_DATADIR/lexicon.txt (the data
 * directory it was built for).  Returns a static path, or NULL with the
 * paths tried in tried[cap], for the message.
 */
static const char *default_lexicon(char *tried, size_t cap)
{
	static char path[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;
	size_t used = 0;

	tried[0] = '\0';
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/../share/cm/lexicon.txt",
			    exe);
			if (access(path, R_OK) == 0)
				return path;
			used += (size_t)snprintf(tried, cap, "%s, ", path);
			snprintf(path, sizeof(path), "%s/../data/lexicon.txt", exe);
			if (access(path, R_OK) == 0)
				return path;
			if (used < cap)
				used += (size_t)snprintf(tried + used, cap - used,
				    "%s, ", path);
		}
	}
	snprintf(path, sizeof(path), "%s/lexicon.txt", CM_DATADIR);
	if (access(path, R_OK) == 0)
		return path;
	if (used < cap)
		snprintf(tried + used, cap - used, "%s", path);
	return NULL;
}

/* The config's [score] key naming a file, resolved (cm_config_file); NULL
 * when unset.  The path lives in buf. */
static const char *config_file(const struct cm_config *cfg, const char *key,
    struct cm_buf *buf)
{
	const char *v;

	if (cfg == NULL || (v = cm_config_get(cfg, "score", NULL, key)) == NULL)
		return NULL;
	if (cm_config_file(cfg, v, buf) < 0)
		cm_die(errno == ENOMEM ? CM_EXIT_TEMPFAIL : CM_EXIT_USAGE,
		    "%s:%zu: [score] %s: %s", cm_config_path(cfg),
		    cm_config_line(cfg, "score", NULL, key), key,
		    errno == ENOMEM ? "out of memory" : "HOME is not set");
	return buf->data;
}

static struct cm_lexicon *load_lexicon(const struct opts *o,
    const struct cm_config *cfg)
{
	struct cm_error err;
	struct cm_lexicon *lx;
	struct cm_buf buf = CM_BUF_INIT;
	const char *path = o->lexicon, *add;
	char tried[3 * (PATH_MAX + 64)];
	int i;

	if (path == NULL && (path = getenv("CM_LEXICON")) != NULL && !*path)
		path = NULL;
	if (path == NULL)
		path = config_file(cfg, "lexicon", &buf);
	if (path == NULL && (path = default_lexicon(tried,
	    sizeof(tried))) == NULL)
		cm_die(CM_EXIT_USAGE, "no lexicon: none of %s can be read; use "
		    "--lexicon or CM_LEXICON", tried);
	if ((lx = cm_lexicon_new()) == NULL)
		cm_die_nomem();
	if (cm_lexicon_load(lx, path, &err) < 0)
		cm_die_error(&err);
	if ((add = config_file(cfg, "lexicon-add", &buf)) != NULL &&
	    cm_lexicon_load(lx, add, &err) < 0)
		cm_die_error(&err);
	cm_buf_free(&buf);
	for (i = 0; i < o->nadd; i++)
		if (cm_lexicon_load(lx, o->adds[i], &err) < 0)
			cm_die_error(&err);
	return lx;
}

/* The keys of [score], as cm-score(1) documents them. */
static const char *const score_keys[] = { "negativity", "urgency",
	"influence", "intent", "lexicon", "lexicon-add" };

/* A key of [score] cm-score does not know is a typo that would silently
 * change nothing: an error, as a bad value is. */
static void check_keys(const struct cm_config *cfg)
{
	struct cm_error err;

	if (cfg && cm_config_check_keys(cfg, "score", NULL, score_keys,
	    sizeof(score_keys) / sizeof(score_keys[0]), &err) < 0)
		cm_die_error(&err);
}

/* The weights: defaults, then the config's [score] keys, then -w. */
static void load_weights(const struct opts *o, const struct cm_config *cfg,
    struct cm_score_weights *w)
{
	static const char *const keys[] = { "negativity", "urgency",
		"influence", "intent" };
	const char *why, *v;
	size_t i;

	for (i = 0; cfg && i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((v = cm_config_get(cfg, "score", NULL, keys[i])) != NULL &&
		    cm_score_weight_set(w, keys[i], v, &why) < 0)
			cm_die(CM_EXIT_USAGE, "%s:%zu: [score] %s: %s",
			    cm_config_path(cfg), cm_config_line(cfg, "score",
			    NULL, keys[i]), keys[i], why);
	if (w->negativity + w->urgency + w->influence + w->intent <= 0)
		cm_die(CM_EXIT_USAGE, "%s: [score] weights add up to zero",
		    cm_config_path(cfg));
	if (o->weights && cm_score_weights_parse(w, o->weights, &why) < 0)
		cm_usage_error("--weights: '%s': %s", o->weights, why);
}

/*
 * A count (followers, likes...): -1 when it is not a number or negative,
 * which the score takes as unknown.  A count beyond 64 bits (1e29,
 * 99999999999999999999, 1e400, which strtod makes infinite) is
 * INT64_MAX: the most there can be, not nothing.
 */
static int64_t num(const struct cm_json_value *v)
{
	int64_t i;
	double d;

	if (v->type != CM_JSON_NUMBER)
		return -1;
	if (cm_json_int64(v, &i) == 0)
		return i < 0 ? -1 : i;
	if (cm_json_double(v, &d) < 0 || !(d >= 0))
		return -1;
	return d >= 0x1p63 ? INT64_MAX : (int64_t)d;
}

/* Elements of an array value (0 for anything else). */
static size_t count_elems(const struct cm_json_value *v)
{
	size_t i, n = 0;
	int depth = 0, str = 0, any = 0;

	if (v->type != CM_JSON_ARRAY)
		return 0;
	for (i = 0; i < v->len; i++) {
		char c = v->raw[i];

		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = 0;
			continue;
		}
		switch (c) {
		case '"':
			str = 1;
			any |= depth == 1;
			break;
		case '[': case '{':
			any |= depth == 1;
			depth++;
			break;
		case ']': case '}':
			depth--;
			break;
		case ',':
			n += depth == 1;
			break;
		case ' ': case '\t': case '\n': case '\r':
			break;
		default:
			any |= depth == 1;
		}
	}
	return any ? n + 1 : 0;
}

/*
 * The record with "score" set to val.  The scan already told whether
 * the record has one: when it has not, ",\"score\":{...}" goes before
 * the closing brace here, which spares cm_record_set a second look at
 * the line; a score to replace is cm_record_set's.
 */
static int set_score(const char *line, size_t len, int has_score,
    const struct cm_buf *val, struct cm_buf *out)
{
	size_t close = len, open = 0, i;

	if (has_score)
		return cm_record_set(line, len, "score", val->data, val->len,
		    out);
	while (open < len && (line[open] == ' ' || line[open] == '\t'))
		open++;
	while (close > open && (line[close - 1] == ' ' ||
	    line[close - 1] == '\t' || line[close - 1] == '\r' ||
	    line[close - 1] == '\n'))
		close--;
	if (close - open < 2 || line[open] != '{' || line[close - 1] != '}')
		return -1;
	close--;
	for (i = close; i > open + 1 && (line[i - 1] == ' ' ||
	    line[i - 1] == '\t' || line[i - 1] == '\r' || line[i - 1] == '\n');
	    i--)
		;
	return cm_buf_add(out, line, close) < 0 ||
	    cm_buf_adds(out, i > open + 1 ? ",\"score\":" : "\"score\":") < 0 ||
	    cm_buf_add(out, val->data, val->len) < 0 ||
	    cm_buf_add(out, line + close, len - close) < 0 ? -1 : 0;
}

/* What became of a line (cm_batch_item.fate). */
enum { ITEM_OUT, ITEM_BLANK, ITEM_REJECT, ITEM_NOMEM };

/* A thread's own: a scorer (it keeps scratch) and buffers. */
struct scratch {
	struct cm_scorer *sc;
	struct cm_buf text, sbuf, lang;
	struct cm_json_value v[P_N];
};

/* A thread's scratch grown past this by a long line is given back. */
#define SCRATCH_KEEP ((size_t)1 << 20)

static const struct opts *opt;
static struct scratch *scratch;
static unsigned nscratch;
static struct cm_batcher *batcher;

/* The line is rejected, for the reason fmt says (emit reports it). */
static void refuse(struct cm_batch_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void refuse(struct cm_batch_item *it, const char *fmt, ...)
{
	va_list ap;
	int rc;

	cm_buf_reset(&it->out);
	va_start(ap, fmt);
	rc = cm_buf_vprintf(&it->out, fmt, ap);
	va_end(ap);
	it->fate = rc < 0 ? ITEM_NOMEM : ITEM_REJECT;
}

static void score_record(struct scratch *x, struct cm_batch_item *it)
{
	struct cm_json_value *v = x->v;
	struct cm_score_input si;
	struct cm_score score;
	char why[256];
	int rc;

	cm_buf_reset(&it->out);
	cm_buf_reset(&it->aux);
	cm_buf_reset(&x->text);
	cm_buf_reset(&x->sbuf);
	if ((rc = cm_input_check(input, it->line, it->len, paths_c, v, why,
	    sizeof(why))) <= 0) {
		if (rc == 0)
			it->fate = ITEM_BLANK;
		else
			refuse(it, "%s", why);
		return;
	}
	memset(&si, 0, sizeof(si));
	if (v[P_TEXT].type == CM_JSON_STRING) {
		if (cm_json_string(&v[P_TEXT], &x->text) < 0) {
			refuse(it, "cannot decode %s", opt->field);
			return;
		}
		if (x->text.data) {
			/* X's text comes with "&amp;" and "&lt;3" */
			x->text.len = cm_html_unescape(x->text.data,
			    x->text.len);
			x->text.data[x->text.len] = '\0';
		}
		si.text = x->text.data ? x->text.data : "";
		si.len = x->text.len;
	}
	if (v[P_LANG].type == CM_JSON_STRING && v[P_LANG].len > 2) {
		/* a tag is letters and hyphens: escapes are rare */
		if (memchr(v[P_LANG].raw, '\\', v[P_LANG].len) == NULL) {
			si.lang = v[P_LANG].raw + 1;
			si.lang_len = v[P_LANG].len - 2;
		} else {
			cm_buf_reset(&x->lang);
			x->lang.limit = 256;
			if (cm_json_string(&v[P_LANG], &x->lang) == 0 &&
			    x->lang.data) {
				si.lang = x->lang.data;
				si.lang_len = x->lang.len;
			}
		}
	}
	si.followers = num(&v[P_FOLLOWERS]);
	si.verified = cm_json_bool(&v[P_VERIFIED]);
	si.is_brand = cm_json_bool(&v[P_IS_BRAND]) == 1;
	si.likes = num(&v[P_LIKES]);
	si.reposts = num(&v[P_REPOSTS]);
	si.replies = num(&v[P_REPLIES]);
	si.quotes = num(&v[P_QUOTES]);
	si.nlinks = count_elems(&v[P_LINKS]);
	si.nmentions = count_elems(&v[P_MENTIONS]);
	si.ntags = count_elems(&v[P_TAGS]);
	if (cm_scorer_score(x->sc, &si, opt->only_sentiment, &score) < 0) {
		it->fate = ITEM_NOMEM;
		return;
	}
	if (cm_score_json(&score, opt->only_sentiment, &x->sbuf) < 0 ||
	    set_score(it->line, it->len, v[P_SCORE].type != CM_JSON_NONE,
	    &x->sbuf, &it->out) < 0) {
		refuse(it, "record too large to score");
		return;
	}
	it->fate = ITEM_OUT;
	if (opt->explain) {
		char name[256];

		if (v[P_ID].type == CM_JSON_STRING && v[P_ID].len < 200)
			snprintf(name, sizeof(name), "%.*s",
			    (int)v[P_ID].len - 2, v[P_ID].raw + 1);
		else
			snprintf(name, sizeof(name), "%s:%zu",
			    it->where.name, it->where.lineno);
		if (cm_score_explain(&score, x->sc, name, si.text, si.len,
		    opt->only_sentiment, &it->aux) < 0)
			cm_buf_reset(&it->aux);
	}
}

/* A line, on thread who: scored, and the thread's scratch bounded. */
static void work(void *ctx, struct cm_batch_item *it, unsigned who)
{
	struct scratch *x = &scratch[who];

	score_record(x, it);
	if (x->text.cap > SCRATCH_KEEP)
		cm_buf_free(&x->text);
	if (x->sbuf.cap > SCRATCH_KEEP)
		cm_buf_free(&x->sbuf);
	cm_scorer_trim(x->sc, SCRATCH_KEEP);
}

/* What came of a line, on the main thread, in input order. */
static void emit(void *ctx, struct cm_batch_item *it)
{
	switch (it->fate) {
	case ITEM_BLANK:
		break;
	case ITEM_NOMEM:
		cm_die_nomem();
	case ITEM_REJECT:
		cm_input_reject_at(input, &it->where, it->line, it->len, "%s",
		    it->out.data);
		break;
	case ITEM_OUT:
		if (it->aux.len > 0) {	/* --explain */
			fflush(stdout);
			fwrite(it->aux.data, 1, it->aux.len, stderr);
		}
		cm_out_line(it->out.data, it->out.len);
		break;
	}
}

/* At exit too, when emit ends the program (--strict, a write error): the
 * threads are joined. */
static void stop_batcher(void)
{
	cm_batcher_free(batcher);
	batcher = NULL;
}

static int run(const struct opts *o, const struct cm_lexicon *lx,
    const struct cm_score_weights *w, char **files, int nfiles)
{
	const char *paths[P_N] = { o->field, "id", "author.followers",
		"author.verified", "author.is_brand", "metrics.likes",
		"metrics.reposts", "metrics.replies", "metrics.quotes",
		"links", "mentions", "tags", "score", "lang" };
	struct cm_input_opts io = o->in;
	const char *line;
	unsigned i;
	size_t len;
	int status;

	opt = o;
	if ((paths_c = cm_json_paths_new(paths, P_N)) == NULL) {
		if (errno == EINVAL)
			cm_usage_error("--field: '%s' is not a path", o->field);
		cm_die_nomem();
	}
	nscratch = o->jobs;
	if ((scratch = calloc(nscratch, sizeof(*scratch))) == NULL)
		cm_die_nomem();
	for (i = 0; i < nscratch; i++)
		if ((scratch[i].sc = cm_scorer_new(lx, w)) == NULL)
			cm_die_nomem();
	if ((batcher = cm_batcher_new(o->jobs, o->in.strict, work, emit,
	    NULL)) == NULL)
		cm_die(errno == ENOMEM ? CM_EXIT_FAIL : CM_EXIT_TEMPFAIL,
		    "cannot start %u threads:", o->jobs);
	atexit(stop_batcher);
	io.sync = cm_batcher_drain;
	io.sync_ctx = batcher;
	input = cm_input_open(files, nfiles, &io);
	while (cm_input_next(input, &line, &len))
		if (cm_batcher_add(batcher, input, line, len) < 0)
			cm_die_nomem();
	cm_batcher_drain(batcher);
	stop_batcher();
	status = cm_input_close(input);
	input = NULL;
	for (i = 0; i < nscratch; i++) {
		cm_scorer_free(scratch[i].sc);
		cm_buf_free(&scratch[i].text);
		cm_buf_free(&scratch[i].sbuf);
		cm_buf_free(&scratch[i].lang);
	}
	free(scratch);
	scratch = NULL;
	cm_json_paths_free(paths_c);
	paths_c = NULL;
	return status;
}

/* The CPUs this process may run on (taskset, cpusets), else those
 * online. */
static unsigned online_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > CM_WORKERS_MAX ? CM_WORKERS_MAX : (unsigned)n;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lexicon-add", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		{ "field", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lexicon", required_argument, NULL, 'l' },
		{ "only", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ "weights", required_argument, NULL, 'w' },
		{ "explain", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	static struct cm_config *cfg;
	static struct cm_lexicon *lx;
	struct cm_score_weights w = CM_SCORE_WEIGHTS_DEFAULT;
	struct opts o;
	int c, status, unbuffered = 0;

	cm_cli_init(argv);
	memset(&o, 0, sizeof(o));
	o.field = "text";
	o.jobs = 1;
	while ((c = getopt_long(argc, argv, "a:c:f:hj:l:o:r:suVw:x", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'a':
			if (o.nadd == MAX_ADD)
				cm_usage_error("--lexicon-add: at most %d files",
				    MAX_ADD);
			o.adds[o.nadd++] = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'f':
			if (*optarg == '\0')
				cm_usage_error("--field: empty path");
			o.field = optarg;
			break;
		case 'h':
			cm_cli_help(usage);
		case 'j':
			o.jobs = (unsigned)cm_opt_count("--jobs", optarg, 0,
			    CM_WORKERS_MAX);
			if (o.jobs == 0)
				o.jobs = online_cpus();
			break;
		case 'l':
			o.lexicon = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "sentiment") != 0)
				cm_usage_error("--only: '%s': only 'sentiment' "
				    "is known", optarg);
			o.only_sentiment = 1;
			break;
		case 'r':
			o.in.rejects = optarg;
			break;
		case 's':
			o.in.strict = 1;
			break;
		case 'u':
			cm_out_set_unbuffered(1);
			unbuffered = 1;
			break;
		case 'V':
			cm_cli_version();
		case 'w':
			o.weights = optarg;
			break;
		case 'x':
			o.explain = 1;
			break;
		default:
			cm_cli_try();
		}
	}
	if (unbuffered)
		o.jobs = 1;	/* a record is written as soon as it is read */
	cfg = cm_cli_config(o.config);
	check_keys(cfg);
	load_weights(&o, cfg, &w);
	lx = load_lexicon(&o, cfg);
	status = run(&o, lx, &w, argv + optind, argc - optind);
	cm_lexicon_free(lx);
	cm_config_free(cfg);
	cm_out_close();
	return status;
}
