/* bizhours.c - time zones and business-hours arithmetic for reports */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "bizhours.h"

#define SLOT 900		/* offsets are cached per 15 minutes */
#define ZCACHE 1024

struct cm_zone {
	char *name;
	int utc;
	struct {
		int64_t slot;
		int32_t off;
	} cache[ZCACHE];
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* 1 when name is a plausible zone name: no absolute path, no "..". */
static int zone_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || *name == '/' || strlen(name) > 200)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+'))
			return 0;
	return strstr(name, "//") == NULL;
}

/* 1 when the tz database has a TZif file for name. */
static int zone_exists(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	int fd, ok;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

struct cm_zone *cm_zone_open(const char *name)
{
	struct cm_zone *z;
	size_t i;
	int utc;

	utc = strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
	    strcmp(name, "Z") == 0;
	if (!utc && !zone_name_ok(name)) {
		errno = EINVAL;
		return NULL;
	}
	if (!utc && !zone_exists(name)) {
		errno = ENOENT;
		return NULL;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	if ((z->name = strdup(utc ? "UTC" : name)) == NULL) {
		free(z);
		return NULL;
	}
	z->utc = utc;
	for (i = 0; i < ZCACHE; i++)
		z->cache[i].slot = INT64_MIN;
	if (!utc) {
		if (setenv("TZ", name, 1) < 0) {
			cm_zone_free(z);
			return NULL;
		}
		tzset();
	}
	return z;
}

void cm_zone_free(struct cm_zone *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z);
}

const char *cm_zone_name(const struct cm_zone *z)
{
	return z->name;
}

static int32_t raw_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

int32_t cm_zone_offset(struct cm_zone *z, int64_t t)
{
	int64_t slot;
	int32_t o1, o2;
	size_t i;

	if (z == NULL || z->utc)
		return 0;
	slot = floor_div(t, SLOT);
	i = (size_t)((uint64_t)slot % ZCACHE);
	if (z->cache[i].slot == slot)
		return z->cache[i].off;
	o1 = raw_offset(slot * SLOT);
	o2 = raw_offset(slot * SLOT + SLOT - 1);
	if (o1 != o2)
		return raw_offset(t);	/* a transition inside: no caching */
	z->cache[i].slot = slot;
	z->cache[i].off = o1;
	return o1;
}

int64_t cm_zone_from_local(struct cm_zone *z, int64_t local)
{
	int64_t t1, t2;

	t1 = local - cm_zone_offset(z, local);
	t2 = local - cm_zone_offset(z, t1);
	if (t2 + cm_zone_offset(z, t2) == local)
		return t2;
	return t1;
}

int64_t cm_zone_day(struct cm_zone *z, int64_t t)
{
	return floor_div(t + cm_zone_offset(z, t), 86400);
}

int cm_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday */
	return (int)(((day % 7) + 7 + 4) % 7);
}

static int two_digits(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* Parses H:MM or HH:MM at *s; advances *s.  -1 when malformed. */
static int clock_time(const char **s, int *minutes)
{
	const char *p = *s;
	int h = 0, m, nd = 0;

	while (*p >= '0' && *p <= '9' && nd < 2) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || *p != ':' || two_digits(p + 1, &m) < 0 || m > 59 ||
	    h > 24 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	*s = p + 3;
	return 0;
}

int cm_bizhours_parse_hours(const char *s, int *open, int *close)
{
	int o, c;

	if (clock_time(&s, &o) < 0 || *s++ != '-' || clock_time(&s, &c) < 0 ||
	    *s != '\0' || o >= c)
		return -1;
	*open = o;
	*close = c;
	return 0;
}

static const char *const day_names[7] =
    { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static int day_name(const char *s, size_t n)
{
	int i;

	if (n != 3)
		return -1;
	for (i = 0; i < 7; i++)
		if (strncasecmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

int cm_bizhours_parse_days(const char *s, unsigned *mask)
{
	unsigned m = 0;

	for (;;) {
		size_t n = strcspn(s, ",-");
		int a = day_name(s, n), b;

		if (a < 0)
			return -1;
		s += n;
		b = a;
		if (*s == '-') {
			s++;
			n = strcspn(s, ",-");
			if ((b = day_name(s, n)) < 0)
				return -1;
			s += n;
		}
		for (;;) {
			m |= 1u << a;
			if (a == b)
				break;
			a = (a + 1) % 7;
		}
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return -1;
	}
	*mask = m;
	return 0;
}

void cm_bizhours_format_days(unsigned mask, char buf[32])
{
	/* Monday first: runs of three or more days become ranges. */
	static const int order[7] = { 1, 2, 3, 4, 5, 6, 0 };
	size_t len = 0;
	int i = 0, j;

	buf[0] = '\0';
	while (i < 7) {
		if (!(mask & (1u << order[i]))) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 7 && (mask & (1u << order[j + 1])); j++)
			;
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, day_names[order[i]], 3);
		len += 3;
		if (j - i >= 2) {
			buf[len++] = '-';
			memcpy(buf + len, day_names[order[j]], 3);
			len += 3;
			i = j + 1;
		} else {
			i++;
		}
		buf[len] = '\0';
	}
}

void cm_bizhours_init(struct cm_bizhours *bh, struct cm_zone *zone,
    int open, int close, unsigned days)
{
	size_t i;

	bh->zone = zone;
	bh->open = open;
	bh->close = close;
	bh->days = days;
	for (i = 0; i < sizeof(bh->cache) / sizeof(bh->cache[0]); i++)
		bh->cache[i].day = INT64_MIN;
}

/* The UTC instants of a local day's open and close. */
static void day_window(struct cm_bizhours *bh, int64_t day, int64_t *from,
    int64_t *to)
{
	size_t i = (size_t)((uint64_t)day % 512);

	if (bh->cache[i].day != day) {
		bh->cache[i].day = day;
		bh->cache[i].from = cm_zone_from_local(bh->zone,
		    day * 86400 + (int64_t)bh->open * 60);
		bh->cache[i].to = cm_zone_from_local(bh->zone,
		    day * 86400 + (int64_t)bh->close * 60);
	}
	*from = bh->cache[i].from;
	*to = bh->cache[i].to;
}

/* Business seconds of local day `day` inside [a, b). */
static int64_t day_overlap(struct cm_bizhours *bh, int64_t day, int64_t a,
    int64_t b)
{
	int64_t from, to;

	if (!(bh->days & (1u << cm_weekday(day))))
		return 0;
	day_window(bh, day, &from, &to);
	if (a > from)
		from = a;
	if (b < to)
		to = b;
	return to > from ? to - from : 0;
}

int64_t cm_bizhours_between(struct cm_bizhours *bh, int64_t a, int64_t b)
{
	int64_t da, db, d, total = 0, week, nweeks, k;

	if (b <= a)
		return 0;
	da = cm_zone_day(bh->zone, a);
	db = cm_zone_day(bh->zone, b);
	for (d = da; d <= db; d++) {
		if (d == da + 7 && db - da > 56) {
			/* Days d .. d+6 lie wholly inside [a, b). */
			week = 0;
			for (k = 0; k < 7; k++)
				week += day_overlap(bh, d + k, a, b);
			nweeks = (db - 7 - d) / 7;
			total += week * nweeks;
			d += 7 * nweeks - 1;
			continue;
		}
		total += day_overlap(bh, d, a, b);
	}
	return total;
}
