/* tap.h - minimal TAP producer for the C unit tests (header-only) */
#ifndef CM_TAP_H
#define CM_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 2, 0)))
tap_vok(int cond, const char *fmt, va_list ap)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	putchar('\n');
}

static inline int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/* Compares two byte strings and shows both on failure. */
#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int c_ = g_ && w_ && strcmp(g_, w_) == 0; \
	if (!ok(c_, __VA_ARGS__)) \
		printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (!ok(g_ == w_, __VA_ARGS__)) \
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

/*
 * Whether fn, run in a child process, returns, writes nothing and leaves
 * errno as it was: what "does nothing" can be seen to mean.  A crash
 * there fails this one test rather than ending the others.
 */
static inline int does_nothing(void (*fn)(void))
{
	int fds[2], st, quiet;
	char c;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return 0;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		errno = 4242;
		fn();
		st = errno == 4242 ? 0 : 1;
		fflush(NULL);
		_exit(st);
	}
	close(fds[1]);
	quiet = read(fds[0], &c, 1) == 0;
	close(fds[0]);
	return waitpid(pid, &st, 0) == pid && quiet && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
