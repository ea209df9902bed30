/* jqexpr.c - a jq expression compiled once and tested on many records */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jq.h>

#include "jqexpr.h"
#include "core/json.h"

/*
 * The top-level fields of cm-record(5), and of the programs that add
 * one, as jq functions: the sugar that lets "score.priority >= 0.7" mean
 * ".score.priority >= 0.7".  None is a jq 1.6 builtin.
 */
static const char *const record_fields[] = {
	"id", "platform", "kind", "reason", "created_at", "url", "author",
	"text", "lang", "in_reply_to", "thread", "tags", "mentions", "links",
	"metrics", "source", "raw", "score", "reply"
};

struct cm_jqexpr {
	jq_state *jq;
	int sugared;
	char *prog;		/* the text compiled, prelude included */
	struct cm_buf str;	/* a decoded string */
	locale_t c_locale;	/* for strtod_l */
	int exhausted;		/* libjq ran out of memory: jq is stopped */
};

/*
 * Where an evaluation that runs out of memory returns to while guarded()
 * runs it, NULL otherwise.  libjq 1.6 cannot be trusted to report it:
 * Debian's build abort()s when its stack would pass 2 GiB, without
 * calling the out-of-memory handler (a runaway "def f: 1 + f; f" gets
 * there at about 1.2 GB), and elsewhere when the handler returns.
 */
static _Thread_local jmp_buf *nomem_target;

/*
 * So cm bounds libjq's allocator itself.  libjq calls its allocation
 * functions through the PLT, so these definitions in the program replace
 * its own (the exception to the cm_ prefix: they are libjq's names).
 * While an evaluation is guarded, a block larger than JQ_BLOCK_MAX or a
 * failed allocation ends it: every structure of libjq that grows without
 * bound (its stack, arrays, strings, objects) grows by one block, so this
 * bounds what a runaway expression takes to a few times JQ_BLOCK_MAX.
 * Outside guarded(), a failure aborts as libjq's own functions do.
 */
#define JQ_BLOCK_MAX ((size_t)256 << 20)

void *jv_mem_alloc(size_t n);
void *jv_mem_calloc(size_t nmemb, size_t n);
char *jv_mem_strdup(const char *s);
void *jv_mem_realloc(void *p, size_t n);

static void *jq_block(void *p, size_t n)
{
	if (nomem_target != NULL && (p == NULL || n > JQ_BLOCK_MAX))
		longjmp(*nomem_target, 1);
	if (p == NULL)
		abort();
	return p;
}

void *jv_mem_alloc(size_t n)
{
	if (nomem_target != NULL && n > JQ_BLOCK_MAX)
		return jq_block(NULL, n);
	return jq_block(malloc(n), n);
}

void *jv_mem_calloc(size_t nmemb, size_t n)
{
	if (nomem_target != NULL && nmemb > 0 && n > JQ_BLOCK_MAX / nmemb)
		return jq_block(NULL, JQ_BLOCK_MAX + 1);
	return jq_block(calloc(nmemb, n), nmemb * n);
}

char *jv_mem_strdup(const char *s)
{
	return jq_block(strdup(s), strlen(s) + 1);
}

void *jv_mem_realloc(void *p, size_t n)
{
	if (nomem_target != NULL && n > JQ_BLOCK_MAX)
		return jq_block(NULL, n);
	return jq_block(realloc(p, n), n);
}

int cm_jqexpr_trivial(const char *expr)
{
	size_t n;

	expr += strspn(expr, " \t\r\n");
	n = strlen(expr);
	while (n > 0 && strchr(" \t\r\n", expr[n - 1]))
		n--;
	return n == 0 || (n == 1 && expr[0] == '.') ||
	    (n == 4 && memcmp(expr, "true", 4) == 0);
}

/* The count libjq adds after its messages: "jq: 1 compile error". */
static int is_count(const char *s)
{
	if (strncmp(s, "jq: ", 4) != 0)
		return 0;
	s += 4 + strspn(s + 4, "0123456789");
	return strcmp(s, " compile error") == 0 ||
	    strcmp(s, " compile errors") == 0;
}

/* Appends libjq's message to the cm_buf at data, on one line: a
 * message's lines (the error, then the program excerpt) are joined with
 * a space, and messages with "; ", so a usage error stays one line. */
