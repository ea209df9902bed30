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
	is_int(cm_state_schema_version(st), 4, "schema version 4");
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
	char longkey[200], longmsg[600];
	int64_t t0 = (int64_t)time(NULL);

	memset(&e, 0, sizeof(e));
	is_int(cm_state_ledger_get(st, "mastodon:1", 1, &e, &err), 0,
	    "ledger: no entry yet");
	is_int(cm_state_ledger_claim(st, "mastodon:1", "k-1", "acme-masto",
	    "Hi Ana, sorry", &e, &err), 1, "ledger: first claim wins");
	ok(e.status == CM_LEDGER_NONE && e.text == NULL,
	    "ledger: the winner's prev says there was no row");
	is_int(cm_state_ledger_claim(st, "mastodon:1", "k-2", "acme-masto",
	    "other", &e, &err), 0, "ledger: a second claim by the claimant "
	    "itself is left");
	ok(e.status == CM_LEDGER_PENDING && strcmp(e.key, "k-1") == 0 &&
	    e.alive && e.pid == (long)getpid() && e.claimed_at >= t0 &&
	    e.updated_at >= t0 && e.text &&
	    strcmp(e.text, "Hi Ana, sorry") == 0,
	    "ledger: ... and prev is the live pending claim, text and all");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_finish(st, "mastodon:1", "k-2", CM_LEDGER_SENT, "9",
	    "u", 0, NULL, &err) == -1 && strstr(err.msg, "another idempotency "
	    "key"), "ledger: finishing with another key is refused");
	is_int(cm_state_ledger_finish(st, "mastodon:1", "k-1", CM_LEDGER_SENT,
	    "99", "https://m.example/@acme/99", 1700000000, "ignored", &err), 0,
	    "ledger: finish sent");
	ok(cm_state_ledger_get(st, "mastodon:1", 1, &e, &err) == 1 &&
	    e.status == CM_LEDGER_SENT && strcmp(e.key, "k-1") == 0 &&
	    strcmp(e.reply_id, "99") == 0 &&
	    strcmp(e.reply_url, "https://m.example/@acme/99") == 0 &&
	    e.sent_at == 1700000000 && e.message[0] == '\0' && !e.alive &&
	    strcmp(e.account, "acme-masto") == 0 && e.text &&
	    strcmp(e.text, "Hi Ana, sorry") == 0,
	    "ledger: the outcome is kept, with account and text");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_get(st, "mastodon:1", 0, &e, &err) == 1 &&
	    e.text == NULL, "ledger: no text unless asked for");
	ok(cm_state_ledger_finish(st, "mastodon:1", "k-1", CM_LEDGER_FAILED,
	    NULL, NULL, 0, "422 too long", &err) == -1 &&
	    strstr(err.msg, "already sent") &&
	    cm_state_ledger_get(st, "mastodon:1", 0, &e, &err) == 1 &&
	    e.status == CM_LEDGER_SENT && strcmp(e.reply_id, "99") == 0,
	    "ledger: SENT never turns FAILED, even for its own key");
	ok(cm_state_ledger_finish(st, "mastodon:1", "k-1", CM_LEDGER_SENT,
	    "100", "v", 0, NULL, &err) == -1 &&
	    cm_state_ledger_get(st, "mastodon:1", 0, &e, &err) == 1 &&
	    strcmp(e.reply_id, "99") == 0, "ledger: nor is it sent twice");
	ok(cm_state_ledger_claim(st, "mastodon:1", "k-3", NULL, NULL, &e,
	    &err) == 0 && e.status == CM_LEDGER_SENT &&
	    strcmp(e.reply_id, "99") == 0,
	    "ledger: a sent target cannot be claimed again");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_claim(st, "mastodon:2", "k", NULL, NULL, NULL,
	    &err) == 1 && cm_state_ledger_claim(st, "mastodon:2", "k", NULL,
	    NULL, NULL, &err) == 0, "ledger: prev and text may be NULL");
	ok(cm_state_ledger_finish(st, "mastodon:2", "k", CM_LEDGER_FAILED, "x",
	    "y", 5, "422 Validation failed", &err) == 0 &&
	    cm_state_ledger_get(st, "mastodon:2", 1, &e, &err) == 1 &&
	    e.status == CM_LEDGER_FAILED && e.reply_id[0] == '\0' &&
	    e.reply_url[0] == '\0' && e.sent_at == 0 && e.text == NULL &&
	    strcmp(e.message, "422 Validation failed") == 0,
	    "ledger: failed keeps the message, no reply id");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_claim(st, "mastodon:2", "k2", "acme", "again", &e,
	    &err) == 1 && e.status == CM_LEDGER_FAILED &&
	    strcmp(e.message, "422 Validation failed") == 0,
	    "ledger: a FAILED row is taken over (1), prev the failure");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_get(st, "mastodon:2", 1, &e, &err) == 1 &&
	    e.status == CM_LEDGER_PENDING && strcmp(e.key, "k2") == 0 &&
	    e.message[0] == '\0' && e.text && strcmp(e.text, "again") == 0 &&
	    strcmp(e.account, "acme") == 0,
	    "ledger: ... with the new claim's key, account and text");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_finish(st, "nowhere", "k", CM_LEDGER_SENT, "1", "u",
	    0, NULL, &err) == -1 && strstr(err.msg, "not in the ledger"),
	    "ledger: finishing an unclaimed target is an error");
	ok(cm_state_ledger_finish(st, "mastodon:2", "k2", CM_LEDGER_NONE, NULL,
	    NULL, 0, NULL, &err) == -1 && cm_state_ledger_finish(st,
	    "mastodon:2", "k2", CM_LEDGER_PENDING, NULL, NULL, 0, NULL,
	    &err) == -1, "ledger: NONE and PENDING are not outcomes");
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	ok(cm_state_ledger_claim(st, "mastodon:3", longkey, NULL, NULL, &e,
	    &err) == -1 && cm_state_ledger_get(st, "mastodon:3", 0, &e,
	    &err) == 0,
	    "ledger: a key that would not fit the entry is refused");
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	ok(cm_state_ledger_claim(st, "mastodon:3", "k", longmsg, NULL, &e,
	    &err) == -1 && strstr(err.msg, "account over 255 bytes"),
	    "ledger: so is an account");
	ok(cm_state_ledger_claim(st, "mastodon:3", "k", NULL, NULL, NULL,
	    &err) == 1 && cm_state_ledger_finish(st, "mastodon:3", "k",
	    CM_LEDGER_FAILED, NULL, NULL, 0, longmsg, &err) == -1 &&
	    strstr(err.msg, "message over 511 bytes") &&
	    cm_state_ledger_get(st, "mastodon:3", 0, &e, &err) == 1 &&
	    e.status == CM_LEDGER_PENDING, "ledger: so is a message, and the "
	    "claim stays pending");
}

