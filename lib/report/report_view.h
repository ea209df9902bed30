/* report_view.h - the finished report as the output formats see it:
 * sorted groups, the backlog, and every section as a table
 * (report_view.c; internal to lib/report, see report.h for the layers) */
#ifndef CM_REPORT_VIEW_H
#define CM_REPORT_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "report_state.h"

#define CM_RVIEW_NDIST CM_RDIST_N	/* response-time bins */
#define CM_RVIEW_NAGE 6		/* backlog age bins */
#define CM_RVIEW_MAX_FILL 5000	/* longest timeline whose gaps are filled */

extern const char *const cm_rview_dist_bins[CM_RVIEW_NDIST];
extern const char *const cm_rview_age_bins[CM_RVIEW_NAGE];

/* The unanswered backlog of a group at the report's now. */
struct cm_rback {
	int64_t n, oldest;
	int64_t bins[CM_RVIEW_NAGE];
	struct cm_hist ages;
};

struct cm_rview {
	struct cm_report *r;
	const struct cm_report_out *out;
	size_t top;
	size_t *order;		/* group indices, most records first */
	struct cm_rback *back;	/* by group index */
	/* sent: replies seen as records' reply.sent_at; unpaired replies
	 * are brand_replies + sent - answered */
	int64_t brand_replies, answered, sent;
	/* --compare: the view of the previous period, and the groups of
	 * the comparison: this view's in order, then those only the
	 * previous period has (CM_RVIEW_NOGROUP where a side has none) */
	struct cm_rview *prev;
	size_t ncmp, *cmp_cur, *cmp_prev;
};

#define CM_RVIEW_NOGROUP ((size_t)-1)

/* Pairs merged states first (cm_report_pair).  NULL on ENOMEM. */
struct cm_rview *cm_rview_new(struct cm_report *r,
    const struct cm_report_out *out);
void cm_rview_free(struct cm_rview *v);

void cm_rview_key_part(const struct cm_rgroup *g, size_t i, const char **p,
    size_t *n);
/* Answered records in response-time bin (cm_rview_dist_bins), by
 * calendar or business time; exact. */
int64_t cm_rview_dist(const struct cm_rgroup *g, int biz, size_t bin);
/* A group's buckets in time order, gaps filled (at most
 * CM_RVIEW_MAX_FILL); *out is malloc'd.  (size_t)-1 on ENOMEM. */
size_t cm_rview_timeline(const struct cm_rgroup *g, struct cm_rbucket **out);
/* The KPI definitions: NUL-terminated names and texts appended to the
 * buffers at the offsets stored.  Returns how many, or (size_t)-1. */
size_t cm_rview_definitions(const struct cm_rview *v, struct cm_buf *names,
    struct cm_buf *texts, size_t *noff, size_t *toff, size_t max);
void cm_rview_human_dur(int64_t s, char buf[32]);

/* A section as a table of strings. */
enum {
	CM_RCOL_TEXT, CM_RCOL_INT, CM_RCOL_REAL, CM_RCOL_RATIO,
	CM_RCOL_DUR,		/* seconds */
	/* the comparison table, whose rows are figures of different
	 * kinds (struct cm_rtab's rkind): */
	CM_RCOL_ROW,		/* a value of the row's kind */
	CM_RCOL_CHANGE,		/* a change of it */
	CM_RCOL_PCT		/* a relative change, percent */
};

/*
 * The summary figures: one row each, in the order of the summary table
 * and the JSON summary.  Every format's summary (table columns, JSON
 * keys, HTML cards) and --compare read this table, so a new figure is a
 * new row (and its getter).
 */
struct cm_rfigval {
	int have;		/* 0: no value (no records to take it of) */
	double x;
	int64_t num, den;	/* ratios: x = num / den */
};

#define CM_RFIG_TABLE 1u	/* a column of the summary table */
#define CM_RFIG_JSON 2u		/* a key of the JSON summary */

