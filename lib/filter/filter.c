/* filter.c - cm-filter's record tests: flag values, their evaluation on
 * scanned fields, --unique's id set and --unanswered's read-ahead queue */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/idset.h"
#include "core/platform.h"
#include "filter.h"
#include "core/timeutil.h"

/* The fields a test can need, and their paths in a record. */
enum field {
	F_ID, F_PLATFORM, F_KIND, F_REASON, F_CREATED, F_LANG, F_FOLLOWERS,
	F_HANDLE, F_AUTHOR_ID, F_IS_BRAND, F_IN_REPLY_TO, F_TEXT, F_PRIORITY,
	F_LABEL, F_COUNT
};

static const char *const field_path[F_COUNT] = {
	"id", "platform", "kind", "reason", "created_at", "lang",
	"author.followers", "author.handle", "author.id", "author.is_brand",
	"in_reply_to", "text", "score.priority", "score.label"
};

/* The closed vocabularies of cm-record(5), as "accepted forms". */
static const char *const kinds[] = { "post", "reply", "comment", "message",
	NULL };
static const char *const reasons[] = { "mention", "reply", "quote",
	"search", "tag", "channel", "own", NULL };
static const char *const labels[] = { "positive", "neutral", "negative",
	NULL };

struct list {
	char **v;
	size_t n;
};

struct pattern {
	char *src;
	regex_t re;
};

/*
 * --unanswered's read-ahead: the records whose fate is not known yet, in
 * input order, in a doubly linked queue, each a copy of its line and of
 * its id's key.  A pending record (inbound, passing the flags and EXPR)
 * waits for a brand reply to it; with --invert, the records that pass
 * behind it wait too, so that output keeps input order.  The pending
 * ones are also in a chained hash index by id, which a brand reply's
 * in_reply_to looks up.  The head is always pending: whatever is decided
 * at the head is emitted (or dropped) at once.
 */
enum held_state {
	H_PENDING,		/* waiting for a reply */
	H_ANSWERED,		/* a brand reply came: not unanswered */
	H_UNANSWERED,		/* no reply in time: --unique decides */
	H_PASS			/* --invert: passes, waits for its turn */
};

struct held {
	struct held *prev, *next;	/* the queue */
	struct held *hnext;		/* the index chain */
	uint64_t hash;
	int64_t t;			/* created_at, for --window */
	size_t len, keylen;		/* keylen 0: no id */
	enum held_state state;
	int indexed;
	char data[];			/* the line, then the key */
};

struct hold {
	struct held *head, *tail;
	struct held **buckets;
	size_t nbuckets, nindexed;
	size_t n, bytes, peak;
	int64_t clock;			/* the newest created_at seen */
};

struct cm_filter {
	int64_t now;
	cm_filter_emit_fn emit;
	void *ctx;

	struct list platform, kind, reason, lang, author, label;
	int has_since, has_until, has_followers, has_priority;
	int64_t since, until, min_followers;
	double min_priority;
	struct pattern *match;
	size_t nmatch;
	int icase, unique, unanswered, invert;
	int64_t window;			/* -1: the whole stream */
	size_t hold_limit;

	int prepared;
	int slot[F_COUNT];		/* index into the values, or -1 */
	struct cm_json_paths *paths;
	struct cm_buf scratch;		/* a decoded string */
	struct cm_buf key;		/* an id's key */

	struct cm_idset ids;	/* --unique's */
	struct hold hold;
	uint64_t released_early;
};

struct cm_filter *cm_filter_new(int64_t now, cm_filter_emit_fn emit,
    void *ctx)
{
	struct cm_filter *f;
	size_t i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->now = now;
	f->emit = emit;
	f->ctx = ctx;
	f->window = -1;
	f->hold_limit = CM_FILTER_HOLD_DEFAULT;
	f->hold.clock = INT64_MIN;
	for (i = 0; i < F_COUNT; i++)
		f->slot[i] = -1;
	cm_idset_init(&f->ids);
	return f;
}

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void held_free_all(struct hold *h)
{
	struct held *p, *next;

	for (p = h->head; p; p = next) {
		next = p->next;
		free(p);
	}
	free(h->buckets);
}

