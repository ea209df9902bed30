/* csv.c - csv:FILE, records imported from a CSV file (exports of other
 * tools) through libcsv, with a column mapping */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>

#include "adapter.h"
#include "core/platform.h"
#include "core/timeutil.h"

#define PAGE 1000		/* rows a page */
#define CHUNK 65536		/* bytes read at a time */
#define MAX_ROW ((size_t)16 << 20)	/* a row's bytes */
/* libcsv grows a field by this much at a time (128 bytes unless told):
 * a long field by small steps is quadratic, minutes under ASan. */
#define CSV_BLOCK ((size_t)64 << 10)
#define MAX_COLS 256

/* The record fields a column can fill. */
enum {
	F_ID, F_PLATFORM, F_KIND, F_REASON, F_CREATED, F_URL, F_AID,
	F_HANDLE, F_NAME, F_AURL, F_FOLLOWERS, F_VERIFIED, F_BRAND, F_TEXT,
	F_LANG, F_REPLY, F_THREAD, F_LIKES, F_REPOSTS, F_REPLIES, F_QUOTES,
	NFIELDS
};

static const char *const field_names[NFIELDS] = {
	"id", "platform", "kind", "reason", "created_at", "url", "author.id",
	"author.handle", "author.name", "author.url", "author.followers",
	"author.verified", "author.is_brand", "text", "lang", "in_reply_to",
	"thread", "metrics.likes", "metrics.reposts", "metrics.replies",
	"metrics.quotes"
};

static const struct cm_feed feeds[] = {
	{ .name = "", .arg = "FILE", .order = CM_ORDER_NONE,
	    .help = "the rows of a CSV file (- for stdin), a record each" },
	{ .name = NULL }
};

struct csvsrc {
	const struct cm_source *src;
	int fd;
	struct csv_parser p;
	int parser_ready;
	char delim;
	/* the mapping: for each field, the header it is read from */
	char *want[NFIELDS];
	int col_of[NFIELDS];		/* column index, -1 none */
	const char *time_format;
	const char *default_platform, *default_reason;
	char **brand;			/* brand handles, lower case */
	size_t nbrand;
	/* the row being read */
	struct cm_buf cols[MAX_COLS];
	size_t ncols, row_bytes;
	size_t line, row_line;		/* the line now, the row's first */
	int header_done, row_started, bad_row, eof;
	struct cm_buf pending;		/* bytes read, not yet fed */
	size_t ppos;
	/* what rows make */
	struct cm_sink *sink;
	int stop, failed;
	uint64_t rows;
	struct cm_buf id, handle, url, platform, reply, thread;
	const char *name;		/* for messages */
};

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * "id=Message ID, text=Message": the columns key.  Returns 0, or -1 with
 * err naming the key's line.
 */
static int parse_columns(struct csvsrc *c, const char *v,
    struct cm_error *err)
{
	const struct cm_config *cfg = c->src->cfg;
	const char *p = v, *comma, *eq;
	size_t k;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		eq = memchr(p, '=', (size_t)(comma - p));
		for (k = 0; eq && k < NFIELDS; k++)
			if (strlen(field_names[k]) == (size_t)(eq - p) &&
			    strncasecmp(field_names[k], p, (size_t)(eq - p)) == 0)
				break;
		if (eq == NULL || k == NFIELDS) {
			cm_config_bad(cfg, "account", c->src->account,
			    "columns", err, "columns: '%.*s' is not "
			    "FIELD=HEADER with a field of cm-record(5) (id, "
			    "created_at, text, author.handle ...)",
			    (int)(comma - p), p);
			return -1;
		}
		free(c->want[k]);
		if ((c->want[k] = strndup(eq + 1, (size_t)(comma - eq - 1))) ==
		    NULL) {
			cm_error_nomem(err, c->src->spec);
			return -1;
		}
		/* the header without the spaces around it */
		for (size_t n = strlen(c->want[k]); n > 0 &&
		    (c->want[k][n - 1] == ' ' || c->want[k][n - 1] == '\t'); n--)
			c->want[k][n - 1] = '\0';
		memmove(c->want[k], c->want[k] + strspn(c->want[k], " \t"),
		    strlen(c->want[k] + strspn(c->want[k], " \t")) + 1);
		p = *comma ? comma + 1 : comma;
	}
	return 0;
}

