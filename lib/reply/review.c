/* review.c - cm-reply --review: a person approves, edits or skips each
 * draft on the terminal */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <unicode/uchar.h>

#include "core/json.h"
#include "core/utf8.h"
#include "review.h"

/* What is shown of one field of a record, in bytes of the field: a
 * record can be large, a screen is not. */
#define FIELD_MAX 256
#define TEXT_MAX 8192
#define WHY_MAX 1024
/* A draft is what will be sent, so more of it is shown. */
#define DRAFT_MAX 65536
/* What is read back from the editor. */
#define EDIT_MAX 65536

enum {
	F_PLATFORM, F_HANDLE, F_NAME, F_CREATED, F_URL, F_TEXT,
	F_LABEL, F_SENTIMENT, F_PRIORITY, F_INTENT, F_WHY, F_COUNT
};

static const char *const field_paths[F_COUNT] = {
	"platform", "author.handle", "author.name", "created_at", "url",
	"text", "score.label", "score.sentiment", "score.priority",
	"score.intent", "score.why"
};

struct cm_review {
	int fd;			/* /dev/tty, read and written */
	int linemode;		/* no raw mode here: answers are lines */
	struct cm_json_paths *paths;
	struct cm_buf out;	/* what is shown next, written at once */
	struct cm_buf field;	/* a field decoded */
	struct cm_buf safe;	/* a field neutralised, before wrapping */
	struct cm_buf why;	/* why the draft is invalid */
	struct cm_buf old;	/* the draft before an edit */
	struct cm_buf note;	/* what an edit has to say */
	struct sigaction prev[4];
	int caught[4];		/* prev[i] holds what to put back */
};

/*
 * What the signal handler needs: a handler cannot be handed arguments, so
 * the one session asking at a time leaves its terminal here.
 */
static const int sigs[4] = { SIGINT, SIGTERM, SIGTSTP, SIGHUP };
static volatile sig_atomic_t sig_fd = -1;
static volatile sig_atomic_t sig_raw;	/* the terminal is in raw mode */
static volatile sig_atomic_t sig_resumed;	/* continued after a stop */
static volatile sig_atomic_t sig_tmp;	/* sig_tmpname exists */
static struct termios sig_cooked, sig_rawmode;
static char sig_tmpname[PATH_MAX];

static void on_signal(int sig)
{
	int e = errno;
	struct sigaction sa;
	sigset_t set;

	if (sig_raw && sig_fd >= 0)
		tcsetattr(sig_fd, TCSANOW, &sig_cooked);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sig == SIGTSTP) {
		/* Stop as the shell expects, the terminal as it was; on
		 * SIGCONT go on where we were. */
		raise(sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		sa.sa_handler = on_signal;
		sigaction(sig, &sa, NULL);
		if (sig_raw && sig_fd >= 0)
			tcsetattr(sig_fd, TCSANOW, &sig_rawmode);
		sig_resumed = 1;
		errno = e;
		return;
	}
	if (sig_tmp)
		unlink(sig_tmpname);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	errno = e;
}

static void catch_signals(struct cm_review *rv)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 4; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* No SA_RESTART: a read interrupted by a stop comes back to ask
	 * again. */
	sig_fd = rv->fd;
	for (i = 0; i < 4; i++) {
		rv->caught[i] = 0;
		if (sigaction(sigs[i], NULL, &rv->prev[i]) != 0)
			continue;
		/* A signal the caller ignores (nohup) stays ignored. */
		if (rv->prev[i].sa_handler == SIG_IGN)
			continue;
		if (sigaction(sigs[i], &sa, NULL) == 0)
			rv->caught[i] = 1;
	}
}

static void release_signals(struct cm_review *rv)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (rv->caught[i]) {
			sigaction(sigs[i], &rv->prev[i], NULL);
			rv->caught[i] = 0;
		}
	sig_fd = -1;
}

struct cm_review *cm_review_open(struct cm_error *err)
{
	struct cm_review *rv;
	struct termios t;

