/* config.c - the cm config file: git-config-like INI with [account NAME] */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "core/xdgpath.h"

#define MAX_LINE ((size_t)64 << 10)	/* one line, newline excluded */
#define MAX_FILE ((size_t)4 << 20)
#define MAX_SECRET ((size_t)64 << 10)
#define MAX_CMD_OUTPUT ((size_t)1 << 20)

/*
 * The file is parsed in place: every kind, name, key and value is a
 * NUL-terminated string inside text, which the config owns.  Sections are
 * deduplicated through a small hash table (a section header may appear
 * several times; its keys are merged), entries keep file order so that
 * the last assignment wins.
 */
struct section {
	const char *kind;	/* lower case */
	const char *name;	/* NULL for "[kind]" */
};

struct entry {
	size_t sec;		/* index into sections */
	const char *key;	/* lower case */
	const char *value;
	size_t line;
	/* A cmd: secret once read: the command (a password manager that
	 * may prompt) runs once per process, however many sources ask. */
	char *secret;
	size_t secret_len;
};

struct cm_config {
	char *path;
	char *text;
	int private;		/* not readable by group or others */
	struct section *sec;
	size_t nsec, capsec;
	size_t *hash;		/* section index + 1, 0 for an empty slot */
	size_t hashcap;		/* a power of two, or 0 */
	struct entry *e;
	size_t n, cap;
};

int cm_config_default_path(struct cm_buf *buf)
{
	return cm_xdg_path(buf, "CM_CONFIG", "XDG_CONFIG_HOME", ".config",
	    "config");
}