static int parse_brand(struct csvsrc *c, const char *v, struct cm_error *err)
{
	const char *p = v, *comma;

	while (*p) {
		char *h;
		size_t n;

		p += strspn(p, " \t@");
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n) {
			char **b = realloc(c->brand, (c->nbrand + 1) *
			    sizeof(*b));

			if (b == NULL || (h = strndup(p, n)) == NULL) {
				if (b)
					c->brand = b;
				cm_error_nomem(err, c->src->spec);
				return -1;
			}
			for (char *q = h; *q; q++)
				if (*q >= 'A' && *q <= 'Z')
					*q |= 0x20;
			c->brand = b;
			c->brand[c->nbrand++] = h;
		}
		p = comma ? comma + 1 : p + strlen(p);
	}
	return 0;
}

/* cm-record(5)'s words for kind and reason. */
static int one_of(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(v, *words) == 0)
			return 1;
	return 0;
}

static const char *const kinds[] = { "post", "reply", "comment", "message",
	NULL };
static const char *const reasons[] = { "mention", "reply", "quote",
	"search", "tag", "channel", "own", NULL };

/* The settings of an [account] with platform = csv. */
static int settings(struct csvsrc *c, struct cm_error *err)
{
	const struct cm_source *s = c->src;
	const char *v;

	c->delim = ',';
	c->default_reason = "search";
	if (!s->has_account)
		return 0;
	if ((v = cm_config_get(s->cfg, "account", s->account, "columns")) &&
	    parse_columns(c, v, err) < 0)
		return -1;
	if ((v = cm_config_get(s->cfg, "account", s->account, "brand")) &&
	    parse_brand(c, v, err) < 0)
		return -1;
	if ((v = cm_config_get(s->cfg, "account", s->account, "delimiter"))) {
		static const char *const names[][2] = { { "tab", "\t" },
		    { "comma", "," }, { "semicolon", ";" }, { "pipe", "|" } };

		c->delim = 0;
		for (size_t i = 0; i < 4; i++)
			if (strcasecmp(v, names[i][0]) == 0)
				c->delim = names[i][1][0];
		if (!c->delim && strlen(v) == 1 && v[0] != '"' && v[0] != '\n')
			c->delim = v[0];
		if (!c->delim) {
			cm_config_bad(s->cfg, "account", s->account,
			    "delimiter", err, "delimiter: tab, comma, "
			    "semicolon, pipe or one character in quotes");
			return -1;
		}
	}
	c->time_format = cm_config_get(s->cfg, "account", s->account,
	    "time-format");
	if ((v = cm_config_get(s->cfg, "account", s->account,
	    "record-platform"))) {
		if (cm_platform_find(v, strlen(v)) == NULL) {
			cm_config_bad(s->cfg, "account", s->account,
			    "record-platform", err, "record-platform: '%s' is "
			    "not a platform of cm-record(5)", v);
			return -1;
		}
		c->default_platform = v;
	}
	if ((v = cm_config_get(s->cfg, "account", s->account,
	    "record-reason"))) {
		if (!one_of(v, reasons)) {
			cm_config_bad(s->cfg, "account", s->account,
			    "record-reason", err, "record-reason: '%s' is not "
			    "a reason of cm-record(5)", v);
			return -1;
		}
		c->default_reason = v;
	}
	return 0;
}

static void csv_free_src(struct csvsrc *c)
{
	if (c == NULL)
		return;
	if (c->fd > 0)
		close(c->fd);
	if (c->parser_ready)
		csv_free(&c->p);
	for (size_t i = 0; i < NFIELDS; i++)
		free(c->want[i]);
	free_list(c->brand, c->nbrand);
	for (size_t i = 0; i < MAX_COLS; i++)
		cm_buf_free(&c->cols[i]);
	cm_buf_free(&c->pending);
	cm_buf_free(&c->id);
	cm_buf_free(&c->handle);
	cm_buf_free(&c->url);
	cm_buf_free(&c->platform);
	cm_buf_free(&c->reply);
	cm_buf_free(&c->thread);
	free(c);
}

static int csv_check(const struct cm_source *src, struct cm_error *err)
{
	struct csvsrc c;
	int r;

	if (src->arg == NULL || *src->arg == '\0') {
		cm_error_set(err, CM_EXIT_USAGE, "%s: csv needs a FILE (csv:FILE, "
		    "- for stdin)", src->spec);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.src = src;
	r = settings(&c, err);
	for (size_t i = 0; i < NFIELDS; i++)
		free(c.want[i]);
	free_list(c.brand, c.nbrand);
	return r;
}

static void *csv_open(const struct cm_source *src, struct cm_error *err)
{
	struct csvsrc *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		cm_error_nomem(err, src->spec);
		return NULL;
	}
	c->src = src;
	c->fd = -1;
	if (settings(c, err) < 0) {
		csv_free_src(c);
		return NULL;
	}
	c->name = strcmp(src->arg, "-") == 0 ? "<stdin>" : src->arg;
	if (strcmp(src->arg, "-") == 0)
		c->fd = 0;
	else if ((c->fd = open(src->arg, O_RDONLY | O_CLOEXEC)) < 0) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s", src->arg,
		    strerror(errno));
		csv_free_src(c);
		return NULL;
	}
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		cm_error_nomem(err, src->spec);
		csv_free_src(c);
		return NULL;
	}
	c->parser_ready = 1;
	csv_set_delim(&c->p, (unsigned char)c->delim);
	csv_set_blk_size(&c->p, CSV_BLOCK);
	c->line = 1;
	return c;
}

