/* config.c - the cm config file: git-config-like INI with [account NAME] */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config.h"

#define MAX_LINE ((size_t)64 << 10)
#define MAX_FILE ((size_t)4 << 20)
#define MAX_SECRET ((size_t)64 << 10)

struct entry {
	char *kind;	/* lower case */
	char *name;	/* NULL for "[kind]" */
	char *key;	/* lower case; NULL for a section header */
	char *value;
	size_t line;
};

struct cm_config {
	char *path;
	int private;	/* not readable by group or others */
	struct entry *e;
	size_t n, cap;
};

static void set_error(struct cm_config_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(struct cm_config_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int cm_config_default_path(struct cm_buf *buf)
{
	const char *v;

	cm_buf_reset(buf);
	if ((v = getenv("CM_CONFIG")) != NULL && *v)
		return cm_buf_adds(buf, v);
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
		return cm_buf_printf(buf, "%s/cm/config", v);
	if ((v = getenv("HOME")) != NULL && *v)
		return cm_buf_printf(buf, "%s/.config/cm/config", v);
	return -1;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int add_entry(struct cm_config *cfg, const char *kind, const char *name,
    const char *key, const char *value, size_t line)
{
	struct entry *e;

	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;

		if ((e = realloc(cfg->e, cap * sizeof(*e))) == NULL)
			return -1;
		cfg->e = e;
		cfg->cap = cap;
	}
	e = &cfg->e[cfg->n];
	memset(e, 0, sizeof(*e));
	e->line = line;
	if ((e->kind = strdup(kind)) == NULL ||
	    (name && (e->name = strdup(name)) == NULL) ||
	    (key && (e->key = strdup(key)) == NULL) ||
	    (value && (e->value = strdup(value)) == NULL)) {
		free(e->kind);
		free(e->name);
		free(e->key);
		free(e->value);
		return -1;
	}
	cfg->n++;
	return 0;
}

static char *skip_ws(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Parses a value in place: unquoted text to a comment or the end (inner
 * spaces kept, outer ones trimmed), or a double-quoted string with \" \\
 * \n \t escapes, which may be followed by a comment only.  Returns NULL
 * and a reason in *why on error.
 */
static char *parse_value(char *p, const char **why)
{
	char *out = p, *start = p, *last = p;
	int quoted = 0;

	for (;;) {
		char c = *p;

		if (c == '\0')
			break;
		if (!quoted && (c == '#' || c == ';'))
			break;
		if (c == '"') {
			quoted = !quoted;
			p++;
			last = out;
			continue;
		}
		if (c == '\\') {
			switch (p[1]) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			default:
				*why = "unknown escape in value (\\\" \\\\ \\n "
				    "\\t are known)";
				return NULL;
			}
			p += 2;
			*out++ = c;
			last = out;
			continue;
		}
		*out++ = c;
		p++;
		if (quoted || (c != ' ' && c != '\t'))
			last = out;
	}
	if (quoted) {
		*why = "unterminated quoted value";
		return NULL;
	}
	*last = '\0';
	return start;
}

static int valid_key(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* Parses "[kind]", "[kind name]" or "[kind \"name\"]" in place. */
static const char *parse_header(char *p, char **kind, char **name)
{
	char *close, *q, *rest;

	p++;
	if ((close = strrchr(p, ']')) == NULL)
		return "missing ']' in section header";
	rest = skip_ws(close + 1);
	if (*rest && *rest != '#' && *rest != ';')
		return "text after section header";
	*close = '\0';
	p = skip_ws(p);
	*kind = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p) {
		*p++ = '\0';
		p = skip_ws(p);
	}
	if (!valid_key(*kind))
		return "bad section name";
	lower(*kind);
	*name = NULL;
	if (*p == '\0')
		return NULL;
	q = p + strlen(p);
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		*--q = '\0';
	if (*p == '"') {
		if (q - p < 2 || q[-1] != '"')
			return "unterminated quoted section name";
		q[-1] = '\0';
		p++;
	} else if (strpbrk(p, " \t\"") != NULL) {
		return "section name with spaces must be quoted";
	}
	if (*p == '\0')
		return "empty section name";
	*name = p;
	return NULL;
}

static struct cm_config *parse(const char *path, char *data, size_t len,
    struct cm_config_error *err)
{
	struct cm_config *cfg;
	char *line = data, *end = data + len, *nl, *p, *key, *value;
	char *kind = NULL, *name = NULL;
	const char *why = NULL;
	size_t lineno = 0;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->path = strdup(path)) == NULL) {
		free(cfg);
		set_error(err, "%s: out of memory", path);
		return NULL;
	}
	for (; line < end; line = nl + 1) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if ((size_t)(nl - line) > MAX_LINE) {
			why = "line too long";
			goto syntax;
		}
		if (memchr(line, '\0', (size_t)(nl - line)) != NULL) {
			why = "NUL byte in line";
			goto syntax;
		}
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		p = skip_ws(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			if ((why = parse_header(p, &kind, &name)) != NULL)
				goto syntax;
			if (add_entry(cfg, kind, name, NULL, NULL, lineno) < 0)
				goto nomem;
			continue;
		}
		key = p;
		while (*p && *p != '=' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '=') {
			char *q = skip_ws(p);

			if (*q != '=') {
				why = "expected 'key = value'";
				goto syntax;
			}
			*p = '\0';
			p = q;
		}
		*p++ = '\0';
		if (!valid_key(key)) {
			why = "bad key name";
			goto syntax;
		}
		if (kind == NULL) {
			why = "key outside any section";
			goto syntax;
		}
		lower(key);
		if ((value = parse_value(skip_ws(p), &why)) == NULL)
			goto syntax;
		if (add_entry(cfg, kind, name, key, value, lineno) < 0)
			goto nomem;
	}
	return cfg;