static int is_word(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

static char *skip_ws(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* FNV-1a over the kind (case-folded) and the name. */
static size_t section_hash(const char *kind, const char *name)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *kind; kind++)
		h = (h ^ (unsigned char)tolower((unsigned char)*kind)) *
		    1099511628211ULL;
	h = (h ^ (name ? 1u : 2u)) * 1099511628211ULL;
	for (; name && *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ULL;
	return (size_t)h;
}

static int section_is(const struct section *s, const char *kind,
    const char *name)
{
	if (strcasecmp(s->kind, kind) != 0)
		return 0;
	if (s->name == NULL || name == NULL)
		return s->name == NULL && name == NULL;
	return strcmp(s->name, name) == 0;
}

/* The index of section kind/name, or (size_t)-1. */
static size_t section_find(const struct cm_config *cfg, const char *kind,
    const char *name)
{
	size_t i, mask = cfg->hashcap - 1;

	if (cfg->hashcap == 0)
		return (size_t)-1;
	for (i = section_hash(kind, name) & mask; cfg->hash[i];
	    i = (i + 1) & mask)
		if (section_is(&cfg->sec[cfg->hash[i] - 1], kind, name))
			return cfg->hash[i] - 1;
	return (size_t)-1;
}

static int hash_grow(struct cm_config *cfg)
{
	size_t cap = cfg->hashcap ? cfg->hashcap * 2 : 64, i, j, *h;

	if ((h = calloc(cap, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < cfg->nsec; i++) {
		j = section_hash(cfg->sec[i].kind, cfg->sec[i].name) &
		    (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = i + 1;
	}
	free(cfg->hash);
	cfg->hash = h;
	cfg->hashcap = cap;
	return 0;
}

/* The index of section kind/name, added when new; (size_t)-1 on ENOMEM. */
static size_t section_add(struct cm_config *cfg, const char *kind,
    const char *name)
{
	struct section *s;
	size_t i, j, mask;

	if ((i = section_find(cfg, kind, name)) != (size_t)-1)
		return i;
	if (cfg->nsec == cfg->capsec) {
		size_t cap = cfg->capsec ? cfg->capsec * 2 : 8;

		if ((s = reallocarray(cfg->sec, cap, sizeof(*s))) == NULL)
			return (size_t)-1;
		cfg->sec = s;
		cfg->capsec = cap;
	}
	/* Keep the table at most half full. */
	if ((cfg->nsec + 1) * 2 > cfg->hashcap && hash_grow(cfg) < 0)
		return (size_t)-1;
	i = cfg->nsec++;
	cfg->sec[i].kind = kind;
	cfg->sec[i].name = name;
	mask = cfg->hashcap - 1;
	j = section_hash(kind, name) & mask;
	while (cfg->hash[j])
		j = (j + 1) & mask;
	cfg->hash[j] = i + 1;
	return i;
}

static int entry_add(struct cm_config *cfg, size_t sec, const char *key,
    const char *value, size_t line)
{
	struct entry *e;

	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;

		if ((e = reallocarray(cfg->e, cap, sizeof(*e))) == NULL)
			return -1;
		cfg->e = e;
		cfg->cap = cap;
	}
	e = &cfg->e[cfg->n++];
	e->sec = sec;
	e->key = key;
	e->value = value;
	e->line = line;
	e->secret = NULL;
	e->secret_len = 0;
	return 0;
}

/*
 * Parses a value in place: unquoted text up to a comment or the end (inner
 * spaces kept, outer ones trimmed), in which double-quoted parts keep
 * everything, spaces and comment characters included.  \" \\ \n \t are
 * escapes inside and outside quotes.  Returns NULL and a reason in *why.
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
			case '\0':
				*why = "backslash at the end of the line "
				    "(a value cannot continue on the next)";
				return NULL;
			default:
				*why = "unknown escape in value (known: \\\" "
				    "\\\\ \\n \\t)";
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
		*why = "unterminated quoted value (missing '\"')";
		return NULL;
	}
	*last = '\0';
	return start;
}

/*
 * Parses "[kind]", "[kind name]" or "[kind \"name\"]" at p (on the '['),
 * in place.  Returns NULL, or the reason it is not a header.
 */
static const char *parse_header(char *p, char **kind, char **name)
{
	char *kind_end, *name_end = NULL, *out;

	p = skip_ws(p + 1);
	*kind = p;
	*name = NULL;
	if (!isalpha((unsigned char)*p))
		return "expected a section kind after '['";
	while (is_word((unsigned char)*p))
		p++;
	kind_end = p;
	if (*p != ']' && *p != ' ' && *p != '\t')
		return *p == '\0' ? "missing ']' at the end of the section "
		    "header" : "section kinds are letters, digits, '-' and '_'";
	p = skip_ws(p);
	if (*p == '"') {
		*name = out = ++p;
		for (; *p != '"'; p++) {
			if (*p == '\0')
				return "unterminated quoted section name "
				    "(missing '\"')";
			if (*p == '\\') {
				if (p[1] != '"' && p[1] != '\\')
					return "unknown escape in section name "
					    "(known: \\\" \\\\)";
				p++;
			}
			*out++ = *p;
		}
		*out = '\0';	/* at or before the closing quote */
		p = skip_ws(p + 1);
		if (**name == '\0')
			return "empty section name";
	} else if (*p != ']' && *p != '\0') {
		*name = p;
		while (*p && *p != ']' && *p != '"' && *p != ' ' && *p != '\t')
			p++;
		name_end = p;
		p = skip_ws(p);
	}
	if (*p != ']')
		return *p == '\0' ? "missing ']' at the end of the section "
		    "header" : "expected ']' after the section name (a name "
		    "with spaces or quotes must be quoted)";
	p = skip_ws(p + 1);
	if (*p != '\0' && *p != '#' && *p != ';')
		return "text after ']' in section header";
	/* Terminate only now: the terminators overwrite ']' or spaces. */
	*kind_end = '\0';
	if (name_end)
		*name_end = '\0';
	lower(*kind);
	return NULL;
}

/* Parses a "key = value" line at p, in place, into section sec. */
static const char *parse_assignment(struct cm_config *cfg, char *p,
    size_t sec, size_t lineno)
{
	char *key = p, *key_end, *value;
	const char *why = NULL;

	if (!isalpha((unsigned char)*p))
		return "expected 'key = value', a [section] header or a "
		    "comment";
	if (sec == (size_t)-1)
		return "key outside any section (put a [section] line "
		    "before it)";
	while (is_word((unsigned char)*p))
		p++;
	key_end = p;
	if (*p != '=' && *p != ' ' && *p != '\t' && *p != '\0')
		return "key names are letters, digits, '-' and '_'";
	p = skip_ws(p);
	if (*p != '=')
		return "expected '=' after key";
	*key_end = '\0';
	lower(key);
	if ((value = parse_value(skip_ws(p + 1), &why)) == NULL)
		return why;
	if (entry_add(cfg, sec, key, value, lineno) < 0)
		return "";	/* ENOMEM */
	return NULL;
}

/* Parses cfg->text[0..len), which is NUL-terminated. */
static int parse(struct cm_config *cfg, size_t len,
    struct cm_error *err)
{
	char *line = cfg->text, *end = cfg->text + len, *nl, *p;
	char *kind, *name;
	const char *why = NULL;
	size_t lineno = 0, sec = (size_t)-1;

	/* A byte order mark some editors write. */
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	for (; line < end; line = nl + 1) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if ((size_t)(nl - line) > MAX_LINE) {
			why = "line too long (over 64 KiB)";
			goto syntax;
		}
		if (memchr(line, '\0', (size_t)(nl - line)) != NULL) {
			why = "NUL byte in line (not a text file?)";
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
			if ((sec = section_add(cfg, kind, name)) == (size_t)-1)
				goto nomem;
			continue;
		}
		if ((why = parse_assignment(cfg, p, sec, lineno)) != NULL) {
			if (*why == '\0')
				goto nomem;
			goto syntax;
		}
	}
	return 0;
syntax:
	cm_error_set(err, CM_EXIT_USAGE, "%s:%zu: %s", cfg->path, lineno, why);
	return -1;
nomem:
	cm_error_nomem(err, cfg->path);
	return -1;
}

/* Makes a config of text (malloc'd, len bytes plus a NUL), which it owns
 * from now on, even on error. */
static struct cm_config *config_new(const char *path, char *text, size_t len,
    int private, struct cm_error *err)
{
	struct cm_config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->path = strdup(path)) == NULL) {
		free(cfg);
		free(text);
		cm_error_nomem(err, path);
		return NULL;
	}
	cfg->text = text;
	cfg->private = private;
	if (parse(cfg, len, err) < 0) {
		cm_config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct cm_config *cm_config_parse(const char *name, const char *data,
    size_t len, struct cm_error *err)
{
	char *text;

	if (len > MAX_FILE) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: file too large (over 4 MiB)", name);
		return NULL;
	}
	if ((text = malloc(len + 1)) == NULL) {
		cm_error_nomem(err, name);
		return NULL;
	}
	if (len)
		memcpy(text, data, len);
	text[len] = '\0';
	return config_new(name, text, len, 0, err);
}

/* Reads all of fd, at most MAX_FILE bytes, into *text (NUL-terminated).
 * The size is not taken from fstat: the file may be a pipe. */
static int read_all(int fd, char **text, size_t *len, const char *path,
    struct cm_error *err)
{
	size_t n = 0, cap = 4096;
	char *buf = NULL, *p;
	ssize_t r;

	for (;;) {
		if (buf == NULL || n == cap - 1) {
			/* At most room for MAX_FILE + 1 bytes and a NUL. */
			if (buf)
				cap = cap * 2 > MAX_FILE + 2 ? MAX_FILE + 2 :
				    cap * 2;
			if ((p = realloc(buf, cap)) == NULL) {
				cm_error_nomem(err, path);
				free(buf);
				return -1;
			}
			buf = p;
		}
		if ((r = read(fd, buf + n, cap - 1 - n)) < 0) {
			if (errno == EINTR)
				continue;
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s: %s", path, strerror(errno));
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > MAX_FILE) {
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s: file too large (over 4 MiB)", path);
			free(buf);
			return -1;
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

struct cm_config *cm_config_load(const char *path, int missing_ok,
    struct cm_error *err)
{
	struct stat st;
	char *text;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && missing_ok)
			return cm_config_parse(path, "", 0, err);
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: %s", path, S_ISDIR(st.st_mode) ?
		    strerror(EISDIR) : strerror(errno));
		close(fd);
		return NULL;
	}
	if (read_all(fd, &text, &len, path, err) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	return config_new(path, text, len, (st.st_mode & 077) == 0, err);
}

void cm_config_free(struct cm_config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n; i++)
		if (cfg->e[i].secret) {
			explicit_bzero(cfg->e[i].secret, cfg->e[i].secret_len);
			free(cfg->e[i].secret);
		}
	if (cfg->text)
		explicit_bzero(cfg->text, strlen(cfg->text));
	free(cfg->e);
	free(cfg->sec);
	free(cfg->hash);
	free(cfg->text);
	free(cfg->path);
	free(cfg);
}

/* The last assignment of key in kind/name, or NULL. */
static const struct entry *find(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key)
{
	size_t sec = section_find(cfg, kind, name), i;

	if (sec == (size_t)-1)
		return NULL;
	for (i = cfg->n; i-- > 0;)
		if (cfg->e[i].sec == sec && strcasecmp(cfg->e[i].key, key) == 0)
			return &cfg->e[i];
	return NULL;
}

const char *cm_config_get(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key)
{
	const struct entry *e = find(cfg, kind, name, key);

	return e ? e->value : NULL;
}

size_t cm_config_line(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key)
{
	const struct entry *e = find(cfg, kind, name, key);

	return e ? e->line : 0;
}

void cm_config_bad(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key, struct cm_error *err,
    const char *fmt, ...)
{
	char text[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cm_error_set(err, CM_EXIT_USAGE, "%s:%zu: [%s %s] %s",
	    cm_config_path(cfg), cm_config_line(cfg, kind, name, key), kind,
	    name, text);
}

int cm_config_has_section(const struct cm_config *cfg, const char *kind,
    const char *name)
{
	return section_find(cfg, kind, name) != (size_t)-1;
}

void cm_config_each_section(const struct cm_config *cfg, const char *kind,
    void (*fn)(const char *name, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < cfg->nsec; i++)
		if (strcasecmp(cfg->sec[i].kind, kind) == 0)
			fn(cfg->sec[i].name, arg);
}

void cm_config_each_key(const struct cm_config *cfg, const char *kind,
    const char *name, void (*fn)(const char *key, size_t line, void *arg),
    void *arg)
{
	size_t sec = section_find(cfg, kind, name), i;

	for (i = 0; sec != (size_t)-1 && i < cfg->n; i++)
		if (cfg->e[i].sec == sec)
			fn(cfg->e[i].key, cfg->e[i].line, arg);
}

int cm_config_check_keys(const struct cm_config *cfg, const char *kind,
    const char *name, const char *const *keys, size_t n,
    struct cm_error *err)
{
	size_t sec = section_find(cfg, kind, name), i, k, len;
	char known[256];

	for (i = 0; sec != (size_t)-1 && i < cfg->n; i++) {
		if (cfg->e[i].sec != sec)
			continue;
		for (k = 0; k < n && strcmp(cfg->e[i].key, keys[k]) != 0; k++)
			;
		if (k < n)
			continue;
		known[0] = '\0';
		for (k = 0, len = 0; k < n && len < sizeof(known); k++)
			len += (size_t)snprintf(known + len, sizeof(known) - len,
			    "%s%s", k ? ", " : "", keys[k]);
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: [%s%s%s] %s: unknown key (%s)", cfg->path,
		    cfg->e[i].line, kind, name ? " " : "", name ? name : "",
		    cfg->e[i].key, known);
		return -1;
	}
	return 0;
}

const char *cm_config_path(const struct cm_config *cfg)
{
	return cfg->path;
}

/* Overwrites a buffer that held a secret, then empties it. */
static void wipe(struct cm_buf *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	b->len = 0;
}

/*
 * Reads the first line of fp into sec, without its "\n" or "\r\n".  With
 * drain, reads on to the end (at most MAX_CMD_OUTPUT bytes in all) so
 * that a command's exit status is not spoiled by a broken pipe.  Returns
 * NULL, or the reason it failed ("" for ENOMEM).
 */
static const char *first_line(FILE *fp, int drain, struct cm_buf *sec)
{
	size_t total = 0;
	int c, in_first = 1;

	while ((c = getc(fp)) != EOF) {
		if (++total > MAX_CMD_OUTPUT && drain)
			return "the command printed over 1 MiB";
		if (!in_first)
			continue;
		if (c == '\n') {
			if (!drain)
				break;
			in_first = 0;
			continue;
		}
		if (c == '\0')
			return "a NUL byte in the first line";
		if (sec->len >= MAX_SECRET)
			return "the first line is over 64 KiB";
		if (cm_buf_addc(sec, (char)c) < 0)
			return "";
	}
	if (ferror(fp))
		return strerror(errno);
	if (sec->len && sec->data[sec->len - 1] == '\r')
		sec->data[--sec->len] = '\0';
	return NULL;
}

static int valid_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int secret_env(const struct cm_config *cfg, const struct entry *e,
    const char *var, struct cm_buf *sec, struct cm_error *err)
{
	const char *s;

	if (!valid_env_name(var)) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: env: needs a variable name "
		    "(letters, digits and '_')", cfg->path, e->line, e->key);
		return -1;
	}
	if ((s = getenv(var)) == NULL || *s == '\0') {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: environment variable %s is %s",
		    cfg->path, e->line, e->key, var, s ? "empty" : "not set");
		return -1;
	}
	if (strlen(s) > MAX_SECRET) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: environment variable %s is over "
		    "64 KiB", cfg->path, e->line, e->key, var);
		return -1;
	}
	if (cm_buf_adds(sec, s) < 0) {
		cm_error_nomem(err, cfg->path);
		return -1;
	}
	return 0;
}

