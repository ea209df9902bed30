/* send.h - sending a reply exactly once: the ledger's claim, the
 * platform adapter's requests over the HTTP layer, the ledger's finish */
#ifndef CM_SEND_H
#define CM_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "platforms/adapter.h"
#include "store/config.h"
#include "store/state.h"

/*
 * A sender sends one reply at a time (posts are few and paced; sending
 * them at once would only race the platform's posting limits), each
 * through the account named for it: the account's adapter state is
 * opened on its first reply and kept for the rest of the run.
 *
 * The order for each reply is: claim the target in the ledger, send,
 * finish the claim.  The caller writes its output line after
 * cm_sender_send returns, so a reply that was sent is recorded in the
 * ledger even when the output is lost.
 */
struct cm_sender;

struct cm_sender_opts {
	const struct cm_config *cfg;
	struct cm_state *st;		/* the ledger; NULL with dry_run */
	/* --dry-run: each request is described (secrets masked) to this
	 * buffer instead of sent, and nothing is claimed */
	struct cm_buf *dry_run;
	unsigned retries;		/* per reply; 0: 5 */
	double max_wait;		/* a longer wait gives up; 0: 300 s */
	int verbose;			/* say each request and answer */
	/* Where messages go (a line without its newline). */
	void (*say)(void *ctx, const char *msg);
	void *ctx;
};

enum cm_send_status {
	CM_SEND_SENT,		/* sent now, or found on the platform */
	CM_SEND_ANSWERED,	/* the ledger says it was sent before */
	CM_SEND_BUSY,		/* another live process holds the claim */
	CM_SEND_FAILED,		/* refused: nothing posted (why in msg) */
	CM_SEND_LATER,		/* not sent for now: a temporary failure or
				 * a wait over max_wait; the claim stays
				 * pending, so the next run looks first */
	CM_SEND_DRY		/* --dry-run: described */
};

struct cm_send_result {
	enum cm_send_status status;
	struct cm_buf id, url, msg;
	struct cm_buf text;	/* the text that went (a claim taken over
				 * sends the text it was claimed with) */
	const char *account;	/* the account it went through (a claim taken
				 * over goes through the account that made
				 * it); the sender's, NULL when none */
	int64_t sent_at;	/* epoch seconds */
	int found;		/* an earlier send's reply, found */
};

void cm_send_result_free(struct cm_send_result *r);

/* Returns NULL with *err (status 75 on ENOMEM, or libcurl's). */
struct cm_sender *cm_sender_new(const struct cm_sender_opts *o,
    struct cm_error *err);
void cm_sender_free(struct cm_sender *s);

/*
 * Sends rp (its key is set by the caller: cm_draft_key) through account
 * (an [account NAME] section of the config).  Returns 0 with *res
 * filled, or -1 with *err when nothing more should be sent through that
 * account (it is not configured, its credentials were refused: status 1
 * or 2; the ledger row, if claimed, is finished FAILED since nothing was
 * posted) or the ledger cannot be written (status 1 or 75): when that
 * happens after the reply went, res->status is CM_SEND_SENT and the
 * caller still writes it out.
 */
int cm_sender_send(struct cm_sender *s, const char *account,
    const struct cm_reply *rp, struct cm_send_result *res,
    struct cm_error *err);

/* Whether the platform of account can be posted on: 1, 0 (with *err
 * saying why: not configured, a platform cm cannot post on). */
int cm_sender_can(struct cm_sender *s, const char *account,
    struct cm_error *err);

#endif