static void error_cb(void *data, jv msg)
{
	struct cm_buf *b = data;
	const char *s, *nl;
	size_t n;

	if (b == NULL) {
		jv_free(msg);
		return;
	}
	if (jv_get_kind(msg) != JV_KIND_STRING)
		msg = jv_dump_string(msg, 0);
	s = jv_string_value(msg);
	if (is_count(s)) {
		jv_free(msg);
		return;
	}
	if (b->len > 0)
		(void)cm_buf_adds(b, "; ");
	do {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n > 0 && b->len > 0 && b->data[b->len - 1] != ' ')
			(void)cm_buf_addc(b, ' ');
		(void)cm_buf_add(b, s, n);
		s = nl ? nl + 1 : s;
	} while (nl);
	jv_free(msg);
}

static jv no_input(jq_state *jq, void *ctx)
{
	return jv_invalid();
}

jq_state *cm_jq_compile(const char *prog, struct cm_buf *err)
{
	jq_state *jq;

	if ((jq = jq_init()) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	jq_set_error_cb(jq, error_cb, err);
	/* input and inputs read the stream a program runs on: here each
	 * record is run alone, so there is none (without a callback libjq
	 * 1.6 calls a NULL one). */
	jq_set_input_cb(jq, no_input, NULL);
	if (!jq_compile(jq, prog)) {
		jq_teardown(&jq);
		errno = EINVAL;
		return NULL;
	}
	/* Messages of later runs (there are none in 1.6) go nowhere. */
	jq_set_error_cb(jq, error_cb, NULL);
	return jq;
}

static char *with_prelude(const char *expr)
{
	struct cm_buf b = CM_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(record_fields) / sizeof(record_fields[0]); i++)
		if (cm_buf_printf(&b, "def %s: .%s; ", record_fields[i],
		    record_fields[i]) < 0)
			goto fail;
	if (cm_buf_adds(&b, expr) < 0)
		goto fail;
	return b.data;
fail:
	cm_buf_free(&b);
	return NULL;
}