	rv = calloc(1, sizeof *rv);
	if (rv == NULL) {
		cm_error_nomem(err, "review");
		return NULL;
	}
	rv->paths = cm_json_paths_new(field_paths, F_COUNT);
	if (rv->paths == NULL) {
		free(rv);
		cm_error_nomem(err, "review");
		return NULL;
	}
	rv->fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (rv->fd < 0) {
		cm_error_set(err, CM_EXIT_USAGE,
		    "--review needs a terminal: /dev/tty: %s", strerror(errno));
		cm_json_paths_free(rv->paths);
		free(rv);
		return NULL;
	}
	rv->linemode = tcgetattr(rv->fd, &t) != 0;
	return rv;
}

void cm_review_close(struct cm_review *rv)
{
	if (rv == NULL)
		return;
	close(rv->fd);
	cm_json_paths_free(rv->paths);
	cm_buf_free(&rv->out);
	cm_buf_free(&rv->field);
	cm_buf_free(&rv->safe);
	cm_buf_free(&rv->why);
	cm_buf_free(&rv->old);
	cm_buf_free(&rv->note);
	free(rv);
}

static int flush_out(struct cm_review *rv, struct cm_error *err)
{
	size_t off = 0;
	ssize_t w;

	while (off < rv->out.len) {
		w = write(rv->fd, rv->out.data + off, rv->out.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cm_error_set(err, CM_EXIT_FAIL, "/dev/tty: %s",
			    w < 0 ? strerror(errno) : "cannot write");
			cm_buf_reset(&rv->out);
			return -1;
		}
		off += (size_t)w;
	}
	cm_buf_reset(&rv->out);
	return 0;
}

static int is_hidden(uint32_t cp)
{
	/* C1 controls; bidirectional embeddings, overrides, isolates and
	 * marks, which reorder what follows; line and paragraph separators,
	 * which some terminals break lines at. */
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	    cp == 0x061c || cp == 0x2028 || cp == 0x2029;
}

/*
 * Appends s[0..n) to o so that nothing in it can drive a terminal: ASCII
 * controls and DEL as \xHH (\t, \r and \n by name), the characters of
 * is_hidden as \uHHHH, invalid UTF-8 as U+FFFD.  A newline stays one when
 * lines is set.  At most max bytes of s are shown, then how many were
 * left out.
 */
static int put_safe(struct cm_buf *o, const char *s, size_t n, size_t max,
    int lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;
	int r = 0;

	while (i < n && i < max && r == 0) {
		if (p[i] < 0x80) {
			if (p[i] == '\n' && lines)
				r = cm_buf_addc(o, '\n');
			else if (p[i] == '\n')
				r = cm_buf_adds(o, "\\n");
			else if (p[i] == '\t')
				r = cm_buf_adds(o, "\\t");
			else if (p[i] == '\r')
				r = cm_buf_adds(o, "\\r");
			else if (p[i] < 0x20 || p[i] == 0x7f)
				r = cm_buf_printf(o, "\\x%02x", p[i]);
			else
				r = cm_buf_addc(o, (char)p[i]);
			i++;
			continue;
		}
		k = cm_utf8_valid_prefix(p + i, n - i);
		if (k == 0) {
			r = cm_buf_adds(o, "\xef\xbf\xbd");
			i++;
			continue;
		}
		cp = cm_utf8_decode(p + i, k);
		if (is_hidden(cp))
			r = cm_buf_printf(o, "\\u%04x", (unsigned)cp);
		else
			r = cm_buf_add(o, p + i, k);
		i += k;
	}
	if (r == 0 && i < n)
		r = cm_buf_printf(o, " [%zu more bytes not shown]", n - i);
	return r;
}

/* Columns a character of neutralised text takes. */
static int cp_width(uint32_t cp)
{
	int8_t t = u_charType((UChar32)cp);
	int ea;

	if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK ||
	    t == U_FORMAT_CHAR || cp == 0x200b)
		return 0;
	ea = u_getIntPropertyValue((UChar32)cp, UCHAR_EAST_ASIAN_WIDTH);
	return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

