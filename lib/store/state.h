/* state.h - the state store (SQLite): cursors, seen ids, the reply ledger */
#ifndef CM_STATE_H
#define CM_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * One open database.  WAL journal, busy timeout, a schema version with
 * migrations applied at open; every change runs in its own transaction
 * (BEGIN IMMEDIATE), so two cron runs at once neither crash nor double
 * anything.  A database that is locked past the timeout, corrupt, or of a
 * newer schema is reported and never deleted or overwritten.
 */
struct cm_state;

/* $CM_STATE, else $XDG_STATE_HOME/cm/state.db, else
 * $HOME/.local/state/cm/state.db.  Returns 0 or -1. */
int cm_state_default_path(struct cm_buf *buf);

/* Opens (creating the file and its directory if needed) and migrates.
 * busy_ms 0 means 5000.  Returns NULL with *err filled. */
struct cm_state *cm_state_open(const char *path, int busy_ms,
    struct cm_error *err);
void cm_state_close(struct cm_state *st);

/* How long a write waits for another process's lock from now on, in ms
 * (at least 1). */
void cm_state_busy_timeout(struct cm_state *st, int busy_ms);

int cm_state_schema_version(struct cm_state *st);

/* Cursor of a source ("acme-masto:mentions"): copied to out.  Returns 1
 * found, 0 none, -1 error. */
int cm_state_cursor_get(struct cm_state *st, const char *source,
    struct cm_buf *out, struct cm_error *err);
/* Returns 0 or -1. */
int cm_state_cursor_set(struct cm_state *st, const char *source,
    const char *cursor, struct cm_error *err);

/* Marks ids as seen for a source in one transaction; for each, was_new[i]
 * (when not NULL) says whether it was unseen before.  Returns 0 or -1
 * (then nothing was written). */
int cm_state_seen_add(struct cm_state *st, const char *source,
    const char *const *ids, size_t n, int *was_new,
    struct cm_error *err);
/* 1 seen, 0 not, -1 error. */
int cm_state_seen_has(struct cm_state *st, const char *source, const char *id,
    struct cm_error *err);

/*
 * Leases: one process at a time works on a named thing (a source being
 * fetched), so two overlapping cron runs never both write it.  Taking a
 * lease is also the proof that the store can be written before any work
 * is done.  cm_state_lease_take takes or renews the lease of name for
 * this process, for ttl seconds (0: an hour).  A lease whose holder has
 * ended (on this host: its process is gone; elsewhere: it expired) is
 * taken over, so a run killed with -9 does not block the next one.
 * Returns 1 taken, 0 held by another live process (*other filled when
 * not NULL), -1 on error.
 */
struct cm_state_lease {
	char host[256];
	long pid;
	int64_t expires_at;
};

int cm_state_lease_take(struct cm_state *st, const char *name, int ttl,
    struct cm_state_lease *other, struct cm_error *err);
/* Gives back this process's lease of name (none held is not an error).
 * Returns 0 or -1. */
int cm_state_lease_drop(struct cm_state *st, const char *name,
    struct cm_error *err);

/*
 * A page of records in flight (cm-fetch's driver): cm_state_page_begin
 * journals, before the page is written, the state the source has once
 * it is out (an opaque string: the driver's), the ids it carries ("\n"
 * between them) and where it goes (the output file's device and inode, or
 * -1 for a pipe, its size before and the page's length and hash).
 * cm_state_page_commit then applies it in one transaction: the cursor is
 * the state, the ids are seen, the journal row is gone.  A row left by a
 * killed run is read by cm_state_page_pending (1 found, with *pg filled:
 * its state string in *state, ids not returned; 0 none; -1 error) and
 * then committed or discarded.  Each returns 0 or -1 but where said.
 */
struct cm_state_page {
	const char *state;
	const char *ids;
	int64_t out_dev, out_ino, out_off, out_len;
	uint64_t out_hash;
};

int cm_state_page_begin(struct cm_state *st, const char *source,
    const struct cm_state_page *pg, struct cm_error *err);
int cm_state_page_commit(struct cm_state *st, const char *source,
    struct cm_error *err);
int cm_state_page_pending(struct cm_state *st, const char *source,
    struct cm_state_page *pg, struct cm_buf *state, struct cm_error *err);
int cm_state_page_discard(struct cm_state *st, const char *source,
    struct cm_error *err);
/* The sources whose journal row says their page went to the file dev,
 * ino, one a line in *sources (emptied first).  Returns 0 or -1. */
int cm_state_page_sources(struct cm_state *st, int64_t dev, int64_t ino,
    struct cm_buf *sources, struct cm_error *err);

