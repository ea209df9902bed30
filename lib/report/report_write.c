/* report_write.c - cm_report_write: the top of lib/report, making the
 * view and handing it to the format asked for */
#include <errno.h>
#include <stddef.h>

#include "report.h"
#include "report_fmt.h"

int cm_report_write(struct cm_report *r, const struct cm_report_out *out,
    cm_report_writer w, void *ctx)
{
	static void (*const format[])(const struct cm_rview *,
	    struct cm_rout *) = {
		[CM_REPORT_TEXT] = cm_report_text,
		[CM_REPORT_CSV] = cm_report_csv,
		[CM_REPORT_JSON] = cm_report_json,
		[CM_REPORT_MARKDOWN] = cm_report_markdown,
		[CM_REPORT_HTML] = cm_report_html,
	};
	struct cm_rview *v;
	struct cm_rout o;
	int rc;

	if ((size_t)out->format >= sizeof(format) / sizeof(format[0])) {
		errno = EINVAL;
		return -1;
	}
	if ((v = cm_rview_new(r, out)) == NULL)
		return -1;
	cm_rout_init(&o, w, ctx);
	format[out->format](v, &o);
	rc = cm_rout_end(&o);
	cm_rview_free(v);
	return rc;
}

int cm_report_buf_writer(void *ctx, const char *p, size_t n)
{
	return cm_buf_add(ctx, p, n);
}
