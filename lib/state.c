/* state.c - the state store (SQLite): cursors, seen ids, the reply ledger */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "state.h"

struct cm_state {
	sqlite3 *db;
	char *path;
};

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE cursors (source TEXT PRIMARY KEY, cursor TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE seen (source TEXT NOT NULL, id TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL, PRIMARY KEY (source, id))"
	"  WITHOUT ROWID;"
	"CREATE TABLE ledger (target TEXT PRIMARY KEY, status INTEGER NOT NULL,"
	"  key TEXT NOT NULL, reply_id TEXT, reply_url TEXT,"
	"  updated_at INTEGER NOT NULL);",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static void set_error(struct cm_state_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_error(struct cm_state_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* A message for an SQLite failure that tells the user what to do. */
static void db_error(struct cm_state *st, int rc, struct cm_state_error *err)
{
	int base = rc & 0xff;

	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		set_error(err, "%s: database is locked (another cm process is "
		    "using it?)", st->path);
	else if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB)
		set_error(err, "%s: not a cm state database, or corrupt (left "
		    "as it is; move it away to start afresh)", st->path);
	else
		set_error(err, "%s: %s", st->path,
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
}

int cm_state_default_path(struct cm_buf *buf)
{
	const char *v;

	cm_buf_reset(buf);
	if ((v = getenv("CM_STATE")) != NULL && *v)
		return cm_buf_adds(buf, v);
	if ((v = getenv("XDG_STATE_HOME")) != NULL && *v == '/')
		return cm_buf_printf(buf, "%s/cm/state.db", v);
	if ((v = getenv("HOME")) != NULL && *v)
		return cm_buf_printf(buf, "%s/.local/state/cm/state.db", v);
	return -1;
}

/* Creates the parent directories of path (mode 0700) as needed. */
static int make_parents(const char *path)
{
	char *copy = strdup(path), *p;
	int r = 0;

	if (copy == NULL)
		return -1;
	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			r = -1;
			break;
		}
		*p = '/';
	}
	free(copy);
	return r;
}

static int exec_sql(struct cm_state *st, const char *sql,
    struct cm_state_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

static int begin(struct cm_state *st, struct cm_state_error *err)
{
	return exec_sql(st, "BEGIN IMMEDIATE", err);
}

static int commit(struct cm_state *st, struct cm_state_error *err)
{
	if (exec_sql(st, "COMMIT", err) < 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static void rollback(struct cm_state *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(struct cm_state *st, int *v, struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*v = sqlite3_column_int(q, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

static int migrate(struct cm_state *st, struct cm_state_error *err)
{
	char sql[64];
	int v;

	if (user_version(st, &v, err) < 0)
		return -1;
	if (v == SCHEMA_VERSION)
		return 0;
	if (v > SCHEMA_VERSION) {
		set_error(err, "%s: made by a newer cm (schema %d, this one "
		    "knows %d); left as it is", st->path, v, SCHEMA_VERSION);
		return -1;
	}
	if (begin(st, err) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (user_version(st, &v, err) < 0)
		goto fail;
	for (; v < SCHEMA_VERSION; v++)
		if (exec_sql(st, migrations[v], err) < 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (exec_sql(st, sql, err) < 0)
		goto fail;
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

/* Whether an existing, non-empty file starts like an SQLite database. */
static int looks_like_sqlite(const char *path)
{
	char head[16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n == 0)
		return 1;
	return n == 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

struct cm_state *cm_state_open(const char *path, int busy_ms,
    struct cm_state_error *err)
{
	struct cm_state *st;
	int rc;

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		set_error(err, "%s: out of memory", path);
		return NULL;
	}
	/* SQLite would only notice at the first query; check first so that
	 * nothing, not even a journal, is written next to a foreign file. */
	switch (looks_like_sqlite(path)) {
	case 0:
		db_error(st, SQLITE_NOTADB, err);
		goto fail;
	case -1:
		set_error(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (make_parents(path) < 0) {
		set_error(err, "%s: cannot create its directory: %s", path,
		    strerror(errno));
		goto fail;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		goto fail;
	}
	chmod(path, 0600);
	sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : 5000);
	if (exec_sql(st, "PRAGMA journal_mode = WAL", err) < 0 ||
	    exec_sql(st, "PRAGMA synchronous = NORMAL", err) < 0 ||
	    migrate(st, err) < 0)
		goto fail;
	return st;
fail:
	cm_state_close(st);
	return NULL;
}

void cm_state_close(struct cm_state *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int cm_state_schema_version(struct cm_state *st)
{
	int v = -1;

	user_version(st, &v, NULL);
	return v;
}

static int prepare(struct cm_state *st, const char *sql, sqlite3_stmt **q,
    struct cm_state_error *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, q, NULL);

	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

int cm_state_cursor_get(struct cm_state *st, const char *source,
    struct cm_buf *out, struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	cm_buf_reset(out);
	if (prepare(st, "SELECT cursor FROM cursors WHERE source = ?", &q,
	    err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(q, 0);

		r = cm_buf_adds(out, c ? c : "") < 0 ? -1 : 1;
		if (r < 0)
			set_error(err, "%s: out of memory", st->path);
	} else if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		r = -1;
	}
	sqlite3_finalize(q);
	return r;
}

int cm_state_cursor_set(struct cm_state *st, const char *source,
    const char *cursor, struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "INSERT INTO cursors (source, cursor, updated_at) "
	    "VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
	    "cursor = excluded.cursor, updated_at = excluded.updated_at",
	    &q, err) < 0) {
		rollback(st);
		return -1;
	}
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cursor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		rollback(st);
		return -1;
	}
	return commit(st, err);
}

int cm_state_seen_add(struct cm_state *st, const char *source,
    const char *const *ids, size_t n, int *was_new,
    struct cm_state_error *err)
{
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "INSERT OR IGNORE INTO seen (source, id, first_seen) "
	    "VALUES (?, ?, ?)", &q, err) < 0) {
		rollback(st);
		return -1;
	}
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			db_error(st, rc, err);
			sqlite3_finalize(q);
			rollback(st);
			return -1;
		}
		if (was_new)
			was_new[i] = sqlite3_changes(st->db) > 0;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return commit(st, err);
}

int cm_state_seen_has(struct cm_state *st, const char *source, const char *id,
    struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, "SELECT 1 FROM seen WHERE source = ? AND id = ?", &q,
	    err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(st, rc, err);
	return -1;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static int ledger_read(struct cm_state *st, const char *target,
    struct cm_ledger_entry *e, struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, "SELECT status, key, reply_id, reply_url, updated_at "
	    "FROM ledger WHERE target = ?", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, target, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && e) {
		e->status = (enum cm_ledger_status)sqlite3_column_int(q, 0);
		copy_text(e->key, sizeof(e->key), sqlite3_column_text(q, 1));
		copy_text(e->reply_id, sizeof(e->reply_id),
		    sqlite3_column_text(q, 2));
		copy_text(e->reply_url, sizeof(e->reply_url),
		    sqlite3_column_text(q, 3));
		e->updated_at = sqlite3_column_int64(q, 4);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(st, rc, err);
	return -1;
}

int cm_state_ledger_claim(struct cm_state *st, const char *target,
    const char *key, struct cm_ledger_entry *prev, struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc, r;

	if (begin(st, err) < 0)
		return -1;
	/* Read and insert in one write transaction: no other process can
	 * claim the target in between. */
	if ((r = ledger_read(st, target, prev, err)) != 0) {
		rollback(st);
		return r < 0 ? -1 : 0;
	}
	if (prepare(st, "INSERT INTO ledger (target, status, key, updated_at) "
	    "VALUES (?, ?, ?, ?)", &q, err) < 0) {
		rollback(st);
		return -1;
	}
	sqlite3_bind_text(q, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, CM_LEDGER_PENDING);
	sqlite3_bind_text(q, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		rollback(st);
		return -1;
	}
	return commit(st, err) < 0 ? -1 : 1;
}

int cm_state_ledger_finish(struct cm_state *st, const char *target,
    enum cm_ledger_status status, const char *reply_id, const char *reply_url,
    struct cm_state_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "UPDATE ledger SET status = ?, reply_id = ?, "
	    "reply_url = ?, updated_at = ? WHERE target = ?", &q, err) < 0) {
		rollback(st);
		return -1;
	}
	sqlite3_bind_int(q, 1, (int)status);
	sqlite3_bind_text(q, 2, reply_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, reply_url, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(q, 5, target, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE || sqlite3_changes(st->db) != 1) {
		if (rc == SQLITE_DONE)
			set_error(err, "%s: %s: no ledger entry to finish",
			    st->path, target);
		else
			db_error(st, rc, err);
		rollback(st);
		return -1;
	}
	return commit(st, err);
}

int cm_state_ledger_get(struct cm_state *st, const char *target,
    struct cm_ledger_entry *e, struct cm_state_error *err)
{
	return ledger_read(st, target, e, err);
}