/* Forgets the ids of source first seen before the epoch second before. */
int cm_state_seen_prune(struct cm_state *st, const char *source,
    int64_t before, struct cm_error *err);

/*
 * A platform session of an account (tokens), as the adapter writes it:
 * the store is readable by its owner only.  get: 1 found (copied to out),
 * 0 none, -1 error; set: data NULL forgets it; 0 or -1.
 */
int cm_state_session_get(struct cm_state *st, const char *account,
    struct cm_buf *out, struct cm_error *err);
int cm_state_session_set(struct cm_state *st, const char *account,
    const char *data, struct cm_error *err);

/*
 * The reply ledger: one row per target record id, the lock that makes a
 * reply go out once.  A sender claims the target (a PENDING row with its
 * key, its account and text, and who it is: host, pid, process start)
 * before it sends, and finishes its own claim after: only a PENDING row
 * with the caller's key, claimed by this process, can be finished, so a
 * SENT row never turns FAILED and no one finishes another's claim.  A
 * claimant on this host is at work while its process lives (the pid and
 * its start time); one on another host is taken for at work until an
 * hour after its claim.  Strings that would not fit their field below
 * (text: 64 KiB) are refused, never cut.
 */
enum cm_ledger_status {
	CM_LEDGER_NONE = 0,	/* no row */
	CM_LEDGER_PENDING,	/* written before a send: outcome unknown */
	CM_LEDGER_SENT,
	CM_LEDGER_FAILED	/* the platform refused it: nothing posted */
};

struct cm_ledger_entry {
	enum cm_ledger_status status;
	char target[1024];
	char key[128];		/* idempotency key used for the send */
	char account[256];
	char reply_id[1024];
	char reply_url[1024];
	char message[512];	/* FAILED: the platform's reason */
	char host[256];		/* the claimant */
	long pid;
	int alive;		/* PENDING: its claimant may still be at work */
	int64_t claimed_at, updated_at;
	int64_t sent_at;	/* SENT: when (epoch seconds), else 0 */
	/* the reply's text: malloc'd, freed by cm_ledger_entry_clear;
	 * NULL when not asked for */
	char *text;
};

/* Frees e's text and zeroes *e.  Calls that fill an entry overwrite it
 * whole: clear one that holds a text before it is filled again. */
void cm_ledger_entry_clear(struct cm_ledger_entry *e);

/*
 * Claims target for this process before a send, in one write
 * transaction: returns 1 when it inserted a PENDING row (or took over a
 * FAILED one: nothing was posted then), 2 when it took over a PENDING
 * row whose claimant has ended (a run killed mid-send: its send's outcome
 * is unknown; *prev is that row, its key is the one to send with), 0 when
 * a row is there that the caller must leave (SENT, or PENDING by a live
 * process: *prev filled), -1 on error.  text may be NULL.  prev may be
 * NULL; else it is filled with the row found, text included (status NONE
 * when there was none), and the caller clears it.  A row taken over from
 * a dead claimant keeps its key, account and text: the caller sends, and
 * finishes, with prev->key.  This process's own PENDING row is left (0).
 */
int cm_state_ledger_claim(struct cm_state *st, const char *target,
    const char *key, const char *account, const char *text,
    struct cm_ledger_entry *prev, struct cm_error *err);

/*
 * Records the outcome of this process's claim: status SENT (reply_id,
 * reply_url, sent_at: 0 is now) or FAILED (message); the other status's
 * fields are not stored.  Returns 0, or -1 when the row is not a PENDING
 * one of key claimed by this process (or on error).
 */
int cm_state_ledger_finish(struct cm_state *st, const char *target,
    const char *key, enum cm_ledger_status status, const char *reply_id,
    const char *reply_url, int64_t sent_at, const char *message,
    struct cm_error *err);

/* 1 found (filled, text too when with_text), 0 none, -1 error.  e may be
 * NULL to ask only whether there is a row. */
int cm_state_ledger_get(struct cm_state *st, const char *target,
    int with_text, struct cm_ledger_entry *e, struct cm_error *err);

/*
 * Calls fn for each row, oldest claim first (only PENDING ones when
 * pending_only: recovery), with text filled (freed after fn returns); fn
 * returns 0 to go on, else the walk stops and returns that.  fn may write
 * the store: each row is read afresh before fn sees it.  Returns 0, fn's
 * value, or -1.
 */
int cm_state_ledger_each(struct cm_state *st, int pending_only,
    int (*fn)(const struct cm_ledger_entry *e, void *arg), void *arg,
    struct cm_error *err);

#endif