void cm_filter_free(struct cm_filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	list_free(&f->platform);
	list_free(&f->kind);
	list_free(&f->reason);
	list_free(&f->lang);
	list_free(&f->author);
	list_free(&f->label);
	for (i = 0; i < f->nmatch; i++) {
		regfree(&f->match[i].re);
		free(f->match[i].src);
	}
	free(f->match);
	cm_json_paths_free(f->paths);
	cm_buf_free(&f->scratch);
	cm_buf_free(&f->key);
	cm_idset_free(&f->ids);
	held_free_all(&f->hold);
	free(f);
}

/* Sets *err to the message and errno to EINVAL; returns -1. */
static int __attribute__((format(printf, 2, 3)))
refuse(struct cm_buf *err, const char *fmt, ...)
{
	va_list ap;
	int r;

	cm_buf_reset(err);
	va_start(ap, fmt);
	r = cm_buf_vprintf(err, fmt, ap);
	va_end(ap);
	errno = r < 0 ? ENOMEM : EINVAL;
	return -1;
}

/* Sets *err to "'value' is not ...detail"; returns -1. */
static int bad(struct cm_buf *err, const char *value, const char *what,
    const char *detail)
{
	return refuse(err, "'%s' %s%s", value, what, detail);
}

static int bare_number(struct cm_buf *err, const char *value)
{
	return refuse(err, "'%s' " CM_WHEN_BARE, value, value, value);
}

static int nomem(struct cm_buf *err)
{
	cm_buf_reset(err);
	(void)cm_buf_adds(err, "out of memory");
	errno = ENOMEM;
	return -1;
}

static int list_add(struct list *l, const char *s, size_t n)
{
	char **v, *copy;

	if ((copy = strndup(s, n)) == NULL)
		return -1;
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = copy;
	return 0;
}

/* "a, b, c": the accepted forms of a closed vocabulary. */
static void join_words(const char *const *words, struct cm_buf *out)
{
	size_t i;

	for (i = 0; words[i]; i++)
		(void)cm_buf_printf(out, "%s%s", i ? ", " : "", words[i]);
}

static int is_lang_range(const char *s, size_t n)
{
	size_t i = 0, k, sub = 0;

	/* BCP 47's shape: subtags of 1 to 8 letters or digits joined by
	 * hyphens, the first letters only; or "*", any tag. */
	if (n == 1 && s[0] == '*')
		return 1;
	while (i < n) {
		for (k = 0; i + k < n && s[i + k] != '-'; k++) {
			unsigned char c = (unsigned char)s[i + k];

			if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
			    !(sub > 0 && c >= '0' && c <= '9'))
				return 0;
		}
		if (k == 0 || k > 8)
			return 0;
		i += k;
		sub++;
		if (i < n && ++i == n)
			return 0;	/* a trailing hyphen */
	}
	return sub > 0;
}

/* What the items of a list are checked against. */
enum list_kind {
	LIST_WORDS,		/* one of a closed vocabulary, any case */
	LIST_LANG,		/* a language range */
	LIST_AUTHOR		/* anything but empty, after one '@' */
};

/* Splits a comma-separated value into l, checking each item; words and
 * what name the vocabulary for the message. */
static int set_list(struct list *l, const char *value, enum list_kind kind,
    const char *const *words, const char *what, struct cm_buf *err)
{
	const char *p = value, *comma;
	struct cm_buf forms = CM_BUF_INIT;
	char *item;
	size_t n, i;
	int ok = 0, r;

	do {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		switch (kind) {
		case LIST_WORDS:
			for (ok = 0, i = 0; words[i] && !ok; i++)
				ok = strlen(words[i]) == n &&
				    strncasecmp(words[i], p, n) == 0;
			break;
		case LIST_LANG:
			ok = is_lang_range(p, n);
			break;
		case LIST_AUTHOR:
			if (n > 0 && *p == '@') {
				p++;
				n--;
			}
			ok = n > 0;
			break;
		}
		if (!ok)
			break;
		if (list_add(l, p, n) < 0)
			return nomem(err);
		/* Vocabularies and language tags compare lower-case. */
		for (i = 0; kind != LIST_AUTHOR && i < n; i++)
			if (l->v[l->n - 1][i] >= 'A' && l->v[l->n - 1][i] <= 'Z')
				l->v[l->n - 1][i] |= 0x20;
		p = comma ? comma + 1 : NULL;
	} while (p);
	if (ok)
		return 0;
	if ((item = strndup(p, n)) == NULL)
		return nomem(err);
	if (kind == LIST_WORDS)
		join_words(words, &forms);
	else if (kind == LIST_LANG)
		(void)cm_buf_adds(&forms, "BCP 47, like en, pt-BR; several: "
		    "en,de");
	else
		(void)cm_buf_adds(&forms, "a handle, @handle or author id; "
		    "several: a,b");
	cm_buf_reset(err);
	r = cm_buf_printf(err, "'%s' is not a%s %s (%s)", item,
	    strchr("aeiou", what[0]) ? "n" : "", what,
	    forms.data ? forms.data : "");
	free(item);
	cm_buf_free(&forms);
	if (r < 0)
		return nomem(err);
	errno = EINVAL;
	return -1;
}

