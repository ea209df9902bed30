/* hn.c - libFuzzer harness for the Hacker News adapter's pages
 * (lib/platforms/hn.c): any answers to search and thread, through the
 * driver of fuzz_pages.h */
#include "fuzz_pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* search, thread */
static const char *const args[] = { "acme", "1" };

static const struct fuzz_platform hn = { "hn", "handle = acme\n", args };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pages(&hn, data, size);
}
