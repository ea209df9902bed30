/*
 * cm-reply - drafts replies to cm records from rules and templates, lets
 * a person review them, and sends approved ones exactly once: each target
 * is claimed in the ledger before its reply is sent and recorded there
 * after, before the record is written out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/idset.h"
#include "core/json.h"
#include "core/record.h"
#include "core/timeutil.h"
#include "reply/draft.h"
#include "reply/review.h"
#include "reply/rules.h"
#include "reply/send.h"
#include "store/state.h"

#define DEFAULT_MAX 20

enum {
	OPT_APPROVE = 256,
	OPT_DRY_RUN,
	OPT_INCLUDE_SPAM,
	OPT_LOG,
	OPT_MAX_WAIT,
	OPT_REVIEW,
	OPT_SEND,
	OPT_STRICT
};

static void usage(FILE *fp)
{
	fputs("usage: cm-reply [options] [FILE...]\n"
	    "       cm-reply --log\n"
	    "\n"
	    "Reads cm records (cm-record(5)) from the FILEs or stdin and writes\n"
	    "them to stdout, each with a reply drafted by the first rule that\n"
	    "matches it, reviewed, or sent: the reply object's status says\n"
	    "which.  Nothing is posted without --send, and no target is ever\n"
	    "answered twice (the ledger in the state store).\n"
	    "\n"
	    "Drafting:\n"
	    "  -f, --rules=FILE        rules: matches and templates, in order\n"
	    "  -t, --template=EXPR     one template (a jq string expression) for\n"
	    "                          every record\n"
	    "      --include-spam      draft for records scored as spam too\n"
	    "Review:\n"
	    "      --review            ask about each draft on the terminal:\n"
	    "                          approve, edit, skip or quit\n"
	    "      --approve           approve every valid draft without asking\n"
	    "Sending:\n"
	    "      --send              send the approved replies\n"
	    "      --dry-run           with --send: write the requests each send\n"
	    "                          would make (secrets masked), send nothing\n"
	    "  -a, --account=NAME      send through [account NAME] instead of\n"
	    "                          each record's source.account\n"
	    "  -M, --max=N             send at most N replies (default 20)\n"
	    "      --max-wait=DURATION  leave a reply for the next run rather\n"
	    "                          than wait longer (default 5m, at most\n"
	    "                          8m); status 75\n"
	    "      --log               write the ledger as NDJSON and exit\n"
	    "\n"
	    "Common:\n"
	    "  -c, --config=FILE       config file (default $CM_CONFIG or\n"
	    "                          ~/.config/cm/config)\n"
	    "  -r, --rejects=FILE      copy bad input lines to FILE\n"
	    "      --strict            stop at the first bad line\n"
	    "  -u, --unbuffered        write each record at once\n"
	    "  -v, --verbose           say each request and answer on stderr\n"
	    "  -h, --help              show this help and exit\n"
	    "  -V, --version           show the version and exit\n", fp);
}

/* The fields of a record cm-reply reads. */
enum {
	P_ID, P_PLATFORM, P_HANDLE, P_BRAND, P_IN_REPLY_TO, P_THREAD, P_URL,
	P_ACCOUNT, P_STATUS, P_TEXT, P_RULE, P_WHY, NP
};
static const char *const paths[NP] = {
	"id", "platform", "author.handle", "author.is_brand", "in_reply_to",
	"thread", "url", "source.account", "reply.status", "reply.text",
	"reply.rule", "reply.why"
};

enum status {
	R_NONE, R_DRAFT, R_APPROVED, R_SENT, R_SKIPPED, R_INVALID, R_FAILED
};
static const char *const status_names[] = {
	"", "draft", "approved", "sent", "skipped", "invalid", "failed"
};

/* One record's reply, as it is written out. */
struct reply {
	enum status status;
	int touched;		/* this run changed it */
	struct cm_buf text, rule, why, account, id, url;
	int64_t sent_at;
};