/* Length and width of the character at s[i] of neutralised text. */
static size_t char_at(const char *s, size_t n, size_t i, int *w)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = cm_utf8_valid_prefix(p + i, n - i);

	if (k <= 1) {
		*w = 1;
		return 1;
	}
	*w = cp_width(cm_utf8_decode(p + i, k));
	return k;
}

/*
 * Appends neutralised text s[0..n) to o, each line indented and wrapped
 * at spaces to width columns (a word longer than a line is cut).
 */
static int put_wrapped(struct cm_buf *o, const char *s, size_t n,
    size_t width, const char *indent)
{
	size_t i = 0, col = 0, spaces = 0, j, k, ww;
	int w, r = cm_buf_adds(o, indent);

	while (i < n && r == 0) {
		if (s[i] == '\n') {
			r = cm_buf_addc(o, '\n') || cm_buf_adds(o, indent);
			col = spaces = 0;
			i++;
			continue;
		}
		if (s[i] == ' ') {
			spaces++;
			i++;
			continue;
		}
		/* A word: its width decides where it goes. */
		for (j = i, ww = 0; j < n && s[j] != ' ' && s[j] != '\n'; j += k) {
			k = char_at(s, n, j, &w);
			ww += (size_t)w;
		}
		if (col > 0 && col + spaces + ww > width) {
			r = cm_buf_addc(o, '\n') || cm_buf_adds(o, indent);
			col = 0;
		} else {
			for (; spaces > 0 && col < width && r == 0; spaces--, col++)
				r = cm_buf_addc(o, ' ');
		}
		spaces = 0;
		for (; i < j && r == 0; i += k) {
			k = char_at(s, n, i, &w);
			if (col > 0 && col + (size_t)w > width) {
				r = cm_buf_addc(o, '\n') || cm_buf_adds(o, indent);
				col = 0;
			}
			if (r == 0)
				r = cm_buf_add(o, s + i, k);
			col += (size_t)w;
		}
	}
	if (r == 0)
		r = cm_buf_addc(o, '\n');
	return r;
}

/* Appends a string field neutralised on one line, or dflt when the field
 * is absent or not a string. */
static int put_field(struct cm_review *rv, const struct cm_json_value *v,
    size_t max, const char *dflt)
{
	if (v->type == CM_JSON_NUMBER)
		return put_safe(&rv->out, v->raw, v->len, 32, 0);
	if (v->type != CM_JSON_STRING)
		return cm_buf_adds(&rv->out, dflt);
	cm_buf_reset(&rv->field);
	if (cm_json_string(v, &rv->field) != 0)
		return cm_buf_adds(&rv->out, dflt);
	return put_safe(&rv->out, rv->field.data, rv->field.len, max, 0);
}