/*
 * "~/" is $HOME, and a relative path is taken from the config file's
 * directory, not the working directory, so that cron and a shell agree.
 */
int cm_config_file(const struct cm_config *cfg, const char *path,
    struct cm_buf *out)
{
	const char *home, *slash;

	cm_buf_reset(out);
	if (strncmp(path, "~/", 2) == 0) {
		if ((home = getenv("HOME")) == NULL || *home == '\0') {
			errno = ENOENT;
			return -1;
		}
		return cm_buf_printf(out, "%s/%s", home, path + 2);
	}
	if (*path != '/' && (slash = strrchr(cfg->path, '/')) != NULL)
		return cm_buf_printf(out, "%.*s/%s", (int)(slash - cfg->path),
		    cfg->path, path);
	return cm_buf_adds(out, path);
}

/* "file:PATH": the first line of the file (cm_config_file's PATH). */
static int secret_file(const struct cm_config *cfg, const struct entry *e,
    const char *path, struct cm_buf *sec, struct cm_error *err)
{
	struct cm_buf full = CM_BUF_INIT;
	const char *why;
	FILE *fp;

	if (*path == '\0') {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: file: needs a path", cfg->path,
		    e->line, e->key);
		return -1;
	}
	if (cm_config_file(cfg, path, &full) < 0) {
		if (errno == ENOENT)
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s:%zu: %s: cannot expand %s: HOME is "
			    "not set", cfg->path, e->line, e->key, path);
		else
			cm_error_nomem(err, cfg->path);
		cm_buf_free(&full);
		return -1;
	}
	if ((fp = fopen(full.data, "re")) == NULL) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: %s: %s", cfg->path, e->line,
		    e->key, full.data, strerror(errno));
		cm_buf_free(&full);
		return -1;
	}
	why = first_line(fp, 0, sec);
	fclose(fp);
	if (why) {
		if (*why)
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s:%zu: %s: %s: %s", cfg->path,
			    e->line, e->key, full.data, why);
		else
			cm_error_nomem(err, cfg->path);
		cm_buf_free(&full);
		return -1;
	}
	if (sec->len == 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: %s: the first line is empty",
		    cfg->path, e->line, e->key, full.data);
		cm_buf_free(&full);
		return -1;
	}
	cm_buf_free(&full);
	return 0;
}

