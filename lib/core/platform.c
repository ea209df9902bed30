/* platform.c - the one table of the platforms cm knows */
#include <string.h>

#include "platform.h"

/*
 * Reply limits are each platform's documented defaults: Mastodon's
 * max_characters (an instance may set another), Bluesky's 300 graphemes,
 * Reddit's 10,000 characters for a comment, X's 280, YouTube's 10,000,
 * Discord's 2,000.  Hacker News, feeds and imports take no replies.
 */
#define PLATFORMS(X) \
	X("mastodon", "Mastodon", "@", 500, "characters") \
	X("bluesky", "Bluesky", "@", 300, "graphemes") \
	X("reddit", "Reddit", "u/", 10000, "characters") \
	X("hn", "Hacker News", "", 0, NULL) \
	X("youtube", "YouTube", "@", 10000, "characters") \
	X("x", "X", "@", 280, "characters") \
	X("discord", "Discord", "@", 2000, "characters") \
	X("rss", "RSS and Atom feeds", "", 0, NULL) \
	X("csv", "CSV import", "", 0, NULL) \
	X("demo", "the demo generator", "@", 0, NULL)

#define ENTRY(name, title, mention, max, unit) \
	{ name, title, mention, max, unit },
#define NAME(name, title, mention, max, unit) name,

const struct cm_platform cm_platforms[] = { PLATFORMS(ENTRY) };
const char *const cm_platform_names[] = { PLATFORMS(NAME) NULL };
const size_t cm_nplatforms = sizeof(cm_platforms) / sizeof(cm_platforms[0]);

const struct cm_platform *cm_platform_find(const char *name, size_t n)
{
	for (size_t i = 0; i < cm_nplatforms; i++)
		if (strlen(cm_platforms[i].name) == n &&
		    memcmp(cm_platforms[i].name, name, n) == 0)
			return &cm_platforms[i];
	return NULL;
}