static void csv_close(void *st)
{
	csv_free_src(st);
}

static void bad(struct csvsrc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(struct csvsrc *c, const char *fmt, ...)
{
	char msg[512], why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%zu: %s", c->name, c->row_line, why);
	c->sink->bad(c->sink->ctx, msg);
}

static void on_field(void *s, size_t n, void *ctx)
{
	struct csvsrc *c = ctx;

	if (!c->row_started) {
		c->row_started = 1;
		c->row_line = c->line;
	}
	if (c->ncols == MAX_COLS) {
		c->bad_row = 1;
		return;
	}
	cm_buf_reset(&c->cols[c->ncols]);
	if (cm_buf_add(&c->cols[c->ncols], s ? s : "", s ? n : 0) < 0)
		c->failed = 1;
	c->ncols++;
}

/* Header names: matched without case, a UTF-8 byte order mark dropped. */
static void map_header(struct csvsrc *c)
{
	for (size_t k = 0; k < NFIELDS; k++) {
		const char *want = c->want[k] ? c->want[k] : field_names[k];

		c->col_of[k] = -1;
		for (size_t i = 0; i < c->ncols; i++) {
			const char *h = c->cols[i].data;

			if (i == 0 && strncmp(h, "\xef\xbb\xbf", 3) == 0)
				h += 3;
			if (strcasecmp(h, want) == 0) {
				c->col_of[k] = (int)i;
				break;
			}
		}
	}
}

static const char *col(struct csvsrc *c, int field)
{
	int i = c->col_of[field];

	if (i < 0 || (size_t)i >= c->ncols || c->cols[i].len == 0)
		return NULL;
	return c->cols[i].data;
}

/* A count cell: empty is null; otherwise a whole number. */
static int count_cell(struct csvsrc *c, int field, int64_t *out)
{
	const char *v = col(c, field);
	char *end;
	long long n;

	*out = CM_REC_NULL;
	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end || errno || n < 0) {
		bad(c, "%s '%.40s' is not a whole number", field_names[field],
		    v);
		return -1;
	}
	*out = n;
	return 0;
}

static int bool_cell(struct csvsrc *c, int field, int *out)
{
	const char *v = col(c, field);

	if (v == NULL)
		return 0;
	if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	    strcasecmp(v, "yes") == 0)
		*out = 1;
	else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
	    strcasecmp(v, "no") == 0)
		*out = 0;
	else {
		bad(c, "%s '%.40s' is not true or false", field_names[field],
		    v);
		return -1;
	}
	return 0;
}

static int parse_created(struct csvsrc *c, const char *v, int64_t *t)
{
	struct tm tm;
	const char *end;

	if (cm_time_parse(v, strlen(v), t) == 0)
		return 0;
	if (v[0] == '@' && v[1] >= '0' && v[1] <= '9' &&
	    cm_duration_parse(v + 1, t) == 0)
		return *t <= CM_TIME_MAX ? 0 : -1;
	if (c->time_format) {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(v, c->time_format, &tm)) != NULL &&
		    *end == '\0') {
			*t = cm_days_from_civil(tm.tm_year + 1900,
			    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) *
			    86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
			    tm.tm_sec;
			return *t >= CM_TIME_MIN && *t <= CM_TIME_MAX ? 0 : -1;
		}
	}
	return -1;
}

/* An id as the records of the platform write it: a native id gets the
 * platform's prefix, so that a reply's in_reply_to and thread match the
 * id of the row it answers. */
static int platform_id(struct cm_buf *b, const char *platform,
    const char *v)
{
	size_t pl = strlen(platform);

	cm_buf_reset(b);
	return strncmp(v, platform, pl) == 0 && v[pl] == ':' ?
	    cm_buf_adds(b, v) : cm_buf_printf(b, "%s:%s", platform, v);
}

