/* jqexpr.h - a jq expression compiled once and tested on many records */
#ifndef CM_JQEXPR_H
#define CM_JQEXPR_H

#include <stddef.h>

#include <jq.h>

#include "core/buf.h"

/*
 * An expression passes a record as jq's select(EXPR) would, but once:
 * when any of its outputs is neither false nor null.  Evaluation stops
 * at the first such output.  As a convenience, when EXPR does not compile
 * as it is, it is compiled again with every top-level field of
 * cm-record(5) defined as a function of the same name (def score:
 * .score;), so "score.priority >= 0.7" means ".score.priority >= 0.7";
 * the messages reported are those of the plain compile.
 */
struct cm_jqexpr;

/* Whether expr selects every record without running libjq: empty, "."
 * or "true" (records are objects, so "." is always truthy). */
int cm_jqexpr_trivial(const char *expr);

/*
 * Compiles expr.  Returns NULL with errno EINVAL and libjq's messages in
 * *err (on one line, as libjq words them) when it does not compile, or
 * with errno ENOMEM.
 */
struct cm_jqexpr *cm_jqexpr_new(const char *expr, struct cm_buf *err);
void cm_jqexpr_free(struct cm_jqexpr *x);

/* Whether x compiled only with the record fields defined. */
int cm_jqexpr_sugared(const struct cm_jqexpr *x);

/*
 * Runs the expression on line[0..len), which cm_json_scan has accepted:
 * the value is built from it directly, not by libjq's slower parser, with
 * the same result.  Returns 1 when it passes, 0 when not, -1 when libjq
 * reports an error before any truthy output, with the message in *err
 * (replaced, not appended), -2 when out of memory (x is then unusable),
 * and -3 when libjq itself runs out of memory while evaluating, as a
 * runaway expression like "def f: 1 + f; f" does (a block of libjq's
 * over 256 MiB, or a failed allocation; libjq 1.6 would abort() the
 * program): the evaluation is stopped there, every later call returns -3
 * too, and errno is ENOMEM.  What the evaluation held only in its own
 * frames is lost (at most a few blocks); cm_jqexpr_free frees the rest.  halt ends the expression for the
 * record; halt_error is an error.
 */
int cm_jqexpr_test(struct cm_jqexpr *x, const char *line, size_t len,
    struct cm_buf *err);

/*
 * For tests and fuzzing: whether the value built from line[0..len) (which
 * cm_json_scan has accepted) equals libjq's parse of it.  Returns 1 when
 * equal, 0 when not, -1 when libjq refuses the line (it nests deeper
 * than 256) or out of memory.
 */
int cm_jqexpr_build_agrees(const char *line, size_t len);

/*
 * The libjq state under both: prog compiled, libjq's messages appended
 * to *err (on one line), and running out of memory caught by
 * cm_jq_first.  NULL when prog does not compile (errno EINVAL)
 * or on ENOMEM.  Free with jq_teardown.
 */
jq_state *cm_jq_compile(const char *prog, struct cm_buf *err);

/*
 * Runs jq over in (consumed) and sets *out to its first output, as
 * jq_next gives it.  Returns 0, or -3 when libjq ran out of memory, as
 * cm_jqexpr_test does; jq may still be torn down.
 */
int cm_jq_first(jq_state *jq, jv in, jv *out);

#endif
