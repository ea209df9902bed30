/* bizhours.h - time zones and business-hours arithmetic for reports */
#ifndef CM_BIZHOURS_H
#define CM_BIZHOURS_H

#include <stdint.h>

/*
 * A zone is an IANA time zone name from the system's tz database
 * ($TZDIR, else /usr/share/zoneinfo), or "UTC".  Offsets come from the C
 * library (localtime_r with TZ set to the zone): cm_zone_open therefore
 * sets the process's TZ environment variable, and a process uses one
 * zone at a time.  Offsets are cached per 15-minute slot; a slot whose
 * two ends disagree (a transition inside it) is never cached, so the
 * cache cannot give a wrong offset.
 */
struct cm_zone;

/* Returns NULL with errno set: ENOENT for an unknown zone, EINVAL for a
 * name that is not a zone name, ENOMEM. */
struct cm_zone *cm_zone_open(const char *name);
void cm_zone_free(struct cm_zone *z);
const char *cm_zone_name(const struct cm_zone *z);

/* Seconds east of UTC at instant t. */
int32_t cm_zone_offset(struct cm_zone *z, int64_t t);

/* The instant whose local time is local (seconds since the local epoch);
 * in a gap or overlap of a transition, one of the candidates. */
int64_t cm_zone_from_local(struct cm_zone *z, int64_t local);

/*
 * Business hours: from open to close (minutes after local midnight,
 * 0 <= open < close <= 1440) on the days of the week in days (bit 0
 * Sunday .. bit 6 Saturday), in a zone.
 */
struct cm_bizhours {
	struct cm_zone *zone;	/* not owned */
	int open, close;	/* minutes */
	unsigned days;		/* weekday mask */
	struct {
		int64_t day;	/* local day number, INT64_MIN: empty */
		int64_t from, to;	/* UTC instants of open and close */
	} cache[512];
};

/* Parses "HH:MM-HH:MM" (close may be 24:00, must be after open);
 * returns 0 or -1. */
int cm_bizhours_parse_hours(const char *s, int *open, int *close);

/* Parses days like "Mon-Fri", "Sun-Thu", "Mon,Wed,Fri", "Fri-Mon" (a
 * range may wrap), "Sat-Sun"; names are three letters, any case.
 * Returns 0 or -1 (and mask 0 is an error too). */
int cm_bizhours_parse_days(const char *s, unsigned *mask);

/* Writes days back in the canonical form ("Mon-Fri", "Mon,Wed,Fri") to
 * buf (at most 28 bytes with the NUL). */
void cm_bizhours_format_days(unsigned mask, char buf[32]);

void cm_bizhours_init(struct cm_bizhours *bh, struct cm_zone *zone,
    int open, int close, unsigned days);

/*
 * Seconds of business time in [a, b) (0 when b <= a).  Each day's open
 * and close are converted from local time separately, so a daylight-
 * saving change inside business hours is counted as the clock shows.
 * Spans longer than 8 weeks count their whole middle weeks as the
 * business time of the first full week (exact unless a transition falls
 * inside business hours in those weeks).
 */
int64_t cm_bizhours_between(struct cm_bizhours *bh, int64_t a, int64_t b);

/* Local day number (days since 1970-01-01 in the zone) of instant t, and
 * the day of the week of a day number (0 Sunday). */
int64_t cm_zone_day(struct cm_zone *z, int64_t t);
int cm_weekday(int64_t day);

#endif
