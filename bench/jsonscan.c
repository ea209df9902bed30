/* jsonscan.c - benchmark: jq -c '[.id,.text,.author.followers]' in C */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jv.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/line.h"

enum { P_ID, P_TEXT, P_FOLLOWERS, P_AUTHOR, P_N };

static const char *const paths[P_N] = {
	"id", "text", "author.followers", "author"
};

static void usage(FILE *f)
{
	fputs("usage: jsonscan [-n] [-s] [FILE]\n"
	    "Validates each line of FILE (default stdin) as strict JSON and\n"
	    "prints [.id,.text,.author.followers] per line as jq -c does.\n"
	    "  -n  print nothing (scan and extract only)\n"
	    "  -s  print lines, bytes, seconds and MB/s on stderr\n", f);
}

/* Appends the jq -c form of a value parsed by libjq: the slow path for
 * what jq would rewrite (numbers out of the plain-integer range,
 * containers). */
static int add_jv(struct cm_buf *o, const struct cm_json_value *v)
{
	jv j = jv_parse_sized(v->raw, (int)v->len), s;
	int r;

	if (!jv_is_valid(j)) {
		jv_free(j);
		return -1;
	}
	s = jv_dump_string(j, 0);
	r = cm_buf_adds(o, jv_string_value(s));
	jv_free(s);
	return r;
}

/* Appends s[0..n) (decoded) as jq 1.6 prints a string. */
static int add_jq_string(struct cm_buf *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *run;
	char u[6] = { '\\', 'u', '0', '0', 0, 0 };
	const char *esc;

	if (cm_buf_addc(o, '"') < 0)
		return -1;
	while (p < e) {
		for (run = p; p < e && *p >= 0x20 && *p != '"' && *p != '\\' &&
		    *p != 0x7f; p++)
			;
		if (cm_buf_add(o, run, (size_t)(p - run)) < 0)
			return -1;
		if (p == e)
			break;
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
			esc = NULL;
			break;
		}
		if ((esc ? cm_buf_add(o, esc, 2) : cm_buf_add(o, u, 6)) < 0)
			return -1;
		p++;
	}
	return cm_buf_addc(o, '"');
}

/*
 * Appends one extracted value as jq -c prints it.  Plain strings (no
 * escape, no DEL) and plain integers of up to 15 digits are copied as
 * they are: jq would print the same bytes.
 */
static int add_value(struct cm_buf *o, const struct cm_json_value *v,
    struct cm_buf *tmp)
{
	size_t i;

	switch (v->type) {
	case CM_JSON_NONE:
		return cm_buf_add(o, "null", 4);
	case CM_JSON_STRING:
		if (memchr(v->raw, '\\', v->len) == NULL &&
		    memchr(v->raw, 0x7f, v->len) == NULL)
			return cm_buf_add(o, v->raw, v->len);
		cm_buf_reset(tmp);
		if (cm_json_string(v, tmp) < 0)
			return -1;
		return add_jq_string(o, tmp->data, tmp->len);
	case CM_JSON_NUMBER:
		i = v->raw[0] == '-';
		if (v->len - i <= 15) {
			for (; i < v->len; i++)
				if (v->raw[i] < '0' || v->raw[i] > '9')
					break;
			if (i == v->len)
				return cm_buf_add(o, v->raw, v->len);
		}
		return add_jv(o, v);
	case CM_JSON_NULL:
	case CM_JSON_TRUE:
	case CM_JSON_FALSE:
		return cm_buf_add(o, v->raw, v->len);
	default:
		return add_jv(o, v);
	}
}

static int blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * Reads NDJSON, validates every line with cm_json_scan while extracting
 * id, text and author.followers in the same pass, and prints them as
 * jq -c '[.id,.text,.author.followers]' would.  On valid input the output
 * is byte for byte jq's: strings with no escape and no DEL, and integers
 * of up to 15 digits, are copied from the line; other strings are decoded
 * and re-escaped the way jq 1.6 prints them (so "\u00e9" comes out as
 * "é" and "\/" as "/"), other numbers and containers are printed by
 * libjq.  Where jq differs: it reads a stream, not lines (a value may span
 * lines), it stops at the first bad line where this counts it, reports it
 * on stderr and goes on, and it accepts what the strict scanner refuses
 * (tests/fixtures/json-differences.txt).
 */