struct run {
	struct cm_config *cfg;
	struct cm_rules *rules;
	struct cm_state *st;
	struct cm_sender *sender;
	struct cm_review *review;
	struct cm_json_paths *jp;
	struct cm_idset answered;	/* ids brand replies in the stream answer */
	struct cm_buf dry, line, obj, s[NP];
	struct reply rp;
	const char *account;		/* --account */
	int include_spam, approve, send, dry_run, reviewing;
	uint64_t max, sent;
	int status;			/* the run's exit status */
	uint64_t left;			/* approved replies --max left */
	size_t n;			/* records read */
};

static struct run run;

static void worse(int *status, int s)
{
	/* 75 (try again) over 1 (failed): cron's next run does the rest */
	if (s == CM_EXIT_TEMPFAIL || *status == CM_EXIT_OK)
		*status = s;
	else if (*status != CM_EXIT_TEMPFAIL && s > *status)
		*status = s;
}

static void reply_free(struct reply *r)
{
	cm_buf_free(&r->text);
	cm_buf_free(&r->rule);
	cm_buf_free(&r->why);
	cm_buf_free(&r->account);
	cm_buf_free(&r->id);
	cm_buf_free(&r->url);
}

static void reply_reset(struct reply *r)
{
	r->status = R_NONE;
	r->touched = 0;
	cm_buf_reset(&r->text);
	cm_buf_reset(&r->rule);
	cm_buf_reset(&r->why);
	cm_buf_reset(&r->account);
	cm_buf_reset(&r->id);
	cm_buf_reset(&r->url);
	r->sent_at = 0;
}

static void cleanup(void)
{
	cm_review_close(run.review);
	run.review = NULL;
	cm_sender_free(run.sender);
	run.sender = NULL;
	cm_state_close(run.st);
	run.st = NULL;
	cm_rules_free(run.rules);
	run.rules = NULL;
	cm_config_free(run.cfg);
	run.cfg = NULL;
	cm_json_paths_free(run.jp);
	run.jp = NULL;
	cm_idset_free(&run.answered);
	reply_free(&run.rp);
	cm_buf_free(&run.dry);
	cm_buf_free(&run.line);
	cm_buf_free(&run.obj);
	for (size_t i = 0; i < NP; i++)
		cm_buf_free(&run.s[i]);
}

static void say(void *ctx, const char *msg)
{
	cm_warn("%s", msg);
}

/* The string at path i, decoded, or NULL when absent or not a string. */
static const char *str(const struct cm_json_value *v, int i)
{
	cm_buf_reset(&run.s[i]);
	if (v[i].type != CM_JSON_STRING || cm_json_string(&v[i],
	    &run.s[i]) < 0 || cm_buf_addc(&run.s[i], '\0') < 0)
		return NULL;
	return run.s[i].data;
}

static int set_buf(struct cm_buf *b, const char *s)
{
	cm_buf_reset(b);
	return cm_buf_adds(b, s ? s : "");
}

static void nomem_if(int r)
{
	if (r < 0)
		cm_die_nomem();
}