/* A child that waits for go (EOF), claims target with key, says 'y' (1),
 * 'z' (2), 'n' (0) or 'e' on its ready pipe, then waits for release
 * (EOF) and ends with _exit, its claim left behind.  go and release are
 * shared by all children: each closes their write ends, so that the
 * parent's close is EOF to all. */
static pid_t claimant(const char *path, const char *target, const char *key,
    const int go[2], const int release[2], int *ready_fd)
{
	int ready[2];
	pid_t pid;

	if (pipe(ready) < 0)
		exit(1);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct cm_error err;
		struct cm_state *st;
		char c = 'e';
		int r;

		close(ready[0]);
		close(go[1]);
		close(release[1]);
		(void)read(go[0], &c, 1);
		c = 'e';
		if ((st = cm_state_open(path, 0, &err)) != NULL &&
		    (r = cm_state_ledger_claim(st, target, key, "acme", key,
		    NULL, &err)) >= 0)
			c = "nyz"[r];
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		(void)read(release[0], &c, 1);
		_exit(0);	/* not finished: the claim stays pending */
	}
	close(ready[1]);
	*ready_fd = ready[0];
	return pid;
}

static void test_ledger_processes(void)
{
	struct cm_error err;
	struct cm_ledger_entry e;
	struct cm_state *st;
	const char *path = in_dir("claims.db");
	int go[2], release[2], ready, status;
	char c = 0;
	pid_t pid;

	if ((st = cm_state_open(path, 0, &err)) == NULL) {
		ok(0, "ledger processes: open: %s", err.msg);
		return;
	}
	if (pipe(go) < 0 || pipe(release) < 0)
		exit(1);
	pid = claimant(path, "bsky:1", "child-key", go, release, &ready);
	close(go[0]);
	close(go[1]);
	close(release[0]);
	ok(read(ready, &c, 1) == 1 && c == 'y', "ledger: a child claims");
	ok(cm_state_ledger_finish(st, "bsky:1", "child-key", CM_LEDGER_FAILED,
	    NULL, NULL, 0, "x", &err) == -1 &&
	    strstr(err.msg, "claimed by another process"),
	    "ledger: another process's claim cannot be finished, key or not");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_claim(st, "bsky:1", "mine", NULL, NULL, &e,
	    &err) == 0 && e.status == CM_LEDGER_PENDING && e.alive &&
	    e.pid == (long)pid, "ledger: while it lives, its claim is left "
	    "(prev names it)");
	cm_ledger_entry_clear(&e);
	close(release[1]);
	waitpid(pid, &status, 0);
	close(ready);
	ok(cm_state_ledger_get(st, "bsky:1", 0, &e, &err) == 1 &&
	    e.status == CM_LEDGER_PENDING && !e.alive,
	    "ledger: its claimant gone, the row is not alive");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_claim(st, "bsky:1", "mine", "other", "mine", &e,
	    &err) == 2 && e.status == CM_LEDGER_PENDING &&
	    strcmp(e.key, "child-key") == 0 && e.pid == (long)pid &&
	    e.text && strcmp(e.text, "child-key") == 0,
	    "ledger: a dead process's pending row is taken over (2), prev "
	    "the old row");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_get(st, "bsky:1", 1, &e, &err) == 1 &&
	    e.pid == (long)getpid() && e.alive &&
	    strcmp(e.key, "child-key") == 0 && e.text &&
	    strcmp(e.text, "child-key") == 0 && strcmp(e.account, "acme") == 0,
	    "ledger: ... now ours, keeping the key, account and text it may "
	    "have been sent with");
	cm_ledger_entry_clear(&e);
	ok(cm_state_ledger_finish(st, "bsky:1", "mine", CM_LEDGER_SENT, "r",
	    "u", 0, NULL, &err) == -1 && cm_state_ledger_finish(st, "bsky:1",
	    "child-key", CM_LEDGER_SENT, "r", "u", 0, NULL, &err) == 0,
	    "ledger: ... finished with the old key, not the new one");

	/* A row of another host: alive for an hour after its claim. */
	raw(path, "INSERT INTO ledger (target, status, key, host, pid, "
	    "started, claimed_at, updated_at) VALUES ('far:1', 'pending', 'f', "
	    "'cm-test-elsewhere.invalid', 1, '1', strftime('%s', 'now'), 0), "
	    "('far:2', 'pending', 'g', 'cm-test-elsewhere.invalid', 1, '1', "
	    "strftime('%s', 'now') - 3601, 0)", 0);
	ok(cm_state_ledger_claim(st, "far:1", "k", NULL, NULL, NULL,
	    &err) == 0 && cm_state_ledger_claim(st, "far:2", "k", NULL, NULL,
	    NULL, &err) == 2, "ledger: another host's claim is left for an "
	    "hour, then taken over");
	cm_state_close(st);
}