int cm_filter_parse_size(const char *s, size_t *out)
{
	unsigned long long v = 0, unit = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - (unsigned)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	switch (*p) {
	case '\0': p--; break;
	case 'k': case 'K': unit = 1ULL << 10; break;
	case 'm': case 'M': unit = 1ULL << 20; break;
	case 'g': case 'G': unit = 1ULL << 30; break;
	default: return -1;
	}
	if (p[1] != '\0' || v == 0 || v > SIZE_MAX / unit)
		return -1;
	*out = (size_t)(v * unit);
	return 0;
}

/* 0, -1 when s is not a whole number, -2 when it is one too large. */
static int parse_whole(const char *s, int64_t *out)
{
	int64_t v = 0;
	int big = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			big = 1;
		else
			v = v * 10 + (*s - '0');
	}
	if (*s != '\0')
		return -1;
	if (big)
		return -2;
	*out = v;
	return 0;
}

/* A number from 0 to 1 in JSON's syntax, read as the records' are. */
static int parse_priority(const char *s, double *out)
{
	struct cm_json_value v = { CM_JSON_NUMBER, s, strlen(s) };
	struct cm_json_error jerr;

	/* A digit first: the scan then accepts exactly a JSON number. */
	if (*s < '0' || *s > '9' || v.len > 40 ||
	    cm_json_scan(s, v.len, 1, NULL, NULL, &jerr) < 0 ||
	    cm_json_double(&v, out) < 0 || !(*out >= 0 && *out <= 1))
		return -1;
	return 0;
}

/* Sizes saturate one above the limit, so they never overflow. */
#define SIZE_SAT ((size_t)CM_FILTER_MATCH_MAX_SIZE + 1)

static size_t size_add(size_t a, size_t b)
{
	return a + b < SIZE_SAT ? a + b : SIZE_SAT;
}

/* a and b are at most SIZE_SAT, so a * b cannot overflow. */
static size_t size_mul(size_t a, size_t b)
{
	return a * b < SIZE_SAT ? a * b : SIZE_SAT;
}

/* The end of the bracket expression at p ("[...]", "[]a]", "[^]a]",
 * "[[:alpha:]]"), or NULL when it does not close. */
static const char *bracket_end(const char *p)
{
	char c;

	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != '\0' && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			c = p[1];
			for (p += 2; *p != '\0' && !(p[0] == c && p[1] == ']');
			    p++)
				;
			if (*p == '\0')
				return NULL;
			p += 2;
		} else {
			p++;
		}
	}
	return *p == ']' ? p + 1 : NULL;
}

static const char *bound(const char *p, size_t *n)
{
	if (*p < '0' || *p > '9')
		return NULL;
	for (*n = 0; *p >= '0' && *p <= '9'; p++)
		*n = size_add(size_mul(*n, 10), (size_t)(*p - '0'));
	return p;
}

/* The interval "{m}", "{m,}" or "{m,n}" at p, where glibc also takes
 * "{,n}" for "{0,n}" and "{,}" for "*": sets *upper to the most
 * repetitions it allows (m + 1 when open) and returns its end, or NULL
 * when p is no interval. */
static const char *interval_end(const char *p, size_t *upper)
{
	size_t m = 0, n;

	if (*++p != ',' && (p = bound(p, &m)) == NULL)
		return NULL;
	if (*p == '}') {
		*upper = m;
		return p + 1;
	}
	if (*p++ != ',')
		return NULL;
	if (*p == '}') {
		*upper = size_add(m, 1);
		return p + 1;
	}
	if ((p = bound(p, &n)) == NULL || *p != '}')
		return NULL;
	*upper = n;
	return p + 1;
}

/* The size of the alternatives at *pp, up to the ')' that closes the
 * group when in one, or the end; *pp is left there. */
