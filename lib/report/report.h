/* report.h - cm-report's aggregation: groups, sections, response matching,
 * mergeable partial states, and the report in every output format */

/*
 * lib/report is a one-way stack: a file includes only the headers of its
 * own line of this table and of lines with a lower number; lines with
 * the same number know nothing of each other.  tests/0419-report-layers.t
 * reads the table and checks every #include against it.
 *
 *  0 report_rout.h report_rout.c: the buffered writer and its escaping
 *    (JSON strings, HTML, text for a terminal)
 *  0 hist.h hist.c: log-bucketed histograms
 *  0 bizhours.h bizhours.c: time zones and business hours
 *  1 report.h: this interface, for cmd/: the types and the entry points
 *    (each implemented in the layer it belongs to)
 *  2 report_state.h report.c report_top.c report_partial.c: the
 *    aggregate state, counters and top lists, partial states
 *  3 report_view.h report_view.c: the finished view: groups in order,
 *    the backlog, definitions, every section as a table
 *  4 report_fmt.h report_text.c report_csv.c report_json.c report_md.c
 *    report_html.c: one file per output format
 *  5 report_write.c: cm_report_write, which picks the format
 */
#ifndef CM_REPORT_H
#define CM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"

enum cm_report_interval { CM_REPORT_HOUR, CM_REPORT_DAY, CM_REPORT_WEEK };

enum cm_report_format {
	CM_REPORT_TEXT, CM_REPORT_CSV, CM_REPORT_JSON, CM_REPORT_MARKDOWN,
	CM_REPORT_HTML
};

#define CM_REPORT_MAX_BY 8
#define CM_REPORT_MAX_TOP 100		/* longest top list */
#define CM_REPORT_DEFAULT_CAPACITY 65536

/*
 * What is aggregated, and how.  These shape the state, so a --merge takes
 * them from the partial states rather than from its own command line.
 */
struct cm_report_opts {
	const char *by[CM_REPORT_MAX_BY];	/* dotted paths; not owned */
	size_t nby;
	enum cm_report_interval interval;
	const char *tz;			/* NULL: UTC */
	int open, close;		/* business hours, minutes */
	unsigned workdays;		/* bit 0 Sunday .. bit 6 Saturday */
	size_t capacity;		/* exact keys per top list, per group */
	int64_t since, until;		/* INT64_MIN / INT64_MAX: open */
	int include_spam;		/* spam is eligible for a reply */
	int compare;			/* also aggregate the previous period */
	int64_t prev_since, prev_until;	/* it, with compare: [since, until) */
};

/* Defaults: no groups, by day, UTC, 09:00-17:00 Mon-Fri, 65536. */
void cm_report_opts_init(struct cm_report_opts *o);

/* "hour", "day", "week" and back; parsing returns 0 or -1. */
const char *cm_report_interval_name(enum cm_report_interval i);
int cm_report_parse_interval(const char *s, enum cm_report_interval *out);

/* Output choices: they do not change the state. */
struct cm_report_out {
	enum cm_report_format format;
	const char *section;		/* NULL: every section */
	size_t top;			/* entries per top list */
	int64_t now;			/* backlog ages are measured at now */
	int csv_formulas;		/* CSV: keep text cells that start
					 * = + - @ tab CR as they are */
};

/* The section names, NULL-terminated, in report order. */
extern const char *const cm_report_sections[];

/* Writes bytes somewhere; returns 0, or -1 to stop the output. */
typedef int (*cm_report_writer)(void *ctx, const char *p, size_t n);

struct cm_report;

/* A report to aggregate records into.  Returns NULL with err filled (an
 * unknown time zone, a bad --by path, ENOMEM). */
struct cm_report *cm_report_new(const struct cm_report_opts *o,
    struct cm_error *err);

/* A report that takes its state (and options) from partial states, fed
 * line by line to cm_report_merge_line. */
struct cm_report *cm_report_new_merge(struct cm_error *err);

void cm_report_free(struct cm_report *r);

/*
 * Record input: pass cm_report_paths(r) and cm_report_values(r) to
 * cm_json_scan (or cm_input_next_record) for each line, then call
 * cm_report_add.  Returns 0, or -1 on ENOMEM.
 */
const struct cm_json_paths *cm_report_paths(const struct cm_report *r);
struct cm_json_value *cm_report_values(struct cm_report *r);
int cm_report_add(struct cm_report *r);

/*
 * Leaves terms out of the top terms: each comma-separated entry of s,
 * without the spaces and '@' before it, gives its terms as texts' terms
 * are read (lowercased; words under 3 bytes, numbers and stop words are
 * never terms), or with first_only the term its first label is (a
 * handle: "@acme@mastodon.example" and "acme.bsky.social" give "acme",
 * "hq.bsky.social" none).  Brand
 * records add the first term of their author.handle themselves.  At most
 * CM_REPORT_MAX_IGNORE terms: past that returns -1 with errno E2BIG;
 * -1 with ENOMEM.
 */
#define CM_REPORT_MAX_IGNORE 4096
int cm_report_ignore(struct cm_report *r, const char *s, size_t n,
    int first_only);

/* Lines rejected by the reader, shown in the report's footer. */
void cm_report_add_bad(struct cm_report *r, uint64_t n);

/*
 * Writes the aggregate state as NDJSON (the format is described in
 * cm-report(1), PARTIAL STATE).  Returns 0, or -1 when w failed or on
 * ENOMEM.
 */
int cm_report_write_partial(struct cm_report *r, cm_report_writer w,
    void *ctx);

/*
 * Merges one line of partial state.  Returns 0, or -1 with err filled
 * (the line is not valid partial state, or its options differ from
 * those of the partials before it, or ENOMEM).
 */
int cm_report_merge_line(struct cm_report *r, const char *line, size_t len,
    struct cm_error *err);

/* Ends a merge; returns the number of partial states that were cut
 * short (no end line).  The brand replies and inbound records that came
 * in different partial states are paired when the report is written, so
 * merged states can also be written out again as one partial state. */
long cm_report_merge_end(struct cm_report *r);

/* 1 once cm_report_merge_line has seen a partial state's header. */
int cm_report_merged_any(const struct cm_report *r);

/* Writes the report.  Returns 0, or -1 when w failed, on ENOMEM, or
 * (EINVAL) for a format that is not one of enum cm_report_format. */
int cm_report_write(struct cm_report *r, const struct cm_report_out *o,
    cm_report_writer w, void *ctx);

/* A cm_report_writer that appends to the cm_buf ctx. */
int cm_report_buf_writer(void *ctx, const char *p, size_t n);

#endif