#define NCLAIMANTS 8

static void test_ledger_race(void)
{
	const char *path = in_dir("race8.db");
	struct cm_error err;
	struct cm_state *st;
	int go[2], release[2], ready[NCLAIMANTS], status, i, n[3] = { 0 },
	    bad = 0;
	pid_t pid[NCLAIMANTS];
	char c, key[16];

	/* made first, so that the race is over the claim, not the schema */
	cm_state_close(cm_state_open(path, 0, &err));
	if (pipe(go) < 0 || pipe(release) < 0)
		exit(1);
	for (i = 0; i < NCLAIMANTS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		pid[i] = claimant(path, "reddit:t1_x", key, go, release,
		    &ready[i]);
	}
	close(go[0]);
	close(release[0]);
	close(go[1]);	/* all claim now */
	/* Each holds on (alive) until all have claimed: a dead winner's row
	 * would rightly be taken over. */
	for (i = 0; i < NCLAIMANTS; i++) {
		if (read(ready[i], &c, 1) != 1)
			c = 'e';
		if (c == 'y')
			n[1]++;
		else if (c == 'n')
			n[0]++;
		else if (c == 'z')
			n[2]++;
		else
			bad++;
	}
	close(release[1]);
	for (i = 0; i < NCLAIMANTS; i++) {
		waitpid(pid[i], &status, 0);
		close(ready[i]);
	}
	ok(n[1] == 1 && n[0] == NCLAIMANTS - 1 && n[2] == 0 && bad == 0,
	    "ledger: %d processes claim one target at once: exactly one wins "
	    "(%d won, %d left it, %d took over, %d failed)", NCLAIMANTS, n[1],
	    n[0], n[2], bad);
	is_int(raw_int(path, "SELECT count(*) FROM ledger"), 1,
	    "ledger: ... one row");
	if ((st = cm_state_open(path, 0, &err)) != NULL) {
		struct cm_ledger_entry e;
		int won = -1;

		if (cm_state_ledger_get(st, "reddit:t1_x", 0, &e, &err) == 1)
			for (i = 0; i < NCLAIMANTS; i++)
				if (e.pid == (long)pid[i])
					won = i;
		snprintf(key, sizeof(key), "k%d", won);
		ok(won >= 0 && strcmp(e.key, key) == 0,
		    "ledger: ... the winner's, with its key");
		cm_state_close(st);
	}
}

