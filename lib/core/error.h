/* error.h - the error lib/ returns: a whole message and the exit class it
 * belongs to, for cmd/ to report */
#ifndef CM_ERROR_H
#define CM_ERROR_H

/* Exit statuses, as in every man page's EXIT STATUS. */
enum {
	CM_EXIT_OK = 0,
	CM_EXIT_FAIL = 1,	/* some input, record or transfer failed */
	CM_EXIT_USAGE = 2,	/* usage or configuration error, nothing done */
	CM_EXIT_TEMPFAIL = 75	/* try again later */
};

/* Out of memory is a temporary failure everywhere: try again later. */
#define CM_EXIT_NOMEM CM_EXIT_TEMPFAIL

/*
 * Filled by a failing lib/ call: msg is complete ("FILE:LINE: reason",
 * "PATH: reason"), ready to print after the program name, and never holds
 * a secret; status is the CM_EXIT_* class of the failure.  A caller owns
 * the struct (usually on its stack); nothing in it needs freeing.
 */
struct cm_error {
	int status;
	char msg[512];
};

/* Sets *e (when e is not NULL); the message is cut to fit. */
void cm_error_set(struct cm_error *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "SUBJECT: out of memory" (or just "out of memory" when subject is NULL),
 * status CM_EXIT_NOMEM. */
void cm_error_nomem(struct cm_error *e, const char *subject);

#endif
