/* rules.h - cm-reply's rules file: rules in order, each a match (the
 * flags of cm-filter and a jq expression) and a template */
#ifndef CM_RULES_H
#define CM_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

/*
 * The format (cm-reply(1), RULES FILE):
 *
 *	# a comment; blank lines are ignored
 *	[rule refund]
 *	platform = mastodon,bluesky
 *	match = refund|money back
 *	when = .score.intent == "complaint"
 *	template = "Hi \(first_name), sorry about that: DM us your order."
 *
 * A section "[rule NAME]" starts a rule (NAME: letters, digits, '-', '_',
 * '.', at most 128 bytes, unique in the file).  "key = value" lines
 * follow; the value is the rest of the line, raw (no quoting, no
 * comments: a jq string keeps its quotes and backslashes), trimmed; a
 * line that starts with white space continues the value above it, after
 * a newline, trimmed too; a blank line ends a value.  A line whose first
 * character is '#' is a comment (inside an indented jq value, '#' is
 * jq's own comment).  Keys: the options of cm-filter without their
 * dashes (platform, kind, reason, lang, author, label, since, until,
 * min_followers, min_priority, match, ignore_case, and intent:
 * score.intent is one of a list; "min-followers" is the same key), "when"
 * (a jq expression: the rule matches when its first output is truthy),
 * "template" (a jq expression whose first output is the reply's text: a
 * string), and "spam = yes" (the rule answers records scored as spam
 * too; ignore_case and spam take yes, no, true, false, 1 or 0).  Every
 * rule has a template.  Lists are comma-separated (white space around
 * items allowed) and join when given again; match may be given more than
 * once (each must match); any other key given twice is an error.  Only
 * when and template go on over several lines.  Every part of a rule must
 * hold for it to match.  The first rule that matches a record drafts its
 * reply.  Files are UTF-8 without control characters but tab (and CRLF
 * line ends).
 *
 * Templates and "when" expressions are compiled once, into one jq
 * program, with the helpers of cm_rules_helpers defined before them;
 * names that start with __cm_ are the program's own.  In them, env and
 * $ENV are empty: a rules file cannot put the environment (a token) into
 * a reply.  An expression must be one whole jq expression: its brackets
 * balanced and its strings closed within its value.
 */
struct cm_rules;

/* The jq definitions every template and when expression can use:
 * first_name, handle, shorten(n) (cm-reply(1), TEMPLATES). */
extern const char cm_rules_helpers[];

/*
 * Parses the rules file data[0..len) called name (for messages: "NAME:LINE:
 * reason"; a jq expression's error names the rule and key, "NAME:LINE:
 * rule R: template: REASON", at the line libjq points at).  now is the time relative since/until count back from.
 * Returns NULL with *err (status 2) on any error: the first one, named by
 * file and line; ENOMEM as status 75.  The input is untrusted: any bytes
 * give a rules set or an error, and sizes are bounded (CM_RULES_MAX_*).
 */
#define CM_RULES_MAX_RULES 1000
#define CM_RULES_MAX_VALUE 65536	/* bytes of one value */
struct cm_rules *cm_rules_parse(const char *name, const char *data,
    size_t len, int64_t now, struct cm_error *err);
/* Reads and parses path (at most 4 MiB). */
struct cm_rules *cm_rules_load(const char *path, int64_t now,
    struct cm_error *err);
/* One rule from --template EXPR (and no match: it matches every
 * record), named "template"; errors read "--template: reason". */
struct cm_rules *cm_rules_template(const char *expr, struct cm_error *err);
void cm_rules_free(struct cm_rules *r);

size_t cm_rules_count(const struct cm_rules *r);

/*
 * The draft for the record line[0..len) (a valid JSON object): returns 1
 * with the first matching rule's name in *rule (owned by r) and its
 * template's text in *text (emptied first), 0 when no rule matches, -1
 * when the matching rule's template failed: no string (null, a number,
 * no output) or a jq error, with the reason in *why (emptied first) and
 * the rule in *rule.  A jq error (or halt_error) of a rule's when is a
 * failure of that rule too ("when: jq error: ..."), never a silent
 * mismatch that would let a later rule answer.  A line that is not JSON
 * after all gives -1 with *rule NULL.  A rule without spam = yes does not
 * match a record whose score.intent is "spam" unless include_spam.  -2 on
 * ENOMEM.
 */
int cm_rules_draft(struct cm_rules *r, const char *line, size_t len,
    int include_spam, const char **rule, struct cm_buf *text,
    struct cm_buf *why);

#endif
