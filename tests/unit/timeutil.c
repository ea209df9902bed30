/* timeutil.c - unit tests for RFC 3339 timestamps and durations */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "core/timeutil.h"

/* Parses s; returns the time, or INT64_MIN when it is refused. */
static int64_t parse(const char *s)
{
	int64_t t;

	return cm_time_parse(s, strlen(s), &t) == 0 ? t : INT64_MIN;
}

static const char *fmt(int64_t t)
{
	static char buf[21];

	cm_time_format(t, buf);
	return buf;
}

static void test_civil(void)
{
	int64_t y, z;
	unsigned m, d, bad = 0;

	is_int(cm_days_from_civil(1970, 1, 1), 0, "1970-01-01 is day 0");
	is_int(cm_days_from_civil(1969, 12, 31), -1, "1969-12-31 is day -1");
	is_int(cm_days_from_civil(2000, 3, 1), 11017, "2000-03-01");
	is_int(cm_days_from_civil(2038, 1, 19), 24855, "2038-01-19");
	is_int(cm_days_from_civil(0, 1, 1), -719528, "0000-01-01");
	cm_civil_from_days(-719528, &y, &m, &d);
	ok(y == 0 && m == 1 && d == 1, "day -719528 is 0000-01-01");
	cm_civil_from_days(20416, &y, &m, &d);
	ok(y == 2025 && m == 11 && d == 24, "day 20416 is 2025-11-24");
	/* Every day from 1600 to 2400 goes there and back, one at a time. */
	for (z = cm_days_from_civil(1600, 1, 1);
	    z < cm_days_from_civil(2400, 12, 31); z++) {
		cm_civil_from_days(z, &y, &m, &d);
		if (cm_days_from_civil(y, m, d) != z)
			bad++;
		if (z > cm_days_from_civil(1600, 1, 1)) {
			int64_t y0;
			unsigned m0, d0;

			cm_civil_from_days(z - 1, &y0, &m0, &d0);
			/* consecutive days: next day, or the 1st after a
			 * month's end */
			if (!((y0 == y && m0 == m && d0 + 1 == d) ||
			    (d == 1 && (m0 + 1 == m || (m0 == 12 && m == 1 &&
			    y0 + 1 == y)))))
				bad++;
		}
	}
	is_int(bad, 0, "days from 1600 to 2400 round-trip and follow on");
}

