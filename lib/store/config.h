/* config.h - the cm config file: git-config-like INI with [account NAME] */
#ifndef CM_CONFIG_H
#define CM_CONFIG_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * Syntax (man/cm-config.5): "[section]" or "[section NAME]" or
 * "[section \"NAME\"]" headers; "key = value" lines; '#' or ';' starts a
 * comment outside quotes; values may be double-quoted with \" \\ \n \t
 * escapes; keys and section kinds are case-insensitive, NAMEs are not.
 * A cm_config owns all its strings; free it with cm_config_free.
 */
struct cm_config;

/*
 * The path cm uses: $CM_CONFIG, else $XDG_CONFIG_HOME/cm/config, else
 * $HOME/.config/cm/config; written to buf.  Returns 0, or -1 when none
 * can be formed (no HOME).
 */
int cm_config_default_path(struct cm_buf *buf);

/*
 * Loads path.  A missing file is not an error when missing_ok is set (an
 * empty config is returned).  Returns NULL with *err filled on a syntax
 * error (file and line named), an unreadable file, or ENOMEM.
 */
struct cm_config *cm_config_load(const char *path, int missing_ok,
    struct cm_error *err);
void cm_config_free(struct cm_config *cfg);

/* Parses data[0..len) as a config file called name (for messages); a
 * literal secret in it is refused, as for a file others can read. */
struct cm_config *cm_config_parse(const char *name, const char *data,
    size_t len, struct cm_error *err);

/* The value of key in section kind/name (name NULL for "[kind]"), last
 * assignment wins; NULL when unset.  The string belongs to cfg. */
const char *cm_config_get(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key);

/*
 * A file named in cfg, as a path to open, in *out: "~/" is $HOME, and a
 * relative path is taken from the config file's directory (so cron and a
 * shell agree).  Returns 0, or -1 with errno ENOENT (HOME is not set) or
 * ENOMEM.
 */
int cm_config_file(const struct cm_config *cfg, const char *path,
    struct cm_buf *out);

/* The line of that value's assignment, for messages; 0 when unset. */
size_t cm_config_line(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key);

/*
 * A usage error in *err about a key's value: "PATH:LINE: [KIND NAME] "
 * (the line of the key's assignment) followed by the text of fmt, which
 * names the key: "lookback = x: not a duration".
 */
void cm_config_bad(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key, struct cm_error *err,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Whether a section kind/name exists. */
int cm_config_has_section(const struct cm_config *cfg, const char *kind,
    const char *name);

/* Calls fn for each section of the given kind, in file order. */
void cm_config_each_section(const struct cm_config *cfg, const char *kind,
    void (*fn)(const char *name, void *arg), void *arg);

/* Calls fn for each assignment in section kind/name (name NULL for
 * "[kind]"), in file order, a key set twice twice: its key (lower case,
 * owned by cfg) and its line.  For checking a section's keys. */
void cm_config_each_key(const struct cm_config *cfg, const char *kind,
    const char *name, void (*fn)(const char *key, size_t line, void *arg),
    void *arg);

/*
 * Checks that every key of section kind/name is one of keys[0..n): a key
 * a program does not know is a typo that would silently change nothing.
 * Returns 0, or -1 with a usage error in *err naming the file, the line,
 * the section and the first unknown key, and the known ones.
 */
int cm_config_check_keys(const struct cm_config *cfg, const char *kind,
    const char *name, const char *const *keys, size_t n,
    struct cm_error *err);

/*
 * Resolves a secret setting: "env:VAR" (the variable must be set and
 * non-empty), "file:PATH" (first line of the file, "~/" expanded),
 * "cmd:COMMAND" (first line of its output, run by /bin/sh; it must exit
 * 0), or a literal, which is refused when the config file is readable by
 * group or others.  The secret goes to out (cleared on error); messages
 * in err never contain it.  Returns 0, 1 when the key is unset, -1 on
 * error.
 */
int cm_config_secret(const struct cm_config *cfg, const char *kind,
    const char *name, const char *key, struct cm_buf *out,
    struct cm_error *err);

/* Path the config was loaded from. */
const char *cm_config_path(const struct cm_config *cfg);

#endif
