/*
 * stream - a test driver for lib/cli/cli.c: reads records with the shared
 * bad-input policy and writes each one back (with --set NAME=JSON, through
 * cm_record_set).  tests/0040-stream.t runs it; it prints no TAP itself.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/record.h"

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "max-line", required_argument, NULL, 'm' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "set", required_argument, NULL, 's' },
		{ "strict", no_argument, NULL, 'S' },
		{ "unbuffered", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct cm_input_opts opts = { 0 };
	struct cm_buf out = CM_BUF_INIT;
	struct cm_input *in;
	const char *line, *set = NULL, *eq = NULL;
	char *name = NULL;
	size_t len;
	int c, status;

	cm_cli_init(argv);
	while ((c = getopt_long(argc, argv, "m:r:s:Su", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			opts.max_line = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			opts.rejects = optarg;
			break;
		case 's':
			set = optarg;
			break;
		case 'S':
			opts.strict = 1;
			break;
		case 'u':
			cm_out_set_unbuffered(1);
			break;
		default:
			return CM_EXIT_USAGE;
		}
	}
	if (set) {
		if ((eq = strchr(set, '=')) == NULL)
			cm_usage_error("--set NAME=JSON");
		name = strndup(set, (size_t)(eq - set));
	}
	in = cm_input_open(argv + optind, argc - optind, &opts);
	while (cm_input_next_record(in, NULL, NULL, &line, &len)) {
		if (name == NULL) {
			cm_out_line(line, len);
			continue;
		}
		cm_buf_reset(&out);
		if (cm_record_set(line, len, name, eq + 1, strlen(eq + 1),
		    &out) < 0)
			cm_die(CM_EXIT_FAIL, "cm_record_set failed");
		cm_out_line(out.data, out.len);
	}
	status = cm_input_close(in);
	free(name);
	cm_buf_free(&out);
	cm_out_close();
	return status;
}