static size_t alt_size(const char **pp, int in_group)
{
	const char *p = *pp, *q;
	size_t total = 0, atom, upper;

	while (*p != '\0' && !(*p == ')' && in_group)) {
		switch (*p) {
		case '|':
			atom = 1;
			p++;
			break;
		case '(':
			p++;
			atom = size_add(alt_size(&p, 1), 1);
			if (*p == ')')
				p++;
			break;
		case '[':
			atom = 2;
			p = (q = bracket_end(p)) != NULL ? q : p + 1;
			break;
		case '\\':
			atom = 1;
			p += p[1] != '\0' ? 2 : 1;
			break;
		default:
			/* A UTF-8 character is one atom in a UTF-8 locale. */
			atom = 1;
			if ((unsigned char)*p++ >= 0xc0)
				for (; ((unsigned char)*p & 0xc0) == 0x80; p++)
					atom++;
			break;
		}
		/* Quantifiers multiply, also when stacked: "a{9}{9}". */
		for (;;) {
			if (*p == '*' || *p == '?') {
				upper = 1;
				p++;
			} else if (*p == '+') {
				upper = 2;
				p++;
			} else if (*p == '{' && (q = interval_end(p, &upper)) !=
			    NULL) {
				/* "{0}" still compiles the atom once. */
				if (upper == 0)
					upper = 1;
				p = q;
			} else {
				break;
			}
			atom = size_mul(atom, upper);
		}
		total = size_add(total, atom);
	}
	*pp = p;
	return total;
}

size_t cm_filter_match_size(const char *re)
{
	return alt_size(&re, 0);
}

static int set_match(struct cm_filter *f, const char *value,
    struct cm_buf *err)
{
	struct pattern *m;
	char msg[256];
	int rc;