/* "cmd:COMMAND": run by /bin/sh -c (popen); stdin and stderr are ours,
 * so a password manager can ask for its passphrase. */
static int secret_cmd(const struct cm_config *cfg, const struct entry *e,
    const char *cmd, struct cm_buf *sec, struct cm_error *err)
{
	const char *why;
	FILE *fp;
	int status;

	if (*cmd == '\0') {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: cmd: needs a command", cfg->path,
		    e->line, e->key);
		return -1;
	}
	if ((fp = popen(cmd, "re")) == NULL) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: cannot run the command: %s",
		    cfg->path, e->line, e->key,
		    strerror(errno ? errno : ENOMEM));
		return -1;
	}
	why = first_line(fp, 1, sec);
	status = pclose(fp);
	if (why) {
		if (*why)
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s:%zu: %s: %s", cfg->path, e->line,
			    e->key, why);
		else
			cm_error_nomem(err, cfg->path);
		return -1;
	}
	if (status == -1) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: cannot wait for the command: %s",
		    cfg->path, e->line, e->key, strerror(errno));
		return -1;
	}
	if (WIFSIGNALED(status)) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: the command was killed by signal "
		    "%d", cfg->path, e->line, e->key, WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: the command exited with status %d",
		    cfg->path, e->line, e->key, WEXITSTATUS(status));
		return -1;
	}
	if (sec->len == 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: the command printed an empty first "
		    "line", cfg->path, e->line, e->key);
		return -1;
	}
	return 0;
}