/* Walks the ledger into a string: "target:status " for each row. */
static int walk_one(const struct cm_ledger_entry *e, void *arg)
{
	struct cm_buf *b = arg;

	if (e->text == NULL)
		return 7;
	return cm_buf_printf(b, "%s:%c ", e->target,
	    "?psf"[e->status]) < 0 ? 9 : 0;
}

/* Stops the walk at the second row; finishes the rows it sees. */
static int walk_stop(const struct cm_ledger_entry *e, void *arg)
{
	struct cm_state *st = arg;
	struct cm_error err;
	static int n;

	if (cm_state_ledger_finish(st, e->target, e->key, CM_LEDGER_SENT, "r",
	    "u", 0, NULL, &err) < 0)
		return 8;
	return ++n == 2 ? 5 : 0;
}

static void test_ledger_each(void)
{
	const char *path = in_dir("each.db");
	struct cm_buf b = CM_BUF_INIT;
	struct cm_error err;
	struct cm_state *st;
	static const char *const t[] = { "a", "b", "c", "d", "e" };
	int i, r;

	if ((st = cm_state_open(path, 0, &err)) == NULL) {
		ok(0, "ledger each: open: %s", err.msg);
		return;
	}
	is_int(cm_state_ledger_each(st, 0, walk_one, &b, &err), 0,
	    "ledger each: an empty ledger");
	is_str(b.data ? b.data : "", "", "ledger each: ... calls nothing");
	for (i = 0; i < 5; i++)
		cm_state_ledger_claim(st, t[i], t[i], "acct", t[i], NULL, &err);
	/* "b" failed and claimed again: the newest claim now, though all
	 * are of the same second; "d" sent */
	cm_state_ledger_finish(st, "b", "b", CM_LEDGER_FAILED, NULL, NULL, 0,
	    "no", &err);
	cm_state_ledger_claim(st, "b", "b2", "acct", "b", NULL, &err);
	cm_state_ledger_finish(st, "d", "d", CM_LEDGER_SENT, "1", "u", 0, NULL,
	    &err);
	/* "e" claimed long ago (a run killed then) */
	raw(path, "UPDATE ledger SET claimed_at = 1000 WHERE target = 'e'", 0);
	cm_buf_reset(&b);
	ok(cm_state_ledger_each(st, 0, walk_one, &b, &err) == 0 &&
	    strcmp(b.data, "e:p a:p c:p d:s b:p ") == 0,
	    "ledger each: every row, oldest claim first (%s)", b.data);
	cm_buf_reset(&b);
	ok(cm_state_ledger_each(st, 1, walk_one, &b, &err) == 0 &&
	    strcmp(b.data, "e:p a:p c:p b:p ") == 0,
	    "ledger each: pending_only (%s)", b.data);
	r = cm_state_ledger_each(st, 1, walk_stop, st, &err);
	cm_buf_reset(&b);
	ok(r == 5 && cm_state_ledger_each(st, 1, walk_one, &b, &err) == 0 &&
	    strcmp(b.data, "c:p b:p ") == 0, "ledger each: fn may finish the "
	    "rows it walks, and its non-zero stops the walk (%d, %s)", r,
	    b.data);
	cm_buf_free(&b);
	cm_state_close(st);
}

