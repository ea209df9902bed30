/* line.c - unit tests for the capped line reader */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/line.h"
#include "tap.h"

/* A file holding data[0..n), opened for reading. */
static int file_with(const void *data, size_t n)
{
	char path[] = "/tmp/cm-line-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	unlink(path);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void test_basic(void)
{
	static const char data[] = "one\ntwo\r\n\nthree";
	struct cm_line_reader *r;
	const char *line;
	size_t len, no;
	int fd = file_with(data, sizeof(data) - 1);

	r = cm_line_open(fd, 0);
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_OK, "first line");
	ok(len == 3 && memcmp(line, "one", 3) == 0 && no == 1, "one, line 1");
	cm_line_next(r, &line, &len, &no);
	ok(len == 3 && memcmp(line, "two", 3) == 0 && no == 2,
	    "CRLF: carriage return removed");
	ok(cm_line_crlf(r), "and said so");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_OK, "empty line");
	ok(!cm_line_crlf(r), "a line ending in LF alone is not CRLF");
	is_int(len, 0, "empty line has length 0");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_OK,
	    "last line without newline");
	ok(len == 5 && memcmp(line, "three", 5) == 0 && no == 4, "three, line 4");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_EOF, "then EOF");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_EOF, "EOF again");
	cm_line_close(r);
	close(fd);
}

static void test_nul(void)
{
	static const char data[] = "a\0b\nc";
	struct cm_line_reader *r;
	const char *line;
	size_t len;
	int fd = file_with(data, sizeof(data) - 1);

	r = cm_line_open(fd, 0);
	cm_line_next(r, &line, &len, NULL);
	ok(len == 3 && line[1] == '\0' && line[2] == 'b',
	    "NUL byte kept inside the line");
	cm_line_close(r);
	close(fd);
}

/* Lines around the cap, across several buffer refills. */
static void test_cap(void)
{
	size_t max = 100000, n = 3 * max + 64;
	char *data = malloc(n);
	struct cm_line_reader *r;
	const char *line;
	size_t len, no;
	int fd;

	/* line 1: exactly max bytes; line 2: max + 1; line 3: "ok";
	 * line 4: very long without newline at the end */
	memset(data, 'x', n);
	data[max] = '\n';
	data[2 * max + 2] = '\n';
	memcpy(data + 2 * max + 3, "ok\n", 3);
	fd = file_with(data, n);
	r = cm_line_open(fd, max);
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_OK,
	    "a line of exactly the cap is read");
	is_int(len, max, "with all its bytes");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_TOOLONG,
	    "a line one byte over the cap is refused");
	ok(len == max + 1 && line == NULL && no == 2,
	    "its length and number are reported");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_OK,
	    "the next line is read");
	ok(len == 2 && memcmp(line, "ok", 2) == 0 && no == 3, "and is intact");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_TOOLONG,
	    "an over-long last line without newline is refused");
	is_int(len, n - (2 * max + 6), "with its full length");
	is_int(cm_line_next(r, &line, &len, &no), CM_LINE_EOF, "then EOF");
	cm_line_close(r);
	close(fd);
	free(data);
}

struct spilled {
	char *data;
	size_t n, calls;
};

static void collect(void *ctx, const char *p, size_t n)
{
	struct spilled *sp = ctx;

	if ((sp->data = realloc(sp->data, sp->n + n)) == NULL)
		abort();
	memcpy(sp->data + sp->n, p, n);
	sp->n += n;
	sp->calls++;
}

/* Over-long lines are handed to the spill function byte for byte, in
 * pieces, and nothing else is. */
static void test_spill(void)
{
	size_t max = 1000, big = 300000, n = big + 4 + 7 + 100;
	char *data = malloc(n), *p = data;
	struct cm_line_reader *r;
	struct spilled sp = { NULL, 0, 0 };
	const char *line;
	size_t len, i;
	int fd;

	for (i = 0; i < big; i++)
		*p++ = (char)('a' + i % 26);
	memcpy(p, "\r\nok\n", 5);
	p += 5;
	memset(p, 'z', 100);		/* a long last line, no newline */
	p += 100;
	fd = file_with(data, (size_t)(p - data));
	r = cm_line_open(fd, max);
	cm_line_spill(r, collect, &sp);
	is_int(cm_line_next(r, &line, &len, NULL), CM_LINE_TOOLONG,
	    "spill: the long line is still refused");
	ok(sp.n == big + 1 && memcmp(sp.data, data, big + 1) == 0,
	    "spill: all its bytes, its CR too, no newline");
	ok(sp.calls > 1, "spill: in pieces, never held whole");
	ok(!cm_line_crlf(r), "spill: its CR is not taken as a line end");
	is_int(cm_line_next(r, &line, &len, NULL), CM_LINE_OK,
	    "spill: the next line is read");
	ok(len == 2 && sp.n == big + 1, "spill: and not spilled");
	cm_line_close(r);
	close(fd);
	/* a last line over the cap but inside one buffer */
	fd = file_with(data + big + 5, 100);
	r = cm_line_open(fd, 50);
	sp.n = 0;
	cm_line_spill(r, collect, &sp);
	is_int(cm_line_next(r, &line, &len, NULL), CM_LINE_TOOLONG,
	    "spill: a short over-long last line is refused");
	ok(sp.n == 100 && memcmp(sp.data, data + big + 5, 100) == 0,
	    "spill: and spilled whole");
	cm_line_close(r);
	close(fd);
	free(sp.data);
	free(data);
}

/* Many short lines: every one comes back, in order, across refills. */
static void test_many(void)
{
	size_t count = 200000, i, bad = 0;
	char *data = malloc(count * 8), *p = data;
	struct cm_line_reader *r;
	const char *line;
	size_t len;
	int fd;

	for (i = 0; i < count; i++)
		p += sprintf(p, "%06zu\n", i % 1000000);
	fd = file_with(data, (size_t)(p - data));
	r = cm_line_open(fd, 64);
	for (i = 0; cm_line_next(r, &line, &len, NULL) == CM_LINE_OK; i++)
		if (len != 6 || strtoul(line, NULL, 10) != i % 1000000)
			bad++;
	is_int(i, count, "200000 lines read");
	is_int(bad, 0, "each one intact");
	cm_line_close(r);
	close(fd);
	free(data);
}

static void test_error(void)
{
	struct cm_line_reader *r = cm_line_open(-1, 0);
	const char *line;
	size_t len;

	is_int(cm_line_next(r, &line, &len, NULL), CM_LINE_ERROR,
	    "a bad descriptor is an error");
	cm_line_close(r);
}

int main(void)
{
	test_basic();
	test_nul();
	test_cap();
	test_spill();
	test_many();
	test_error();
	return tap_done();
}