	/* Checked before regcomp, which could take gigabytes. */
	if (strlen(value) > CM_FILTER_MATCH_MAX_LEN)
		return refuse(err, "pattern too complex (longer than %d "
		    "bytes)", CM_FILTER_MATCH_MAX_LEN);
	if (cm_filter_match_size(value) > CM_FILTER_MATCH_MAX_SIZE)
		return refuse(err, "pattern too complex (its expanded size is "
		    "estimated above %d: repetitions like {m,n} multiply the "
		    "size of what they repeat)", CM_FILTER_MATCH_MAX_SIZE);
	if ((m = realloc(f->match, (f->nmatch + 1) * sizeof(*m))) == NULL)
		return nomem(err);
	f->match = m;
	m += f->nmatch;
	/* Compiled now to report errors at once; again in prepare when
	 * --ignore-case comes after. */
	if ((rc = regcomp(&m->re, value, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, &m->re, msg, sizeof(msg));
		regfree(&m->re);
		return bad(err, value, "is not a regular expression (POSIX "
		    "extended, like 'refund|broken'): ", msg);
	}
	if ((m->src = strdup(value)) == NULL) {
		regfree(&m->re);
		return nomem(err);
	}
	f->nmatch++;
	return 0;
}

int cm_filter_set(struct cm_filter *f, enum cm_filter_opt opt,
    const char *value, struct cm_buf *err)
{
	int64_t t;
	int r;

	if (f->prepared)
		return bad(err, value ? value : "", "comes too late: options "
		    "are set before the first record", "");
	switch (opt) {
	case CM_FILTER_PLATFORM:
		return set_list(&f->platform, value, LIST_WORDS, cm_platform_names,
		    "platform", err);
	case CM_FILTER_KIND:
		return set_list(&f->kind, value, LIST_WORDS, kinds, "kind",
		    err);
	case CM_FILTER_REASON:
		return set_list(&f->reason, value, LIST_WORDS, reasons,
		    "reason", err);
	case CM_FILTER_LABEL:
		return set_list(&f->label, value, LIST_WORDS, labels, "label",
		    err);
	case CM_FILTER_LANG:
		return set_list(&f->lang, value, LIST_LANG, NULL,
		    "language tag", err);
	case CM_FILTER_AUTHOR:
		return set_list(&f->author, value, LIST_AUTHOR, NULL, "author",
		    err);
	case CM_FILTER_SINCE:
	case CM_FILTER_UNTIL:
		if ((r = cm_when_parse(value, f->now, &t, NULL)) == -2)
			return bare_number(err, value);
		if (r < 0)
			return bad(err, value, "is not a time (" CM_WHEN_FORMS
			    ")", "");
		if (opt == CM_FILTER_SINCE) {
			f->has_since = 1;
			f->since = t;
		} else {
			f->has_until = 1;
			f->until = t;
		}
		if (f->has_since && f->has_until && f->since >= f->until)
			return bad(err, value, "leaves nothing: --since must be "
			    "before --until", "");
		return 0;
	case CM_FILTER_MIN_FOLLOWERS:
		if ((r = parse_whole(value, &f->min_followers)) == -2)
			return bad(err, value, "is too large (at most "
			    "9223372036854775807)", "");
		if (r < 0)
			return bad(err, value, "is not a whole number (like "
			    "1000)", "");
		f->has_followers = 1;
		return 0;
	case CM_FILTER_MIN_PRIORITY:
		if (parse_priority(value, &f->min_priority) < 0)
			return bad(err, value, "is not a number from 0 to 1 "
			    "(like 0.7)", "");
		f->has_priority = 1;
		return 0;
	case CM_FILTER_WINDOW:
		if (cm_duration_parse(value, &f->window) < 0)
			return bad(err, value, "is not a duration (90s, 15m, "
			    "24h, 7d, 2w; a plain number is seconds)", "");
		return 0;
	case CM_FILTER_HOLD_LIMIT:
		if (cm_filter_parse_size(value, &f->hold_limit) < 0)
			return bad(err, value, "is not a size (bytes, at least "
			    "1, or with k, M or G like 64M)", "");
		return 0;
	case CM_FILTER_MATCH:
		return set_match(f, value, err);
	case CM_FILTER_IGNORE_CASE:
		f->icase = 1;
		return 0;
	case CM_FILTER_UNIQUE:
		f->unique = 1;
		return 0;
	case CM_FILTER_UNANSWERED:
		f->unanswered = 1;
		return 0;
	case CM_FILTER_INVERT:
		f->invert = 1;
		return 0;
	}
	return bad(err, "", "is not an option", "");
}

int cm_filter_prepare(struct cm_filter *f)
{
	const char *paths[F_COUNT];
	int need[F_COUNT] = { 0 };
	size_t i, n = 0;

	if (f->prepared)
		return 0;
	if (f->icase) {
		for (i = 0; i < f->nmatch; i++) {
			regfree(&f->match[i].re);
			/* It compiled without REG_ICASE: only ENOMEM is
			 * left. */
			if (regcomp(&f->match[i].re, f->match[i].src,
			    REG_EXTENDED | REG_NOSUB | REG_ICASE) != 0) {
				/* Leaves a compiled regex for regfree. */
				(void)regcomp(&f->match[i].re, "",
				    REG_EXTENDED | REG_NOSUB);
				errno = ENOMEM;
				return -1;
			}
		}
	}
	need[F_PLATFORM] = f->platform.n > 0;
	need[F_KIND] = f->kind.n > 0;
	need[F_REASON] = f->reason.n > 0;
	need[F_LABEL] = f->label.n > 0;
	need[F_LANG] = f->lang.n > 0;
	need[F_HANDLE] = need[F_AUTHOR_ID] = f->author.n > 0;
	need[F_CREATED] = f->has_since || f->has_until || f->unanswered;
	need[F_FOLLOWERS] = f->has_followers;
	need[F_PRIORITY] = f->has_priority;
	need[F_TEXT] = f->nmatch > 0;
	need[F_ID] = f->unique || f->unanswered;
	need[F_IS_BRAND] = need[F_IN_REPLY_TO] = f->unanswered;
	for (i = 0; i < F_COUNT; i++)
		if (need[i]) {
			f->slot[i] = (int)n;
			paths[n++] = field_path[i];
		}
	if (n > 0 && (f->paths = cm_json_paths_new(paths, n)) == NULL)
		return -1;
	f->prepared = 1;
	return 0;
}

const struct cm_json_paths *cm_filter_paths(const struct cm_filter *f)
{
	return f->paths;
}

/*
 * A string value's content: the raw bytes when it has no escape (the
 * usual case, no copy), else decoded into f->scratch, which the next call
 * reuses.  Returns 0, or -1 when v is not a string.
 */
static int str_view(struct cm_filter *f, const struct cm_json_value *v,
    const char **s, size_t *n)
{
	if (v->type != CM_JSON_STRING || v->len < 2)
		return -1;
	if (memchr(v->raw, '\\', v->len) == NULL) {
		*s = v->raw + 1;
		*n = v->len - 2;
		return 0;
	}
	cm_buf_reset(&f->scratch);
	if (cm_json_string(v, &f->scratch) < 0)
		return -1;
	*s = f->scratch.data;
	*n = f->scratch.len;
	return 0;
}

static int list_has(const struct list *l, const struct cm_json_value *v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (cm_json_string_eq(v, l->v[i]))
			return 1;
	return 0;
}

/* RFC 4647 basic filtering: the range "en" matches "en" and "en-GB", "*"
 * any tag. */
static int lang_match(struct cm_filter *f, const struct cm_json_value *v)
{
	const char *s;
	size_t n, k, i;

	if (str_view(f, v, &s, &n) < 0)
		return 0;
	for (i = 0; i < f->lang.n; i++) {
		k = strlen(f->lang.v[i]);
		if (k == 1 && f->lang.v[i][0] == '*' && n > 0)
			return 1;
		if (n >= k && strncasecmp(s, f->lang.v[i], k) == 0 &&
		    (n == k || s[k] == '-' || s[k] == '_'))
			return 1;
	}
	return 0;
}

static int author_match(struct cm_filter *f, const struct cm_json_value *h,
    const struct cm_json_value *id)
{
	const char *s;
	size_t n, i;

	if (str_view(f, h, &s, &n) == 0) {
		if (n > 0 && *s == '@') {
			s++;
			n--;
		}
		for (i = 0; i < f->author.n; i++)
			if (strlen(f->author.v[i]) == n &&
			    strncasecmp(s, f->author.v[i], n) == 0)
				return 1;
	}
	return list_has(&f->author, id);
}

/* created_at as epoch seconds; -1 when absent or not RFC 3339. */
static int record_time(struct cm_filter *f, const struct cm_json_value *v,
    int64_t *t)
{
	const char *s;
	size_t n;

	if (str_view(f, v, &s, &n) < 0 || cm_time_parse(s, n, t) < 0)
		return -1;
	return 0;
}

static int text_match(struct cm_filter *f, const struct cm_json_value *v)
{
	regmatch_t m[1];
	size_t i;

	/*
	 * Always a NUL-terminated copy: regexec implementations (and ASan's
	 * interceptor) may run strlen over the string, REG_STARTEND or not.
	 * REG_STARTEND then lets the match run past a NUL (\u0000) in it.
	 */
	cm_buf_reset(&f->scratch);
	/* The empty add terminates a fresh buffer, which reserve does not. */
	if (v->type != CM_JSON_STRING || cm_buf_add(&f->scratch, "", 0) < 0 ||
	    cm_json_string(v, &f->scratch) < 0 || f->scratch.len > INT_MAX)
		return 0;
	for (i = 0; i < f->nmatch; i++) {
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)f->scratch.len;
		if (regexec(&f->match[i].re, f->scratch.data, 1, m,
		    REG_STARTEND) != 0)
			return 0;
	}
	return 1;
}