struct cm_jqexpr *cm_jqexpr_new(const char *expr, struct cm_buf *err)
{
	struct cm_jqexpr *x;
	struct cm_buf quiet = CM_BUF_INIT;
	char *sugared;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	if ((x->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		goto nomem;
	cm_buf_reset(err);
	if ((x->jq = cm_jq_compile(expr, err)) != NULL) {
		if ((x->prog = strdup(expr)) == NULL)
			goto nomem;
		return x;
	}
	if (errno == ENOMEM)
		goto nomem;
	/* Only for expressions that fail as they are: plain jq keeps its
	 * meaning, and the messages are about what the user wrote. */
	if ((sugared = with_prelude(expr)) == NULL)
		goto nomem;
	x->jq = cm_jq_compile(sugared, &quiet);
	cm_buf_free(&quiet);
	if (x->jq == NULL) {
		free(sugared);
		free(x);
		errno = EINVAL;
		return NULL;
	}
	cm_buf_reset(err);
	x->prog = sugared;
	x->sugared = 1;
	return x;
nomem:
	cm_jqexpr_free(x);
	errno = ENOMEM;
	return NULL;
}

void cm_jqexpr_free(struct cm_jqexpr *x)
{
	if (x == NULL)
		return;
	/* Also after running out of memory: the cap stops an evaluation
	 * before libjq changes anything for the block it asked for. */
	if (x->jq)
		jq_teardown(&x->jq);
	if (x->c_locale != (locale_t)0)
		freelocale(x->c_locale);
	cm_buf_free(&x->str);
	free(x->prog);
	free(x);
}

int cm_jqexpr_sugared(const struct cm_jqexpr *x)
{
	return x->sugared;
}

/* Sets *err to a libjq value as a message: strings as they are, other
 * values as compact JSON.  Consumes v. */
static void set_message(struct cm_buf *err, const char *prefix, jv v)
{
	cm_buf_reset(err);
	(void)cm_buf_adds(err, prefix);
	if (jv_get_kind(v) == JV_KIND_STRING) {
		const char *s = jv_string_value(v);
		size_t n = (size_t)jv_string_length_bytes(jv_copy(v));

		while (n > 0 && s[n - 1] == '\n')
			n--;
		(void)cm_buf_add(err, s, n);
	} else {
		jv d = jv_dump_string(jv_copy(v), 0);

		(void)cm_buf_adds(err, "(not a string) ");
		(void)cm_buf_adds(err, jv_string_value(d));
		jv_free(d);
	}
	jv_free(v);
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/* A string at *pp (its opening quote), escapes decoded. */
static jv build_string(struct cm_jqexpr *x, const char **pp, const char *end)
{
	const char *p = *pp + 1, *start = p;
	int escaped = 0;
	struct cm_json_value v;

	while (p < end && *p != '"') {
		if (*p == '\\') {
			escaped = 1;
			p++;
		}
		p++;
	}
	if (p >= end)
		return jv_invalid_with_msg(jv_string("unterminated string"));
	*pp = p + 1;
	if (!escaped)
		return jv_string_sized(start, (int)(p - start));
	v.type = CM_JSON_STRING;
	v.raw = start - 1;
	v.len = (size_t)(p + 1 - (start - 1));
	cm_buf_reset(&x->str);
	if (cm_json_string(&v, &x->str) < 0)
		return jv_invalid_with_msg(jv_string("bad string"));
	return jv_string_sized(x->str.data ? x->str.data : "", (int)x->str.len);
}

static jv build_number(struct cm_jqexpr *x, const char **pp, const char *end)
{
	const char *p = *pp;
	char buf[64], *copy = buf, *endp;
	size_t n;
	double d;

	while (p < end && strchr("+-0123456789.eE", *p))
		p++;
	n = (size_t)(p - *pp);
	/* A copy, NUL-terminated: the line goes on after the number. */
	if (n >= sizeof(buf) && (copy = malloc(n + 1)) == NULL)
		return jv_invalid_with_msg(jv_string("out of memory"));
	memcpy(copy, *pp, n);
	copy[n] = '\0';
	d = strtod_l(copy, &endp, x->c_locale);
	if (copy != buf)
		free(copy);
	*pp = p;
	return jv_number(d);
}

/*
 * Builds the jv of the value at *pp in a line cm_json_scan has checked,
 * as libjq's parser would (the same doubles, the last of repeated names):
 * libjq's own parser is the slowest part of running an expression.
 */
static jv build(struct cm_jqexpr *x, const char **pp, const char *end)
{
	const char *p = skip_ws(*pp, end);
	jv v, k, e;

	if (p >= end)
		return jv_invalid_with_msg(jv_string("unexpected end"));
	switch (*p) {
	case '{':
		v = jv_object();
		p = skip_ws(p + 1, end);
		if (p < end && *p == '}') {
			*pp = p + 1;
			return v;
		}
		for (;;) {
			if (p >= end || *p != '"')
				break;
			k = build_string(x, &p, end);
			p = skip_ws(p, end);
			if (!jv_is_valid(k) || p >= end || *p != ':') {
				jv_free(k);
				break;
			}
			p++;
			e = build(x, &p, end);
			if (!jv_is_valid(e)) {
				jv_free(k);
				jv_free(v);
				return e;
			}
			v = jv_object_set(v, k, e);
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == '}') {
				*pp = p + 1;
				return v;
			}
			break;
		}
		jv_free(v);
		return jv_invalid_with_msg(jv_string("bad object"));
	case '[':
		v = jv_array();
		p = skip_ws(p + 1, end);
		if (p < end && *p == ']') {
			*pp = p + 1;
			return v;
		}
		for (;;) {
			e = build(x, &p, end);
			if (!jv_is_valid(e)) {
				jv_free(v);
				return e;
			}
			v = jv_array_append(v, e);
			p = skip_ws(p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == ']') {
				*pp = p + 1;
				return v;
			}
			jv_free(v);
			return jv_invalid_with_msg(jv_string("bad array"));
		}
	case '"':
		v = build_string(x, &p, end);
		*pp = p;
		return v;
	case 't':
		*pp = p + 4;
		return jv_true();
	case 'f':
		*pp = p + 5;
		return jv_false();
	case 'n':
		*pp = p + 4;
		return jv_null();
	default:
		v = build_number(x, &p, end);
		*pp = p;
		return v;
	}
}

int cm_jqexpr_build_agrees(const char *line, size_t len)
{
	struct cm_jqexpr x = { 0 };
	const char *p = line;
	jv a, b;
	int r;

	if (len > INT_MAX || (x.c_locale = newlocale(LC_ALL_MASK, "C",
	    (locale_t)0)) == (locale_t)0)
		return -1;
	a = build(&x, &p, line + len);
	b = jv_parse_sized(line, (int)len);
	if (!jv_is_valid(b))
		r = -1;
	else if (!jv_is_valid(a))
		r = 0;
	else
		r = jv_equal(jv_copy(a), jv_copy(b));
	jv_free(a);
	jv_free(b);
	freelocale(x.c_locale);
	cm_buf_free(&x.str);
	return r;
}

/* cm_jqexpr_test's work, run by guarded(). */
static int run(struct cm_jqexpr *x, const char *line, size_t len,
    struct cm_buf *err)
{
	const char *p = line;
	jv in, out, msg;
	jv_kind k;

	in = len > INT_MAX ? jv_invalid_with_msg(jv_string("too long")) :
	    build(x, &p, line + len);
	if (!jv_is_valid(in)) {
		set_message(err, "jq cannot take the record: ",
		    jv_invalid_get_msg(in));
		return -1;
	}
	jq_start(x->jq, in, 0);
	for (;;) {
		out = jq_next(x->jq);
		if (jv_is_valid(out)) {
			k = jv_get_kind(out);
			jv_free(out);
			if (k != JV_KIND_FALSE && k != JV_KIND_NULL)
				return 1;
			continue;
		}
		if (jv_invalid_has_msg(jv_copy(out))) {
			set_message(err, "jq error: ", jv_invalid_get_msg(out));
			return -1;
		}
		jv_free(out);
		break;
	}
	if (!jq_halted(x->jq))
		return 0;
	/*
	 * halt or halt_error: libjq 1.6 keeps a state halted for good (a
	 * second halt aborts), so the next record needs a fresh one.
	 */
	msg = jq_get_error_message(x->jq);
	jq_teardown(&x->jq);
	if ((x->jq = cm_jq_compile(x->prog, NULL)) == NULL) {
		jv_free(msg);
		cm_buf_reset(err);
		(void)cm_buf_adds(err, "out of memory");
		errno = ENOMEM;
		return -2;
	}
	if (jv_is_valid(msg)) {
		set_message(err, "jq halt_error: ", msg);
		return -1;
	}
	jv_free(msg);
	return 0;
}

/*
 * Calls fn(arg) with libjq's out-of-memory handler pointed here: returns
 * what fn returns, or -3 when an allocation of libjq failed or passed
 * the cap somewhere inside it.  libjq's state is then as it was before
 * that allocation, and can be torn down; what its frames held is lost.
 * Nothing of cm's is half done, its own buffers being touched only
 * outside libjq's allocations.
 */
static int guarded(int (*fn)(void *), void *arg)
{
	jmp_buf target;
	int r;

	if (setjmp(target) != 0) {
		nomem_target = NULL;
		errno = ENOMEM;
		return -3;
	}
	nomem_target = &target;
	r = fn(arg);
	nomem_target = NULL;
	return r;
}

struct test_call {
	struct cm_jqexpr *x;
	const char *line;
	size_t len;
	struct cm_buf *err;
};

static int test_call(void *arg)
{
	struct test_call *c = arg;

	return run(c->x, c->line, c->len, c->err);
}

int cm_jqexpr_test(struct cm_jqexpr *x, const char *line, size_t len,
    struct cm_buf *err)
{
	struct test_call c = { x, line, len, err };
	int r;

	if (x->exhausted || x->jq == NULL) {
		errno = ENOMEM;
		return -3;
	}
	if ((r = guarded(test_call, &c)) == -3) {
		x->exhausted = 1;
		cm_buf_reset(err);
		(void)cm_buf_adds(err, "jq expression ran out of memory");
		errno = ENOMEM;
	}
	return r;
}

struct first_call {
	jq_state *jq;
	jv in, *out;
};

static int first_call(void *arg)
{
	struct first_call *c = arg;

	jq_start(c->jq, c->in, 0);
	*c->out = jq_next(c->jq);
	return 0;
}

int cm_jq_first(jq_state *jq, jv in, jv *out)
{
	struct first_call c = { jq, in, out };

	return guarded(first_call, &c);
}
