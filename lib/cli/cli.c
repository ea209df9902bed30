/* cli.c - the conventions every cm program shares: messages, exit status,
 * input streams with bad-line handling, checked output */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "core/line.h"
#include "core/timeutil.h"

static const char *prog = "cm";
static int out_unbuffered;

void cm_cli_init(char **argv)
{
	const char *slash;

	if (argv && argv[0] && *argv[0]) {
		slash = strrchr(argv[0], '/');
		prog = slash ? slash + 1 : argv[0];
		argv[0] = (char *)prog;
	}
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* A parent may have ignored SIGPIPE; a closed pipe must end us. */
	signal(SIGPIPE, SIG_DFL);
}

const char *cm_cli_prog(void)
{
	return prog;
}

static void vwarn(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void cm_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void cm_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void cm_die_error(const struct cm_error *e)
{
	cm_die(e->status, "%s", e->msg);
}

struct cm_config *cm_cli_config(const char *path)
{
	struct cm_buf dflt = CM_BUF_INIT;
	struct cm_error err;
	struct cm_config *cfg;

	if (path)
		cfg = cm_config_load(path, 0, &err);
	else {
		const char *named = getenv("CM_CONFIG");

		if (cm_config_default_path(&dflt) < 0)
			return NULL;	/* no HOME: no config */
		/* A file the user named must be there. */
		cfg = cm_config_load(dflt.data, named == NULL || !*named, &err);
		cm_buf_free(&dflt);
	}
	if (cfg == NULL)
		cm_die_error(&err);
	return cfg;
}

void cm_die_nomem(void)
{
	cm_die(CM_EXIT_NOMEM, "out of memory");
}

void cm_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(CM_EXIT_USAGE);
}

void cm_cli_help(void (*usage)(FILE *))
{
	usage(stdout);
	cm_out_close();
	exit(CM_EXIT_OK);
}

void cm_cli_try(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(CM_EXIT_USAGE);
}

void cm_cli_version(void)
{
	printf("%s %s\n", prog, CM_VERSION);
	cm_out_close();
	exit(CM_EXIT_OK);
}

uint64_t cm_opt_count(const char *opt, const char *s, uint64_t lo,
    uint64_t hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s >= '0' && *s <= '9' && !*end && (errno == ERANGE || v > hi))
		cm_usage_error("%s: '%s' is too large (at most %llu)", opt, s,
		    (unsigned long long)hi);
	if (*s < '0' || *s > '9' || errno || *end || v < lo || v > hi) {
		if (lo == 0 && hi == UINT64_MAX)
			cm_usage_error("%s: '%s' is not a whole number", opt, s);
		cm_usage_error("%s: '%s' is not a whole number from %llu to "
		    "%llu", opt, s, (unsigned long long)lo,
		    (unsigned long long)hi);
	}
	return v;
}

int64_t cm_opt_when(const char *opt, const char *s, int64_t now,
    int64_t *day)
{
	int64_t t;
	int r;

	if ((r = cm_when_parse(s, now, &t, day)) == -2)
		cm_usage_error("%s: '%s' " CM_WHEN_BARE, opt, s, s, s);
	if (r < 0)
		cm_usage_error("%s: '%s' is not a time (" CM_WHEN_FORMS ")",
		    opt, s);
	return t;
}

void cm_opt_range(int64_t since, int64_t until)
{
	if (since != INT64_MIN && until != INT64_MAX && since >= until)
		cm_usage_error("--since is not before --until: no record can "
		    "be in that range");
}

