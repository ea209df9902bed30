/*
 * review - a test driver for lib/reply/review.c: reads records with a
 * draft in reply.text (rule reply.rule, reason reply.why when invalid)
 * and asks about each on the terminal, as cm-reply --review does; prints
 * one line per record, "ANSWER TEXT" (TEXT a JSON string).  With --max N
 * an edited text over N bytes is invalid.  tests/0530-cm-reply-review.t
 * runs it in tmux; it prints no TAP itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "reply/review.h"

static size_t max_len;
static char reason[64];

static const char *check(void *ctx, struct cm_buf *text)
{
	(void)ctx;
	if (max_len == 0 || text->len <= max_len)
		return NULL;
	snprintf(reason, sizeof reason, "%zu bytes, over %zu", text->len,
	    max_len);
	return reason;
}

static int get(const char *line, size_t len, const char *path,
    struct cm_buf *out)
{
	struct cm_json_value v;

	cm_buf_reset(out);
	return cm_json_get(line, len, path, &v) == 1 &&
	    v.type == CM_JSON_STRING && cm_json_string(&v, out) == 0;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "approved", "skipped", "draft" };
	struct cm_buf text = CM_BUF_INIT, rule = CM_BUF_INIT,
	    why = CM_BUF_INIT, out = CM_BUF_INIT;
	struct cm_json_error jerr;
	struct cm_review *rv;
	struct cm_error err;
	enum cm_review_answer ans;
	char *line = NULL;
	size_t cap = 0, n = 0, len;
	ssize_t got;
	int quit = 0, status = 0, has_why;

	if (argc == 3 && strcmp(argv[1], "--max") == 0)
		max_len = strtoul(argv[2], NULL, 10);
	rv = cm_review_open(&err);
	if (rv == NULL) {
		fprintf(stderr, "review: %s\n", err.msg);
		return err.status;
	}
	while ((got = getline(&line, &cap, stdin)) > 0) {
		len = (size_t)got;
		if (line[len - 1] == '\n')
			len--;
		if (cm_json_scan(line, len, 0, NULL, NULL, &jerr) != 0)
			continue;
		n++;
		get(line, len, "reply.text", &text);
		get(line, len, "reply.rule", &rule);
		has_why = get(line, len, "reply.why", &why);
		ans = CM_REVIEW_QUIT;
		if (!quit && cm_review_ask(rv, line, len, n, rule.data, &text,
		    has_why ? why.data : NULL, check, NULL, &ans, &err) != 0) {
			fprintf(stderr, "review: %s\n", err.msg);
			status = err.status;
			break;
		}
		if (ans == CM_REVIEW_QUIT)
			quit = 1;
		cm_buf_reset(&out);
		cm_buf_add_json_string(&out, text.data ? text.data : "",
		    text.len);
		printf("%s %s\n", names[ans], out.data);
	}
	cm_review_close(rv);
	free(line);
	cm_buf_free(&text);
	cm_buf_free(&rule);
	cm_buf_free(&why);
	cm_buf_free(&out);
	return status;
}
