/* review.h - cm-reply --review: a person approves, edits or skips each
 * draft on the terminal */
#ifndef CM_REVIEW_H
#define CM_REVIEW_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * The session talks to /dev/tty (standard input and output are the
 * records), so a review works inside a pipeline.  Text from the public
 * is shown with control characters, escape sequences and bidirectional
 * overrides neutralised (as visible \\x1b, U+FFFD and the like): a record
 * can never drive the terminal.
 */
struct cm_review;

/* Opens /dev/tty; NULL with *err (status 2) when there is no terminal. */
struct cm_review *cm_review_open(struct cm_error *err);
void cm_review_close(struct cm_review *rv);

enum cm_review_answer {
	CM_REVIEW_APPROVE,	/* send it as it is now in *text */
	CM_REVIEW_SKIP,		/* do not answer this record */
	CM_REVIEW_QUIT		/* stop reviewing: this and the rest stay drafts */
};

/*
 * Shows the record line[0..len) (platform, author, time, text, its score
 * and why) and its draft *text (by rule), numbered n of the stream, with
 * the reason it is invalid when why is not NULL, and asks: a(pprove),
 * e(dit) in $VISUAL or $EDITOR (else vi) in a private temporary file,
 * after which the new text is shown and asked about again, s(kip),
 * q(uit), ?(help).  An invalid draft cannot be approved until edited.
 * check, when not NULL, is called on each edited text and returns NULL
 * when it may be sent, else the reason (shown; approve refused).
 * Returns 0 with *ans, -1 with *err (the terminal went away: status 1).
 */
int cm_review_ask(struct cm_review *rv, const char *line, size_t len,
    size_t n, const char *rule, struct cm_buf *text, const char *why,
    const char *(*check)(void *ctx, struct cm_buf *text), void *ctx,
    enum cm_review_answer *ans, struct cm_error *err);

#endif