/* A row made a record: checked, the id made when there is none. */
static void on_row(int term, void *ctx)
{
	struct csvsrc *c = ctx;
	struct cm_rec rec;
	const char *platform, *v;
	int64_t t;
	int r, is_brand = 0;

	(void)term;
	if (!c->row_started)
		goto next;	/* an empty line */
	if (c->failed || c->stop)
		goto next;
	if (c->bad_row) {
		bad(c, "more than %d columns", MAX_COLS);
		goto next;
	}
	if (!c->header_done) {
		c->header_done = 1;
		map_header(c);
		if (c->col_of[F_CREATED] < 0 || c->col_of[F_TEXT] < 0) {
			bad(c, "the header names no %s column (map one with "
			    "columns = in the account)", c->col_of[F_TEXT] < 0 ?
			    (c->want[F_TEXT] ? c->want[F_TEXT] : "text") :
			    (c->want[F_CREATED] ? c->want[F_CREATED] :
			    "created_at"));
			c->stop = 1;
		}
		goto next;
	}
	c->rows++;
	cm_rec_init(&rec);
	platform = col(c, F_PLATFORM);
	if (platform == NULL)
		platform = c->default_platform ? c->default_platform : "csv";
	cm_buf_reset(&c->platform);
	for (v = platform; *v; v++)
		if (cm_buf_addc(&c->platform, *v >= 'A' && *v <= 'Z' ?
		    (char)(*v | 0x20) : *v) < 0) {
			c->failed = 1;
			goto next;
		}
	platform = c->platform.len ? c->platform.data : "";
	if (cm_platform_find(platform, strlen(platform)) == NULL) {
		bad(c, "platform '%.40s' is not one of cm-record(5)", platform);
		goto next;
	}
	if ((v = col(c, F_CREATED)) == NULL || parse_created(c, v, &t) < 0) {
		bad(c, "created_at '%.40s' is not a time (RFC 3339, @SECONDS%s)",
		    v ? v : "", c->time_format ? ", or the time-format" : "");
		goto next;
	}
	rec.platform = platform;
	rec.created_at = t;
	rec.text = col(c, F_TEXT) ? col(c, F_TEXT) : "";
	rec.text_len = strlen(rec.text);
	/* A native id gets its platform's prefix; no id at all, one made of
	 * what the row says, so that importing it again gives the same. */
	cm_buf_reset(&c->id);
	if ((v = col(c, F_ID)) != NULL) {
		r = platform_id(&c->id, platform, v);
	} else {
		uint64_t h = 0xcbf29ce484222325ULL;
		const char *parts[3] = { v = col(c, F_CREATED),
		    col(c, F_HANDLE) ? col(c, F_HANDLE) : "", rec.text };

		for (int i = 0; i < 3; i++)
			for (const char *q = parts[i]; q && *q; q++) {
				h ^= (unsigned char)*q;
				h *= 0x100000001b3ULL;
			}
		r = cm_buf_printf(&c->id, "%s:csv-%016llx", platform,
		    (unsigned long long)h);
	}
	if (r < 0) {
		c->failed = 1;
		goto next;
	}
	rec.id = c->id.data;
	rec.kind = col(c, F_KIND) ? col(c, F_KIND) : col(c, F_REPLY) ?
	    "reply" : "post";
	rec.reason = col(c, F_REASON) ? col(c, F_REASON) : c->default_reason;
	if (!one_of(rec.kind, kinds)) {
		bad(c, "kind '%.40s' is not one of cm-record(5)", rec.kind);
		goto next;
	}
	if (!one_of(rec.reason, reasons)) {
		bad(c, "reason '%.40s' is not one of cm-record(5)",
		    rec.reason);
		goto next;
	}
	rec.url = col(c, F_URL);
	cm_buf_reset(&c->handle);
	if ((v = col(c, F_HANDLE)) != NULL) {
		v += strspn(v, "@");
		if (cm_buf_adds(&c->handle, v) < 0) {
			c->failed = 1;
			goto next;
		}
		for (size_t i = 0; i < c->nbrand && !is_brand; i++)
			is_brand = strcasecmp(c->brand[i], v) == 0;
		rec.author.handle = c->handle.data;
	}
	rec.author.id = col(c, F_AID) ? col(c, F_AID) : rec.author.handle;
	rec.author.name = col(c, F_NAME) ? col(c, F_NAME) : rec.author.handle;
	rec.author.url = col(c, F_AURL);
	rec.author.is_brand = is_brand;
	if (bool_cell(c, F_BRAND, &rec.author.is_brand) < 0 ||
	    bool_cell(c, F_VERIFIED, &rec.author.verified) < 0 ||
	    count_cell(c, F_FOLLOWERS, &rec.author.followers) < 0 ||
	    count_cell(c, F_LIKES, &rec.likes) < 0 ||
	    count_cell(c, F_REPOSTS, &rec.reposts) < 0 ||
	    count_cell(c, F_REPLIES, &rec.replies) < 0 ||
	    count_cell(c, F_QUOTES, &rec.quotes) < 0)
		goto next;
	rec.lang = col(c, F_LANG);
	/* A row that answers nothing is a thread's root, whatever its
	 * thread cell says: cm-record(5) sets thread exactly when
	 * in_reply_to is set. */
	if ((v = col(c, F_REPLY)) != NULL) {
		if (platform_id(&c->reply, platform, v) < 0 ||
		    platform_id(&c->thread, platform, col(c, F_THREAD) ?
		    col(c, F_THREAD) : v) < 0) {
			c->failed = 1;
			goto next;
		}
		rec.in_reply_to = c->reply.data;
		rec.thread = c->thread.data;
	}
	if ((r = c->sink->record(c->sink->ctx, &rec, t * 1000000)) < 0)
		c->failed = 1;
	else if (r == 1)
		c->stop = 1;
next:
	c->ncols = 0;
	c->row_started = 0;
	c->bad_row = 0;
	c->row_bytes = 0;
}

