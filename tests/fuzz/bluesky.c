/* bluesky.c - libFuzzer harness for the Bluesky adapter's pages
 * (lib/platforms/bluesky.c): sessions and any answers to any of its
 * feeds, through the driver of fuzz_pages.h */
#include "fuzz_pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* mentions, search, thread, own */
static const char *const args[] = { NULL, "acme",
	"at://did:plc:abc/app.bsky.feed.post/3k", NULL };

static const struct fuzz_platform bsky = {
	"bluesky", "handle = acme.test\napp_password = env:CM_FUZZ_SECRET\n",
	args
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pages(&bsky, data, size);
}
