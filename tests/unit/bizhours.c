/* bizhours - tests for lib/report/bizhours.c: zones, offsets across transitions,
 * option parsing and business-time arithmetic against a brute force */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/bizhours.h"
#include "tap.h"
#include "core/timeutil.h"

static int64_t at(const char *s)
{
	int64_t t = 0;

	if (cm_time_parse(s, strlen(s), &t) < 0)
		abort();
	return t;
}

static void test_parse(void)
{
	unsigned m = 0;
	int o = 0, c = 0;
	char buf[32];

	ok(cm_bizhours_parse_hours("09:00-17:00", &o, &c) == 0 && o == 540 &&
	    c == 1020, "09:00-17:00");
	ok(cm_bizhours_parse_hours("9:30-24:00", &o, &c) == 0 && o == 570 &&
	    c == 1440, "9:30-24:00");
	ok(cm_bizhours_parse_hours("17:00-09:00", &o, &c) < 0,
	    "the end must be after the start");
	ok(cm_bizhours_parse_hours("25:00-26:00", &o, &c) < 0, "25:00 is no time");
	ok(cm_bizhours_parse_hours("09:00-17:60", &o, &c) < 0, "17:60 is no time");
	ok(cm_bizhours_parse_hours("0900-1700", &o, &c) < 0, "0900-1700 is refused");
	ok(cm_bizhours_parse_hours("09:00-", &o, &c) < 0, "09:00- is refused");
	ok(cm_bizhours_parse_hours("09:00-17:00x", &o, &c) < 0,
	    "trailing junk is refused");

	ok(cm_bizhours_parse_days("Mon-Fri", &m) == 0 && m == 0x3e, "Mon-Fri");
	ok(cm_bizhours_parse_days("sun-thu", &m) == 0 && m == 0x1f,
	    "sun-thu (any case)");
	ok(cm_bizhours_parse_days("Fri-Mon", &m) == 0 && m == 0x63,
	    "Fri-Mon wraps over the weekend");
	ok(cm_bizhours_parse_days("Mon,Wed,Fri", &m) == 0 && m == 0x2a,
	    "Mon,Wed,Fri");
	ok(cm_bizhours_parse_days("Mon-Wed,Sat", &m) == 0 && m == 0x4e,
	    "Mon-Wed,Sat");
	ok(cm_bizhours_parse_days("Funday", &m) < 0, "Funday is refused");
	ok(cm_bizhours_parse_days("Mon-", &m) < 0, "Mon- is refused");
	ok(cm_bizhours_parse_days("", &m) < 0, "nothing is refused");
	ok(cm_bizhours_parse_days("Mon,,Tue", &m) < 0, "Mon,,Tue is refused");
	ok(cm_bizhours_parse_days("Monday", &m) < 0, "full names are refused");

	cm_bizhours_format_days(0x3e, buf);
	is_str(buf, "Mon-Fri", "Mon-Fri formats back");
	cm_bizhours_format_days(0x2a, buf);
	is_str(buf, "Mon,Wed,Fri", "Mon,Wed,Fri formats back");
	cm_bizhours_format_days(0x7f, buf);
	is_str(buf, "Mon-Sun", "every day");
	cm_bizhours_format_days(0x1f, buf);
	is_str(buf, "Mon-Thu,Sun", "Sun-Thu, Monday first");
}

static void test_zones(void)
{
	struct cm_zone *z;
	int64_t t, t0;
	time_t tt;
	struct tm tm;
	size_t i, bad;
	static const char *const names[] = { "Europe/Berlin",
	    "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns" };
	uint64_t r = 12345;

	errno = 0;
	ok(cm_zone_open("Mars/Olympus_Mons") == NULL && errno == ENOENT,
	    "an unknown zone is refused (ENOENT)");
	errno = 0;
	ok(cm_zone_open("../../etc/passwd") == NULL && errno == EINVAL,
	    "a path is no zone name (EINVAL)");
	z = cm_zone_open("UTC");
	ok(z && cm_zone_offset(z, at("2026-07-01T12:00:00Z")) == 0, "UTC");
	ok(cm_zone_day(z, at("2026-11-20T23:59:59Z")) ==
	    cm_days_from_civil(2026, 11, 20), "UTC day of an instant");
	cm_zone_free(z);
	is_int(cm_weekday(0), 4, "1970-01-01 was a Thursday");
	is_int(cm_weekday(cm_days_from_civil(2026, 11, 20)), 5,
	    "2026-11-20 is a Friday");

	if ((z = cm_zone_open("Europe/Berlin")) == NULL) {
		ok(0, "Europe/Berlin opens (is tzdata installed?)");
		return;
	}
	t = at("2026-03-29T01:00:00Z");
	is_int(cm_zone_offset(z, t - 1), 3600, "Berlin: CET just before the "
	    "spring change");
	is_int(cm_zone_offset(z, t), 7200, "Berlin: CEST from 01:00Z");
	is_int(cm_zone_offset(z, t - 1), 3600, "and the cache keeps them apart");
	is_int(cm_zone_from_local(z, cm_days_from_civil(2026, 7, 1) * 86400 +
	    9 * 3600), at("2026-07-01T07:00:00Z"), "09:00 local in July is "
	    "07:00Z");
	ok(cm_zone_day(z, at("2026-11-20T23:30:00Z")) ==
	    cm_days_from_civil(2026, 11, 21), "23:30Z is already the next day "
	    "in Berlin");
	cm_zone_free(z);

	/* The cached offsets agree with the C library everywhere. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((z = cm_zone_open(names[i])) == NULL) {
			ok(0, "%s opens", names[i]);
			continue;
		}
		t0 = at("2020-01-01T00:00:00Z");
		for (bad = 0, t = 0; t < 200000; t++) {
			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			/* random instants, many close to each other */
			tt = (time_t)(t0 + (int64_t)(r % (10 * 366 * 86400ULL)));
			if (t % 2)
				tt = (time_t)(tt - (tt % 900) + (int64_t)(r % 3));
			localtime_r(&tt, &tm);
			bad += cm_zone_offset(z, (int64_t)tt) != tm.tm_gmtoff;
		}
		is_int(bad, 0, "%s: offsets equal localtime_r's at 200000 "
		    "instants", names[i]);
		cm_zone_free(z);
	}
}

