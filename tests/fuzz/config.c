/* config.c - libFuzzer harness for the config parser: any bytes parse or
 * fail with a "NAME:..." message; what parses answers every lookup, and a
 * secret lookup that fails leaves nothing behind.  Never runs cmd: or
 * reads file: values (the input chooses them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = { "account", "score", "fetch", "a", "s" };
static const char *const keys[] = { "token", "platform", "k", "key" };

struct walk {
	const struct cm_config *cfg;
	const char *kind;
	int from_text;		/* parsed from memory: literals refused */
};

static void visit(const char *name, void *arg)
{
	struct walk *w = arg;
	struct cm_error err;
	struct cm_buf out = CM_BUF_INIT;
	const char *v;
	size_t i;
	int r;

	if (!cm_config_has_section(w->cfg, w->kind, name))
		abort();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = cm_config_get(w->cfg, w->kind, name, keys[i])) == NULL)
			continue;
		(void)strlen(v);
		if (strncmp(v, "cmd:", 4) == 0 || strncmp(v, "file:", 5) == 0)
			continue;
		r = cm_config_secret(w->cfg, w->kind, name, keys[i], &out,
		    &err);
		if (r == 1 || (r == -1 && out.len != 0))
			abort();
		if (r == -1 && memchr(err.msg, '\0', sizeof(err.msg)) == NULL)
			abort();
		/* Text has no private file: a literal is always refused. */
		if (w->from_text && r == 0 && strncmp(v, "env:", 4) != 0)
			abort();
	}
	cm_buf_free(&out);
}

static void check(const struct cm_config *cfg, int from_text)
{
	struct walk w;
	size_t i;

	w.cfg = cfg;
	w.from_text = from_text;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		w.kind = kinds[i];
		cm_config_each_section(cfg, kinds[i], visit, &w);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_error err;
	struct cm_config *cfg;
	char path[64];
	int fd;

	cfg = cm_config_parse("fuzz.conf", (const char *)data, size, &err);
	if (cfg == NULL) {
		if (strncmp(err.msg, "fuzz.conf:", 10) != 0)
			abort();
	} else {
		check(cfg, 1);
		cm_config_free(cfg);
	}
	/* Now and then the same bytes through a file, to reach the reader. */
	if (size % 8 != 0)
		return 0;
	if ((fd = memfd_create("fuzz.conf", 0)) < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((cfg = cm_config_load(path, 0, &err)) != NULL) {
		check(cfg, 0);
		cm_config_free(cfg);
	} else if (strncmp(err.msg, path, strlen(path)) != 0) {
		abort();
	}
	close(fd);
	return 0;
}