static int set_why(struct reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int set_why(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	cm_buf_reset(&r->why);
	va_start(ap, fmt);
	rc = cm_buf_vprintf(&r->why, fmt, ap);
	va_end(ap);
	return rc;
}

/* The state store, opened once: created when sending, else only read
 * when it exists (drafting asks the ledger what was answered). */
static struct cm_state *state(int create)
{
	struct cm_buf path = CM_BUF_INIT;
	struct cm_error err;
	struct stat sb;

	if (run.st)
		return run.st;
	if (cm_state_default_path(&path) < 0)
		cm_die(CM_EXIT_USAGE, "no state path: set CM_STATE or HOME");
	if (!create && stat(path.data, &sb) < 0) {
		cm_buf_free(&path);
		return NULL;
	}
	run.st = cm_state_open(path.data, 0, &err);
	cm_buf_free(&path);
	if (run.st == NULL)
		cm_die_error(&err);
	return run.st;
}

/* An account's max_characters, 0 when unset; -1 when it is no count. */
static long max_chars(const char *account)
{
	const char *mc = run.cfg ? cm_config_get(run.cfg, "account", account,
	    "max_characters") : NULL;
	char *end;
	unsigned long n;

	if (mc == NULL)
		return 0;
	errno = 0;
	n = strtoul(mc, &end, 10);
	return errno == 0 && *end == '\0' && n > 0 && n <= 100000 &&
	    *mc >= '0' && *mc <= '9' ? (long)n : -1;
}

/* Every account's keys cm-reply reads, checked before any record. */
static void check_account(const char *name, void *arg)
{
	struct cm_error err;

	if (max_chars(name) < 0) {
		cm_config_bad(run.cfg, "account", name, "max_characters", &err,
		    "max_characters = %.40s: not a count of characters (1 "
		    "to 100000)", cm_config_get(run.cfg, "account", name,
		    "max_characters"));
		cm_die_error(&err);
	}
}

/* The account a record's reply goes through: --account, else the
 * account that fetched it. */
static const char *account_of(const struct cm_json_value *v)
{
	return run.account ? run.account : str(v, P_ACCOUNT);
}

/* What the platform of the record takes: fills t. */
static void target_of(const char *account, const char *platform,
    const char *author, struct cm_draft_target *t)
{
	memset(t, 0, sizeof(*t));
	t->platform = platform ? platform : "";
	t->author = author;
	if (account)
		t->max_chars = (size_t)max_chars(account);
}

/* Fits the reply's text to the platform: invalid when it cannot go. */
static void fit(struct reply *r, const struct cm_draft_target *t)
{
	int rc;

	cm_buf_reset(&r->why);
	rc = cm_draft_fit(t, &r->text, &r->why);
	if (rc < 0)
		cm_die_nomem();
	if (rc == 1)
		r->status = R_INVALID;
	else
		cm_buf_reset(&r->why);
}

/* A record's reply, drafted by the rules (r->status R_NONE: none). */
static void draft(struct cm_input *in, const char *line, size_t len,
    const struct cm_json_value *v, struct reply *r)
{
	struct cm_draft_target t;
	struct cm_ledger_entry e;
	struct cm_error err;
	const char *rule, *id = str(v, P_ID);
	int rc;

	if (v[P_BRAND].type == CM_JSON_TRUE)
		return;		/* the brand's own: no one to answer */
	rc = cm_rules_draft(run.rules, line, len, run.include_spam, &rule,
	    &r->text, &r->why);
	if (rc == -2)
		cm_die_nomem();
	if (rc == 0)
		return;
	nomem_if(set_buf(&r->rule, rule));
	if (rc < 0) {
		/* The record is good; the rule failed on it. */
		r->status = R_INVALID;
		cm_warn("%s:%zu: rule %s: %.*s", cm_input_name(in),
		    cm_input_lineno(in), rule ? rule : "?", (int)r->why.len,
		    r->why.data ? r->why.data : "");
		worse(&run.status, CM_EXIT_FAIL);
		return;
	}
	r->status = R_DRAFT;
	if (id == NULL) {
		r->status = R_INVALID;
		nomem_if(set_why(r, "the record has no id to answer"));
		return;
	}
	if (cm_idset_has(&run.answered, id, strlen(id))) {
		r->status = R_SKIPPED;
		nomem_if(set_why(r, "answered already: a brand reply in the "
		    "stream answers it"));
		return;
	}
	if (state(run.send) && (rc = cm_state_ledger_get(run.st, id, 0, &e,
	    &err)) != 0) {
		if (rc < 0)
			cm_die_error(&err);
		/* A claim its process left is no answer: sending it
		 * takes the claim over and looks first. */
		if (e.status == CM_LEDGER_SENT || (e.status ==
		    CM_LEDGER_PENDING && e.alive)) {
			r->status = R_SKIPPED;
			nomem_if(set_why(r, "answered already: %s in the "
			    "ledger%s%s", e.status == CM_LEDGER_SENT ? "sent" :
			    "being sent", *e.reply_url ? ", " : "",
			    e.reply_url));
			return;
		}
	}
	target_of(account_of(v), str(v, P_PLATFORM), str(v, P_HANDLE),
	    &t);
	fit(r, &t);
}

/* The reply the record carries in (from an earlier cm-reply). */
static void carried(const struct cm_json_value *v, struct reply *r)
{
	const char *s = str(v, P_STATUS);
	size_t i;

	for (i = 1; s && i < sizeof(status_names) / sizeof(*status_names);
	    i++)
		if (strcmp(s, status_names[i]) == 0)
			break;
	if (s == NULL || i == sizeof(status_names) / sizeof(*status_names))
		return;
	r->status = (enum status)i;
	nomem_if(set_buf(&r->text, str(v, P_TEXT)));
	nomem_if(set_buf(&r->rule, str(v, P_RULE)));
	/* --review shows why a carried draft is invalid */
	nomem_if(set_buf(&r->why, str(v, P_WHY)));
}

struct check_ctx {
	struct cm_draft_target t;
	struct cm_buf why;
};

static const char *check_edit(void *ctx, struct cm_buf *text)
{
	struct check_ctx *c = ctx;
	int rc;

	cm_buf_reset(&c->why);
	if ((rc = cm_draft_fit(&c->t, text, &c->why)) < 0)
		cm_die_nomem();
	if (rc == 0)
		return NULL;
	nomem_if(cm_buf_addc(&c->why, '\0'));
	return c->why.data;
}

static void review(const char *line, size_t len,
    const struct cm_json_value *v, struct reply *r)
{
	struct check_ctx c = { .why = CM_BUF_INIT };
	enum cm_review_answer ans;
	struct cm_error err;

	target_of(account_of(v), str(v, P_PLATFORM), str(v, P_HANDLE),
	    &c.t);
	r->touched = 1;
	nomem_if(cm_buf_addc(&r->why, '\0'));
	if (cm_review_ask(run.review, line, len, run.n, r->rule.len ?
	    r->rule.data : NULL, &r->text, r->status == R_INVALID ?
	    r->why.data : NULL, check_edit, &c, &ans, &err) < 0) {
		cm_buf_free(&c.why);
		cm_die_error(&err);
	}
	r->why.len--;
	if (ans == CM_REVIEW_APPROVE) {
		r->status = R_APPROVED;
		cm_buf_reset(&r->why);
		fit(r, &c.t);
	} else if (ans == CM_REVIEW_SKIP) {
		r->status = R_SKIPPED;
		nomem_if(set_why(r, "skipped in review"));
	} else {
		run.reviewing = 0;
	}
	cm_buf_free(&c.why);
}

/* Whether a send went to the platform, for --max: not what the ledger
 * settled without it, nor an account that could not send. */
static int went(int rc, const struct cm_send_result *res)
{
	return rc == 0 && (res->status == CM_SEND_SENT || res->status ==
	    CM_SEND_FAILED || res->status == CM_SEND_LATER || res->status ==
	    CM_SEND_DRY);
}

static void send_one(struct cm_input *in, const struct cm_json_value *v,
    struct reply *r)
{
	struct cm_send_result res = { .status = CM_SEND_FAILED };
	struct cm_draft_target t;
	struct cm_reply job;
	struct cm_error err;
	const char *account = account_of(v), *id;
	char key[33];
	int rc;

	r->touched = 1;
	target_of(account, str(v, P_PLATFORM), str(v, P_HANDLE), &t);
	fit(r, &t);
	if (r->status == R_INVALID)
		return;
	if ((id = str(v, P_ID)) == NULL) {
		r->status = R_INVALID;
		nomem_if(set_why(r, "the record has no id to answer"));
		return;
	}
	if (account == NULL) {
		r->status = R_FAILED;
		nomem_if(set_why(r, "not sent: the record names no account "
		    "(source.account); give one with --account"));
		worse(&run.status, CM_EXIT_FAIL);
		return;
	}
	if (run.sent >= run.max) {
		nomem_if(set_why(r, "not sent: --max %llu reached; a later "
		    "run sends it", (unsigned long long)run.max));
		run.left++;
		return;
	}
	nomem_if(cm_buf_addc(&r->text, '\0'));
	r->text.len--;
	if (cm_draft_key(account, id, r->text.data, key) < 0)
		cm_die_nomem();
	memset(&job, 0, sizeof(job));
	job.target = id;
	job.thread = str(v, P_THREAD);
	job.author = str(v, P_HANDLE);
	job.url = str(v, P_URL);
	job.text = r->text.data;
	job.key = key;
	rc = cm_sender_send(run.sender, account, &job, &res, &err);
	if (went(rc, &res))
		run.sent++;
	nomem_if(set_buf(&r->account, res.account ? res.account : account));
	switch (res.status) {
	case CM_SEND_SENT:
	case CM_SEND_ANSWERED:
		r->status = R_SENT;
		r->sent_at = res.sent_at;
		nomem_if(set_buf(&r->id, res.id.data));
		nomem_if(set_buf(&r->url, res.url.data));
		if (res.text.len && (res.text.len != r->text.len ||
		    memcmp(res.text.data, r->text.data, res.text.len) != 0)) {
			/* a claim of an earlier run went with its own text */
			cm_buf_reset(&r->text);
			nomem_if(cm_buf_add(&r->text, res.text.data,
			    res.text.len));
		}
		cm_buf_reset(&r->why);
		if (res.status == CM_SEND_ANSWERED)
			nomem_if(set_why(r, "sent by an earlier run"));
		else if (res.found)
			nomem_if(set_why(r, "found on the platform: an earlier "
			    "run's send had gone"));
		break;
	case CM_SEND_DRY:
		break;
	case CM_SEND_FAILED:
		if (rc == 0) {
			r->status = R_FAILED;
			nomem_if(set_why(r, "%.*s", (int)res.msg.len,
			    res.msg.data ? res.msg.data : ""));
			cm_warn("%s:%zu: %s: %.*s", cm_input_name(in),
			    cm_input_lineno(in), id, (int)res.msg.len,
			    res.msg.data ? res.msg.data : "");
			worse(&run.status, CM_EXIT_FAIL);
		}
		break;
	case CM_SEND_BUSY:
	case CM_SEND_LATER:
		nomem_if(set_why(r, "%.*s", (int)res.msg.len,
		    res.msg.data ? res.msg.data : ""));
		cm_warn("%s:%zu: %s: %.*s", cm_input_name(in),
		    cm_input_lineno(in), id, (int)res.msg.len,
		    res.msg.data ? res.msg.data : "");
		if (res.status == CM_SEND_LATER)
			worse(&run.status, CM_EXIT_TEMPFAIL);
		break;
	}
	if (rc < 0) {
		/* The account cannot send (or the ledger failed): this
		 * reply is not sent, unless it already went. */
		if (res.status != CM_SEND_SENT) {
			/* a temporary failure (the store locked) leaves
			 * it approved, for the next run */
			if (err.status != CM_EXIT_TEMPFAIL)
				r->status = R_FAILED;
			nomem_if(set_why(r, "not sent: %s", err.msg));
		}
		cm_warn("%s:%zu: %s: %s", cm_input_name(in),
		    cm_input_lineno(in), id, err.msg);
		worse(&run.status, err.status == CM_EXIT_TEMPFAIL ?
		    CM_EXIT_TEMPFAIL : CM_EXIT_FAIL);
	}
	cm_send_result_free(&res);
}

static int add_member(struct cm_buf *o, const char *name, const char *s,
    size_t n, int first)
{
	int rc = cm_buf_printf(o, "%s\"%s\":", first ? "" : ",", name);

	return rc | cm_buf_add_json_string(o, s ? s : "", s ? n : 0);
}

/* The reply object, as JSON, into run.obj. */
static void reply_json(const struct reply *r)
{
	struct cm_buf *o = &run.obj;
	char at[21];
	int rc;

	cm_buf_reset(o);
	rc = cm_buf_addc(o, '{');
	rc |= add_member(o, "status", status_names[r->status],
	    strlen(status_names[r->status]), 1);
	rc |= add_member(o, "text", r->text.data, r->text.len, 0);
	if (r->rule.len)
		rc |= add_member(o, "rule", r->rule.data, r->rule.len, 0);
	if (r->why.len)
		rc |= add_member(o, "why", r->why.data, r->why.len, 0);
	if (r->account.len)
		rc |= add_member(o, "account", r->account.data,
		    r->account.len, 0);
	if (r->status == R_SENT) {
		cm_time_format(r->sent_at, at);
		rc |= add_member(o, "id", r->id.data, r->id.len, 0);
		rc |= add_member(o, "url", r->url.data, r->url.len, 0);
		rc |= add_member(o, "sent_at", at, strlen(at), 0);
	}
	rc |= cm_buf_addc(o, '}');
	nomem_if(rc);
}

static void record(struct cm_input *in, const char *line, size_t len,
    const struct cm_json_value *v)
{
	struct reply *r = &run.rp;
	enum status was;
	const char *irt;

	run.n++;
	reply_reset(r);
	if (v[P_BRAND].type == CM_JSON_TRUE &&
	    (irt = str(v, P_IN_REPLY_TO)) != NULL &&
	    cm_idset_add(&run.answered, irt, strlen(irt)) < 0)
		cm_die_nomem();
	carried(v, r);
	was = r->status;
	if (r->status == R_NONE && run.rules)
		draft(in, line, len, v, r);
	if (r->status == R_NONE) {
		if (!run.dry_run)
			cm_out_line(line, len);
		return;
	}
	if (r->status == R_DRAFT && run.reviewing)
		review(line, len, v, r);
	else if (r->status == R_INVALID && run.reviewing)
		review(line, len, v, r);
	if (r->status == R_DRAFT && run.approve)
		r->status = R_APPROVED;
	if (r->status == R_APPROVED && run.send)
		send_one(in, v, r);
	if (run.dry_run) {
		cm_out_write(run.dry.data, run.dry.len);
		cm_buf_reset(&run.dry);
		return;
	}
	/* A reply this run left as it came (sent, skipped, a draft no one
	 * reviewed) stays byte for byte what it was. */
	if (was != R_NONE && r->status == was && !r->touched) {
		cm_out_line(line, len);
		return;
	}
	reply_json(r);
	cm_buf_reset(&run.line);
	if (cm_record_set(line, len, "reply", run.obj.data, run.obj.len,
	    &run.line) < 0)
		cm_die_nomem();
	cm_out_line(run.line.data, run.line.len);
}

/*
 * After the input: each claim a run left pending (it ended between its
 * claim and its finish) is settled through the account that made it:
 * looked for on the platform, and posted with its key if it is not
 * there.  So a target is answered even when its record never comes back
 * (cm-fetch --new gives each record once).
 */
static int settle(const struct cm_ledger_entry *e, void *arg)
{
	struct cm_send_result res = { .status = CM_SEND_FAILED };
	struct cm_reply job;
	struct cm_error err;
	int rc;

	/* a row of an older cm names no account: its record's run
	 * settles it, through that record's account */
	if (e->alive || !*e->account || run.sent >= run.max)
		return 0;
	memset(&job, 0, sizeof(job));
	job.target = e->target;
	job.text = e->text ? e->text : "";
	job.key = e->key;
	rc = cm_sender_send(run.sender, e->account, &job, &res, &err);
	if (went(rc, &res))
		run.sent++;
	if (rc < 0) {
		cm_warn("%s: the claim an earlier run left: %s", e->target,
		    err.msg);
		worse(&run.status, err.status == CM_EXIT_TEMPFAIL ?
		    CM_EXIT_TEMPFAIL : CM_EXIT_FAIL);
	} else if (res.status == CM_SEND_SENT) {
		cm_warn("%s: the claim an earlier run left is settled: %s %s",
		    e->target, res.found ? "found on the platform," :
		    "sent now,", res.url.data ? res.url.data : "");
	} else if (res.status == CM_SEND_FAILED || res.status ==
	    CM_SEND_LATER) {
		cm_warn("%s: the claim an earlier run left: %.*s", e->target,
		    (int)res.msg.len, res.msg.data ? res.msg.data : "");
		worse(&run.status, res.status == CM_SEND_LATER ?
		    CM_EXIT_TEMPFAIL : CM_EXIT_FAIL);
	}
	cm_send_result_free(&res);
	return 0;
}

/* --log: one JSON object a line per ledger row. */
static int log_row(const struct cm_ledger_entry *e, void *arg)
{
	static const char *const names[] = { "none", "pending", "sent",
	    "failed" };
	struct cm_buf *o = arg;
	char at[21];
	int rc;

	cm_buf_reset(o);
	rc = cm_buf_addc(o, '{');
	rc |= add_member(o, "target", e->target, strlen(e->target), 1);
	rc |= add_member(o, "status", names[e->status],
	    strlen(names[e->status]), 0);
	rc |= add_member(o, "account", e->account, strlen(e->account), 0);
	rc |= add_member(o, "text", e->text, e->text ? strlen(e->text) : 0,
	    0);
	rc |= add_member(o, "key", e->key, strlen(e->key), 0);
	cm_time_format(e->claimed_at, at);
	rc |= add_member(o, "claimed_at", at, strlen(at), 0);
	if (e->status == CM_LEDGER_SENT) {
		cm_time_format(e->sent_at, at);
		rc |= add_member(o, "sent_at", at, strlen(at), 0);
		rc |= add_member(o, "id", e->reply_id, strlen(e->reply_id), 0);
		rc |= add_member(o, "url", e->reply_url, strlen(e->reply_url),
		    0);
	}
	if (e->status == CM_LEDGER_FAILED)
		rc |= add_member(o, "message", e->message, strlen(e->message),
		    0);
	if (e->status == CM_LEDGER_PENDING)
		rc |= cm_buf_printf(o, ",\"claimed_by\":{\"host\":") |
		    cm_buf_add_json_string(o, e->host, strlen(e->host)) |
		    cm_buf_printf(o, ",\"pid\":%ld,\"alive\":%s}", e->pid,
		    e->alive ? "true" : "false");
	rc |= cm_buf_addc(o, '}');
	nomem_if(rc);
	cm_out_line(o->data, o->len);
	return 0;
}

static void print_log(void)
{
	struct cm_error err;

	if (state(0) == NULL)
		return;		/* no store: nothing was ever sent */
	if (cm_state_ledger_each(run.st, 0, log_row, &run.obj, &err) < 0)
		cm_die_error(&err);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "approve", no_argument, NULL, OPT_APPROVE },
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "help", no_argument, NULL, 'h' },
		{ "include-spam", no_argument, NULL, OPT_INCLUDE_SPAM },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "max", required_argument, NULL, 'M' },
		{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
		{ "rejects", required_argument, NULL, 'r' },
		{ "review", no_argument, NULL, OPT_REVIEW },
		{ "rules", required_argument, NULL, 'f' },
		{ "send", no_argument, NULL, OPT_SEND },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "template", required_argument, NULL, 't' },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cm_input_opts iopts = { 0 };
	struct cm_sender_opts so = { 0 };
	struct cm_json_value vals[NP];
	struct cm_input *in;
	struct cm_error err;
	const char *rules = NULL, *template = NULL, *config = NULL, *line;
	int64_t max_wait = 300;
	size_t len;
	int c, log = 0, verbose = 0, status;

	cm_cli_init(argv);
	atexit(cleanup);
	cm_idset_init(&run.answered);
	run.max = DEFAULT_MAX;
	while ((c = getopt_long(argc, argv, "a:c:f:hM:r:t:uVv", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'a':
			run.account = optarg;
			break;
		case OPT_APPROVE:
			run.approve = 1;
			break;
		case 'c':
			config = optarg;
			break;
		case OPT_DRY_RUN:
			run.dry_run = 1;
			break;
		case 'f':
			rules = optarg;
			break;
		case 'h':
			cm_cli_help(usage);
		case OPT_INCLUDE_SPAM:
			run.include_spam = 1;
			break;
		case OPT_LOG:
			log = 1;
			break;
		case 'M':
			run.max = cm_opt_count("--max", optarg, 0, 1000000);
			break;
		case OPT_MAX_WAIT:
			/* A claim made on another host is taken for dead
			 * an hour after it was made: a job's waits (its
			 * turn and five retries) stay well inside that. */
			if (cm_duration_parse(optarg, &max_wait) < 0 ||
			    max_wait > 480)
				cm_usage_error("--max-wait: '%s' is not a "
				    "duration of at most 8m (like 30s, 5m)",
				    optarg);
			break;
		case 'r':
			iopts.rejects = optarg;
			break;
		case OPT_REVIEW:
			run.reviewing = 1;
			break;
		case OPT_SEND:
			run.send = 1;
			break;
		case OPT_STRICT:
			iopts.strict = 1;
			break;
		case 't':
			template = optarg;
			break;
		case 'u':
			cm_out_set_unbuffered(1);
			break;
		case 'V':
			cm_cli_version();
		case 'v':
			verbose = 1;
			break;
		default:
			cm_cli_try();
		}
	}
	if (rules && template)
		cm_usage_error("--rules and --template: give one of them");
	if (run.dry_run && !run.send)
		cm_usage_error("--dry-run applies only with --send");
	if (run.reviewing && run.approve)
		cm_usage_error("--review and --approve: give one of them");
	if (log && (rules || template || run.send || run.reviewing ||
	    run.approve || optind < argc))
		cm_usage_error("--log takes no input and no other action");
	run.cfg = cm_cli_config(config);
	if (run.cfg)
		cm_config_each_section(run.cfg, "account", check_account, NULL);
	if (log) {
		print_log();
		cleanup();
		cm_out_close();
		return CM_EXIT_OK;
	}
	if (rules && (run.rules = cm_rules_load(rules, (int64_t)time(NULL),
	    &err)) == NULL)
		cm_die_error(&err);
	if (template && (run.rules = cm_rules_template(template, &err)) ==
	    NULL)
		cm_die_error(&err);
	if (!run.rules && !run.send && !run.reviewing && !run.approve)
		cm_usage_error("nothing to do: give --rules or --template to "
		    "draft, --review or --approve, or --send");
	if (run.reviewing && (run.review = cm_review_open(&err)) == NULL)
		cm_die_error(&err);
	if (run.send) {
		so.cfg = run.cfg;
		so.st = run.dry_run ? state(0) : state(1);
		so.dry_run = run.dry_run ? &run.dry : NULL;
		so.max_wait = (double)max_wait;
		so.verbose = verbose;
		so.say = say;
		if ((run.sender = cm_sender_new(&so, &err)) == NULL)
			cm_die_error(&err);
	}
	if ((run.jp = cm_json_paths_new(paths, NP)) == NULL)
		cm_die_nomem();
	in = cm_input_open(argv + optind, argc - optind, &iopts);
	while (cm_input_next_record(in, run.jp, vals, &line, &len))
		record(in, line, len, vals);
	status = cm_input_close(in);
	worse(&run.status, status);
	/* After the input, whose records settle their own claims with all
	 * they hold: the claims left whose records did not come. */
	if (run.send && !run.dry_run && cm_state_ledger_each(run.st, 1,
	    settle, NULL, &err) < 0)
		cm_die_error(&err);
	if (run.left && !run.dry_run) {
		/* Said, and 75: the next run must be given them (with
		 * cm-fetch --new they will not come again). */
		cm_warn("--max %llu: %llu approved replies were left for a later "
		    "run: they are in the output, approved, with why",
		    (unsigned long long)run.max, (unsigned long long)run.left);
		worse(&run.status, CM_EXIT_TEMPFAIL);
	}
	status = run.status;
	cleanup();
	cm_out_close();
	return status;
}
