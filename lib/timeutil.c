/* timeutil.c - RFC 3339 timestamps and relative durations */
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

/* Howard Hinnant's civil-days algorithms, proleptic Gregorian. */
int64_t cm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
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

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

int cm_time_parse(const char *s, size_t n, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
	size_t i;

	if (n < 10 || digits(s, 4, &y) < 0 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (n == 10) {
		*out = cm_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400;
		return 0;
	}
	if (n < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    digits(s + 17, 2, &sec) < 0)
		return -1;
	if (h > 23 || mi > 59 || sec > 60)	/* 60: a leap second */
		return -1;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	*out = cm_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
		return 0;
	if (i + 6 != n || (s[i] != '+' && s[i] != '-') ||
	    digits(s + i + 1, 2, &oh) < 0 || s[i + 3] != ':' ||
	    digits(s + i + 4, 2, &om) < 0 || oh > 23 || om > 59)
		return -1;
	sign = s[i] == '+' ? 1 : -1;
	*out -= sign * (oh * 3600 + om * 60);
	return 0;
}

void cm_time_format(int64_t t, char buf[21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400, y;
	unsigned m, d;
	int i;
	char *p = buf;
	unsigned v[5];

	cm_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	v[0] = m;
	v[1] = d;
	v[2] = (unsigned)(secs / 3600);
	v[3] = (unsigned)(secs / 60 % 60);
	v[4] = (unsigned)(secs % 60);
	*p++ = (char)('0' + y / 1000);
	*p++ = (char)('0' + y / 100 % 10);
	*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
	for (i = 0; i < 5; i++) {
		*p++ = "--T::"[i];
		*p++ = (char)('0' + v[i] / 10);
		*p++ = (char)('0' + v[i] % 10);
	}
	*p++ = 'Z';
	*p = '\0';
}

int cm_duration_parse(const char *s, int64_t *out)
{
	char *end;
	long long v;
	int64_t unit = 1;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (end[0] != '\0' && end[1] != '\0')
		return -1;
	switch (*end) {
	case '\0': case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	if (v < 0 || v > INT64_MAX / unit / 2)
		return -1;
	*out = (int64_t)v * unit;
	return 0;
}

int cm_when_parse(const char *s, int64_t now, int64_t *out)
{
	int64_t d;

	if (cm_time_parse(s, strlen(s), out) == 0)
		return 0;
	if (cm_duration_parse(s, &d) == 0) {
		*out = now - d;
		return 0;
	}
	return -1;
}