/* A store as cm wrote it at schema 3, before the ledger knew claimants. */
static void test_ledger_migration(void)
{
	const char *path = in_dir("v3.db");
	struct cm_buf b = CM_BUF_INIT;
	struct cm_ledger_entry e;
	struct cm_error err;
	struct cm_state *st;

	raw(path, "PRAGMA journal_mode = WAL;"
	    "CREATE TABLE cursors (source TEXT PRIMARY KEY, cursor TEXT NOT "
	    "NULL, updated_at INTEGER NOT NULL);"
	    "CREATE TABLE seen (source TEXT NOT NULL, id TEXT NOT NULL, "
	    "first_seen INTEGER NOT NULL, PRIMARY KEY (source, id)) WITHOUT "
	    "ROWID;"
	    "CREATE TABLE ledger (target TEXT PRIMARY KEY, status TEXT NOT "
	    "NULL CHECK (status IN ('pending', 'sent', 'failed')), key TEXT "
	    "NOT NULL, reply_id TEXT, reply_url TEXT, updated_at INTEGER NOT "
	    "NULL);"
	    "CREATE TABLE leases (name TEXT PRIMARY KEY, host TEXT NOT NULL, "
	    "pid INTEGER NOT NULL, started TEXT NOT NULL, expires_at INTEGER "
	    "NOT NULL);"
	    "CREATE TABLE journal (source TEXT PRIMARY KEY, state TEXT NOT "
	    "NULL, ids TEXT NOT NULL, out_dev INTEGER NOT NULL, out_ino "
	    "INTEGER NOT NULL, out_off INTEGER NOT NULL, out_len INTEGER NOT "
	    "NULL, out_hash TEXT NOT NULL, updated_at INTEGER NOT NULL);"
	    "CREATE TABLE sessions (account TEXT PRIMARY KEY, data TEXT NOT "
	    "NULL, updated_at INTEGER NOT NULL);"
	    "INSERT INTO cursors VALUES ('demo', 'c-3', 1);"
	    "INSERT INTO seen VALUES ('demo', 'id-1', 1);"
	    "INSERT INTO ledger VALUES ('m:1', 'sent', 'k1', '55', "
	    "'https://m.example/55', 1600000000);"
	    "INSERT INTO ledger VALUES ('m:2', 'pending', 'k2', NULL, NULL, "
	    "strftime('%s', 'now'));"
	    "INSERT INTO ledger VALUES ('m:3', 'failed', 'k3', NULL, NULL, "
	    "1600000200);"
	    "PRAGMA application_id = 1668109140; PRAGMA user_version = 3;", 0);
	st = cm_state_open(path, 0, &err);
	if (!ok(st != NULL, "v3 store: opens"))
		printf("# %s\n", err.msg);
	if (st == NULL)
		return;
	is_int(cm_state_schema_version(st), 4, "v3 store: ... and is now 4");
	ok(cm_state_cursor_get(st, "demo", &b, &err) == 1 &&
	    strcmp(b.data, "c-3") == 0 &&
	    cm_state_seen_has(st, "demo", "id-1", &err) == 1,
	    "v3 store: cursors and seen ids kept");
	ok(cm_state_ledger_get(st, "m:1", 1, &e, &err) == 1 &&
	    e.status == CM_LEDGER_SENT && strcmp(e.key, "k1") == 0 &&
	    strcmp(e.reply_id, "55") == 0 && e.sent_at == 1600000000 &&
	    e.claimed_at == 1600000000 && e.text == NULL,
	    "v3 store: a sent row is kept, sent at its last update");
	ok(cm_state_ledger_get(st, "m:2", 0, &e, &err) == 1 &&
	    e.status == CM_LEDGER_PENDING && !e.alive && e.sent_at == 0,
	    "v3 store: a pending row has no live claimant");
	cm_buf_reset(&b);
	ok(cm_state_ledger_each(st, 0, walk_one, &b, &err) == 7,
	    "v3 store: rows of before have no text");
	ok(cm_state_ledger_claim(st, "m:1", "x", NULL, NULL, NULL, &err) == 0 &&
	    cm_state_ledger_claim(st, "m:3", "x", NULL, NULL, NULL, &err) == 1,
	    "v3 store: sent stays sent, failed is claimed again");
	memset(&e, 0, sizeof(e));
	ok(cm_state_ledger_claim(st, "m:2", "x", NULL, NULL, &e, &err) == 2 &&
	    strcmp(e.key, "k2") == 0 && cm_state_ledger_finish(st, "m:2", "k2",
	    CM_LEDGER_SENT, "56", "u", 0, NULL, &err) == 0,
	    "v3 store: its pending row is taken over (2) and finished");
	cm_ledger_entry_clear(&e);
	cm_buf_free(&b);
	cm_state_close(st);
}