int main(int argc, char **argv)
{
	struct cm_buf out = CM_BUF_INIT, tmp = CM_BUF_INIT;
	struct cm_json_value v[P_N];
	struct cm_json_paths *cp;
	struct cm_json_error err;
	struct cm_line_reader *r;
	struct timespec t0, t1;
	enum cm_line_status st;
	const char *name = "-", *line;
	size_t len, lineno, nlines = 0, bad = 0, i;
	unsigned long long bytes = 0;
	int c, fd = 0, quiet = 0, stats = 0, status = 0;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	while ((c = getopt(argc, argv, "hns")) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'n':
			quiet = 1;
			break;
		case 's':
			stats = 1;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		name = argv[optind];
		if ((fd = open(name, O_RDONLY)) < 0) {
			fprintf(stderr, "jsonscan: %s: %s\n", name,
			    strerror(errno));
			return 2;
		}
	}
	if ((cp = cm_json_paths_new(paths, P_N)) == NULL ||
	    (r = cm_line_open(fd, 0)) == NULL) {
		fprintf(stderr, "jsonscan: %s\n", strerror(errno));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((st = cm_line_next(r, &line, &len, &lineno)) != CM_LINE_EOF) {
		if (st == CM_LINE_ERROR) {
			fprintf(stderr, "jsonscan: %s: %s\n", name,
			    strerror(errno));
			status = 1;
			break;
		}
		nlines++;
		bytes += len + 1;
		if (st == CM_LINE_TOOLONG) {
			fprintf(stderr, "jsonscan: %s:%zu: line too long\n",
			    name, lineno);
			bad++;
			continue;
		}
		if (cm_json_scan(line, len, 0, cp, v, &err) < 0) {
			if (blank(line, len))
				continue;
			fprintf(stderr, "jsonscan: %s:%zu: invalid JSON at "
			    "byte %zu: %s\n", name, lineno, err.offset + 1,
			    err.msg);
			bad++;
			continue;
		}
		/* Where jq would stop with "Cannot index ...". */
		for (i = 0; i < len && blank(line + i, 1); i++)
			;
		if (i == len || line[i] != '{' ||
		    (v[P_AUTHOR].type != CM_JSON_NONE &&
		    v[P_AUTHOR].type != CM_JSON_NULL &&
		    v[P_AUTHOR].type != CM_JSON_OBJECT)) {
			fprintf(stderr, "jsonscan: %s:%zu: not a record\n",
			    name, lineno);
			bad++;
			continue;
		}
		if (quiet)
			continue;
		if (cm_buf_addc(&out, '[') < 0 ||
		    add_value(&out, &v[P_ID], &tmp) < 0 ||
		    cm_buf_addc(&out, ',') < 0 ||
		    add_value(&out, &v[P_TEXT], &tmp) < 0 ||
		    cm_buf_addc(&out, ',') < 0 ||
		    add_value(&out, &v[P_FOLLOWERS], &tmp) < 0 ||
		    cm_buf_add(&out, "]\n", 2) < 0) {
			fprintf(stderr, "jsonscan: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (out.len >= (1 << 16)) {
			if (fwrite(out.data, 1, out.len, stdout) != out.len)
				break;
			out.len = 0;
		}
	}
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "jsonscan: stdout: %s\n", strerror(errno));
		status = 1;
	}
	if (stats) {
		double s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		fprintf(stderr, "jsonscan: %zu lines, %llu bytes, %.3f s, "
		    "%.0f MB/s\n", nlines, bytes, s, s > 0 ? bytes / s / 1e6 : 0);
	}
	if (bad > 0) {
		fprintf(stderr, "jsonscan: %zu bad line%s\n", bad,
		    bad == 1 ? "" : "s");
		status = 1;
	}
	cm_line_close(r);
	cm_json_paths_free(cp);
	cm_buf_free(&out);
	cm_buf_free(&tmp);
	if (fd > 0)
		close(fd);
	return status;
}