syntax:
	set_error(err, "%s:%zu: %s", path, lineno, why);
	cm_config_free(cfg);
	return NULL;
nomem:
	set_error(err, "%s: out of memory", path);
	cm_config_free(cfg);
	return NULL;
}

struct cm_config *cm_config_parse(const char *name, const char *data,
    size_t len, struct cm_config_error *err)
{
	struct cm_config *cfg;
	char *copy;

	if (len > MAX_FILE) {
		set_error(err, "%s: file too large (over %zu bytes)", name,
		    MAX_FILE);
		return NULL;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		set_error(err, "%s: out of memory", name);
		return NULL;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	cfg = parse(name, copy, len, err);
	free(copy);
	return cfg;
}

struct cm_config *cm_config_load(const char *path, int missing_ok,
    struct cm_config_error *err)
{
	struct cm_config *cfg;
	struct stat st;
	char *data;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && missing_ok)
			return cm_config_parse(path, "", 0, err);
		set_error(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		set_error(err, "%s: not a regular file", path);
		fclose(fp);
		return NULL;
	}
	if ((size_t)st.st_size > MAX_FILE) {
		set_error(err, "%s: file too large (over %zu bytes)", path,
		    MAX_FILE);
		fclose(fp);
		return NULL;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		set_error(err, "%s: out of memory", path);
		fclose(fp);
		return NULL;
	}
	n = fread(data, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		set_error(err, "%s: %s", path, strerror(errno));
		free(data);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	data[n] = '\0';
	cfg = parse(path, data, n, err);
	free(data);
	if (cfg)
		cfg->private = (st.st_mode & 077) == 0;
	return cfg;
}

void cm_config_free(struct cm_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->e[i].kind);
		free(cfg->e[i].name);
		free(cfg->e[i].key);
		free(cfg->e[i].value);
	}
	free(cfg->e);
	free(cfg->path);
	free(cfg);
}

static int same_section(const struct entry *e, const char *kind,
    const char *name)
{
	if (strcasecmp(e->kind, kind) != 0)
		return 0;
	if (name == NULL || e->name == NULL)
		return name == NULL && e->name == NULL;
	return strcmp(e->name, name) == 0;
}

static const struct entry *find(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key)
{
	const struct entry *found = NULL;
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (cfg->e[i].key && strcasecmp(cfg->e[i].key, key) == 0 &&
		    same_section(&cfg->e[i], kind, name))
			found = &cfg->e[i];	/* the last one wins */
	return found;
}