static void write_failed(void)
{
	if (errno == EPIPE) {
		/* The reader is gone: end quietly, as git does. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
		_exit(CM_EXIT_FAIL);
	}
	fprintf(stderr, "%s: write error: %s\n", prog,
	    errno ? strerror(errno) : "unknown error");
	/* exit, not _exit: atexit handlers free what the program holds. */
	exit(CM_EXIT_FAIL);
}

void cm_out_set_unbuffered(int on)
{
	out_unbuffered = on;
}

void cm_out_write(const void *p, size_t n)
{
	errno = 0;
	if (n && fwrite(p, 1, n, stdout) != n)
		write_failed();
}

void cm_out_line(const void *p, size_t n)
{
	errno = 0;
	if ((n && fwrite(p, 1, n, stdout) != n) || putchar('\n') == EOF)
		write_failed();
	if (out_unbuffered && fflush(stdout) == EOF)
		write_failed();
}

void cm_out_sync(void)
{
	struct stat sb;

	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		write_failed();
	/* A file on disk: the records must be there, not in the page cache,
	 * before a cursor says they were delivered. */
	if (fstat(STDOUT_FILENO, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    fsync(STDOUT_FILENO) < 0 && errno != EINVAL && errno != EROFS)
		write_failed();
}

void cm_out_close(void)
{
	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		write_failed();
	if (fclose(stdout) == EOF)
		write_failed();
}

/*
 * Rejections of one kind (the same reason up to its first ": " but for
 * its numbers: "invalid JSON at byte 7: expected value" and "invalid
 * JSON at byte 13: trailing characters" are) are shown QUIET_AFTER times
 * per file; the rest are counted, and each kind's count is one summary
 * line at the end of the file.  So pretty-printed JSON, or a stream of
 * the wrong kind of lines, gets a few dozen lines of messages, not one
 * per line.  Kinds past QUIET_KINDS in a file are always shown.
 */
#define QUIET_AFTER 10
#define QUIET_KINDS 8

struct quiet {
	char kind[128];		/* digit runs as '#' */
	char reason[512];	/* the first reason not shown */
	size_t seen, hidden, first, last;	/* not shown: how many, where */
};

struct cm_input {
	char **files;
	int nfiles;
	int next_file;
	struct cm_input_opts opts;
	const char *name;
	int fd;
	struct cm_line_reader *reader;
	size_t lineno;
	size_t bad;
	FILE *rejects;
	const char *line;	/* current line, for the rejects copy */
	size_t len;
	int crlf;		/* it ended in "\r\n" */
	int spilled;		/* it was too long: streamed into rejects */
	struct quiet quiet[QUIET_KINDS];
	size_t nquiet;
	const char *quiet_name;	/* the file they are of */
};

static void kind_of(const char *reason, char *kind, size_t size)
{
	size_t i = 0;

	for (; *reason && i + 1 < size; reason++)
		if (reason[0] == ':' && reason[1] == ' ')
			break;
		else if (*reason < '0' || *reason > '9')
			kind[i++] = *reason;
		else if (i == 0 || kind[i - 1] != '#')
			kind[i++] = '#';
	kind[i] = '\0';
}

/* The summaries of the kinds whose rejections were not all shown. */
static void quiet_end(struct cm_input *in)
{
	for (size_t i = 0; i < in->nquiet; i++) {
		struct quiet *q = &in->quiet[i];

		if (q->hidden == 0)
			continue;
		fflush(stdout);
		fprintf(stderr, "%s: %s:%zu-%zu: %zu more line%s rejected the "
		    "same way (the first: %s)\n", prog,
		    in->quiet_name ? in->quiet_name : "-", q->first, q->last,
		    q->hidden, q->hidden == 1 ? "" : "s", q->reason);
	}
	in->nquiet = 0;
	in->quiet_name = NULL;
}

/* Whether the rejection of name:lineno for reason is shown. */
static int quiet_show(struct cm_input *in, const char *name, size_t lineno,
    const char *reason)
{
	char kind[sizeof(in->quiet[0].kind)];
	struct quiet *q = NULL;
	size_t i;

	if (name != in->quiet_name) {
		quiet_end(in);
		in->quiet_name = name;
	}
	kind_of(reason, kind, sizeof(kind));
	for (i = 0; i < in->nquiet && q == NULL; i++)
		if (strcmp(in->quiet[i].kind, kind) == 0)
			q = &in->quiet[i];
	if (q == NULL) {
		if (in->nquiet == QUIET_KINDS)
			return 1;
		q = &in->quiet[in->nquiet++];
		memset(q, 0, sizeof(*q));
		snprintf(q->kind, sizeof(q->kind), "%s", kind);
	}
	if (++q->seen <= QUIET_AFTER)
		return 1;
	if (q->hidden++ == 0) {
		q->first = lineno;
		snprintf(q->reason, sizeof(q->reason), "%s", reason);
	}
	q->last = lineno;
	return 0;
}

/* Lets a program holding lines back write them out first; errno is
 * kept for the message that follows. */
static void sync_held(struct cm_input *in)
{
	int saved = errno;

	if (in->opts.sync)
		in->opts.sync(in->opts.sync_ctx);
	errno = saved;
}

/* A line over the cap goes to the rejects file as it is read. */
static void spill_reject(void *ctx, const char *p, size_t n)
{
	struct cm_input *in = ctx;

	sync_held(in);
	if (fwrite(p, 1, n, in->rejects) != n)
		cm_die(CM_EXIT_FAIL, "%s: write error:", in->opts.rejects);
}

static char *stdin_name[] = { "-" };

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Opening the rejects file truncates it: refuse one that is also an input
 * or the output (the same regular file, by any name) before anything is
 * opened for writing.  Devices such as /dev/null may be both.
 */
static void refuse_clobber(const char *rejects, char **files, int nfiles)
{
	struct stat r, sb;
	int i;

	if (stat(rejects, &r) < 0 || !S_ISREG(r.st_mode))
		return;
	if (fstat(STDOUT_FILENO, &sb) == 0 && same_file(&r, &sb))
		cm_usage_error("--rejects %s: is also the output; refusing to "
		    "overwrite it", rejects);
	for (i = 0; i < nfiles; i++) {
		int found = strcmp(files[i], "-") == 0 ?
		    fstat(STDIN_FILENO, &sb) == 0 : stat(files[i], &sb) == 0;

		if (found && same_file(&r, &sb))
			cm_usage_error("--rejects %s: is also an input (%s); "
			    "refusing to overwrite it", rejects,
			    strcmp(files[i], "-") == 0 ? "stdin" : files[i]);
	}
}

struct cm_input *cm_input_open(char **files, int nfiles,
    const struct cm_input_opts *opts)
{
	struct cm_input *in;

	if (nfiles == 0) {
		files = stdin_name;
		nfiles = 1;
	}
	if (opts && opts->rejects)
		refuse_clobber(opts->rejects, files, nfiles);
	if ((in = calloc(1, sizeof(*in))) == NULL)
		cm_die_nomem();
	in->files = files;
	in->nfiles = nfiles;
	in->fd = -1;
	if (opts)
		in->opts = *opts;
	if (in->opts.rejects &&
	    (in->rejects = fopen(in->opts.rejects, "w")) == NULL)
		cm_die(CM_EXIT_USAGE, "%s:", in->opts.rejects);
	return in;
}

static void close_current(struct cm_input *in)
{
	cm_line_close(in->reader);
	in->reader = NULL;
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
}

/* Opens the next readable file; returns 0 when none is left. */
static int open_next(struct cm_input *in)
{
	while (in->next_file < in->nfiles) {
		const char *path = in->files[in->next_file++];

		in->lineno = 0;
		if (strcmp(path, "-") == 0) {
			in->name = "<stdin>";
			in->fd = 0;
		} else {
			in->name = path;
			if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
				sync_held(in);
				quiet_end(in);
				cm_warn("%s:", path);
				in->bad++;
				if (in->opts.strict)
					goto strict;
				continue;
			}
		}
		if ((in->reader = cm_line_open(in->fd, in->opts.max_line)) ==
		    NULL)
			cm_die_nomem();
		if (in->rejects)
			cm_line_spill(in->reader, spill_reject, in);
		if (in->opts.sync)
			cm_line_idle(in->reader, in->opts.sync,
			    in->opts.sync_ctx);
		return 1;
	}
	return 0;
strict:
	cm_out_close();
	exit(CM_EXIT_FAIL);
}

int cm_input_next(struct cm_input *in, const char **line, size_t *len)
{
	enum cm_line_status st;
	size_t n;

	for (;;) {
		if (in->reader == NULL && !open_next(in))
			return 0;
		st = cm_line_next(in->reader, line, &n, &in->lineno);
		in->line = *line;
		in->len = n;
		in->crlf = cm_line_crlf(in->reader);
		in->spilled = st == CM_LINE_TOOLONG;
		switch (st) {
		case CM_LINE_OK:
			*len = n;
			return 1;
		case CM_LINE_TOOLONG:
			sync_held(in);
			cm_input_reject(in, "line too long (%zu bytes, limit %zu)",
			    n, in->opts.max_line ? in->opts.max_line :
			    CM_LINE_DEFAULT_MAX);
			break;
		case CM_LINE_ERROR:
			sync_held(in);
			quiet_end(in);
			cm_warn("%s: read error:", in->name);
			in->bad++;
			close_current(in);
			if (in->opts.strict) {
				cm_out_close();
				exit(CM_EXIT_FAIL);
			}
			break;
		case CM_LINE_EOF:
			close_current(in);
			sync_held(in);	/* the next open may wait (a FIFO) */
			quiet_end(in);
			break;
		}
	}
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

int cm_input_check(const struct cm_input *in, const char *line, size_t len,
    const struct cm_json_paths *paths, struct cm_json_value *out, char *why,
    size_t whylen)
{
	struct cm_json_error err;
	size_t i;

	if (is_blank(line, len))
		return 0;
	if (cm_json_scan(line, len, in->opts.max_depth, paths, out, &err) < 0) {
		snprintf(why, whylen, "invalid JSON at byte %zu: %s",
		    err.offset + 1, err.msg);
		return -1;
	}
	for (i = 0; i < len && is_blank(line + i, 1); i++)
		;
	if (i == len || line[i] != '{') {
		snprintf(why, whylen, "not a JSON object");
		return -1;
	}
	return 1;
}

int cm_input_next_record(struct cm_input *in, const struct cm_json_paths *paths,
    struct cm_json_value *out, const char **line, size_t *len)
{
	char why[256];
	int rc;

	while (cm_input_next(in, line, len))
		if ((rc = cm_input_check(in, *line, *len, paths, out, why,
		    sizeof(why))) > 0)
			return 1;
		else if (rc < 0)
			cm_input_reject(in, "%s", why);
	return 0;
}

/* The message, the count, the rejects copy (with the line's own line
 * end) and --strict, for a line from name:lineno; line is NULL for a
 * line already streamed into the rejects file (spilled). */
static void reject(struct cm_input *in, const char *name, size_t lineno,
    const char *line, size_t len, int crlf, int spilled, const char *fmt,
    va_list ap)
{
	char reason[512];

	vsnprintf(reason, sizeof(reason), fmt, ap);
	if (quiet_show(in, name, lineno, reason)) {
		fflush(stdout);
		fprintf(stderr, "%s: %s:%zu: %s\n", prog, name ? name : "-",
		    lineno, reason);
	}
	in->bad++;
	if (in->rejects && (line || spilled)) {
		if ((line && fwrite(line, 1, len, in->rejects) != len) ||
		    fputs(crlf ? "\r\n" : "\n", in->rejects) == EOF)
			cm_die(CM_EXIT_FAIL, "%s: write error:",
			    in->opts.rejects);
	}
	if (in->opts.strict) {
		cm_input_close(in);
		cm_out_close();
		exit(CM_EXIT_FAIL);
	}
}

void cm_input_reject(struct cm_input *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reject(in, in->name, in->lineno, in->line, in->len, in->crlf,
	    in->spilled, fmt, ap);
	va_end(ap);
}

void cm_input_where(const struct cm_input *in, struct cm_input_where *w)
{
	w->name = in->name;
	w->lineno = in->lineno;
	w->crlf = in->crlf;
}

void cm_input_reject_at(struct cm_input *in, const struct cm_input_where *w,
    const char *line, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reject(in, w->name, w->lineno, line, len, w->crlf, 0, fmt, ap);
	va_end(ap);
}

const char *cm_input_name(const struct cm_input *in)
{
	return in->name;
}

size_t cm_input_lineno(const struct cm_input *in)
{
	return in->lineno;
}

size_t cm_input_bad(const struct cm_input *in)
{
	return in->bad;
}

int cm_input_close(struct cm_input *in)
{
	int status;

	if (in == NULL)
		return CM_EXIT_OK;
	close_current(in);
	quiet_end(in);
	status = in->bad ? CM_EXIT_FAIL : CM_EXIT_OK;
	if (in->rejects && fclose(in->rejects) == EOF) {
		cm_warn("%s: write error:", in->opts.rejects);
		status = CM_EXIT_FAIL;
	}
	free(in);
	return status;
}
