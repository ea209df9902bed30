/* timeutil.h - RFC 3339 timestamps and relative durations */
#ifndef CM_TIMEUTIL_H
#define CM_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Parses an RFC 3339 date-time ("2026-11-24T10:00:00Z",
 * "2026-11-24T12:00:00.123+02:00") to seconds since the epoch, UTC,
 * fraction dropped.  A bare date ("2026-11-24") means its midnight UTC.
 * Returns 0, or -1 when s[0..n) is not such a timestamp.
 */
int cm_time_parse(const char *s, size_t n, int64_t *out);

/* The same in microseconds, the fraction's first six digits kept (a
 * feed's order: posts a second apart are told apart). */
int cm_time_parse_us(const char *s, size_t n, int64_t *out);

/*
 * The times cm-record(5) can write: 0000-01-01T00:00:00Z up to
 * 9999-12-31T23:59:59Z (four-digit years).  Adapters refuse a time
 * outside, which also keeps its microseconds (a record's order) within
 * int64_t.
 */
#define CM_TIME_MIN (-62167219200LL)
#define CM_TIME_MAX 253402300799LL

/* Writes "YYYY-MM-DDTHH:MM:SSZ" plus NUL (21 bytes) to buf; a time
 * outside CM_TIME_MIN..CM_TIME_MAX is clamped to the nearer end. */
void cm_time_format(int64_t t, char buf[21]);

/*
 * Parses a duration like "90s", "15m", "24h", "7d", "2w" (a plain number
 * is seconds) into seconds.  Returns 0 or -1.
 */
int cm_duration_parse(const char *s, int64_t *out);

/*
 * Parses a point in time for --since/--until: an RFC 3339 timestamp, a
 * date, "@N" (N seconds since the epoch), or a duration with its unit
 * meaning that long before now.  A date gives its midnight UTC in *out
 * and, when day is not NULL, its day number (days since 1970-01-01) in
 * *day, for a caller that reads dates in another zone; *day is
 * INT64_MIN for the other forms.  Returns 0; -1 when s is none of
 * these; -2 for a bare number, which could mean seconds ago or seconds
 * since the epoch and is refused.
 */
int cm_when_parse(const char *s, int64_t now, int64_t *out, int64_t *day);

/* The forms cm_when_parse accepts, and why a bare number is refused, for
 * messages. */
#define CM_WHEN_FORMS "RFC 3339 like 2026-11-24T10:00:00Z, a date like " \
	"2026-11-24, @SECONDS since the epoch, or a duration ago like 24h, 7d"
#define CM_WHEN_BARE "is ambiguous: write @%s for seconds since the " \
	"epoch, or %ss for that many seconds ago"

/* Days since 1970-01-01 for a civil date, and back (proleptic Gregorian). */
int64_t cm_days_from_civil(int64_t y, unsigned m, unsigned d);
void cm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
