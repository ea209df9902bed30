/* state.c - tests for the state store: round trips, migrations, two
 * processes at once, and locked, foreign, corrupt or newer databases */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/state.h"
#include "tap.h"

#define NPROC_IDS 2000

static char dir[] = "/tmp/cm-state-test.XXXXXX";

static const char *in_dir(const char *name)
{
	static char path[8][512];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* The whole file, malloc'd, for before-and-after comparisons. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fstat(fileno(fp), &st) < 0 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	return buf;
}

static void spew(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * The default VFS but for its sleep, which SQLite's busy handler calls
 * between tries: it adds up what the handler asked for and, at the first
 * sleep, writes a byte to wake_fd.  So a test knows that a write waited,
 * and for how long it meant to, without reading a clock, and a lock
 * holder can let go while the write is certainly waiting.
 */
static sqlite3_vfs *base_vfs;
static sqlite3_vfs waiting_vfs;
static long long slept_us;	/* sleep asked for since the last reset */
static int sleeps;
static int wake_fd = -1;	/* written and closed at the next sleep */

static int waiting_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	sleeps++;
	slept_us += us;
	if (wake_fd >= 0) {
		if (write(wake_fd, "w", 1) != 1)
			printf("# waking the lock holder: %s\n", strerror(errno));
		close(wake_fd);
		wake_fd = -1;
	}
	return base_vfs->xSleep(base_vfs, us);
}

static void count_sleeps(void)
{
	base_vfs = sqlite3_vfs_find(NULL);
	waiting_vfs = *base_vfs;
	waiting_vfs.zName = "cm-test-waiting";
	waiting_vfs.xSleep = waiting_sleep;
	if (sqlite3_vfs_register(&waiting_vfs, 1) != SQLITE_OK) {
		printf("Bail out! cannot register the test VFS\n");
		exit(1);
	}
}

/* Runs sql on path through a plain SQLite handle; returns the handle
 * when keep is set (the caller closes it), else closes it. */
static sqlite3 *raw(const char *path, const char *sql, int keep)
{
	sqlite3 *db;
	char *msg = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		printf("# sqlite: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
	}
	if (!keep) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* The single integer a query returns, -1 on error. */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3_stmt *q;
	sqlite3 *db;
	long long v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			v = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return v;
}

static void test_default_path(void)
{
	struct cm_buf b = CM_BUF_INIT;

	setenv("CM_STATE", "/x/state.db", 1);
	setenv("XDG_STATE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	ok(cm_state_default_path(&b) == 0 && strcmp(b.data, "/x/state.db") == 0,
	    "default path: $CM_STATE first");
	setenv("CM_STATE", "", 1);
	is_str(cm_state_default_path(&b) == 0 ? b.data : NULL,
	    "/xdg/cm/state.db", "default path: empty CM_STATE is unset");
	unsetenv("CM_STATE");
	is_str(cm_state_default_path(&b) == 0 ? b.data : NULL,
	    "/xdg/cm/state.db", "default path: $XDG_STATE_HOME/cm/state.db");
	setenv("XDG_STATE_HOME", "relative", 1);
	is_str(cm_state_default_path(&b) == 0 ? b.data : NULL,
	    "/home/u/.local/state/cm/state.db",
	    "default path: a relative XDG_STATE_HOME is ignored");
	unsetenv("XDG_STATE_HOME");
	is_str(cm_state_default_path(&b) == 0 ? b.data : NULL,
	    "/home/u/.local/state/cm/state.db",
	    "default path: $HOME/.local/state/cm/state.db");
	unsetenv("HOME");
	ok(cm_state_default_path(&b) == -1, "default path: none without HOME");
	cm_buf_free(&b);
}