static void test_parse(void)
{
	is_int(parse("1970-01-01T00:00:00Z"), 0, "the epoch");
	is_int(parse("1970-01-01"), 0, "a bare date is its midnight UTC");
	is_int(parse("2026-11-24T10:00:00Z"), 1795514400, "a time in 2026");
	is_int(parse("2026-11-24T12:00:00.123+02:00"), 1795514400,
	    "a fraction and +02:00");
	is_int(parse("2026-11-24T04:30:00-05:30"), 1795514400, "-05:30");
	is_int(parse("2026-11-24t10:00:00z"), 1795514400,
	    "lower-case t and z");
	is_int(parse("2026-11-24 10:00:00Z"), 1795514400,
	    "a space for the T");
	is_int(parse("2026-11-24T10:00:00.999999999Z"), 1795514400,
	    "nine fraction digits, dropped");
	is_int(parse("2026-11-24T10:00:00-00:00"), 1795514400, "-00:00");
	is_int(parse("1969-12-31T23:59:59Z"), -1, "the second before 1970");
	is_int(parse("2038-01-19T03:14:08Z"), 2147483648LL,
	    "past 2038: 2^31 seconds");
	is_int(parse("2106-02-07T06:28:16Z"), 4294967296LL,
	    "past 2106: 2^32 seconds");
	is_int(parse("9999-12-31T23:59:59Z"), 253402300799LL,
	    "the last second of 9999");
	is_int(parse("0000-01-01T00:00:00Z"), -62167219200LL, "year 0");
	is_int(parse("2024-02-29"), 1709164800, "Feb 29 in a leap year");
	is_int(parse("2000-02-29"), 951782400, "Feb 29 in 2000 (400 rule)");
	is_int(parse("2026-11-24T23:59:60Z"), parse("2026-11-25"),
	    "a leap second counts as the next minute");
	is_int(parse("2026-01-01T00:30:00+01:00"), parse("2025-12-31T23:30:00Z"),
	    "an offset crosses the year");

	is_int(parse("2025-02-29"), INT64_MIN, "Feb 29 in 2025 refused");
	is_int(parse("1900-02-29"), INT64_MIN, "Feb 29 in 1900 refused");
	is_int(parse("2026-13-01"), INT64_MIN, "month 13 refused");
	is_int(parse("2026-00-10"), INT64_MIN, "month 0 refused");
	is_int(parse("2026-04-31"), INT64_MIN, "April 31 refused");
	is_int(parse("2026-01-00"), INT64_MIN, "day 0 refused");
	is_int(parse("2026-01-32"), INT64_MIN, "day 32 refused");
	is_int(parse("2026-11-24T24:00:00Z"), INT64_MIN, "hour 24 refused");
	is_int(parse("2026-11-24T10:60:00Z"), INT64_MIN, "minute 60 refused");
	is_int(parse("2026-11-24T10:00:61Z"), INT64_MIN, "second 61 refused");
	is_int(parse("2026-11-24T10:00:00"), INT64_MIN, "no offset refused");
	is_int(parse("2026-11-24T10:00Z"), INT64_MIN, "no seconds refused");
	is_int(parse("2026-11-24T10:00:00.Z"), INT64_MIN,
	    "an empty fraction refused");
	is_int(parse("2026-11-24T10:00:00+0200"), INT64_MIN,
	    "an offset without colon refused");
	is_int(parse("2026-11-24T10:00:00+24:00"), INT64_MIN,
	    "offset hour 24 refused");
	is_int(parse("2026-11-24T10:00:00ZZ"), INT64_MIN,
	    "trailing bytes refused");
	is_int(parse("2026-11-24T"), INT64_MIN, "a T and nothing refused");
	is_int(parse("26-11-24"), INT64_MIN, "a two-digit year refused");
	is_int(parse("2026-1-24"), INT64_MIN, "a one-digit month refused");
	is_int(parse("2026/11/24"), INT64_MIN, "slashes refused");
	is_int(parse(" 2026-11-24"), INT64_MIN, "a leading space refused");
	is_int(parse(""), INT64_MIN, "the empty string refused");
	is_int(parse("yesterday"), INT64_MIN, "a word refused");
	{
		int64_t t = 7;

		ok(cm_time_parse("2026-11-24T10:00:00Zjunk", 20, &t) == 0 &&
		    t == 1795514400, "only n bytes are read");
		ok(cm_time_parse("2026-11-24T10:00:00Z", 19, &t) < 0,
		    "a short n cuts the offset off: refused");
	}
}

static void test_format(void)
{
	int64_t t;
	int bad = 0;

	is_str(fmt(0), "1970-01-01T00:00:00Z", "format the epoch");
	is_str(fmt(-1), "1969-12-31T23:59:59Z", "format one second before");
	is_str(fmt(1795514400), "2026-11-24T10:00:00Z", "format 2026");
	is_str(fmt(2147483648LL), "2038-01-19T03:14:08Z", "format 2^31");
	is_str(fmt(951782400 + 86399), "2000-02-29T23:59:59Z",
	    "format Feb 29 2000");
	is_str(fmt(INT64_MAX), "9999-12-31T23:59:59Z",
	    "far future clamped to 9999");
	is_str(fmt(INT64_MIN), "0000-01-01T00:00:00Z",
	    "far past clamped to year 0");
	/* format then parse is the identity, every 9973 s over 200 years */
	for (t = -1000000000LL; t < 5400000000LL; t += 9973) {
		char buf[21];
		int64_t back;

		cm_time_format(t, buf);
		if (cm_time_parse(buf, 20, &back) < 0 || back != t)
			bad++;
	}
	is_int(bad, 0, "format and parse round-trip from 1938 to 2141");
}

static int64_t dur(const char *s)
{
	int64_t d;

	return cm_duration_parse(s, &d) == 0 ? d : -1;
}

