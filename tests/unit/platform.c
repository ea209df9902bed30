/* platform - tests for lib/core/platform.c; with --names, prints the
 * platform names one per line for the docs test to compare */
#include <string.h>

#include "core/platform.h"
#include "tap.h"

int main(int argc, char **argv)
{
	size_t i, j;

	if (argc > 1 && strcmp(argv[1], "--names") == 0) {
		for (i = 0; i < cm_nplatforms; i++)
			puts(cm_platforms[i].name);
		return 0;
	}
	ok(cm_nplatforms == 10, "ten platforms");
	for (i = 0; i < cm_nplatforms; i++) {
		const struct cm_platform *p = &cm_platforms[i];

		is_str(cm_platform_names[i], p->name, "names[%zu] is %s", i,
		    p->name);
		ok(cm_platform_find(p->name, strlen(p->name)) == p,
		    "%s is found", p->name);
		ok((p->reply_max == 0) == (p->reply_unit == NULL),
		    "%s: a reply limit has its unit", p->name);
		for (j = 0; j < i; j++)
			ok(strcmp(cm_platforms[j].name, p->name) != 0,
			    "%s is listed once (against %s)", p->name,
			    cm_platforms[j].name);
	}
	ok(cm_platform_names[cm_nplatforms] == NULL, "names end with NULL");
	ok(cm_platform_find("masto", 5) == NULL, "a prefix is not a name");
	ok(cm_platform_find("mastodonx", 8) == &cm_platforms[0],
	    "the length given is the name's");
	ok(cm_platform_find("Mastodon", 8) == NULL, "names are lower-case");
	is_str(cm_platform_find("reddit", 6)->mention, "u/",
	    "a Reddit user is mentioned as u/NAME");
	is_int(cm_platform_find("bluesky", 7)->reply_max, 300,
	    "Bluesky: 300 graphemes");
	return tap_done();
}
