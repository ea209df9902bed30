/* timeutil.c - RFC 3339 timestamps and relative durations */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "timeutil.h"

/*
 * The civil-days algorithms are Howard Hinnant's ("chrono-Compatible
 * Low-Level Date Algorithms"): exact over the proleptic Gregorian calendar
 * with eras of 400 years, no tables, no time zone, no libc.
 */
int64_t cm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void cm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly k digits at s[*i]; -1 when one is not a digit. */
static int digits(const char *s, size_t n, size_t *i, int k)
{
	int v = 0;

	if (n - *i < (size_t)k)
		return -1;
	while (k-- > 0) {
		if (s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	return v;
}

static int expect(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/* cm_time_parse, and the fraction's first six digits into *us. */
static int time_parse(const char *s, size_t n, int64_t *out, int64_t *us)
{
	size_t i = 0;
	int y, mo, d, h, mi, sec, oh, om, sign;
	int64_t t, scale = 100000;

	if ((y = digits(s, n, &i, 4)) < 0 || expect(s, n, &i, '-') < 0 ||
	    (mo = digits(s, n, &i, 2)) < 0 || expect(s, n, &i, '-') < 0 ||
	    (d = digits(s, n, &i, 2)) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, mo))
		return -1;
	t = cm_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400;
	*us = 0;
	if (i == n) {
		*out = t;
		return 0;
	}
	/* RFC 3339 5.6 allows a lower-case t and z, and notes that a space
	 * may stand for the T. */
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return -1;
	i++;
	if ((h = digits(s, n, &i, 2)) < 0 || expect(s, n, &i, ':') < 0 ||
	    (mi = digits(s, n, &i, 2)) < 0 || expect(s, n, &i, ':') < 0 ||
	    (sec = digits(s, n, &i, 2)) < 0)
		return -1;
	/* 60 is a leap second: it is counted as the next minute's :00. */
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	if (i < n && s[i] == '.') {
		size_t f = ++i;

		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			*us += (s[i] - '0') * scale;
		if (i == f)
			return -1;
	}
	if (i >= n)
		return -1;	/* the offset is not optional */
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
		oh = om = 0;
		sign = 1;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i++] == '+' ? 1 : -1;
		if ((oh = digits(s, n, &i, 2)) < 0 ||
		    expect(s, n, &i, ':') < 0 ||
		    (om = digits(s, n, &i, 2)) < 0 || oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (i != n)
		return -1;
	/* local time minus its offset is UTC */
	*out = t + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	return 0;
}

int cm_time_parse(const char *s, size_t n, int64_t *out)
{
	int64_t us;

	return time_parse(s, n, out, &us);
}

int cm_time_parse_us(const char *s, size_t n, int64_t *out)
{
	int64_t t, us;

	if (time_parse(s, n, &t, &us) < 0)
		return -1;
	*out = t * 1000000 + us;
	return 0;
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void cm_time_format(int64_t t, char buf[21])
{
	int64_t days, secs, y;
	unsigned m, d;

	if (t < CM_TIME_MIN)
		t = CM_TIME_MIN;
	if (t > CM_TIME_MAX)
		t = CM_TIME_MAX;
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	cm_civil_from_days(days, &y, &m, &d);
	put2(buf, (unsigned)(y / 100));
	put2(buf + 2, (unsigned)(y % 100));
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = 'T';
	put2(buf + 11, (unsigned)(secs / 3600));
	buf[13] = ':';
	put2(buf + 14, (unsigned)(secs / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (unsigned)(secs % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
}

int cm_duration_parse(const char *s, int64_t *out)
{
	int64_t v = 0, unit;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case '\0': unit = 1; p--; break;
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	if (p[1] != '\0' || v > INT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

int cm_when_parse(const char *s, int64_t now, int64_t *out, int64_t *day)
{
	size_t n = strlen(s), digits = strspn(s, "0123456789");
	int64_t d;

	if (day)
		*day = INT64_MIN;
	if (cm_time_parse(s, n, out) == 0) {
		if (day && n == 10)	/* a bare date: YYYY-MM-DD */
			*day = *out / 86400;
		return 0;
	}
	if (s[0] == '@' && n > 1 && strspn(s + 1, "0123456789") == n - 1)
		return cm_duration_parse(s + 1, out) == 0 ? 0 : -1;
	if (n > 0 && digits == n)
		return -2;
	if (cm_duration_parse(s, &d) < 0 || (now < 0 && now < INT64_MIN + d))
		return -1;
	*out = now - d;
	return 0;
}