static size_t term_width(struct cm_review *rv)
{
	struct winsize ws;

	if (ioctl(rv->fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return 80;
	if (ws.ws_col < 20)
		return 20;
	return ws.ws_col > 1000 ? 1000 : ws.ws_col;
}

/* The record: who, where, when, what, and its score. */
static int show_record(struct cm_review *rv, const char *line, size_t len,
    size_t n, size_t width)
{
	struct cm_json_value v[F_COUNT], e;
	struct cm_json_error jerr;
	size_t pos = 0, count = 0, start;
	int r;

	r = cm_buf_printf(&rv->out, "\n[%zu] ", n);
	if (cm_json_scan(line, len, 0, rv->paths, v, &jerr) != 0)
		return r || cm_buf_printf(&rv->out,
		    "(not a valid record: %s at byte %zu)\n", jerr.msg,
		    jerr.offset);
	r = r || put_field(rv, &v[F_PLATFORM], FIELD_MAX, "-") ||
	    cm_buf_addc(&rv->out, ' ') ||
	    put_field(rv, &v[F_HANDLE], FIELD_MAX, "-");
	if (r == 0 && v[F_NAME].type == CM_JSON_STRING)
		r = cm_buf_adds(&rv->out, " (") ||
		    put_field(rv, &v[F_NAME], FIELD_MAX, "") ||
		    cm_buf_addc(&rv->out, ')');
	r = r || cm_buf_addc(&rv->out, ' ') ||
	    put_field(rv, &v[F_CREATED], FIELD_MAX, "-") ||
	    cm_buf_addc(&rv->out, ' ') ||
	    put_field(rv, &v[F_URL], FIELD_MAX * 4, "-") ||
	    cm_buf_addc(&rv->out, '\n');
	if (r != 0)
		return r;
	cm_buf_reset(&rv->safe);
	cm_buf_reset(&rv->field);
	if (v[F_TEXT].type == CM_JSON_STRING &&
	    cm_json_string(&v[F_TEXT], &rv->field) == 0)
		r = put_safe(&rv->safe, rv->field.data, rv->field.len,
		    TEXT_MAX, 1);
	else
		r = cm_buf_adds(&rv->safe, "(no text)");
	r = r || put_wrapped(&rv->out, rv->safe.data, rv->safe.len,
	    width - 2, "  ");
	if (v[F_LABEL].type == CM_JSON_NONE &&
	    v[F_PRIORITY].type == CM_JSON_NONE)
		return r || cm_buf_adds(&rv->out, "score: none\n");
	r = r || cm_buf_adds(&rv->out, "score: ") ||
	    put_field(rv, &v[F_LABEL], FIELD_MAX, "-") ||
	    cm_buf_addc(&rv->out, ' ') ||
	    put_field(rv, &v[F_SENTIMENT], FIELD_MAX, "-") ||
	    cm_buf_adds(&rv->out, " priority ") ||
	    put_field(rv, &v[F_PRIORITY], FIELD_MAX, "-") ||
	    cm_buf_adds(&rv->out, " intent ") ||
	    put_field(rv, &v[F_INTENT], FIELD_MAX, "-") ||
	    cm_buf_adds(&rv->out, "\nwhy: ");
	start = rv->out.len;
	if (r == 0 && v[F_WHY].type == CM_JSON_ARRAY) {
		while (r == 0 && cm_json_each(&v[F_WHY], &pos, NULL, &e)) {
			if (rv->out.len - start > WHY_MAX) {
				r = cm_buf_adds(&rv->out, ", ...");
				break;
			}
			r = (count++ > 0 && cm_buf_adds(&rv->out, ", ")) ||
			    put_field(rv, &e, WHY_MAX, "?");
		}
		if (r == 0 && count == 0)
			r = cm_buf_addc(&rv->out, '-');
	} else if (r == 0) {
		r = put_field(rv, &v[F_WHY], WHY_MAX, "-");
	}
	return r || cm_buf_addc(&rv->out, '\n');
}

/* The draft, its length, and why it cannot be sent when it cannot. */
static int show_draft(struct cm_review *rv, const char *rule,
    const struct cm_buf *text, int invalid, int edited, size_t width)
{
	const unsigned char *p = (const unsigned char *)text->data;
	size_t i, k, chars = 0;
	int r;

	r = cm_buf_printf(&rv->out, "%s (rule ", edited ? "edited draft" :
	    "draft") ||
	    put_safe(&rv->out, rule ? rule : "-", rule ? strlen(rule) : 1,
	    FIELD_MAX, 0) ||
	    cm_buf_adds(&rv->out, "):\n");
	cm_buf_reset(&rv->safe);
	r = r || put_safe(&rv->safe, text->data ? text->data : "", text->len,
	    DRAFT_MAX, 1) ||
	    put_wrapped(&rv->out, rv->safe.data, rv->safe.len, width - 2,
	    "  ");
	for (i = 0; i < text->len; i += k ? k : 1, chars++)
		k = cm_utf8_valid_prefix(p + i, text->len - i);
	r = r || cm_buf_printf(&rv->out, "length: %zu character%s\n", chars,
	    chars == 1 ? "" : "s");
	if (r == 0 && invalid)
		r = cm_buf_adds(&rv->out, "invalid: ") ||
		    put_safe(&rv->out, rv->why.data ? rv->why.data : "",
		    rv->why.len, WHY_MAX, 0) ||
		    cm_buf_adds(&rv->out, " (edit it or skip)\n");
	return r;
}

static const char prompt[] = "[a]pprove [e]dit [s]kip [q]uit [?]help: ";

static const char help[] =
	"  a  approve this draft: it is sent by cm-reply --send\n"
	"  e  edit the draft in $VISUAL, else $EDITOR, else vi\n"
	"  s  skip: this record gets no reply\n"
	"  q  quit: this record and the rest stay drafts\n"
	"  ?  this help\n";

/*
 * Reads one answer: a key in raw mode, else the first character of a
 * line.  Returns 0 with *key (-1: nothing usable, ask again), 1 when a
 * stop and a continue came in between (show the prompt again), -1 with
 * *err when the terminal is gone.
 */
static int read_key(struct cm_review *rv, int *key, struct cm_error *err)
{
	unsigned char b[64];
	ssize_t got;
	size_t i;
	int raw = 0, first = -1, e;

	if (!rv->linemode && tcgetattr(rv->fd, &sig_cooked) == 0) {
		sig_rawmode = sig_cooked;
		sig_rawmode.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		sig_rawmode.c_cc[VMIN] = 1;
		sig_rawmode.c_cc[VTIME] = 0;
		sig_raw = 1;
		if (tcsetattr(rv->fd, TCSANOW, &sig_rawmode) == 0)
			raw = 1;
		else
			sig_raw = 0;
	}
	for (;;) {
		got = read(rv->fd, b, sizeof b);
		if (got < 0 && errno == EINTR && !sig_resumed)
			continue;
		if (got > 0 && !raw) {
			/* A line comes in pieces of sizeof b: its first
			 * non-blank character is the answer. */
			for (i = 0; i < (size_t)got && first < 0; i++)
				if (b[i] != ' ' && b[i] != '\t' && b[i] != '\n')
					first = b[i];
			if (b[got - 1] != '\n')
				continue;
		}
		break;
	}
	e = errno;
	if (raw) {
		tcsetattr(rv->fd, TCSANOW, &sig_cooked);
		sig_raw = 0;
	}
	errno = e;
	if (got < 0 && errno == EINTR) {
		sig_resumed = 0;
		return 1;
	}
	if (got <= 0) {
		cm_error_set(err, CM_EXIT_FAIL, "/dev/tty: %s",
		    got < 0 ? strerror(errno) : "the terminal went away");
		return -1;
	}
	if (raw)
		/* An escape sequence (an arrow key) is no answer. */
		*key = got == 1 || b[0] != 0x1b ? b[0] : -1;
	else
		*key = first;
	if (raw) {
		/* What was answered stays on the screen. */
		if (*key > 0x20 && *key < 0x7f)
			cm_buf_addc(&rv->out, (char)*key);
		cm_buf_addc(&rv->out, '\n');
	}
	return 0;
}

/* Runs the editor on path with the terminal as its standard streams.
 * Returns its wait status, or -1 with errno. */
static int run_editor(struct cm_review *rv, const char *path)
{
	const char *ed = getenv("VISUAL");
	struct cm_buf cmd = CM_BUF_INIT;
	struct sigaction ign, oint, oquit;
	pid_t pid, w;
	int status, e;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	/* The editor's words are the user's own shell words; the file is
	 * "$1", never spliced into the command. */
	if (cm_buf_printf(&cmd, "%s \"$1\"", ed) != 0)
		return -1;
	/* As system(3) does: ^C is for the editor while it runs. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid == 0) {
		size_t i;

		/* The editor gets the signals as the caller had them. */
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		for (i = 0; i < 4; i++)
			if (rv->caught[i])
				sigaction(sigs[i], &rv->prev[i], NULL);
		if (dup2(rv->fd, 0) < 0 || dup2(rv->fd, 1) < 0 ||
		    dup2(rv->fd, 2) < 0)
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd.data, "sh", path, (char *)NULL);
		_exit(127);
	}
	e = errno;
	cm_buf_free(&cmd);
	status = -1;
	if (pid > 0) {
		do
			w = waitpid(pid, &status, 0);
		while (w < 0 && errno == EINTR);
		e = errno;
		if (w < 0)
			status = -1;
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	errno = e;
	return status;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads path back into rv->field, at most EDIT_MAX bytes; 1 when over. */
static int read_back(struct cm_review *rv, const char *path)
{
	char b[8192];
	ssize_t got;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	cm_buf_reset(&rv->field);
	for (;;) {
		got = read(fd, b, sizeof b);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (rv->field.len + (size_t)got > EDIT_MAX) {
			close(fd);
			return 1;
		}
		if (cm_buf_add(&rv->field, b, (size_t)got) != 0) {
			got = -1;
			break;
		}
	}
	e = errno;
	close(fd);
	errno = e;
	return got < 0 ? -1 : 0;
}

/*
 * The edit: the draft into a private file, the editor, the file back
 * into text.  Returns 1 when text is the new draft, 0 when it stays as
 * it was (rv->note says why), -1 on ENOMEM.
 */
static int edit(struct cm_review *rv, struct cm_buf *text)
{
	const char *dir = getenv("TMPDIR");
	int fd, status, r, e;
	size_t n;

	cm_buf_reset(&rv->note);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(sig_tmpname, sizeof sig_tmpname,
	    "%s/cm-reply-XXXXXX", dir) >= sizeof sig_tmpname)
		return cm_buf_adds(&rv->note,
		    "$TMPDIR is too long: the draft is unchanged") ? -1 : 0;
	fd = mkstemp(sig_tmpname);
	if (fd < 0)
		return cm_buf_printf(&rv->note, "%s: %s: the draft is unchanged",
		    dir, strerror(errno)) ? -1 : 0;
	sig_tmp = 1;
	r = fchmod(fd, 0600) != 0 ||
	    write_all(fd, text->data ? text->data : "", text->len) != 0 ||
	    write_all(fd, "\n", 1) != 0;
	e = errno;
	if (close(fd) != 0 && r == 0) {
		r = 1;
		e = errno;
	}
	if (r != 0) {
		r = cm_buf_printf(&rv->note, "%s: %s: the draft is unchanged",
		    sig_tmpname, strerror(e)) ? -1 : 0;
		goto out;
	}
	status = run_editor(rv, sig_tmpname);
	if (status == -1) {
		r = cm_buf_printf(&rv->note, "cannot run the editor: %s: "
		    "the draft is unchanged", strerror(errno)) ? -1 : 0;
		goto out;
	}
	if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		r = cm_buf_printf(&rv->note, "the editor %s %d: the draft is "
		    "unchanged", WIFSIGNALED(status) ? "was killed by signal" :
		    "exited with status", WIFSIGNALED(status) ?
		    WTERMSIG(status) : WEXITSTATUS(status)) ? -1 : 0;
		goto out;
	}
	r = read_back(rv, sig_tmpname);
	if (r != 0) {
		if (r < 0 && errno == ENOMEM)
			r = -1;
		else
			r = cm_buf_printf(&rv->note, "%s: %s: the draft is "
			    "unchanged", sig_tmpname, r > 0 ? "over 64 KiB" :
			    strerror(errno)) ? -1 : 0;
		goto out;
	}
	n = rv->field.len;
	while (n > 0 && (rv->field.data[n - 1] == '\n' ||
	    rv->field.data[n - 1] == '\r'))
		n--;
	cm_buf_reset(&rv->old);
	if (cm_buf_add(&rv->old, text->data ? text->data : "", text->len)) {
		r = -1;
		goto out;
	}
	cm_buf_reset(text);
	if (cm_buf_add(text, rv->field.data ? rv->field.data : "", n) != 0) {
		e = errno;
		cm_buf_reset(text);
		r = cm_buf_add(text, rv->old.data, rv->old.len);
		if (r == 0 && e == EMSGSIZE)
			r = cm_buf_adds(&rv->note, "the edited text is too long: "
			    "the draft is unchanged") ? -1 : 0;
		else
			r = -1;
		goto out;
	}
	r = 1;
out:
	unlink(sig_tmpname);
	sig_tmp = 0;
	return r;
}