struct cm_rfig {
	const char *name;	/* column and JSON key (durations: + "_s") */
	const char *label;	/* as a person reads it (HTML cards) */
	int kind;		/* CM_RCOL_INT, _REAL, _RATIO or _DUR */
	int better;		/* 1: higher is better, -1: lower, 0: neither */
	unsigned show;		/* CM_RFIG_* */
	int card;		/* place among the HTML cards; 0: none */
	/* its value in group gi; NULL: the group's count st */
	void (*get)(const struct cm_rview *v, size_t gi,
	    struct cm_rfigval *out);
	int st;			/* ST_*, a count of the group's state */
};

extern const struct cm_rfig cm_rview_figs[];
extern const size_t cm_rview_nfigs;

/* Figure fig of group gi (CM_RVIEW_NOGROUP: a group with no records). */
void cm_rview_fig(const struct cm_rview *v, size_t fig, size_t gi,
    struct cm_rfigval *out);
/* Its label for a person (an HTML card): the spam card says whether
 * spam is in the response rate (--include-spam). */
const char *cm_rview_fig_label(const struct cm_rview *v, size_t fig);
/* A value as the cells and JSON have it ("" when there is none). */
void cm_rview_fig_raw(int kind, const struct cm_rfigval *x, char buf[32]);
/* The unit word of a kind, for the comparison table. */
const char *cm_rview_fig_unit(int kind);

/* A figure now and in the previous period, and the change as cells
 * (raw, "" when there is none): the change of the raw values,
 * and the relative one, of counts and durations only. */
struct cm_rcmp {
	char cur[32], prev[32], change[32], pct[32];
	int sign;		/* of the change: -1, 0, 1 */
};
void cm_rview_compare(const struct cm_rview *v, size_t fig, size_t gcur,
    size_t gprev, struct cm_rcmp *c);
/* The human form of a change of a kind (raw as in struct cm_rcmp). */
const char *cm_rview_change_human(int kind, const char *raw, char buf[32]);
#define CM_RTAB_MAXCOLS 24

struct cm_rtab {
	const char *name;
	char title[128];
	size_t ncols, nrows;
	const char *cols[CM_RTAB_MAXCOLS];
	int kinds[CM_RTAB_MAXCOLS];
	int *rkind;		/* by row, for CM_RCOL_ROW, _CHANGE, _PCT */
	size_t nrkind, rkalloc;
	struct cm_buf cells;	/* NUL-terminated cells, row by row */
	size_t *off, n, alloc;
	int failed;
};

/* The comparison with the previous period (v->prev set); as
 * cm_rview_table. */
int cm_rview_compare_table(const struct cm_rview *v, struct cm_rtab *t);

/* Builds section number `section` of cm_report_sections.  Returns 0, or
 * -1 on ENOMEM.  Free with cm_rtab_free. */
int cm_rview_table(const struct cm_rview *v, size_t section,
    struct cm_rtab *t);
void cm_rtab_free(struct cm_rtab *t);
const char *cm_rtab_cell(const struct cm_rtab *t, size_t row, size_t col);
/* The cell as a person reads it: ratios as percentages, seconds as
 * durations, empty numbers as a dash. */
const char *cm_rtab_human(const struct cm_rtab *t, size_t row, size_t col,
    char buf[32]);

/* "cm-report: N records, FIRST to LAST; N groups; now NOW", after pre,
 * and an empty line: the first line of text and Markdown. */
void cm_rview_heading(const struct cm_rview *v, struct cm_rout *o,
    const char *pre);

/* Builds the table of each section (only v->out->section, when set) in
 * report order, with --compare the comparison after the summary, and
 * calls fn with it; stops when o fails, and sets
 * o->failed on ENOMEM. */
void cm_rview_each_table(const struct cm_rview *v, struct cm_rout *o,
    void (*fn)(const struct cm_rtab *t, struct cm_rout *o, void *arg),
    void *arg);

#endif
