/* state.c - the state store (SQLite): cursors, seen ids, the reply ledger */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "state.h"
#include "core/xdgpath.h"

/* PRAGMA application_id of a cm state database: "cmST". */
#define APP_ID 0x636d5354

struct cm_state {
	sqlite3 *db;
	char *path;
};

/* Each migration takes the schema from version i to i + 1; the last one
 * is the version this cm writes.  Never edit one that has shipped. */
static const char *const migrations[] = {
	"CREATE TABLE cursors ("
	"  source TEXT PRIMARY KEY,"
	"  cursor TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE seen ("
	"  source TEXT NOT NULL,"
	"  id TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (source, id)) WITHOUT ROWID;"
	"CREATE TABLE ledger ("
	"  target TEXT PRIMARY KEY,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('pending', 'sent', 'failed')),"
	"  key TEXT NOT NULL,"
	"  reply_id TEXT,"
	"  reply_url TEXT,"
	"  updated_at INTEGER NOT NULL);",
	"CREATE TABLE leases ("
	"  name TEXT PRIMARY KEY,"
	"  host TEXT NOT NULL,"
	"  pid INTEGER NOT NULL,"
	"  started TEXT NOT NULL,"
	"  expires_at INTEGER NOT NULL);",
	"CREATE TABLE journal ("
	"  source TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL,"
	"  ids TEXT NOT NULL,"
	"  out_dev INTEGER NOT NULL,"
	"  out_ino INTEGER NOT NULL,"
	"  out_off INTEGER NOT NULL,"
	"  out_len INTEGER NOT NULL,"
	"  out_hash TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	"  account TEXT PRIMARY KEY,"
	"  data TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL);",
	/* The ledger learns who claimed a target and with what, so that
	 * only the claimant finishes it; rows of before keep their outcome,
	 * and a pending one, with no claimant known, is a dead one's. */
	"ALTER TABLE ledger ADD COLUMN account TEXT;"
	"ALTER TABLE ledger ADD COLUMN text TEXT;"
	"ALTER TABLE ledger ADD COLUMN message TEXT;"
	"ALTER TABLE ledger ADD COLUMN host TEXT;"
	"ALTER TABLE ledger ADD COLUMN pid INTEGER;"
	"ALTER TABLE ledger ADD COLUMN started TEXT;"
	"ALTER TABLE ledger ADD COLUMN claimed_at INTEGER;"
	"ALTER TABLE ledger ADD COLUMN sent_at INTEGER;"
	"UPDATE ledger SET claimed_at = updated_at, sent_at = CASE status "
	"  WHEN 'sent' THEN updated_at END;"
	"CREATE INDEX ledger_claimed ON ledger (claimed_at);",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static const char *const status_names[] = {
	[CM_LEDGER_PENDING] = "pending",
	[CM_LEDGER_SENT] = "sent",
	[CM_LEDGER_FAILED] = "failed",
};

static void not_ours(const char *path, struct cm_error *err)
{
	cm_error_set(err, CM_EXIT_USAGE, "%s: not a cm state database or "
	    "corrupt (left as it is; move it away to start afresh)", path);
}

/* A message for an SQLite failure that tells the user what to do. */
static void db_error(struct cm_state *st, int rc, struct cm_error *err)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		cm_error_set(err, CM_EXIT_TEMPFAIL, "%s: database is locked "
		    "(another cm process is using it?)", st->path);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		not_ours(st->path, err);
		break;
	case SQLITE_NOMEM:
		cm_error_nomem(err, st->path);
		break;
	default:
		cm_error_set(err, CM_EXIT_FAIL, "%s: %s", st->path, st->db ?
		    sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		break;
	}
}

/* A lookup's last step: 1 a row, 0 none, -1 an error (reported). */
static int row_found(struct cm_state *st, int rc,
    struct cm_error *err)
{
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(st, rc, err);
	return -1;
}

int cm_state_default_path(struct cm_buf *buf)
{
	return cm_xdg_path(buf, "CM_STATE", "XDG_STATE_HOME", ".local/state",
	    "state.db");
}

/* Creates the missing parent directories of path, mode 0700. */
static int make_parents(const char *path)
{
	struct stat sb;
	char *copy, *p;
	int r = 0;

	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && (errno != EEXIST ||
		    stat(copy, &sb) < 0 || !S_ISDIR(sb.st_mode))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			r = -1;
			break;
		}
		*p = '/';
	}
	free(copy);
	return r;
}