/* Business seconds by brute force, minute by minute (a and b on whole
 * minutes). */
static int64_t brute(struct cm_zone *z, int open, int close, unsigned days,
    int64_t a, int64_t b)
{
	int64_t t, local, n = 0;
	int64_t min;

	for (t = a; t < b; t += 60) {
		local = t + cm_zone_offset(z, t);
		min = ((local % 86400) + 86400) % 86400 / 60;
		if ((days & (1u << cm_weekday((local - (((local % 86400) +
		    86400) % 86400)) / 86400))) && min >= open && min < close)
			n += 60;
	}
	return n;
}

static void test_between(void)
{
	struct cm_bizhours bh;
	struct cm_zone *z;
	int64_t a, b, x, y;
	uint64_t r = 777;
	int i, bad;

	z = cm_zone_open("UTC");
	cm_bizhours_init(&bh, z, 540, 1020, 0x3e);
	is_int(cm_bizhours_between(&bh, at("2026-11-20T10:00:00Z"),
	    at("2026-11-20T12:00:00Z")), 7200, "two hours inside one day");
	is_int(cm_bizhours_between(&bh, at("2026-11-20T16:00:00Z"),
	    at("2026-11-23T10:00:00Z")), 7200, "Friday 16:00 to Monday 10:00 "
	    "is two business hours");
	is_int(cm_bizhours_between(&bh, at("2026-11-20T18:00:00Z"),
	    at("2026-11-23T08:00:00Z")), 0, "a weekend night is none");
	is_int(cm_bizhours_between(&bh, at("2026-11-16T00:00:00Z"),
	    at("2026-11-23T00:00:00Z")), 5 * 8 * 3600, "a week is 40 hours");
	is_int(cm_bizhours_between(&bh, at("2026-11-16T00:00:00Z"),
	    at("2027-01-25T00:00:00Z")), 10 * 5 * 8 * 3600,
	    "ten weeks are 400 hours (the long-span path)");
	is_int(cm_bizhours_between(&bh, at("2026-11-20T12:00:00Z"),
	    at("2026-11-20T10:00:00Z")), 0, "a negative span is none");
	cm_zone_free(z);

	z = cm_zone_open("Europe/Berlin");
	cm_bizhours_init(&bh, z, 540, 1020, 0x3e);
	is_int(cm_bizhours_between(&bh, at("2026-11-20T14:30:00Z"),
	    at("2026-11-20T17:30:00Z")), 5400, "Berlin: 15:30 to 18:30 is 1h30");
	is_int(cm_bizhours_between(&bh, at("2026-10-23T14:00:00Z"),
	    at("2026-10-26T08:30:00Z")), 5400, "Berlin: Friday 16:00 CEST to "
	    "Monday 09:30 CET, across the autumn change, is 1h30");
	for (i = 0, bad = 0; i < 40; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		a = at("2026-01-01T00:00:00Z") + (int64_t)(r % (300 * 1440)) * 60;
		b = a + (int64_t)((r >> 20) % (i < 30 ? 20 * 1440 : 100 * 1440))
		    * 60;
		x = cm_bizhours_between(&bh, a, b);
		y = brute(z, 540, 1020, 0x3e, a, b);
		if (x != y) {
			bad++;
			printf("# %lld..%lld: %lld, brute force %lld\n",
			    (long long)a, (long long)b, (long long)x,
			    (long long)y);
		}
	}
	is_int(bad, 0, "Berlin: 40 random spans up to 100 days equal a "
	    "minute-by-minute count");
	cm_bizhours_init(&bh, z, 0, 1440, 0x41);
	is_int(cm_bizhours_between(&bh, at("2026-11-20T00:00:00Z"),
	    at("2026-11-24T00:00:00Z")), 48 * 3600, "Sat-Sun 00:00-24:00 in "
	    "Berlin: the weekend is 48 hours");
	cm_zone_free(z);
}

int main(void)
{
	test_parse();
	test_zones();
	test_between();
	return tap_done();
}
