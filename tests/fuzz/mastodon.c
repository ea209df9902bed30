/* mastodon.c - libFuzzer harness for the Mastodon adapter's pages
 * (lib/platforms/mastodon.c): any answers to any of its feeds, through
 * the driver of fuzz_pages.h */
#include "fuzz_pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* mentions, search, tag, thread, own */
static const char *const args[] = { NULL, "acme", "acme", "109", NULL };

static const struct fuzz_platform masto = {
	"mastodon", "token = env:CM_FUZZ_SECRET\nhandle = acme\n", args
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pages(&masto, data, size);
}