static void test_open_new(void)
{
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("a/b/state.db");
	struct stat sb;
	sqlite3 *db;
	sqlite3_stmt *q;
	char mode[16] = "";

	umask(022);
	st = cm_state_open(path, 0, &err);
	if (!ok(st != NULL, "open creates the file and its directories"))
		printf("# %s\n", err.msg);
	if (st == NULL)
		return;
	is_int(cm_state_schema_version(st), 3, "schema version 3");
	ok(stat(in_dir("a"), &sb) == 0 && (sb.st_mode & 0777) == 0700 &&
	    stat(in_dir("a/b"), &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "the directories are made 0700");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the database is made 0600");
	if (sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			snprintf(mode, sizeof(mode), "%s",
			    (const char *)sqlite3_column_text(q, 0));
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	is_str(mode, "wal", "journal mode is WAL");
	ok(cm_state_cursor_set(st, "x", "1", &err) == 0 &&
	    stat(in_dir("a/b/state.db-wal"), &sb) == 0 &&
	    (sb.st_mode & 0777) == 0600, "the WAL file is 0600 too");
	cm_state_close(st);

	chmod(path, 0640);
	st = cm_state_open(path, 0, &err);
	ok(st && stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640,
	    "an existing database keeps the mode its owner gave it");
	cm_state_close(st);
}

static void test_cursors(struct cm_state *st)
{
	struct cm_error err;
	struct cm_buf b = CM_BUF_INIT;

	is_int(cm_state_cursor_get(st, "acme-masto:mentions", &b, &err), 0,
	    "cursor: none yet");
	is_int(cm_state_cursor_set(st, "acme-masto:mentions", "110001", &err),
	    0, "cursor: set");
	is_int(cm_state_cursor_get(st, "acme-masto:mentions", &b, &err), 1,
	    "cursor: found");
	is_str(b.data, "110001", "cursor: round trip");
	cm_state_cursor_set(st, "acme-masto:mentions", "110099", &err);
	cm_state_cursor_set(st, "acme-bsky:mentions", "bafy\xc3\xa9", &err);
	cm_state_cursor_get(st, "acme-masto:mentions", &b, &err);
	is_str(b.data, "110099", "cursor: set again replaces");
	cm_state_cursor_get(st, "acme-bsky:mentions", &b, &err);
	is_str(b.data, "bafy\xc3\xa9", "cursor: per source, UTF-8 kept");
	cm_state_cursor_set(st, "empty", "", &err);
	ok(cm_state_cursor_get(st, "empty", &b, &err) == 1 && b.len == 0,
	    "cursor: an empty cursor is found, empty");
	cm_buf_free(&b);
}

static void test_seen(struct cm_state *st)
{
	static const char *const ids1[] = { "a", "b", "a" };
	static const char *const ids2[] = { "b", "c" };
	struct cm_error err;
	int was_new[3] = { -1, -1, -1 };

	ok(cm_state_seen_add(st, "s1", ids1, 3, was_new, &err) == 0 &&
	    was_new[0] == 1 && was_new[1] == 1 && was_new[2] == 0,
	    "seen: new, new, then the same id again is old");
	ok(cm_state_seen_add(st, "s1", ids2, 2, was_new, &err) == 0 &&
	    was_new[0] == 0 && was_new[1] == 1, "seen: old, new");
	ok(cm_state_seen_add(st, "s1", ids2, 2, NULL, &err) == 0,
	    "seen: was_new may be NULL");
	ok(cm_state_seen_add(st, "s1", NULL, 0, NULL, &err) == 0,
	    "seen: nothing to add");
	is_int(cm_state_seen_has(st, "s1", "c", &err), 1, "seen: has c");
	is_int(cm_state_seen_has(st, "s1", "d", &err), 0, "seen: not d");
	is_int(cm_state_seen_has(st, "s2", "a", &err), 0,
	    "seen: ids are per source");
}

static void test_ledger(struct cm_state *st)
{
	struct cm_error err;
	struct cm_ledger_entry e;
	char longkey[200];

	memset(&e, 0, sizeof(e));
	is_int(cm_state_ledger_get(st, "mastodon:1", &e, &err), 0,
	    "ledger: no entry yet");
	is_int(cm_state_ledger_claim(st, "mastodon:1", "k-1", &e, &err), 1,
	    "ledger: first claim wins");
	memset(&e, 0, sizeof(e));
	is_int(cm_state_ledger_claim(st, "mastodon:1", "k-2", &e, &err), 0,
	    "ledger: second claim loses");
	ok(e.status == CM_LEDGER_PENDING && strcmp(e.key, "k-1") == 0 &&
	    e.updated_at > 0, "ledger: the loser sees the pending claim");
	is_int(cm_state_ledger_finish(st, "mastodon:1", CM_LEDGER_SENT, "99",
	    "https://m.example/@acme/99", &err), 0, "ledger: finish");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_get(st, "mastodon:1", &e, &err) == 1 &&
	    e.status == CM_LEDGER_SENT && strcmp(e.key, "k-1") == 0 &&
	    strcmp(e.reply_id, "99") == 0 &&
	    strcmp(e.reply_url, "https://m.example/@acme/99") == 0,
	    "ledger: the outcome is kept");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_claim(st, "mastodon:1", "k-3", &e, &err) == 0 &&
	    e.status == CM_LEDGER_SENT && strcmp(e.reply_id, "99") == 0,
	    "ledger: a sent target cannot be claimed again");
	ok(cm_state_ledger_claim(st, "mastodon:2", "k", NULL, &err) == 1 &&
	    cm_state_ledger_claim(st, "mastodon:2", "k", NULL, &err) == 0,
	    "ledger: prev may be NULL");
	ok(cm_state_ledger_finish(st, "mastodon:2", CM_LEDGER_FAILED, NULL,
	    NULL, &err) == 0 && cm_state_ledger_get(st, "mastodon:2", &e,
	    &err) == 1 && e.status == CM_LEDGER_FAILED && e.reply_id[0] == '\0',
	    "ledger: failed, no reply id");
	ok(cm_state_ledger_finish(st, "nowhere", CM_LEDGER_SENT, "1", "u",
	    &err) == -1 && strstr(err.msg, "not in the ledger"),
	    "ledger: finishing an unclaimed target is an error");
	ok(cm_state_ledger_finish(st, "mastodon:2", CM_LEDGER_NONE, NULL, NULL,
	    &err) == -1, "ledger: NONE is not an outcome");
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	ok(cm_state_ledger_claim(st, "mastodon:3", longkey, &e, &err) == -1 &&
	    cm_state_ledger_get(st, "mastodon:3", &e, &err) == 0,
	    "ledger: a key that would not fit the entry is refused");
}