int cm_review_ask(struct cm_review *rv, const char *line, size_t len,
    size_t n, const char *rule, struct cm_buf *text, const char *why,
    const char *(*check)(void *ctx, struct cm_buf *text), void *ctx,
    enum cm_review_answer *ans, struct cm_error *err)
{
	const char *reason;
	size_t width = term_width(rv);
	int invalid = why != NULL, key, r;

	cm_buf_reset(&rv->out);
	cm_buf_reset(&rv->why);
	if ((why != NULL && cm_buf_adds(&rv->why, why) != 0) ||
	    show_record(rv, line, len, n, width) != 0 ||
	    show_draft(rv, rule, text, invalid, 0, width) != 0 ||
	    cm_buf_adds(&rv->out, prompt) != 0) {
		cm_error_nomem(err, "review");
		return -1;
	}
	catch_signals(rv);
	for (;;) {
		if (flush_out(rv, err) != 0)
			goto fail;
		r = read_key(rv, &key, err);
		if (r < 0)
			goto fail;
		if (r > 0) {
			if (cm_buf_adds(&rv->out, "\n") ||
			    cm_buf_adds(&rv->out, prompt))
				goto nomem;
			continue;
		}
		r = 0;
		switch (key) {
		case 'a':
			if (!invalid) {
				*ans = CM_REVIEW_APPROVE;
				r = cm_buf_adds(&rv->out, "approved\n");
				goto answered;
			}
			r = cm_buf_adds(&rv->out, "cannot approve: ") ||
			    put_safe(&rv->out, rv->why.data ? rv->why.data :
			    "", rv->why.len, WHY_MAX, 0) ||
			    cm_buf_adds(&rv->out, " (edit it or skip)\n");
			break;
		case 's':
			*ans = CM_REVIEW_SKIP;
			r = cm_buf_adds(&rv->out, "skipped\n");
			goto answered;
		case 'q':
			*ans = CM_REVIEW_QUIT;
			r = cm_buf_adds(&rv->out,
			    "quit: this record and the rest stay drafts\n");
			goto answered;
		case '?':
			r = cm_buf_adds(&rv->out, help);
			break;
		case 'e':
			if (flush_out(rv, err) != 0)
				goto fail;
			r = edit(rv, text);
			if (r < 0)
				goto nomem;
			if (r == 0) {
				r = cm_buf_adds(&rv->out, "!! ") ||
				    cm_buf_add(&rv->out, rv->note.data,
				    rv->note.len) ||
				    cm_buf_addc(&rv->out, '\n');
				break;
			}
			reason = check ? check(ctx, text) : NULL;
			invalid = reason != NULL;
			cm_buf_reset(&rv->why);
			width = term_width(rv);
			r = (reason && cm_buf_adds(&rv->why, reason)) ||
			    show_draft(rv, rule, text, invalid, 1, width);
			break;
		default:
			r = cm_buf_adds(&rv->out, "a, e, s, q or ? (? for help)\n");
			break;
		}
		if (r != 0 || cm_buf_adds(&rv->out, prompt) != 0)
			goto nomem;
	}
answered:
	if (r != 0)
		goto nomem;
	if (flush_out(rv, err) != 0)
		goto fail;
	release_signals(rv);
	return 0;
nomem:
	cm_error_nomem(err, "review");
fail:
	release_signals(rv);
	return -1;
}
