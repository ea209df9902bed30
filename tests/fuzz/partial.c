/* partial.c - libFuzzer harness for cm-report --merge's partial-state
 * reader: any lines are merged, the report is written in every format,
 * and the merged state written out and merged again must give the same
 * JSON report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Merges the lines of p[0..n); returns the number of partial states cut
 * short, or -1 when nothing was merged. */
static long merge(struct cm_report *r, const char *p, size_t n)
{
	struct cm_error err;
	const char *nl;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		cm_report_merge_line(r, p, nl ? (size_t)(nl - p) : n, &err);
		if (nl == NULL)
			break;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return cm_report_merge_end(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_report_out out = { CM_REPORT_JSON, NULL, 5,
	    1795521600 /* 2026-11-24T12:00:00Z */, 0 };
	struct cm_buf state = CM_BUF_INIT, j1 = CM_BUF_INIT, j2 = CM_BUF_INIT;
	struct cm_buf other = CM_BUF_INIT;
	struct cm_error err;
	struct cm_report *r, *r2;
	long cut;
	int f;

	if ((r = cm_report_new_merge(&err)) == NULL)
		abort();
	cut = merge(r, (const char *)data, size);
	if (!cm_report_merged_any(r)) {
		cm_report_free(r);
		return 0;
	}
	/* The state written before any report (writing one pairs it). */
	if (cm_report_write_partial(r, cm_report_buf_writer, &state) < 0)
		abort();
	if (cm_report_write(r, &out, cm_report_buf_writer, &j1) < 0)
		abort();
	for (f = CM_REPORT_TEXT; f <= CM_REPORT_HTML; f++) {
		out.format = (enum cm_report_format)f;
		cm_buf_reset(&other);
		if (cm_report_write(r, &out, cm_report_buf_writer, &other) < 0)
			abort();
	}
	if ((r2 = cm_report_new_merge(&err)) == NULL)
		abort();
	if (merge(r2, state.data, state.len) != 0)
		abort();	/* what we wrote is complete */
	out.format = CM_REPORT_JSON;
	if (cm_report_write(r2, &out, cm_report_buf_writer, &j2) < 0)
		abort();
	if (cut == 0 && (j1.len != j2.len || memcmp(j1.data, j2.data,
	    j1.len) != 0))
		abort();	/* a written state merges back to itself */
	cm_report_free(r);
	cm_report_free(r2);
	cm_buf_free(&state);
	cm_buf_free(&j1);
	cm_buf_free(&j2);
	cm_buf_free(&other);
	return 0;
}
