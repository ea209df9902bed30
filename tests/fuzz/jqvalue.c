/*
 * jqvalue - libFuzzer harness for lib/filter/jqexpr.c's value builder: every
 * line the strict scanner accepts must give the same jq value as libjq's
 * own parser (numbers to the same double, escapes decoded alike, the last
 * of repeated names), unless libjq refuses the line for its depth.
 */
#include <stdint.h>
#include <stdlib.h>

#include "filter/jqexpr.h"
#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cm_json_error err;

	if (cm_json_scan((const char *)data, size, 0, NULL, NULL, &err) == 0 &&
	    cm_jqexpr_build_agrees((const char *)data, size) == 0)
		abort();
	return 0;
}
