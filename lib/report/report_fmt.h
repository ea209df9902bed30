/* report_fmt.h - the output formats, one file each, over the view; each
 * writes the whole report (or v->out->section) to o and, on ENOMEM,
 * sets o->failed (internal to lib/report, see report.h for the layers) */
#ifndef CM_REPORT_FMT_H
#define CM_REPORT_FMT_H

#include "report_view.h"

void cm_report_text(const struct cm_rview *v, struct cm_rout *o);
void cm_report_csv(const struct cm_rview *v, struct cm_rout *o);
void cm_report_json(const struct cm_rview *v, struct cm_rout *o);
void cm_report_markdown(const struct cm_rview *v, struct cm_rout *o);
void cm_report_html(const struct cm_rview *v, struct cm_rout *o);

#endif