/* Feeds one line (with its newline) to the parser; a parse error skips
 * the row and starts again at the next line. */
static void feed_line(struct csvsrc *c, const char *p, size_t n)
{
	if (csv_parse(&c->p, p, n, on_field, on_row, c) != n) {
		if (!c->row_started)
			c->row_line = c->line;
		bad(c, "%s", csv_strerror(csv_error(&c->p)));
		csv_free(&c->p);
		c->parser_ready = 0;
		c->ncols = 0;
		c->row_started = c->bad_row = 0;
		c->row_bytes = 0;
		if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
			c->failed = 1;
			return;
		}
		c->parser_ready = 1;
		csv_set_delim(&c->p, (unsigned char)c->delim);
		csv_set_blk_size(&c->p, CSV_BLOCK);
	}
	c->row_bytes += n;
	if (c->row_started && c->row_bytes > MAX_ROW) {
		bad(c, "a row over %zu bytes", MAX_ROW);
		csv_free(&c->p);
		c->parser_ready = 0;
		c->ncols = 0;
		c->row_started = 0;
		c->row_bytes = 0;
		if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
			c->failed = 1;
		else {
			c->parser_ready = 1;
			csv_set_delim(&c->p, (unsigned char)c->delim);
			csv_set_blk_size(&c->p, CSV_BLOCK);
		}
	}
}

static int csv_local(void *st, const char *cursor, struct cm_sink *sink,
    struct cm_buf *next, struct cm_error *err)
{
	struct csvsrc *c = st;
	char buf[CHUNK];
	uint64_t start = c->rows;
	ssize_t got;
	const char *p, *nl;

	(void)cursor;	/* a file is read once, from where it is */
	c->sink = sink;
	while (!c->stop && !c->failed && c->rows - start < PAGE) {
		if (c->ppos >= c->pending.len) {
			cm_buf_reset(&c->pending);
			c->ppos = 0;
			if (c->eof)
				break;
			do
				got = read(c->fd, buf, sizeof(buf));
			while (got < 0 && errno == EINTR);
			if (got < 0) {
				cm_error_set(err, CM_EXIT_FAIL, "%s: read error: "
				    "%s", c->name, strerror(errno));
				return -1;
			}
			if (got == 0) {
				c->eof = 1;
				if (csv_fini(&c->p, on_field, on_row, c) != 0)
					bad(c, "%s", csv_strerror(csv_error(
					    &c->p)));
				break;
			}
			if (cm_buf_add(&c->pending, buf, (size_t)got) < 0)
				goto nomem;
		}
		p = c->pending.data + c->ppos;
		nl = memchr(p, '\n', c->pending.len - c->ppos);
		if (nl == NULL) {
			/* a line longer than a chunk: feed what there is */
			feed_line(c, p, c->pending.len - c->ppos);
			c->ppos = c->pending.len;
			continue;
		}
		feed_line(c, p, (size_t)(nl - p) + 1);
		c->ppos += (size_t)(nl - p) + 1;
		c->line++;
	}
	if (c->failed)
		goto nomem;
	if (!c->stop && !(c->eof && c->ppos >= c->pending.len) &&
	    cm_buf_adds(next, "more") < 0)
		goto nomem;
	return CM_PAGE_DONE;
nomem:
	cm_error_nomem(err, c->src->spec);
	return -1;
}

const struct cm_adapter cm_adapter_csv = {
	.platform = "csv",
	.feeds = feeds,
	.check = csv_check,
	.open = csv_open,
	.close = csv_close,
	.local = csv_local,
};