const char *cm_config_get(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key)
{
	const struct entry *e = find(cfg, kind, name, key);

	return e ? e->value : NULL;
}

int cm_config_has_section(const struct cm_config *cfg, const char *kind,
    const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (same_section(&cfg->e[i], kind, name))
			return 1;
	return 0;
}

void cm_config_each_section(const struct cm_config *cfg, const char *kind,
    void (*fn)(const char *name, void *arg), void *arg)
{
	size_t i, j;

	for (i = 0; i < cfg->n; i++) {
		if (cfg->e[i].key || strcasecmp(cfg->e[i].kind, kind) != 0)
			continue;
		for (j = 0; j < i; j++)	/* a section named twice: once */
			if (cfg->e[j].key == NULL &&
			    same_section(&cfg->e[j], kind, cfg->e[i].name))
				break;
		if (j == i)
			fn(cfg->e[i].name, arg);
	}
}

const char *cm_config_path(const struct cm_config *cfg)
{
	return cfg->path;
}

/* The first line of fp into out, bounded; returns 0 or -1. */
static int first_line(FILE *fp, struct cm_buf *out)
{
	int c;

	out->limit = MAX_SECRET;
	while ((c = getc(fp)) != EOF && c != '\n')
		if (cm_buf_addc(out, (char)c) < 0)
			return -1;
	if (out->len && out->data[out->len - 1] == '\r')
		out->data[--out->len] = '\0';
	while (c != EOF)	/* drain, so a command is not killed by EPIPE */
		c = getc(fp);
	return 0;
}

int cm_config_secret(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key, struct cm_buf *out,
    struct cm_config_error *err)
{
	const struct entry *e = find(cfg, kind, name, key);
	const char *v;
	FILE *fp;
	int status;

	cm_buf_reset(out);
	if (e == NULL)
		return 1;
	v = e->value;
	if (strncmp(v, "env:", 4) == 0) {
		const char *s = getenv(v + 4);

		if (s == NULL || *s == '\0') {
			set_error(err, "%s:%zu: %s: environment variable %s is "
			    "not set", cfg->path, e->line, key, v + 4);
			return -1;
		}
		if (strlen(s) > MAX_SECRET || cm_buf_adds(out, s) < 0)
			goto toolong;
		return 0;
	}
	if (strncmp(v, "file:", 5) == 0) {
		struct cm_buf path = CM_BUF_INIT;
		const char *home = getenv("HOME");
		int r;

		if (strncmp(v + 5, "~/", 2) == 0 && home)
			r = cm_buf_printf(&path, "%s/%s", home, v + 7);
		else
			r = cm_buf_adds(&path, v + 5);
		if (r < 0 || (fp = fopen(path.data, "re")) == NULL) {
			set_error(err, "%s:%zu: %s: %s: %s", cfg->path, e->line,
			    key, path.data ? path.data : v + 5, strerror(errno));
			cm_buf_free(&path);
			return -1;
		}
		cm_buf_free(&path);
		r = first_line(fp, out);
		fclose(fp);
		if (r < 0)
			goto toolong;
		return 0;
	}
	if (strncmp(v, "cmd:", 4) == 0) {
		fflush(NULL);
		if ((fp = popen(v + 4, "re")) == NULL) {
			set_error(err, "%s:%zu: %s: cannot run command: %s",
			    cfg->path, e->line, key, strerror(errno));
			return -1;
		}
		if (first_line(fp, out) < 0) {
			pclose(fp);
			goto toolong;
		}
		status = pclose(fp);
		if (status == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			cm_buf_reset(out);
			set_error(err, "%s:%zu: %s: the command failed",
			    cfg->path, e->line, key);
			return -1;
		}
		return 0;
	}
	if (!cfg->private) {
		set_error(err, "%s:%zu: %s is a literal secret in a file others "
		    "can read; chmod 600 %s, or use env:, file: or cmd:",
		    cfg->path, e->line, key, cfg->path);
		return -1;
	}
	if (cm_buf_adds(out, v) < 0)
		goto toolong;
	return 0;
toolong:
	cm_buf_reset(out);
	set_error(err, "%s:%zu: %s: secret too long", cfg->path, e->line, key);
	return -1;
}
