/* line.c - libFuzzer harness for the capped line reader: any bytes, any
 * small cap; every line returned must fit the cap and hold no newline, and
 * the lengths must add up to the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_line_reader *r;
	enum cm_line_status st;
	const char *line;
	size_t max, len, seen = 0, lines = 0, lineno;
	int fd;

	if (size < 1)
		return 0;
	max = 1 + data[0] % 64;	/* small caps reach every branch */
	data++;
	size--;
	if ((fd = memfd_create("fuzz", 0)) < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	r = cm_line_open(fd, max);
	while ((st = cm_line_next(r, &line, &len, &lineno)) != CM_LINE_EOF) {
		if (st == CM_LINE_ERROR)
			abort();
		if (++lines != lineno)
			abort();
		if (st == CM_LINE_OK) {
			if (len > max || memchr(line, '\n', len))
				abort();
			if (len && memcmp(line, data + seen, len) != 0)
				abort();
			/* a removed '\r' and the newline */
			seen += len;
			if (seen < size && data[seen] == '\r')
				seen++;
		} else {
			if (len <= max || line != NULL)
				abort();
			seen += len;
		}
		if (seen < size && data[seen] == '\n')
			seen++;
	}
	if (seen != size)
		abort();
	cm_line_close(r);
	close(fd);
	return 0;
}
