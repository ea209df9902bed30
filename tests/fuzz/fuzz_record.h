/* fuzz_record.h - the check every harness that makes records shares: a
 * record the writer made from an adapter's fields is one strict JSON
 * object on one line (included by the harnesses; no .c, so make fuzz does
 * not take it for one). */
#ifndef CM_FUZZ_RECORD_H
#define CM_FUZZ_RECORD_H

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/rec.h"

/* Writes rec into out (emptied first) and aborts unless it is valid.
 * Returns 0, or -1 when the writer reached out's limit. */
static int fuzz_record_check(const struct cm_rec *rec, struct cm_buf *out)
{
	struct cm_json_error err;

	cm_buf_reset(out);
	if (cm_rec_write(rec, out) < 0)
		return -1;
	if (cm_json_scan(out->data, out->len, 0, NULL, NULL, &err) < 0)
		abort();	/* the writer made invalid JSON */
	if (out->len < 2 || out->data[0] != '{' ||
	    memchr(out->data, '\n', out->len) != NULL)
		abort();	/* not one object on one line */
	return 0;
}

#endif