static void test_reopen(void)
{
	struct cm_error err;
	struct cm_buf b = CM_BUF_INIT;
	struct cm_state *st = cm_state_open(in_dir("a/b/state.db"), 0, &err);

	ok(st && cm_state_cursor_get(st, "acme-masto:mentions", &b, &err) == 1 &&
	    strcmp(b.data, "110099") == 0 &&
	    cm_state_seen_has(st, "s1", "b", &err) == 1 &&
	    cm_state_ledger_get(st, "mastodon:1", NULL, &err) == 1,
	    "everything is there after closing and opening again");
	is_int(raw_int(in_dir("a/b/state.db"), "PRAGMA application_id"),
	    0x636d5354, "application_id marks a cm database");
	cm_state_close(st);
	cm_buf_free(&b);
}

/* Opening path must fail with a message containing want, leaving the
 * file's bytes and its directory's contents (no journal) as they were. */
static void refused(const char *path, const char *want, const char *what)
{
	struct cm_error err;
	struct cm_state *st;
	char wal[600], journal[600];
	size_t n1 = 0, n2 = 0;
	char *before = slurp(path, &n1), *after;

	st = cm_state_open(path, 200, &err);
	after = slurp(path, &n2);
	if (!ok(st == NULL && strstr(err.msg, want) != NULL &&
	    strncmp(err.msg, path, strlen(path)) == 0, "%s: refused", what))
		printf("# got '%s'\n", st ? "(opened)" : err.msg);
	ok(before && after && n1 == n2 && memcmp(before, after, n1) == 0,
	    "%s: the file is unchanged", what);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	ok(!exists(wal) && !exists(journal), "%s: no journal left beside it",
	    what);
	cm_state_close(st);
	free(before);
	free(after);
}

