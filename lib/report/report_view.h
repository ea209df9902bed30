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
	int64_t brand_replies, answered;
};

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
	CM_RCOL_DUR		/* seconds */
};
#define CM_RTAB_MAXCOLS 24

struct cm_rtab {
	const char *name;
	char title[128];
	size_t ncols, nrows;
	const char *cols[CM_RTAB_MAXCOLS];
	int kinds[CM_RTAB_MAXCOLS];
	struct cm_buf cells;	/* NUL-terminated cells, row by row */
	size_t *off, n, alloc;
	int failed;
};

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
 * report order and calls fn with it; stops when o fails, and sets
 * o->failed on ENOMEM. */
void cm_rview_each_table(const struct cm_rview *v, struct cm_rout *o,
    void (*fn)(const struct cm_rtab *t, struct cm_rout *o, void *arg),
    void *arg);

#endif