static void test_duration(void)
{
	int64_t t, day;

	is_int(dur("90s"), 90, "90s");
	is_int(dur("15m"), 900, "15m");
	is_int(dur("24h"), 86400, "24h");
	is_int(dur("7d"), 604800, "7d");
	is_int(dur("2w"), 1209600, "2w");
	is_int(dur("45"), 45, "a plain number is seconds");
	is_int(dur("0"), 0, "zero");
	is_int(dur("0d"), 0, "zero days");
	is_int(dur(""), -1, "empty refused");
	is_int(dur("h"), -1, "a unit alone refused");
	is_int(dur("-5m"), -1, "negative refused");
	is_int(dur("+5m"), -1, "a plus sign refused");
	is_int(dur("1.5h"), -1, "a fraction refused");
	is_int(dur("5x"), -1, "an unknown unit refused");
	is_int(dur("5M"), -1, "an upper-case unit refused");
	is_int(dur("5mm"), -1, "two units refused");
	is_int(dur("5 m"), -1, "a space refused");
	is_int(dur(" 5m"), -1, "a leading space refused");
	is_int(dur("1h30m"), -1, "a compound refused");
	is_int(dur("99999999999999999999"), -1, "overflow refused");
	is_int(dur("9223372036854775807"), INT64_MAX, "the largest seconds");
	is_int(dur("9223372036854775807w"), -1, "overflow in the unit refused");
	is_int(dur("15250284452471w"), 15250284452471LL * 604800,
	    "the largest weeks");

	ok(cm_when_parse("2026-11-24T10:00:00Z", 5, &t, &day) == 0 &&
	    t == 1795514400 && day == INT64_MIN, "when: a timestamp");
	ok(cm_when_parse("2026-11-24", 5, &t, &day) == 0 && t == 1795478400 &&
	    day == 1795478400 / 86400, "when: a date, and its day number");
	ok(cm_when_parse("1969-12-31", 5, &t, &day) == 0 && t == -86400 &&
	    day == -1, "when: a date before the epoch");
	ok(cm_when_parse("24h", 1795514400, &t, &day) == 0 &&
	    t == 1795428000 && day == INT64_MIN, "when: 24h before now");
	ok(cm_when_parse("2w", 1795514400, &t, NULL) == 0 &&
	    t == 1795514400 - 1209600, "when: 2w before now");
	ok(cm_when_parse("@1732442400", 5, &t, &day) == 0 &&
	    t == 1732442400 && day == INT64_MIN, "when: @N is epoch seconds");
	ok(cm_when_parse("@", 5, &t, NULL) == -1 &&
	    cm_when_parse("@12x", 5, &t, NULL) == -1 &&
	    cm_when_parse("@-5", 5, &t, NULL) == -1 &&
	    cm_when_parse("@99999999999999999999", 5, &t, NULL) == -1,
	    "when: a bad @N refused");
	is_int(cm_when_parse("1732442400", 5, &t, NULL), -2,
	    "when: a bare number is ambiguous");
	is_int(cm_when_parse("90", 5, &t, NULL), -2,
	    "when: even a small one");
	ok(cm_when_parse("90s", 100, &t, NULL) == 0 && t == 10,
	    "when: 90s is a duration");
	ok(cm_when_parse("yesterday", 0, &t, NULL) == -1,
	    "when: a word refused");
	ok(cm_when_parse("2026-02-30", 0, &t, NULL) == -1,
	    "when: a bad date refused");
	ok(cm_when_parse("", 0, &t, NULL) == -1, "when: empty refused");
	ok(cm_when_parse("9223372036854775807s", -10, &t, NULL) < 0,
	    "when: no overflow before a negative now");
}

static int64_t parse_us(const char *s)
{
	int64_t us;

	return cm_time_parse_us(s, strlen(s), &us) == 0 ? us : INT64_MIN;
}

static void test_parse_us(void)
{
	is_int(parse_us("2026-11-24T10:00:00Z"), 1795514400LL * 1000000,
	    "microseconds: a time with no fraction");
	is_int(parse_us("2026-11-24T10:00:00.5Z"), 1795514400LL * 1000000 +
	    500000, "microseconds: one digit is tenths");
	is_int(parse_us("2026-11-24T12:00:00.123456789+02:00"),
	    1795514400LL * 1000000 + 123456, "microseconds: six digits kept, "
	    "the rest dropped, the offset applied");
	is_int(parse_us("1969-12-31T23:59:59.25Z"), -750000,
	    "microseconds: before the epoch");
	is_int(parse_us("9999-12-31T23:59:59.999999Z"), 253402300799LL *
	    1000000 + 999999, "microseconds: the last time there is");
	is_int(parse_us("2026-11-24T10:00:00.Z"), INT64_MIN,
	    "microseconds: a dot with no digit is refused");
	is_int(parse_us("2026-11-24 10:00:00.1 "), INT64_MIN,
	    "microseconds: what cm_time_parse refuses");
}

int main(void)
{
	test_parse_us();
	test_civil();
	test_parse();
	test_format();
	test_duration();
	return tap_done();
}