/* The scanned value of a field the options need (its slot is set). */
#define VAL(fld) (&v[f->slot[fld]])

_Static_assert(F_COUNT <= CM_FILTER_MAX_VALUES, "CM_FILTER_MAX_VALUES");

int cm_filter_test(struct cm_filter *f, const struct cm_json_value *v)
{
	int64_t t, i64;
	double d;

	if (f->platform.n && !list_has(&f->platform, VAL(F_PLATFORM)))
		return 0;
	if (f->kind.n && !list_has(&f->kind, VAL(F_KIND)))
		return 0;
	if (f->reason.n && !list_has(&f->reason, VAL(F_REASON)))
		return 0;
	if (f->label.n && !list_has(&f->label, VAL(F_LABEL)))
		return 0;
	if (f->has_since || f->has_until) {
		if (record_time(f, VAL(F_CREATED), &t) < 0 ||
		    (f->has_since && t < f->since) ||
		    (f->has_until && t >= f->until))
			return 0;
	}
	if (f->lang.n && !lang_match(f, VAL(F_LANG)))
		return 0;
	if (f->has_followers) {
		if (cm_json_int64(VAL(F_FOLLOWERS), &i64) == 0) {
			if (i64 < f->min_followers)
				return 0;
		} else if (cm_json_double(VAL(F_FOLLOWERS), &d) < 0 ||
		    !(d >= (double)f->min_followers)) {
			return 0;
		}
	}
	if (f->has_priority && (cm_json_double(VAL(F_PRIORITY), &d) < 0 ||
	    !(d >= f->min_priority)))
		return 0;
	if (f->author.n && !author_match(f, VAL(F_HANDLE), VAL(F_AUTHOR_ID)))
		return 0;
	if (f->nmatch && !text_match(f, VAL(F_TEXT)))
		return 0;
	return 1;
}