/*
 * Creates the file (mode 0600) when it is missing, and refuses one that
 * does not start like an SQLite database before SQLite can write anything
 * to it: an empty file is taken as new.
 */
static int check_file(const char *path, struct cm_error *err)
{
	char head[16];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: %s", path, strerror(errno));
		return -1;
	}
	do
		n = read(fd, head, sizeof(head));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: %s", path, strerror(errno));
	close(fd);
	if (n < 0)
		return -1;
	if (n > 0 && (n < (ssize_t)sizeof(head) ||
	    memcmp(head, "SQLite format 3", sizeof(head)) != 0)) {
		not_ours(path, err);
		return -1;
	}
	return 0;
}

static int exec_sql(struct cm_state *st, const char *sql,
    struct cm_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

static int prepare(struct cm_state *st, const char *sql, sqlite3_stmt **q,
    struct cm_error *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, q, NULL);

	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

/* A write transaction: taken at once, so that two processes queue on the
 * busy timeout here rather than fail later when upgrading a read lock. */
static int begin(struct cm_state *st, struct cm_error *err)
{
	return exec_sql(st, "BEGIN IMMEDIATE", err);
}

static void rollback(struct cm_state *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int commit(struct cm_state *st, struct cm_error *err)
{
	if (exec_sql(st, "COMMIT", err) < 0) {
		rollback(st);
		return -1;
	}
	return 0;
}

/*
 * Reads what the database is, in one statement so that it is one
 * snapshot: a migration by another process is seen whole or not at all.
 */
static int identify(struct cm_state *st, int *app, int *version, int *objects,
    struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, "SELECT (SELECT application_id FROM "
	    "pragma_application_id), (SELECT user_version FROM "
	    "pragma_user_version), (SELECT count(*) FROM sqlite_master)",
	    &q, err) < 0)
		return -1;
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*app = sqlite3_column_int(q, 0);
		*version = sqlite3_column_int(q, 1);
		*objects = sqlite3_column_int(q, 2);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

/* Whether the database can be used as it is (1), needs migrations (0),
 * or must be left alone (-1). */
static int classify(struct cm_state *st, int *version,
    struct cm_error *err)
{
	int app, objects;

	if (identify(st, &app, version, &objects, err) < 0)
		return -1;
	if (app == APP_ID) {
		if (*version > SCHEMA_VERSION) {
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s: made by a newer cm (schema version "
			    "%d; this cm knows up to %d): left as it is",
			    st->path, *version, SCHEMA_VERSION);
			return -1;
		}
		return *version == SCHEMA_VERSION;
	}
	/* Only a database with nothing in it is taken over. */
	if (app == 0 && *version == 0 && objects == 0)
		return 0;
	not_ours(st->path, err);
	return -1;
}

static int migrate(struct cm_state *st, struct cm_error *err)
{
	char sql[96];
	int v, r;

	if (begin(st, err) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if ((r = classify(st, &v, err)) != 0) {
		rollback(st);
		return r;
	}
	for (; v < SCHEMA_VERSION; v++)
		if (exec_sql(st, migrations[v], err) < 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; "
	    "PRAGMA user_version = %d", APP_ID, SCHEMA_VERSION);
	if (exec_sql(st, sql, err) < 0)
		goto fail;
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

/*
 * Switching to WAL takes an exclusive lock, and SQLite does not wait for
 * it through the busy handler: two processes opening the same new store
 * at once would see "database is locked" at once.  So it is retried here,
 * for as long as the busy timeout.
 */
static int set_wal(struct cm_state *st, int busy_ms,
    struct cm_error *err)
{
	int rc, waited = 0;

	while ((rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL,
	    NULL, NULL)) != SQLITE_OK && (rc & 0xff) == SQLITE_BUSY &&
	    waited < busy_ms) {
		sqlite3_sleep(10);
		waited += 10;
	}
	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

struct cm_state *cm_state_open(const char *path, int busy_ms,
    struct cm_error *err)
{
	struct cm_state *st;
	int rc, v;

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		cm_error_nomem(err, path);
		return NULL;
	}
	if (make_parents(path) < 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: cannot create its directory: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (check_file(path, err) < 0)
		goto fail;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		db_error(st, rc, err);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (busy_ms <= 0)
		busy_ms = 5000;
	sqlite3_busy_timeout(st->db, busy_ms);
	/* Look before anything is written: a foreign, corrupt or newer
	 * database is left byte for byte as it was. */
	if ((rc = classify(st, &v, err)) < 0)
		goto fail;
	if (set_wal(st, busy_ms, err) < 0 ||
	    exec_sql(st, "PRAGMA synchronous = NORMAL", err) < 0)
		goto fail;
	if (rc == 0 && migrate(st, err) < 0)
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

void cm_state_busy_timeout(struct cm_state *st, int busy_ms)
{
	sqlite3_busy_timeout(st->db, busy_ms > 0 ? busy_ms : 1);
}

int cm_state_schema_version(struct cm_state *st)
{
	int app, v, objects;

	if (identify(st, &app, &v, &objects, NULL) < 0)
		return -1;
	return v;
}

/* Steps a statement that returns no row, then finalizes it. */
static int step_done(struct cm_state *st, sqlite3_stmt *q,
    struct cm_error *err)
{
	int rc = sqlite3_step(q);

	if (rc != SQLITE_DONE)
		db_error(st, rc, err);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * One statement in a write transaction of its own.  types names the
 * arguments after it: 't' a string (NULL binds NULL), 'i' an int64_t.
 */
static int write_one(struct cm_state *st, struct cm_error *err,
    const char *sql, const char *types, ...)
{
	sqlite3_stmt *q;
	va_list ap;
	int i;

	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, sql, &q, err) < 0)
		goto fail;
	va_start(ap, types);
	for (i = 0; types[i]; i++) {
		if (types[i] == 't')
			sqlite3_bind_text(q, i + 1, va_arg(ap, const char *),
			    -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	if (step_done(st, q, err) < 0)
		goto fail;
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

int cm_state_cursor_get(struct cm_state *st, const char *source,
    struct cm_buf *out, struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc, r = 0;

	cm_buf_reset(out);
	if (prepare(st, "SELECT cursor FROM cursors WHERE source = ?", &q,
	    err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const void *c = sqlite3_column_text(q, 0);
		int n = sqlite3_column_bytes(q, 0);

		r = 1;
		if (cm_buf_add(out, c ? c : "", (size_t)n) < 0) {
			cm_error_set(err, CM_EXIT_USAGE,
			    "%s: %s: cursor: %s", st->path, source,
			    strerror(errno));
			r = -1;
		}
	} else if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		r = -1;
	}
	sqlite3_finalize(q);
	return r;
}

/* Sets a cursor inside the caller's transaction. */
static int cursor_set_in(struct cm_state *st, const char *source,
    const char *cursor, struct cm_error *err)
{
	sqlite3_stmt *q;

	if (prepare(st, "INSERT INTO cursors (source, cursor, updated_at) "
	    "VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
	    "cursor = excluded.cursor, updated_at = excluded.updated_at",
	    &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cursor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
	return step_done(st, q, err);
}

int cm_state_cursor_set(struct cm_state *st, const char *source,
    const char *cursor, struct cm_error *err)
{
	if (begin(st, err) < 0)
		return -1;
	if (cursor_set_in(st, source, cursor, err) < 0) {
		rollback(st);
		return -1;
	}
	return commit(st, err);
}

int cm_state_seen_add(struct cm_state *st, const char *source,
    const char *const *ids, size_t n, int *was_new,
    struct cm_error *err)
{
	sqlite3_int64 now = (sqlite3_int64)time(NULL);
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "INSERT OR IGNORE INTO seen (source, id, first_seen) "
	    "VALUES (?, ?, ?)", &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	for (i = 0; i < n; i++) {
		sqlite3_bind_text(q, 2, ids[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			db_error(st, rc, err);
			sqlite3_finalize(q);
			goto fail;
		}
		if (was_new)
			was_new[i] = sqlite3_changes(st->db) > 0;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

int cm_state_seen_has(struct cm_state *st, const char *source, const char *id,
    struct cm_error *err)
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
	return row_found(st, rc, err);
}

/*
 * Who this process is, for leases: the host, the pid and the process's
 * start time (field 22 of /proc/PID/stat, in clock ticks since boot), so
 * that a pid reused after a crash is not taken for the old holder.
 */
static int proc_started(pid_t pid, char *out, size_t size)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name, field 2, may hold spaces and parentheses: the
	 * fields after it start after its last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	p++;
	snprintf(out, size, "%.*s", (int)strcspn(p, " "), p);
	return 0;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

struct holder {
	char host[256];
	long pid;
	char started[32];
};

static void this_holder(struct holder *h)
{
	memset(h, 0, sizeof(*h));
	if (gethostname(h->host, sizeof(h->host) - 1) < 0)
		snprintf(h->host, sizeof(h->host), "localhost");
	h->pid = (long)getpid();
	if (proc_started(getpid(), h->started, sizeof(h->started)) < 0)
		snprintf(h->started, sizeof(h->started), "?");
}

/* Whether the holder of a lease may still be at work: on this host, its
 * process exists with the same start time; elsewhere, until it expires. */
static int holder_alive(const struct holder *me, const struct holder *h,
    int64_t expires_at, int64_t now)
{
	char started[32];

	if (strcmp(h->host, me->host) != 0)
		return now < expires_at;
	if (h->pid <= 0 || (kill((pid_t)h->pid, 0) < 0 && errno == ESRCH))
		return 0;
	if (proc_started((pid_t)h->pid, started, sizeof(started)) == 0 &&
	    strcmp(started, h->started) != 0)
		return 0;
	return now < expires_at;
}

int cm_state_lease_take(struct cm_state *st, const char *name, int ttl,
    struct cm_state_lease *other, struct cm_error *err)
{
	struct holder me, h;
	sqlite3_stmt *q;
	int64_t now = (int64_t)time(NULL), expires = 0;
	int rc, held = 0;

	this_holder(&me);
	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "SELECT host, pid, started, expires_at FROM leases "
	    "WHERE name = ?", &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		copy_text(h.host, sizeof(h.host), sqlite3_column_text(q, 0));
		h.pid = (long)sqlite3_column_int64(q, 1);
		copy_text(h.started, sizeof(h.started),
		    sqlite3_column_text(q, 2));
		expires = sqlite3_column_int64(q, 3);
		held = !(strcmp(h.host, me.host) == 0 && h.pid == me.pid &&
		    strcmp(h.started, me.started) == 0) &&
		    holder_alive(&me, &h, expires, now);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(st, rc, err);
		goto fail;
	}
	if (held) {
		rollback(st);
		if (other) {
			snprintf(other->host, sizeof(other->host), "%s", h.host);
			other->pid = h.pid;
			other->expires_at = expires;
		}
		return 0;
	}
	if (prepare(st, "INSERT INTO leases (name, host, pid, started, "
	    "expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
	    "SET host = excluded.host, pid = excluded.pid, "
	    "started = excluded.started, expires_at = excluded.expires_at",
	    &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, me.host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, me.pid);
	sqlite3_bind_text(q, 4, me.started, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, now + (ttl > 0 ? ttl : 3600));
	if (step_done(st, q, err) < 0)
		goto fail;
	return commit(st, err) < 0 ? -1 : 1;
fail:
	rollback(st);
	return -1;
}

int cm_state_lease_drop(struct cm_state *st, const char *name,
    struct cm_error *err)
{
	struct holder me;

	this_holder(&me);
	return write_one(st, err, "DELETE FROM leases WHERE name = ? AND "
	    "host = ? AND pid = ? AND started = ?", "ttit", name, me.host,
	    (int64_t)me.pid, me.started);
}

/*
 * The journal: a page of records in flight.  Its row says what the
 * source's state becomes and which ids it carries once the page is out;
 * it is written before the page and removed, in the transaction that
 * applies it, after.  A row left by a run that was killed tells the next
 * run where the page went, so it can tell whether it was delivered.
 */
int cm_state_page_begin(struct cm_state *st, const char *source,
    const struct cm_state_page *pg, struct cm_error *err)
{
	char hash[24];

	snprintf(hash, sizeof(hash), "%016llx",
	    (unsigned long long)pg->out_hash);
	return write_one(st, err, "INSERT OR REPLACE INTO journal (source, "
	    "state, ids, out_dev, out_ino, out_off, out_len, out_hash, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "tttiiiiti",
	    source, pg->state, pg->ids ? pg->ids : "", (int64_t)pg->out_dev,
	    (int64_t)pg->out_ino, (int64_t)pg->out_off, (int64_t)pg->out_len,
	    hash, (int64_t)time(NULL));
}

int cm_state_page_pending(struct cm_state *st, const char *source,
    struct cm_state_page *pg, struct cm_buf *state, struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, "SELECT state, out_dev, out_ino, out_off, out_len, "
	    "out_hash FROM journal WHERE source = ?", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(q, 5);

		cm_buf_reset(state);
		if (cm_buf_adds(state, (const char *)sqlite3_column_text(q,
		    0)) < 0) {
			sqlite3_finalize(q);
			cm_error_nomem(err, st->path);
			return -1;
		}
		memset(pg, 0, sizeof(*pg));
		pg->state = state->data;
		pg->out_dev = sqlite3_column_int64(q, 1);
		pg->out_ino = sqlite3_column_int64(q, 2);
		pg->out_off = sqlite3_column_int64(q, 3);
		pg->out_len = sqlite3_column_int64(q, 4);
		pg->out_hash = h ? strtoull((const char *)h, NULL, 16) : 0;
	}
	sqlite3_finalize(q);
	return row_found(st, rc, err);
}

/* Splits "a\nb\nc" and marks each id seen for source, in the caller's
 * transaction. */
static int seen_ids(struct cm_state *st, const char *source,
    const char *ids, struct cm_error *err)
{
	sqlite3_stmt *q;
	const char *p = ids, *nl;
	int rc;

	if (prepare(st, "INSERT OR IGNORE INTO seen (source, id, first_seen) "
	    "VALUES (?, ?, ?)", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
	while (*p) {
		nl = strchr(p, '\n');
		sqlite3_bind_text(q, 2, p, nl ? (int)(nl - p) : -1,
		    SQLITE_STATIC);
		if ((rc = sqlite3_step(q)) != SQLITE_DONE) {
			db_error(st, rc, err);
			sqlite3_finalize(q);
			return -1;
		}
		sqlite3_reset(q);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	sqlite3_finalize(q);
	return 0;
}

int cm_state_page_commit(struct cm_state *st, const char *source,
    struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc;

	if (begin(st, err) < 0)
		return -1;
	if (prepare(st, "SELECT state, ids FROM journal WHERE source = ?", &q,
	    err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		sqlite3_finalize(q);
		if (rc == SQLITE_DONE)
			cm_error_set(err, CM_EXIT_FAIL, "%s: %s: no page in "
			    "flight", st->path, source);
		else
			db_error(st, rc, err);
		goto fail;
	}
	if (seen_ids(st, source, (const char *)sqlite3_column_text(q, 1),
	    err) < 0 ||
	    cursor_set_in(st, source,
	    (const char *)sqlite3_column_text(q, 0), err) < 0) {
		sqlite3_finalize(q);
		goto fail;
	}
	sqlite3_finalize(q);
	if (prepare(st, "DELETE FROM journal WHERE source = ?", &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, source, -1, SQLITE_STATIC);
	if (step_done(st, q, err) < 0)
		goto fail;
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

int cm_state_page_discard(struct cm_state *st, const char *source,
    struct cm_error *err)
{
	return write_one(st, err, "DELETE FROM journal WHERE source = ?", "t",
	    source);
}

int cm_state_page_sources(struct cm_state *st, int64_t dev, int64_t ino,
    struct cm_buf *sources, struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc;

	cm_buf_reset(sources);
	if (prepare(st, "SELECT source FROM journal WHERE out_dev = ? AND "
	    "out_ino = ? ORDER BY source", &q, err) < 0)
		return -1;
	sqlite3_bind_int64(q, 1, (sqlite3_int64)dev);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)ino);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (cm_buf_adds(sources, (const char *)sqlite3_column_text(q,
		    0)) < 0 || cm_buf_addc(sources, '\n') < 0) {
			sqlite3_finalize(q);
			cm_error_nomem(err, st->path);
			return -1;
		}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		return -1;
	}
	return 0;
}

int cm_state_seen_prune(struct cm_state *st, const char *source,
    int64_t before, struct cm_error *err)
{
	return write_one(st, err, "DELETE FROM seen WHERE source = ? AND "
	    "first_seen < ?", "ti", source, before);
}

int cm_state_session_get(struct cm_state *st, const char *account,
    struct cm_buf *out, struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc, r;

	cm_buf_reset(out);
	if (prepare(st, "SELECT data FROM sessions WHERE account = ?", &q,
	    err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, account, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW &&
	    cm_buf_adds(out, (const char *)sqlite3_column_text(q, 0)) < 0) {
		sqlite3_finalize(q);
		cm_error_nomem(err, st->path);
		return -1;
	}
	sqlite3_finalize(q);
	r = row_found(st, rc, err);
	return r;
}

int cm_state_session_set(struct cm_state *st, const char *account,
    const char *data, struct cm_error *err)
{
	if (data == NULL)
		return write_one(st, err, "DELETE FROM sessions WHERE "
		    "account = ?", "t", account);
	return write_one(st, err, "INSERT OR REPLACE INTO sessions (account, "
	    "data, updated_at) VALUES (?, ?, ?)", "tti", account, data,
	    (int64_t)time(NULL));
}

/*
 * The reply ledger.  A row is claimed (PENDING) by one process, named as
 * the leases name their holder, and finished by that process alone.  A
 * claimant on another host cannot be looked at: its claim is taken for
 * live for CLAIM_TTL after it was made, far longer than any send takes.
 */
#define CLAIM_TTL 3600
/* A reply's text is a draft within a platform's limit (Reddit: 10,000
 * characters); anything much longer is not a reply. */
#define TEXT_MAX 65536

#define LEDGER_COLUMNS "target, status, key, account, reply_id, " \
	"reply_url, message, host, pid, started, claimed_at, updated_at, " \
	"sent_at, text"

void cm_ledger_entry_clear(struct cm_ledger_entry *e)
{
	if (e == NULL)
		return;
	free(e->text);
	memset(e, 0, sizeof(*e));
}

static enum cm_ledger_status status_of(const unsigned char *s)
{
	int i;

	for (i = CM_LEDGER_PENDING; i <= CM_LEDGER_FAILED; i++)
		if (s && strcmp((const char *)s, status_names[i]) == 0)
			return (enum cm_ledger_status)i;
	return CM_LEDGER_NONE;
}

/* Whether the claimant of a PENDING row may still be at work: on this
 * host while its process lives, elsewhere for CLAIM_TTL.  A row with no
 * claimant (written before claimants were recorded) has none at work. */
static int claimant_alive(const struct holder *me, const struct holder *h,
    int64_t claimed_at, int64_t now)
{
	if (h->host[0] == '\0')
		return 0;
	return holder_alive(me, h, strcmp(h->host, me->host) == 0 ?
	    INT64_MAX : claimed_at + CLAIM_TTL, now);
}

/* Fills *e (and *h, the claimant, when not NULL) from a row of
 * LEDGER_COLUMNS; the text only when with_text.  Returns 0, or -1 out of
 * memory (reported). */
static int read_entry(struct cm_state *st, sqlite3_stmt *q, int with_text,
    const struct holder *me, struct cm_ledger_entry *e, struct holder *h,
    struct cm_error *err)
{
	struct holder who;
	const unsigned char *text;

	memset(e, 0, sizeof(*e));
	memset(&who, 0, sizeof(who));
	copy_text(e->target, sizeof(e->target), sqlite3_column_text(q, 0));
	e->status = status_of(sqlite3_column_text(q, 1));
	copy_text(e->key, sizeof(e->key), sqlite3_column_text(q, 2));
	copy_text(e->account, sizeof(e->account), sqlite3_column_text(q, 3));
	copy_text(e->reply_id, sizeof(e->reply_id), sqlite3_column_text(q, 4));
	copy_text(e->reply_url, sizeof(e->reply_url),
	    sqlite3_column_text(q, 5));
	copy_text(e->message, sizeof(e->message), sqlite3_column_text(q, 6));
	copy_text(who.host, sizeof(who.host), sqlite3_column_text(q, 7));
	who.pid = (long)sqlite3_column_int64(q, 8);
	copy_text(who.started, sizeof(who.started), sqlite3_column_text(q, 9));
	snprintf(e->host, sizeof(e->host), "%s", who.host);
	e->pid = who.pid;
	e->claimed_at = sqlite3_column_int64(q, 10);
	e->updated_at = sqlite3_column_int64(q, 11);
	e->sent_at = sqlite3_column_int64(q, 12);
	e->alive = e->status == CM_LEDGER_PENDING &&
	    claimant_alive(me, &who, e->claimed_at, (int64_t)time(NULL));
	if (h)
		*h = who;
	if (with_text && (text = sqlite3_column_text(q, 13)) != NULL &&
	    (e->text = strdup((const char *)text)) == NULL) {
		cm_error_nomem(err, st->path);
		return -1;
	}
	return 0;
}

/* The row of target: 1 found (*e, *h filled), 0 none, -1 error. */
static int ledger_read(struct cm_state *st, const char *target,
    int with_text, const struct holder *me, struct cm_ledger_entry *e,
    struct holder *h, struct cm_error *err)
{
	sqlite3_stmt *q;
	int rc, r;

	if (prepare(st, "SELECT " LEDGER_COLUMNS " FROM ledger WHERE "
	    "target = ?", &q, err) < 0)
		return -1;
	sqlite3_bind_text(q, 1, target, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if ((r = row_found(st, rc, err)) == 1 &&
	    read_entry(st, q, with_text, me, e, h, err) < 0) {
		cm_ledger_entry_clear(e);
		r = -1;
	}
	sqlite3_finalize(q);
	return r;
}

int cm_state_ledger_get(struct cm_state *st, const char *target,
    int with_text, struct cm_ledger_entry *e, struct cm_error *err)
{
	struct cm_ledger_entry tmp;
	struct holder me;

	this_holder(&me);
	return ledger_read(st, target, e ? with_text : 0, &me, e ? e : &tmp,
	    NULL, err);
}

/* An entry must give back what was stored, not a truncation: a string
 * that would not fit its field is refused.  Returns 0 or -1. */
static int fits(struct cm_state *st, const char *target, const char *what,
    const char *s, size_t size, struct cm_error *err)
{
	if (s == NULL || strlen(s) < size)
		return 0;
	cm_error_set(err, CM_EXIT_USAGE, "%s: %.*s: %s over %zu bytes",
	    st->path, 200, target, what, size - 1);
	return -1;
}

int cm_state_ledger_claim(struct cm_state *st, const char *target,
    const char *key, const char *account, const char *text,
    struct cm_ledger_entry *prev, struct cm_error *err)
{
	struct cm_ledger_entry old;
	struct holder me;
	sqlite3_stmt *q;
	int64_t now = (int64_t)time(NULL);
	int found, r;

	if (fits(st, target, "target", target, sizeof(old.target), err) < 0 ||
	    fits(st, target, "idempotency key", key, sizeof(old.key),
	    err) < 0 ||
	    fits(st, target, "account", account, sizeof(old.account),
	    err) < 0 ||
	    fits(st, target, "reply text", text, TEXT_MAX + 1, err) < 0)
		return -1;
	this_holder(&me);
	memset(&old, 0, sizeof(old));
	if (begin(st, err) < 0)
		return -1;
	/* Read and write in one write transaction: no other process can
	 * claim the target in between. */
	if ((found = ledger_read(st, target, 1, &me, &old, NULL, err)) < 0)
		goto fail;
	if (found && (old.status == CM_LEDGER_SENT ||
	    (old.status == CM_LEDGER_PENDING && old.alive))) {
		rollback(st);
		r = 0;
		goto out;
	}
	/* A dead claimant's send may have gone out: the row keeps the key,
	 * account and text it was sent with, for the new claimant to look
	 * for it and send again only the same way.  A FAILED row (nothing
	 * was posted) or no row takes the caller's.  REPLACE gives the row
	 * a new rowid: the newest claim, last in claim order. */
	r = found && old.status == CM_LEDGER_PENDING ? 2 : 1;
	if (prepare(st, "INSERT OR REPLACE INTO ledger (target, status, key, "
	    "account, text, host, pid, started, claimed_at, updated_at) "
	    "VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)", &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, target, -1, SQLITE_STATIC);
	if (r == 2) {
		sqlite3_bind_text(q, 2, old.key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, old.account[0] ? old.account : NULL,
		    -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, old.text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, account, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, text, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(q, 5, me.host, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, me.pid);
	sqlite3_bind_text(q, 7, me.started, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, now);
	sqlite3_bind_int64(q, 9, now);
	if (step_done(st, q, err) < 0 || commit(st, err) < 0)
		goto fail;
out:
	if (prev)
		*prev = old;
	else
		cm_ledger_entry_clear(&old);
	return r;
fail:
	rollback(st);
	cm_ledger_entry_clear(&old);
	return -1;
}

int cm_state_ledger_finish(struct cm_state *st, const char *target,
    const char *key, enum cm_ledger_status status, const char *reply_id,
    const char *reply_url, int64_t sent_at, const char *message,
    struct cm_error *err)
{
	struct cm_ledger_entry e;
	struct holder me, h;
	sqlite3_stmt *q;
	int sent = status == CM_LEDGER_SENT, r;

	if (status != CM_LEDGER_SENT && status != CM_LEDGER_FAILED) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "%s: %.*s: %d is not an outcome (sent or failed)",
		    st->path, 200, target, (int)status);
		return -1;
	}
	if (fits(st, target, "reply id", reply_id, sizeof(e.reply_id),
	    err) < 0 ||
	    fits(st, target, "reply url", reply_url, sizeof(e.reply_url),
	    err) < 0 ||
	    fits(st, target, "message", message, sizeof(e.message), err) < 0)
		return -1;
	this_holder(&me);
	if (begin(st, err) < 0)
		return -1;
	if ((r = ledger_read(st, target, 0, &me, &e, &h, err)) < 0)
		goto fail;
	if (r == 0) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.*s: not in the ledger "
		    "(claim it first)", st->path, 200, target);
		goto fail;
	}
	if (e.status != CM_LEDGER_PENDING) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.*s: already %s, not "
		    "pending", st->path, 200, target, status_names[e.status]);
		goto fail;
	}
	if (key == NULL || strcmp(e.key, key) != 0) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.*s: claimed with "
		    "another idempotency key", st->path, 200, target);
		goto fail;
	}
	if (strcmp(h.host, me.host) != 0 || h.pid != me.pid ||
	    strcmp(h.started, me.started) != 0) {
		cm_error_set(err, CM_EXIT_FAIL, "%s: %.*s: claimed by another "
		    "process (pid %ld on %s)", st->path, 200, target, h.pid,
		    h.host[0] ? h.host : "an unknown host");
		goto fail;
	}
	if (prepare(st, "UPDATE ledger SET status = ?, reply_id = ?, "
	    "reply_url = ?, message = ?, sent_at = ?, updated_at = ? "
	    "WHERE target = ? AND status = 'pending'", &q, err) < 0)
		goto fail;
	sqlite3_bind_text(q, 1, status_names[status], -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, sent ? reply_id : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, sent ? reply_url : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, sent ? NULL : message, -1, SQLITE_STATIC);
	if (sent)
		sqlite3_bind_int64(q, 5, sent_at > 0 ? sent_at :
		    (int64_t)time(NULL));
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_int64(q, 6, (int64_t)time(NULL));
	sqlite3_bind_text(q, 7, target, -1, SQLITE_STATIC);
	if (step_done(st, q, err) < 0)
		goto fail;
	return commit(st, err);
fail:
	rollback(st);
	return -1;
}

/*
 * The targets are listed first and each row read again before fn sees
 * it, so that fn may write the store (recovery finishes what it walks)
 * with no read open under it; a row gone or no longer pending by then is
 * skipped.
 */
int cm_state_ledger_each(struct cm_state *st, int pending_only,
    int (*fn)(const struct cm_ledger_entry *e, void *arg), void *arg,
    struct cm_error *err)
{
	struct cm_buf targets = CM_BUF_INIT;
	struct cm_ledger_entry e;
	struct holder me;
	sqlite3_stmt *q;
	const char *t;
	int rc, r = 0;

	if (prepare(st, pending_only ? "SELECT target FROM ledger WHERE "
	    "status = 'pending' ORDER BY claimed_at, rowid" : "SELECT target "
	    "FROM ledger ORDER BY claimed_at, rowid", &q, err) < 0)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (sqlite3_column_text(q, 0) != NULL &&
		    cm_buf_add(&targets, sqlite3_column_text(q, 0),
		    (size_t)sqlite3_column_bytes(q, 0) + 1) < 0) {
			sqlite3_finalize(q);
			cm_buf_free(&targets);
			cm_error_nomem(err, st->path);
			return -1;
		}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		db_error(st, rc, err);
		cm_buf_free(&targets);
		return -1;
	}
	this_holder(&me);
	for (t = targets.data; t && t < targets.data + targets.len;
	    t += strlen(t) + 1) {
		if ((rc = ledger_read(st, t, 1, &me, &e, NULL, err)) < 0) {
			r = -1;
			break;
		}
		if (rc == 0)
			continue;
		if (!pending_only || e.status == CM_LEDGER_PENDING)
			r = fn(&e, arg);
		cm_ledger_entry_clear(&e);
		if (r != 0)
			break;
	}
	cm_buf_free(&targets);
	return r;
}
