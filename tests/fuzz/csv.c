/* csv.c - libFuzzer harness for the CSV import (lib/platforms/csv.c):
 * any bytes, with the first byte choosing the delimiter, give records
 * that are strict JSON objects, reports of bad rows, and no crash; memory
 * stays bounded by the row cap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_record.h"
#include "platforms/adapter.h"
#include "store/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	struct cm_buf rec;
	size_t records, bad;
};

static int on_record(void *ctx, struct cm_rec *rec, int64_t order)
{
	struct seen *s = ctx;

	(void)order;
	rec->account = "csv";
	rec->feed = "f";
	if (fuzz_record_check(rec, &s->rec) < 0)
		return -1;
	s->records++;
	return 0;
}

static void on_bad(void *ctx, const char *msg)
{
	struct seen *s = ctx;

	if (strchr(msg, ':') == NULL)
		abort();	/* a report names file and line */
	s->bad++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const delims[] = { "comma", "semicolon", "tab",
	    "pipe" };
	const struct cm_adapter *ad = cm_adapter_find("csv", 3);
	struct seen s = { CM_BUF_INIT, 0, 0 };
	struct cm_sink sink = { on_record, on_bad, &s, 0 };
	struct cm_buf next = CM_BUF_INIT, conf = CM_BUF_INIT;
	struct cm_source src;
	struct cm_config *cfg;
	struct cm_error err;
	char path[64];
	void *st;
	int fd;

	if (size < 1)
		return 0;
	/* The first byte: which delimiter and whether a mapping is used. */
	cm_buf_printf(&conf, "[account f]\nplatform = csv\ndelimiter = %s\n%s",
	    delims[data[0] & 3], data[0] & 4 ? "columns = text=T, "
	    "created_at=D, id=I, author.handle=H, metrics.likes=L\n"
	    "time-format = %d/%m/%Y\nbrand = a, b\n" : "");
	if ((cfg = cm_config_parse("fuzz", conf.data, conf.len, &err)) == NULL)
		abort();
	fd = memfd_create("csv", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&src, 0, sizeof(src));
	src.spec = "f:x";
	src.account = "f";
	src.has_account = 1;
	src.ad = ad;
	src.feed = &ad->feeds[0];
	src.arg = path;
	src.cfg = cfg;
	if (ad->check(&src, &err) < 0 || (st = ad->open(&src, &err)) == NULL)
		abort();
	do {
		cm_buf_reset(&next);
		if (ad->local(st, NULL, &sink, &next, &err) < 0)
			abort();
	} while (next.len);
	ad->close(st);
	close(fd);
	cm_config_free(cfg);
	cm_buf_free(&next);
	cm_buf_free(&conf);
	cm_buf_free(&s.rec);
	return 0;
}
