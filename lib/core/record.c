/* record.c - emit a record's original bytes with one member added or replaced */
#include <string.h>

#include "json.h"
#include "record.h"

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cm_record_set(const char *line, size_t len, const char *name,
    const char *value, size_t value_len, struct cm_buf *out)
{
	struct cm_json_value old;
	size_t open = 0, close = len, i;
	int empty = 1;

	while (open < len && is_ws(line[open]))
		open++;
	while (close > open && is_ws(line[close - 1]))
		close--;
	if (close - open < 2 || line[open] != '{' || line[close - 1] != '}')
		return -1;
	close--;	/* index of the closing brace */

	/* The lookup takes a path: a dotted name would descend. */
	if (strchr(name, '.') != NULL)
		return -1;
	if (cm_json_get(line, len, name, &old) == 1) {
		size_t before = (size_t)(old.raw - line);

		if (cm_buf_add(out, line, before) < 0 ||
		    cm_buf_add(out, value, value_len) < 0 ||
		    cm_buf_add(out, old.raw + old.len,
		    len - before - old.len) < 0)
			return -1;
		return 0;
	}
	for (i = open + 1; i < close; i++)
		if (!is_ws(line[i])) {
			empty = 0;
			break;
		}
	if (cm_buf_add(out, line, close) < 0 ||
	    (!empty && cm_buf_addc(out, ',') < 0) ||
	    cm_buf_add_json_string(out, name, strlen(name)) < 0 ||
	    cm_buf_addc(out, ':') < 0 ||
	    cm_buf_add(out, value, value_len) < 0 ||
	    cm_buf_add(out, line + close, len - close) < 0)
		return -1;
	return 0;
}