static void test_refusals(void)
{
	static const char notours[] = ": not a cm state database or corrupt "
	    "(left as it is; move it away to start afresh)";
	struct cm_error err;
	struct cm_state *st;
	char garbage[8192], msg[600];
	const char *path;
	unsigned i, x = 12345;

	for (i = 0; i < sizeof(garbage); i++) {
		x = x * 1103515245 + 12345;
		garbage[i] = (char)(x >> 16);
	}
	path = in_dir("garbage.db");
	spew(path, garbage, sizeof(garbage));
	refused(path, notours, "garbage");
	snprintf(msg, sizeof(msg), "%s%s", path, notours);
	st = cm_state_open(path, 0, &err);
	is_str(st ? "(opened)" : err.msg, msg, "garbage: the whole message");
	cm_state_close(st);

	/* The right magic, then garbage: SQLite itself must notice. */
	memcpy(garbage, "SQLite format 3", 16);
	path = in_dir("badpages.db");
	spew(path, garbage, sizeof(garbage));
	refused(path, notours, "an SQLite header over garbage");

	path = in_dir("short.db");
	spew(path, "SQLite", 6);
	refused(path, notours, "a short file");

	/* A sound SQLite database of some other program. */
	path = in_dir("other.db");
	raw(path, "PRAGMA journal_mode = DELETE;"
	    "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')", 0);
	refused(path, notours, "another program's database");

	/* Ours, but from a newer cm. */
	path = in_dir("newer.db");
	st = cm_state_open(path, 0, &err);
	cm_state_close(st);
	raw(path, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99", 0);
	refused(path, "made by a newer cm (schema version 99", "a newer schema");

	/* A page damaged in a database that is ours. */
	path = in_dir("damaged.db");
	st = cm_state_open(path, 0, &err);
	cm_state_close(st);
	raw(path, "PRAGMA journal_mode = DELETE", 0);
	{
		size_t n = 0;
		char *b = slurp(path, &n);

		/* Page 2 and on hold the tables' roots; zero them. */
		if (b && n > 4096) {
			memset(b + 4096, 0x5a, n - 4096);
			spew(path, b, n);
		}
		free(b);
		st = cm_state_open(path, 200, &err);
		if (st) {
			int r = cm_state_seen_has(st, "s", "x", &err);

			if (!ok(r == -1 && strstr(err.msg, notours),
			    "a damaged table is reported as corrupt"))
				printf("# got %d '%s'\n", r, err.msg);
		} else {
			ok(strstr(err.msg, notours) != NULL,
			    "a damaged table is reported as corrupt");
		}
		cm_state_close(st);
	}

	path = in_dir("afile");
	spew(path, "x", 1);
	st = cm_state_open(in_dir("afile/state.db"), 0, &err);
	ok(st == NULL && strstr(err.msg, "cannot create its directory: Not a "
	    "directory"), "a parent that is a file: %s", st ? "" : err.msg);
	cm_state_close(st);
	st = cm_state_open(dir, 0, &err);
	ok(st == NULL && strstr(err.msg, "Is a directory"),
	    "a directory: %s", st ? "" : err.msg);
	cm_state_close(st);
}

static void test_migrate_empty(void)
{
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("empty.db");

	spew(path, "", 0);
	st = cm_state_open(path, 0, &err);
	ok(st && cm_state_schema_version(st) == 3 &&
	    cm_state_cursor_set(st, "s", "c", &err) == 0,
	    "an empty file becomes a database");
	cm_state_close(st);

	/* A valid SQLite file with no tables, as "sqlite3 FILE" leaves. */
	path = in_dir("blank.db");
	raw(path, "PRAGMA journal_mode = DELETE; CREATE TABLE t (x); "
	    "DROP TABLE t", 0);
	st = cm_state_open(path, 0, &err);
	ok(st && cm_state_schema_version(st) == 3 &&
	    cm_state_seen_has(st, "s", "x", &err) == 0,
	    "a blank SQLite database is migrated");
	if (st == NULL)
		printf("# %s\n", err.msg);
	cm_state_close(st);
	is_int(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table'"), 6, "the six tables are made");
}

static void test_locked(void)
{
	static const char locked[] = ": database is locked (another cm "
	    "process is using it?)";
	static const char *const ids[] = { "x1", "x2" };
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("locked.db");
	sqlite3 *holder;
	char msg[600];
	int r;

	st = cm_state_open(path, 0, &err);
	cm_state_close(st);
	holder = raw(path, "BEGIN EXCLUSIVE; INSERT INTO cursors VALUES "
	    "('h', 'h', 0)", 1);
	st = cm_state_open(path, 300, &err);
	ok(st != NULL, "a WAL database opens while another writes");
	if (st == NULL) {
		printf("# %s\n", err.msg);
		sqlite3_close(holder);
		return;
	}
	slept_us = sleeps = 0;
	r = cm_state_cursor_set(st, "s", "c", &err);
	snprintf(msg, sizeof(msg), "%s%s", path, locked);
	is_str(r == -1 ? err.msg : "(written)", msg,
	    "a write waits, then says the database is locked");
	/* SQLite's busy handler asks for sleeps that add up to the timeout
	 * (300 ms); how long they took is the scheduler's business. */
	ok(sleeps > 0 && slept_us >= 250000 && slept_us <= 300000,
	    "it waited out the busy timeout (%d sleeps, %lld ms asked for)",
	    sleeps, slept_us / 1000);
	ok(cm_state_seen_add(st, "s", ids, 2, NULL, &err) == -1 &&
	    strstr(err.msg, locked) && cm_state_ledger_claim(st, "t", "k",
	    NULL, &err) == -1 && strstr(err.msg, locked),
	    "seen and ledger writes too");
	sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(holder);
	ok(cm_state_seen_has(st, "s", "x1", &err) == 0,
	    "nothing of the failed write is there");
	ok(cm_state_cursor_set(st, "s", "c", &err) == 0,
	    "once the other is done, writes work");
	cm_state_close(st);

	/* A rollback-journal database held exclusively cannot even be read. */
	path = in_dir("locked2.db");
	holder = raw(path, "PRAGMA journal_mode = DELETE; CREATE TABLE t (x);"
	    "BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)", 1);
	st = cm_state_open(path, 200, &err);
	snprintf(msg, sizeof(msg), "%s%s", path, locked);
	is_str(st ? "(opened)" : err.msg, msg,
	    "open reports a database locked past the timeout");
	cm_state_close(st);
	sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(holder);
}

/*
 * A writer that lets go while a write waits for it: the write goes
 * through.  The holder is another process that takes the lock, says so,
 * and commits only when the waiting write's first sleep tells it to, so
 * the write has certainly found the lock taken before it is let go; the
 * busy timeout is a minute, far more than that order needs.
 */
static void test_lock_released(void)
{
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("released.db");
	int held[2], wake[2], status, r;
	pid_t pid;
	char c;

	st = cm_state_open(path, 0, &err);
	cm_state_close(st);
	if (pipe(held) < 0 || pipe(wake) < 0) {
		ok(0, "pipes");
		return;
	}
	fflush(stdout);
	if ((pid = fork()) < 0) {
		ok(0, "fork");
		return;
	}
	if (pid == 0) {
		sqlite3 *db;

		close(held[0]);
		close(wake[1]);
		db = raw(path, "BEGIN EXCLUSIVE; INSERT INTO cursors VALUES "
		    "('holder', 'h', 0)", 1);
		if (write(held[1], "h", 1) != 1)
			_exit(1);
		/* the write's first sleep, or EOF if it never sleeps */
		if (read(wake[0], &c, 1) != 1)
			_exit(2);
		_exit(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) ==
		    SQLITE_OK ? 0 : 3);
	}
	close(held[1]);
	close(wake[0]);
	if (read(held[0], &c, 1) != 1) {
		ok(0, "the holder took the lock");
		close(wake[1]);
		waitpid(pid, &status, 0);
		return;
	}
	close(held[0]);
	st = cm_state_open(path, 60000, &err);
	slept_us = sleeps = 0;
	wake_fd = wake[1];
	r = st ? cm_state_cursor_set(st, "s", "c", &err) : -1;
	if (wake_fd >= 0) {	/* it never slept: the holder must not wait */
		close(wake_fd);
		wake_fd = -1;
	}
	waitpid(pid, &status, 0);
	ok(r == 0 && sleeps > 0, "a write waits for a writer that lets go, "
	    "then goes through (%d sleeps)", sleeps);
	if (r != 0)
		printf("# %s\n", err.msg);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the holder committed while the write waited");
	cm_state_close(st);
	is_int(raw_int(path, "SELECT count(*) FROM cursors WHERE source IN "
	    "('holder', 's')"), 2, "both writes are there");
}

/*
 * One of the two racing processes: adds its own seen ids and claims every
 * target, process 0 from the first, process 1 from the last.  After its
 * first quarter it tells the other (tell) and waits until the other has
 * done its first quarter too (hear): so both certainly run at once from
 * there on, each has won its own first quarter, and they fight over the
 * middle half; the other's first quarter is lost.  Writes the number of
 * claims it won to fd and exits 0.
 */
static void racer(const char *path, int who, int go, int tell, int hear,
    int fd)
{
	struct cm_error err;
	struct cm_state *st;
	char id[32], key[32], c;
	int i, r, won = 0;

	if (read(go, &c, 1) < 0)	/* wait for the start; EOF is the signal */
		_exit(3);
	if ((st = cm_state_open(path, 0, &err)) == NULL) {
		printf("# racer %d: %s\n", who, err.msg);
		fflush(stdout);
		_exit(1);
	}
	for (i = 0; i < NPROC_IDS; i++) {
		const char *ids[1] = { id };

		if (i == NPROC_IDS / 4 && (write(tell, "q", 1) != 1 ||
		    read(hear, &c, 1) != 1)) {
			printf("# racer %d: the other is gone\n", who);
			fflush(stdout);
			_exit(4);
		}
		snprintf(id, sizeof(id), "p%d-%d", who, i);
		snprintf(key, sizeof(key), "p%d-%d", who, i);
		if (cm_state_seen_add(st, "race", ids, 1, NULL, &err) < 0)
			break;
		snprintf(id, sizeof(id), "t%d", who ? NPROC_IDS - 1 - i : i);
		if ((r = cm_state_ledger_claim(st, id, key, NULL, &err)) < 0)
			break;
		won += r;
	}
	cm_state_close(st);
	if (i < NPROC_IDS) {
		printf("# racer %d at %d: %s\n", who, i, err.msg);
		fflush(stdout);
		_exit(1);
	}
	if (write(fd, &won, sizeof(won)) != sizeof(won))
		_exit(2);
	_exit(0);
}

static void test_two_processes(void)
{
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("race/state.db");
	int go[2], fds[2][2], half[2][2], won[2], status[2], i, all = 1;
	pid_t pid[2];
	double t0;
	char like[64];

	won[0] = won[1] = -1;
	if (pipe(go) < 0 || pipe(fds[0]) < 0 || pipe(fds[1]) < 0 ||
	    pipe(half[0]) < 0 || pipe(half[1]) < 0) {
		ok(0, "pipes");
		return;
	}
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		if ((pid[i] = fork()) == 0) {
			/* racer i tells through half[i], hears half[!i]; the
			 * ends it does not use are closed, so that a racer
			 * that dies is EOF to the other, not a hang */
			close(go[1]);
			close(fds[i][0]);
			close(half[i][0]);
			close(half[!i][1]);
			racer(path, i, go[0], half[i][1], half[!i][0],
			    fds[i][1]);
		}
		close(fds[i][1]);
	}
	for (i = 0; i < 2; i++) {
		close(half[i][0]);
		close(half[i][1]);
	}
	close(go[0]);
	t0 = now_ms();
	close(go[1]);	/* both start now, on a database neither has made */
	for (i = 0; i < 2; i++) {
		if (read(fds[i][0], &won[i], sizeof(won[i])) != sizeof(won[i]))
			won[i] = -1;
		close(fds[i][0]);
		waitpid(pid[i], &status[i], 0);
	}
	ok(WIFEXITED(status[0]) && WEXITSTATUS(status[0]) == 0 &&
	    WIFEXITED(status[1]) && WEXITSTATUS(status[1]) == 0,
	    "two processes at once: neither fails (%.0f ms for 2 x %d seen "
	    "adds and ledger claims)", now_ms() - t0, NPROC_IDS);
	is_int(raw_int(path, "SELECT count(*) FROM seen WHERE source = 'race'"),
	    2 * NPROC_IDS, "two processes at once: every seen id is there");
	if ((st = cm_state_open(path, 0, &err)) != NULL) {
		char id[32];
		int j;

		for (i = 0; i < 2; i++)
			for (j = 0; j < NPROC_IDS; j++) {
				snprintf(id, sizeof(id), "p%d-%d", i, j);
				if (cm_state_seen_has(st, "race", id, &err) != 1)
					all = 0;
			}
		cm_state_close(st);
	} else {
		all = 0;
	}
	ok(all, "two processes at once: each id is seen");
	is_int(raw_int(path, "SELECT count(*) FROM ledger"), NPROC_IDS,
	    "two processes at once: one ledger row per target");
	is_int(won[0] + won[1], NPROC_IDS,
	    "two processes at once: each target claimed exactly once "
	    "(%d and %d)", won[0], won[1]);
	ok(won[0] >= NPROC_IDS / 4 && won[0] <= NPROC_IDS - NPROC_IDS / 4 &&
	    won[1] >= NPROC_IDS / 4 && won[1] <= NPROC_IDS - NPROC_IDS / 4,
	    "two processes at once: each won its first quarter and lost the "
	    "other's (%d and %d)", won[0], won[1]);
	for (i = 0; i < 2; i++) {
		snprintf(like, sizeof(like), "SELECT count(*) FROM ledger WHERE "
		    "key LIKE 'p%d-%%'", i);
		is_int(raw_int(path, like), won[i],
		    "two processes at once: process %d's claims are its own", i);
	}
}

int main(void)
{
	struct cm_error err;
	struct cm_state *st;
	char cmd[600];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	count_sleeps();
	test_default_path();
	test_open_new();
	st = cm_state_open(in_dir("a/b/state.db"), 0, &err);
	if (!ok(st != NULL, "open an existing database"))
		printf("# %s\n", err.msg);
	if (st) {
		test_cursors(st);
		test_seen(st);
		test_ledger(st);
		cm_state_close(st);
	}
	test_reopen();
	test_migrate_empty();
	test_refusals();
	test_locked();
	test_lock_released();
	test_two_processes();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