/*
 * An id's key in f->key: 's' and the decoded string, or, for the odd id
 * that is not a string, 'j' and its JSON text, so that the two never
 * meet.  Returns 1, 0 when there is no id (absent or null), -1 on ENOMEM.
 */
static int make_key(struct cm_filter *f, const struct cm_json_value *v)
{
	cm_buf_reset(&f->key);
	if (v->type == CM_JSON_NONE || v->type == CM_JSON_NULL)
		return 0;
	if (v->type == CM_JSON_STRING) {
		if (cm_buf_addc(&f->key, 's') < 0 ||
		    cm_json_string(v, &f->key) < 0)
			return -1;
	} else if (cm_buf_addc(&f->key, 'j') < 0 ||
	    cm_buf_add(&f->key, v->raw, v->len) < 0) {
		return -1;
	}
	return 1;
}

static size_t held_cost(const struct held *h)
{
	return sizeof(*h) + h->len + h->keylen;
}

static int index_grow(struct hold *q)
{
	size_t n = q->nbuckets ? q->nbuckets * 2 : 256, i;
	struct held **b, *h, *next;

	if ((b = calloc(n, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < q->nbuckets; i++)
		for (h = q->buckets[i]; h; h = next) {
			next = h->hnext;
			h->hnext = b[h->hash & (n - 1)];
			b[h->hash & (n - 1)] = h;
		}
	free(q->buckets);
	q->buckets = b;
	q->nbuckets = n;
	return 0;
}

static void index_remove(struct hold *q, struct held *h)
{
	struct held **pp;

	if (!h->indexed)
		return;
	for (pp = &q->buckets[h->hash & (q->nbuckets - 1)]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == h) {
			*pp = h->hnext;
			break;
		}
	h->indexed = 0;
	q->nindexed--;
}

static void unlink_held(struct hold *q, struct held *h)
{
	index_remove(q, h);
	if (h->prev)
		h->prev->next = h->next;
	else
		q->head = h->next;
	if (h->next)
		h->next->prev = h->prev;
	else
		q->tail = h->prev;
	q->n--;
	q->bytes -= held_cost(h);
	free(h);
}

/* Appends a copy of the line (and of f->key when key is set) to the
 * queue; pending records with a key are indexed.  Returns 0 or -1. */
static int hold_add(struct cm_filter *f, const char *line, size_t len,
    enum held_state state, int64_t t, int key)
{
	struct hold *q = &f->hold;
	size_t keylen = key ? f->key.len : 0;
	struct held *h;

	if (len > SIZE_MAX - sizeof(*h) - keylen ||
	    (h = malloc(sizeof(*h) + len + keylen)) == NULL)
		return -1;
	memcpy(h->data, line, len);
	if (keylen)
		memcpy(h->data + len, f->key.data, keylen);
	h->len = len;
	h->keylen = keylen;
	h->state = state;
	h->t = t;
	h->indexed = 0;
	h->hnext = NULL;
	h->next = NULL;
	h->prev = q->tail;
	if (q->tail)
		q->tail->next = h;
	else
		q->head = h;
	q->tail = h;
	q->n++;
	q->bytes += held_cost(h);
	if (q->bytes > q->peak)
		q->peak = q->bytes;
	if (state == H_PENDING && keylen) {
		if (q->nindexed >= q->nbuckets && index_grow(q) < 0)
			return -1;	/* it stays queued, unindexed */
		h->hash = cm_idset_hash(&f->ids, h->data + len, keylen);
		h->hnext = q->buckets[h->hash & (q->nbuckets - 1)];
		q->buckets[h->hash & (q->nbuckets - 1)] = h;
		h->indexed = 1;
		q->nindexed++;
	}
	return 0;
}

/* Emits or drops whatever is decided at the head of the queue. */
static int release(struct cm_filter *f)
{
	struct hold *q = &f->hold;
	struct held *h;
	int pass, r;

	while ((h = q->head) != NULL && h->state != H_PENDING) {
		switch (h->state) {
		case H_PASS:
			pass = 1;
			break;
		case H_ANSWERED:
			pass = f->invert;
			break;
		default:
			pass = 1;
			if (f->unique && h->keylen) {
				if ((r = cm_idset_add(&f->ids, h->data + h->len,
				    h->keylen)) < 0)
					return -1;
				pass = r;
			}
			pass = pass != f->invert;
			break;
		}
		if (pass)
			f->emit(f->ctx, h->data, h->len);
		unlink_held(q, h);
	}
	return 0;
}

/* A brand reply to the id in f->key: its pending records are answered. */
static int answer(struct cm_filter *f)
{
	struct hold *q = &f->hold;
	struct held *h, *next;
	uint64_t hash;

	if (q->nindexed == 0)
		return 0;
	hash = cm_idset_hash(&f->ids, f->key.data, f->key.len);
	for (h = q->buckets[hash & (q->nbuckets - 1)]; h; h = next) {
		next = h->hnext;
		if (h->hash != hash || h->keylen != f->key.len ||
		    memcmp(h->data + h->len, f->key.data, h->keylen) != 0)
			continue;
		index_remove(q, h);
		h->state = H_ANSWERED;
		if (!f->invert)
			unlink_held(q, h);	/* it will never be emitted */
	}
	return release(f);
}

static int feed_unanswered(struct cm_filter *f, const char *line,
    size_t len, const struct cm_json_value *v, enum cm_filter_verdict verdict)
{
	struct hold *q = &f->hold;
	int64_t t;
	int brand, key;

	if (record_time(f, VAL(F_CREATED), &t) == 0) {
		if (q->clock == INT64_MIN || t > q->clock)
			q->clock = t;
	} else {
		t = q->clock;	/* undated: as old as the newest seen */
	}
	/* --window: what waited longer than the window in stream time was
	 * not answered within it. */
	while (f->window >= 0 && q->head && q->clock != INT64_MIN &&
	    (q->head->t == INT64_MIN || q->clock - q->head->t > f->window)) {
		q->head->state = H_UNANSWERED;
		index_remove(q, q->head);
		if (release(f) < 0)
			return -1;
	}
	brand = cm_json_bool(VAL(F_IS_BRAND)) == 1;
	if (brand && (key = make_key(f, VAL(F_IN_REPLY_TO))) != 0) {
		if (key < 0 || answer(f) < 0)
			return -1;
	}
	if (verdict == CM_FILTER_PASS && !brand) {
		if ((key = make_key(f, VAL(F_ID))) < 0 ||
		    hold_add(f, line, len, H_PENDING, t, key) < 0)
			return -1;
	} else if (verdict == CM_FILTER_FAIL || (verdict == CM_FILTER_PASS &&
	    brand)) {
		/* Not an unanswered record: passes only inverted, and after
		 * what is held before it. */
		if (f->invert) {
			if (q->head == NULL)
				f->emit(f->ctx, line, len);
			else if (hold_add(f, line, len, H_PASS, t, 0) < 0)
				return -1;
		}
	}
	while (q->bytes > f->hold_limit && q->head) {
		q->head->state = H_UNANSWERED;
		index_remove(q, q->head);
		f->released_early++;
		if (release(f) < 0)
			return -1;
	}
	return 0;
}

int cm_filter_feed(struct cm_filter *f, const char *line, size_t len,
    const struct cm_json_value *v, enum cm_filter_verdict verdict)
{
	int pass, r;

	if (f->unanswered)
		return feed_unanswered(f, line, len, v, verdict);
	if (verdict == CM_FILTER_ERROR)
		return 0;
	pass = verdict == CM_FILTER_PASS;
	if (pass && f->unique) {
		/* Among the records that pass the rest: the first wins. */
		if ((r = make_key(f, VAL(F_ID))) < 0)
			return -1;
		if (r > 0 && (pass = cm_idset_add(&f->ids, f->key.data, f->key.len)) < 0)
			return -1;
	}
	if (pass != f->invert)
		f->emit(f->ctx, line, len);
	return 0;
}

int cm_filter_finish(struct cm_filter *f)
{
	struct held *h;

	for (h = f->hold.head; h; h = h->next)
		if (h->state == H_PENDING) {
			h->state = H_UNANSWERED;
			index_remove(&f->hold, h);
		}
	return release(f);
}

void cm_filter_stats(const struct cm_filter *f, struct cm_filter_stats *st)
{
	st->held = f->hold.n;
	st->held_bytes = f->hold.bytes;
	st->held_peak = f->hold.peak;
	st->released_early = f->released_early;
	st->unique_ids = f->ids.n;
	st->unique_bytes = cm_idset_bytes(&f->ids);
}
