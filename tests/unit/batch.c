/* batch - tests for lib/cli/batch.c: lines come back in input order, with
 * where they came from, whatever the threads and the batch limits; drain
 * empties what is held */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/batch.h"
#include "cli/cli.h"
#include "tap.h"

static void free_null(void)
{
	cm_batcher_free(NULL);
}

#define NLINES 5000

static size_t emitted, bad_order, bad_where, bad_out;

/* Upper-cases the line; a few lines take longer, so threads finish out
 * of order. */
static void work(void *ctx, struct cm_batch_item *it, unsigned who)
{
	volatile unsigned long spin = 0;
	size_t i;

	cm_buf_reset(&it->out);
	for (i = 0; i < it->len; i++)
		cm_buf_addc(&it->out, (char)(it->line[i] >= 'a' &&
		    it->line[i] <= 'z' ? it->line[i] - 32 : it->line[i]));
	if (it->len % 7 == 0)
		for (i = 0; i < 20000; i++)
			spin += i;
	it->fate = (int)who;
}

static void emit(void *ctx, struct cm_batch_item *it)
{
	char want[32];
	size_t n;

	emitted++;
	if (it->where.lineno != emitted)
		bad_where++;
	n = (size_t)snprintf(want, sizeof(want), "LINE %zu", emitted);
	if (it->out.len < n || memcmp(it->out.data, want, n) != 0)
		bad_order++;
	else if (it->out.len != it->len)
		bad_out++;
}

static void run(const char *path, unsigned threads)
{
	struct cm_input_opts io;
	struct cm_batcher *b;
	struct cm_input *in;
	char *files[1];
	const char *line;
	size_t len, held = 0;

	emitted = bad_order = bad_where = bad_out = 0;
	memset(&io, 0, sizeof(io));
	files[0] = (char *)path;
	if (!ok((b = cm_batcher_new(threads, 0, work, emit, NULL)) != NULL,
	    "%u threads: a batcher", threads))
		return;
	io.sync = cm_batcher_drain;
	io.sync_ctx = b;
	in = cm_input_open(files, 1, &io);
	while (cm_input_next(in, &line, &len)) {
		cm_batcher_add(b, in, line, len);
		if (cm_input_lineno(in) == 1500) {
			cm_batcher_drain(b);
			held = 1500 - emitted;
		}
	}
	cm_batcher_drain(b);
	is_int(emitted, NLINES, "%u threads: every line emitted", threads);
	is_int(bad_order, 0, "%u threads: in input order", threads);
	is_int(bad_where, 0, "%u threads: with where it came from", threads);
	is_int(bad_out, 0, "%u threads: work's output whole", threads);
	is_int(held, 0, "%u threads: nothing held after drain", threads);
	cm_input_close(in);
	cm_batcher_free(b);
}

int main(int argc, char **argv)
{
	char path[] = "/tmp/cm-batch-test.XXXXXX";
	FILE *fp;
	int fd;
	size_t i, k;

	(void)argc;
	cm_cli_init(argv);
	if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == NULL)
		return 1;
	/* some lines of 300 KB, so batches also end by their bytes */
	for (i = 1; i <= NLINES; i++) {
		fprintf(fp, "line %zu", i);
		if (i % 997 == 0)
			for (k = 0; k < 300000; k++)
				fputc('x', fp);
		fputc('\n', fp);
	}
	fclose(fp);
	run(path, 1);
	run(path, 2);
	run(path, 4);
	unlink(path);
	ok(does_nothing(free_null), "cm_batcher_free(NULL) does nothing");
	return tap_done();
}
