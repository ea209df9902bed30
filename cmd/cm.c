/*
 * cm - run a cm program by its short name, as git does: "cm fetch ARGS"
 * runs cm-fetch ARGS, found beside this executable first, then on PATH.
 * "cm" alone and "cm help" list the programs; "cm help NAME" shows a
 * manual page.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "cli/cli.h"

static const struct {
	const char *name;
	const char *what;
} known[] = {
	{ "fetch", "pull mentions, replies and searches as cm records" },
	{ "filter", "select records by jq expression or common flags" },
	{ "score", "add sentiment, intent, urgency and priority" },
	{ "reply", "draft, review and send replies exactly once" },
	{ "report", "volume, sentiment and response KPIs" },
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: cm [-h] [-V] COMMAND [ARGS...]\n"
	    "       cm help [COMMAND]\n"
	    "\n"
	    "Runs cm-COMMAND with ARGS.  'cm help' lists the commands;\n"
	    "'cm help COMMAND' shows its manual page.\n"
	    "\n"
	    "  -h, --help     show this help and exit\n"
	    "  -V, --version  show the version and exit\n");
}

/* The directory of this executable, or "" when it cannot be known. */
static void self_dir(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	char *slash;

	if (n <= 0) {
		dir[0] = '\0';
		return;
	}
	dir[n] = '\0';
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		dir[0] = '\0';
}

static int is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/* Finds cm-NAME beside us or on PATH; returns 1 with the path in out. */
static int find_program(const char *dir, const char *name, struct cm_buf *out)
{
	const char *path = getenv("PATH"), *p, *colon;

	cm_buf_reset(out);
	if (*dir && cm_buf_printf(out, "%s/cm-%s", dir, name) == 0 &&
	    is_executable(out->data))
		return 1;
	for (p = path ? path : ""; *p; p = *colon ? colon + 1 : colon) {
		colon = strchrnul(p, ':');
		cm_buf_reset(out);
		if (colon == p)
			continue;
		if (cm_buf_printf(out, "%.*s/cm-%s", (int)(colon - p), p,
		    name) == 0 && is_executable(out->data))
			return 1;
	}
	return 0;
}

static int list_programs(const char *dir)
{
	struct cm_buf path = CM_BUF_INIT;
	size_t i;

	printf("usage: cm COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (find_program(dir, known[i].name, &path))
			printf("   %-8s %s\n", known[i].name, known[i].what);
	printf("\n'cm help COMMAND' shows a command's manual; see also "
	    "cm(7).\n");
	cm_buf_free(&path);
	cm_out_close();
	return CM_EXIT_OK;
}

/* Whether cm has a manual called name: a command's, or cm(1), cm(7),
 * cm-record(5) and cm-config(5), with or without "cm-". */
static int is_manual(const char *dir, const char *name)
{
	static const char *const pages[] = { "cm", "record", "cm-record",
		"config", "cm-config" };
	struct cm_buf path = CM_BUF_INIT;
	size_t i;
	int found;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(name, pages[i]) == 0)
			return 1;
	if (strncmp(name, "cm-", 3) == 0)
		name += 3;
	found = strchr(name, '/') == NULL && find_program(dir, name, &path);
	cm_buf_free(&path);
	return found;
}

/* Shows a manual page: the build tree's copy when run from there. */
static int show_manual(const char *dir, const char *name)
{
	struct cm_buf page = CM_BUF_INIT, local = CM_BUF_INIT;
	static const char *const sections[] = { "1", "5", "7" };
	size_t i;

	if (strcmp(name, "cm") == 0 || strncmp(name, "cm-", 3) == 0)
		cm_buf_adds(&page, name);
	else
		cm_buf_printf(&page, "cm-%s", name);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		cm_buf_reset(&local);
		if (*dir && cm_buf_printf(&local, "%s/../man/%s.%s", dir,
		    page.data, sections[i]) == 0 && access(local.data, R_OK) == 0) {
			fflush(stdout);
			execlp("man", "man", "-l", local.data, (char *)NULL);
			cm_die(CM_EXIT_FAIL, "man:");
		}
	}
	fflush(stdout);
	execlp("man", "man", page.data, (char *)NULL);
	cm_die(CM_EXIT_FAIL, "man:");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cm_buf path = CM_BUF_INIT;
	char dir[PATH_MAX];
	int c;

	cm_cli_init(argv);
	/* Stop at the first operand: the rest belongs to the command. */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cm_cli_help(usage);
		case 'V':
			cm_cli_version();
		default:
			cm_cli_try();
		}
	}
	argc -= optind;
	argv += optind;
	self_dir(dir, sizeof(dir));
	if (argc == 0 || (strcmp(argv[0], "help") == 0 && argc == 1))
		return list_programs(dir);
	if (strcmp(argv[0], "help") == 0) {
		if (!is_manual(dir, argv[1]))
			cm_usage_error("'%s' is not a cm command or manual; 'cm "
			    "help' lists them", argv[1]);
		return show_manual(dir, argv[1]);
	}
	if (strchr(argv[0], '/') != NULL || !find_program(dir, argv[0], &path))
		cm_usage_error("'%s' is not a cm command; 'cm help' lists them",
		    argv[0]);
	fflush(stdout);
	argv[0] = strrchr(path.data, '/') + 1;	/* so it names itself */
	execv(path.data, argv);
	cm_die(CM_EXIT_FAIL, "%s:", path.data);
}
