/* reddit.c - libFuzzer harness for the Reddit adapter's pages
 * (lib/platforms/reddit.c): tokens and any answers to any of its feeds,
 * through the driver of fuzz_pages.h */
#include "fuzz_pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* mentions, replies, sub, search, thread, own */
static const char *const args[] = { NULL, NULL, "acme", "acme", "t3_abc",
	NULL };

static const struct fuzz_platform reddit = {
	"reddit", "client_id = env:CM_FUZZ_SECRET\n"
	"client_secret = env:CM_FUZZ_SECRET\nusername = env:CM_FUZZ_USER\n"
	"password = env:CM_FUZZ_SECRET\n", args
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pages(&reddit, data, size);
}