static void test_reopen(void)
{
	struct cm_error err;
	struct cm_buf b = CM_BUF_INIT;
	struct cm_state *st = cm_state_open(in_dir("a/b/state.db"), 0, &err);

	ok(st && cm_state_cursor_get(st, "acme-masto:mentions", &b, &err) == 1 &&
	    strcmp(b.data, "110099") == 0 &&
	    cm_state_seen_has(st, "s1", "b", &err) == 1 &&
	    cm_state_ledger_get(st, "mastodon:1", 0, NULL, &err) == 1,
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
	ok(st && cm_state_schema_version(st) == 4 &&
	    cm_state_cursor_set(st, "s", "c", &err) == 0,
	    "an empty file becomes a database");
	cm_state_close(st);

	/* A valid SQLite file with no tables, as "sqlite3 FILE" leaves. */
	path = in_dir("blank.db");
	raw(path, "PRAGMA journal_mode = DELETE; CREATE TABLE t (x); "
	    "DROP TABLE t", 0);
	st = cm_state_open(path, 0, &err);
	ok(st && cm_state_schema_version(st) == 4 &&
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
	    NULL, NULL, NULL, &err) == -1 && strstr(err.msg, locked),
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
 * claims it won to fd, then lives on until end is closed (EOF): a claim
 * whose claimant has ended would rightly be taken over.  Exits 0.
 */
static void racer(const char *path, int who, int go, int tell, int hear,
    int fd, int end)
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
		if ((r = cm_state_ledger_claim(st, id, key, NULL, NULL, NULL,
		    &err)) < 0)
			break;
		if (r == 2) {
			printf("# racer %d: %s taken over from a live "
			    "process\n", who, id);
			fflush(stdout);
			_exit(5);
		}
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
	(void)read(end, &c, 1);
	_exit(0);
}

static void test_two_processes(void)
{
	struct cm_error err;
	struct cm_state *st;
	const char *path = in_dir("race/state.db");
	int go[2], end[2], fds[2][2], half[2][2], won[2], status[2], i,
	    all = 1;
	pid_t pid[2];
	double t0;
	char like[64];

	won[0] = won[1] = -1;
	if (pipe(go) < 0 || pipe(end) < 0 || pipe(fds[0]) < 0 ||
	    pipe(fds[1]) < 0 ||
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
			close(end[1]);
			close(fds[i][0]);
			close(half[i][0]);
			close(half[!i][1]);
			racer(path, i, go[0], half[i][1], half[!i][0],
			    fds[i][1], end[0]);
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
	close(end[0]);
	for (i = 0; i < 2; i++) {
		if (read(fds[i][0], &won[i], sizeof(won[i])) != sizeof(won[i]))
			won[i] = -1;
		close(fds[i][0]);
	}
	close(end[1]);	/* both done: they may end */
	for (i = 0; i < 2; i++)
		waitpid(pid[i], &status[i], 0);
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
	test_ledger_processes();
	test_ledger_race();
	test_ledger_each();
	test_ledger_migration();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_done();
}
