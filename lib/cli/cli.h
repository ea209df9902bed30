/* cli.h - the conventions every cm program shares: messages, exit status,
 * input streams with bad-line handling, checked output */
#ifndef CM_CLI_H
#define CM_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "core/json.h"
#include "store/config.h"


/*
 * This module is the one place in lib/ that writes to stderr: it is the
 * programs' reporting voice, called only from cmd/.  cm_cli_init records
 * the program name (and puts it in argv[0], so getopt's messages name
 * the program, not its path), sets the locale as curl does (LC_NUMERIC
 * stays "C") and makes SIGPIPE end the program quietly.
 */
void cm_cli_init(char **argv);
const char *cm_cli_prog(void);

/* "prog: message\n" on stderr; cm_errx appends ": strerror(errno)" when
 * the format ends with ':' (as sbase does). */
void cm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cm_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* "prog: message" of a lib/ error, and exit with its status. */
void cm_die_error(const struct cm_error *e) __attribute__((noreturn));

/*
 * The config file every program reads before it does anything: path, or
 * when NULL $CM_CONFIG or the default (only the default's absence is no
 * error).  A
 * syntax error, an unreadable file or a named one that is missing ends
 * the program with status 2.  Returns NULL only when there is no default
 * path (HOME unset); free with cm_config_free.
 */
struct cm_config *cm_cli_config(const char *path);

/* "prog: out of memory", exit CM_EXIT_NOMEM. */
void cm_die_nomem(void) __attribute__((noreturn));

/* --help: usage(stdout), then exit 0, or 1 when writing it failed. */
void cm_cli_help(void (*usage)(FILE *)) __attribute__((noreturn));

/* After getopt's own message: the pointer to --help, exit 2. */
void cm_cli_try(void) __attribute__((noreturn));

/* Prints "prog VERSION" to stdout and exits 0. */
void cm_cli_version(void) __attribute__((noreturn));

/* A usage error: "prog: message" and a pointer to --help, exit 2. */
void cm_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/*
 * Option values: a whole number in lo..hi, and a point in time (the forms
 * of cm_when_parse).  A bad value is a usage error that
 * names the option and the accepted forms.
 */
uint64_t cm_opt_count(const char *opt, const char *s, uint64_t lo,
    uint64_t hi);
/* day as for cm_when_parse: NULL reads a date as its midnight UTC. */
int64_t cm_opt_when(const char *opt, const char *s, int64_t now,
    int64_t *day);
/* An empty --since/--until range (INT64_MIN / INT64_MAX: unset) is a
 * usage error. */
void cm_opt_range(int64_t since, int64_t until);

/*
 * Writes to stdout, checking errors: on EPIPE the program ends quietly
 * (SIGPIPE re-raised, as git does), on any other error it reports
 * "prog: write error: reason" and exits 1.  cm_out_line writes p[0..n)
 * and a newline; with unbuffered mode each line is flushed.
 */
void cm_out_set_unbuffered(int on);
void cm_out_write(const void *p, size_t n);
void cm_out_line(const void *p, size_t n);
/*
 * Flushes stdout and, when it is a regular file, fsyncs it, with the same
 * error handling: what was written is delivered when it returns.  Called
 * before saving a cursor that says so.
 */
void cm_out_sync(void);
/* Flushes and closes stdout at exit, with the same error handling. */
void cm_out_close(void);

/*
 * An input stream over the named files ("-" or none: stdin), line by
 * line, with the shared bad-input policy: cm_input_reject reports
 * "prog: FILE:LINE: reason", counts the line, copies it verbatim to the
 * rejects file when one is set, and with strict set ends the program with
 * status 1.  Lines longer than the cap and unreadable files are rejected
 * by cm_input_next itself.
 */
struct cm_input;

struct cm_input_opts {
	size_t max_line;	/* 0: CM_LINE_DEFAULT_MAX */
	int strict;
	const char *rejects;	/* path or NULL */
	int max_depth;		/* JSON nesting limit, 0: default */
	/*
	 * Called before the stream reports a line or file of its own (too
	 * long, unreadable), at the end of each file and before a read that
	 * would wait for input: a program that holds lines back to work on
	 * them in batches writes out what it holds, so that messages, the
	 * rejects file and the output stay in input order and nothing is
	 * kept back while the input is idle.
	 */
	void (*sync)(void *ctx);
	void *sync_ctx;
};

/* Exits with status 2 on a rejects file that cannot be opened. */
struct cm_input *cm_input_open(char **files, int nfiles,
    const struct cm_input_opts *opts);

/* Returns 1 with the next line, 0 at the end of all files. */
int cm_input_next(struct cm_input *in, const char **line, size_t *len);

/*
 * cm_input_next_record is cm_input_next plus cm_json_scan: it returns
 * only lines that are valid JSON objects, rejecting the rest (and blank
 * lines are skipped silently).  out gets the values of paths as in
 * cm_json_scan; paths may be NULL.
 */
int cm_input_next_record(struct cm_input *in, const struct cm_json_paths *paths,
    struct cm_json_value *out, const char **line, size_t *len);

void cm_input_reject(struct cm_input *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * For lines worked on later, away from the stream (cm-score --jobs):
 * cm_input_check is cm_input_next_record's test of one line, safe to call
 * from several threads at once; it returns 1 for a JSON object, 0 for a
 * blank line, -1 with the reason in why.  cm_input_where saves where the
 * current line came from; cm_input_reject_at rejects a line read earlier,
 * as cm_input_reject does the current one.
 */
int cm_input_check(const struct cm_input *in, const char *line, size_t len,
    const struct cm_json_paths *paths, struct cm_json_value *out, char *why,
    size_t whylen);

struct cm_input_where {
	const char *name;
	size_t lineno;
	int crlf;
};

void cm_input_where(const struct cm_input *in, struct cm_input_where *w);
void cm_input_reject_at(struct cm_input *in, const struct cm_input_where *w,
    const char *line, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

const char *cm_input_name(const struct cm_input *in);	/* current file */
size_t cm_input_lineno(const struct cm_input *in);	/* current line */
size_t cm_input_bad(const struct cm_input *in);	/* lines rejected */

/* Frees the stream; returns CM_EXIT_FAIL when any line or file was
 * rejected, else CM_EXIT_OK. */
int cm_input_close(struct cm_input *in);

#endif
