/* lease - tests for the state store's leases and its move from schema 1
 * to 2: a lease is one process's at a time, a dead holder's is taken over,
 * and a store of version 1 keeps its cursors when it gains the table */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/state.h"
#include "tap.h"

static char dir[] = "/tmp/cm-lease-test.XXXXXX";
static char path[600];

static void sql(const char *p, const char *text)
{
	sqlite3 *db;
	char *msg = NULL;

	if (sqlite3_open(p, &db) != SQLITE_OK ||
	    sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		printf("# sqlite: %s\n", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_close(db);
}

static void test_migration(void)
{
	char v1[600];
	struct cm_error err;
	struct cm_buf cur = CM_BUF_INIT;
	struct cm_state *st;

	snprintf(v1, sizeof(v1), "%s/v1.db", dir);
	/* A store as cm wrote it before leases: schema version 1. */
	sql(v1, "PRAGMA journal_mode = WAL;"
	    "CREATE TABLE cursors (source TEXT PRIMARY KEY, cursor TEXT NOT "
	    "NULL, updated_at INTEGER NOT NULL);"
	    "CREATE TABLE seen (source TEXT NOT NULL, id TEXT NOT NULL, "
	    "first_seen INTEGER NOT NULL, PRIMARY KEY (source, id)) WITHOUT "
	    "ROWID;"
	    "CREATE TABLE ledger (target TEXT PRIMARY KEY, status TEXT NOT "
	    "NULL CHECK (status IN ('pending', 'sent', 'failed')), key TEXT "
	    "NOT NULL, reply_id TEXT, reply_url TEXT, updated_at INTEGER NOT "
	    "NULL);"
	    "INSERT INTO cursors VALUES ('demo', '2026-11-24T12:00:00Z', 1);"
	    "PRAGMA application_id = 1668109140; PRAGMA user_version = 1;");
	st = cm_state_open(v1, 0, &err);
	ok(st != NULL, "a version 1 store opens");
	is_int(st ? cm_state_schema_version(st) : -1, 4, "... and is now 4");
	ok(st && cm_state_cursor_get(st, "demo", &cur, &err) == 1 &&
	    strcmp(cur.data, "2026-11-24T12:00:00Z") == 0,
	    "... with its cursor kept");
	ok(st && cm_state_lease_take(st, "x", 0, NULL, &err) == 1,
	    "... and leases work in it");
	cm_buf_free(&cur);
	cm_state_close(st);
}

/* A child that takes the lease, says so on a pipe, and holds it until
 * the other pipe closes, so the order is certain. */
static pid_t holder(int *ready_fd, int *release_fd)
{
	int ready[2], release[2];
	pid_t pid;

	if (pipe(ready) < 0 || pipe(release) < 0)
		exit(1);
	if ((pid = fork()) == 0) {
		struct cm_error err;
		struct cm_state *st = cm_state_open(path, 0, &err);
		char c = st && cm_state_lease_take(st, "src", 0, NULL,
		    &err) == 1 ? 'y' : 'n';

		close(ready[0]);
		close(release[1]);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		(void)read(release[0], &c, 1);
		_exit(0);	/* the lease stays: its holder is gone */
	}
	close(ready[1]);
	close(release[0]);
	*ready_fd = ready[0];
	*release_fd = release[1];
	return pid;
}

static void test_leases(void)
{
	struct cm_state_lease other;
	struct cm_error err;
	struct cm_state *st;
	int ready, release, status;
	char c = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/st.db", dir);
	st = cm_state_open(path, 0, &err);
	ok(st != NULL, "a new store opens");
	if (st == NULL)
		return;
	is_int(cm_state_lease_take(st, "src", 0, NULL, &err), 1,
	    "a free lease is taken");
	is_int(cm_state_lease_take(st, "src", 0, NULL, &err), 1,
	    "taking it again renews it");
	is_int(cm_state_lease_drop(st, "src", &err), 0, "it is given back");
	is_int(cm_state_lease_drop(st, "src", &err), 0,
	    "giving back none is no error");

	pid = holder(&ready, &release);
	ok(read(ready, &c, 1) == 1 && c == 'y', "another process takes it");
	memset(&other, 0, sizeof(other));
	is_int(cm_state_lease_take(st, "src", 0, &other, &err), 0,
	    "while it lives, the lease is not ours");
	is_int(other.pid, pid, "... and its holder is named");
	is_int(cm_state_lease_drop(st, "src", &err), 0,
	    "dropping it does nothing: it is not ours");
	is_int(cm_state_lease_take(st, "src", 0, NULL, &err), 0,
	    "... still held");
	close(release);
	waitpid(pid, &status, 0);
	close(ready);
	is_int(cm_state_lease_take(st, "src", 0, NULL, &err), 1,
	    "its holder gone, the lease is taken over");
	cm_state_lease_drop(st, "src", &err);

	/* A pid reused by another process: the start time tells. */
	sql(path, "INSERT OR REPLACE INTO leases VALUES ('reused', "
	    "'@HOST@', 1, '999999999', 4102444800)");
	{
		char host[256] = "", q[600];

		gethostname(host, sizeof(host) - 1);
		snprintf(q, sizeof(q), "UPDATE leases SET host = '%s' WHERE "
		    "name = 'reused'", host);
		sql(path, q);
	}
	is_int(cm_state_lease_take(st, "reused", 0, NULL, &err), 1,
	    "a live pid with another start time is not the holder");

	/* Another host: only the expiry can tell. */
	sql(path, "INSERT OR REPLACE INTO leases VALUES ('far', "
	    "'elsewhere.invalid', 1, '1', 4102444800)");
	is_int(cm_state_lease_take(st, "far", 0, NULL, &err), 0,
	    "another host's lease is held until it expires");
	sql(path, "UPDATE leases SET expires_at = 1 WHERE name = 'far'");
	is_int(cm_state_lease_take(st, "far", 0, NULL, &err), 1,
	    "... and taken over after");
	cm_state_close(st);
}

static void test_journal(void)
{
	struct cm_state_page pg = { "state-2", "a\nb\nc", 7, 8, 100, 50,
	    0x1234abcdULL }, got;
	struct cm_buf state = CM_BUF_INIT, cur = CM_BUF_INIT;
	struct cm_error err;
	struct cm_state *st = cm_state_open(path, 0, &err);

	ok(st != NULL, "journal: the store opens");
	if (st == NULL)
		return;
	is_int(cm_state_page_pending(st, "j", &got, &state, &err), 0,
	    "journal: nothing in flight");
	is_int(cm_state_page_begin(st, "j", &pg, &err), 0,
	    "journal: a page is begun");
	ok(cm_state_page_pending(st, "j", &got, &state, &err) == 1 &&
	    strcmp(got.state, "state-2") == 0 && got.out_dev == 7 &&
	    got.out_ino == 8 && got.out_off == 100 && got.out_len == 50 &&
	    got.out_hash == 0x1234abcdULL, "journal: it is read back whole");
	is_int(cm_state_cursor_get(st, "j", &cur, &err), 0,
	    "journal: the cursor has not moved yet");
	is_int(cm_state_page_commit(st, "j", &err), 0,
	    "journal: the page is committed");
	ok(cm_state_cursor_get(st, "j", &cur, &err) == 1 &&
	    strcmp(cur.data, "state-2") == 0, "journal: the cursor moved");
	ok(cm_state_seen_has(st, "j", "a", &err) == 1 &&
	    cm_state_seen_has(st, "j", "c", &err) == 1 &&
	    cm_state_seen_has(st, "j", "d", &err) == 0,
	    "journal: its ids are seen");
	is_int(cm_state_page_pending(st, "j", &got, &state, &err), 0,
	    "journal: nothing in flight after");
	ok(cm_state_page_commit(st, "j", &err) < 0,
	    "journal: committing nothing is an error");
	pg.state = "state-3";
	pg.ids = "";
	ok(cm_state_page_begin(st, "j", &pg, &err) == 0 &&
	    cm_state_page_discard(st, "j", &err) == 0 &&
	    cm_state_page_pending(st, "j", &got, &state, &err) == 0 &&
	    cm_state_cursor_get(st, "j", &cur, &err) == 1 &&
	    strcmp(cur.data, "state-2") == 0,
	    "journal: a discarded page changes nothing");
	ok(cm_state_seen_prune(st, "j", 1, &err) == 0 &&
	    cm_state_seen_has(st, "j", "a", &err) == 1,
	    "seen: pruning before an old time keeps newer ids");
	ok(cm_state_seen_prune(st, "j", INT64_MAX, &err) == 0 &&
	    cm_state_seen_has(st, "j", "a", &err) == 0,
	    "seen: pruning before now forgets them");

	ok(cm_state_session_get(st, "acct", &cur, &err) == 0,
	    "session: none at first");
	ok(cm_state_session_set(st, "acct", "{\"t\":1}", &err) == 0 &&
	    cm_state_session_get(st, "acct", &cur, &err) == 1 &&
	    strcmp(cur.data, "{\"t\":1}") == 0, "session: kept");
	ok(cm_state_session_set(st, "acct", NULL, &err) == 0 &&
	    cm_state_session_get(st, "acct", &cur, &err) == 0,
	    "session: forgotten");
	cm_buf_free(&state);
	cm_buf_free(&cur);
	cm_state_close(st);
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	test_migration();
	test_leases();
	test_journal();
	if (system("rm -rf /tmp/cm-lease-test.*") != 0)
		printf("# could not clean up %s\n", dir);
	return tap_done();
}