int cm_config_secret(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key, struct cm_buf *out,
    struct cm_error *err)
{
	const struct entry *e = find(cfg, kind, name, key);
	struct cm_buf sec = CM_BUF_INIT;
	const char *v;
	int r;

	wipe(out);
	cm_buf_reset(out);
	if (e == NULL)
		return 1;
	if (e->secret) {
		if (cm_buf_add(out, e->secret, e->secret_len) < 0) {
			cm_error_nomem(err, cfg->path);
			return -1;
		}
		return 0;
	}
	v = e->value;
	if (strncmp(v, "env:", 4) == 0) {
		r = secret_env(cfg, e, v + 4, &sec, err);
	} else if (strncmp(v, "file:", 5) == 0) {
		r = secret_file(cfg, e, v + 5, &sec, err);
	} else if (strncmp(v, "cmd:", 4) == 0) {
		r = secret_cmd(cfg, e, v + 4, &sec, err);
	} else if (*v == '\0') {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s is empty", cfg->path, e->line,
		    e->key);
		r = -1;
	} else if (!cfg->private) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s is a literal secret in a file "
		    "others can read; chmod 600 %s or use env:, file: or cmd:",
		    cfg->path, e->line, e->key, cfg->path);
		r = -1;
	} else if ((r = cm_buf_adds(&sec, v)) < 0) {
		cm_error_nomem(err, cfg->path);
	}
	if (r == 0 && cm_buf_add(out, sec.data, sec.len) < 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s:%zu: %s: %s", cfg->path, e->line, e->key,
		    strerror(errno));
		r = -1;
	}
	if (r < 0) {
		wipe(out);
		cm_buf_reset(out);
	} else if (strncmp(e->value, "cmd:", 4) == 0 &&
	    (((struct entry *)e)->secret = malloc(sec.len + 1)) != NULL) {
		/* The cache is not the configuration: filling it through the
		 * const pointer changes nothing a reader of cfg can see. */
		memcpy(e->secret, sec.data ? sec.data : "", sec.len);
		e->secret[sec.len] = '\0';
		((struct entry *)e)->secret_len = sec.len;
	}
	wipe(&sec);
	cm_buf_free(&sec);
	return r;
}
