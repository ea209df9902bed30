/* replytext.h - whether a reply a platform shows is the text cm sent, for
 * the adapters' look before a retry */
#ifndef CM_REPLYTEXT_H
#define CM_REPLYTEXT_H

#include <stddef.h>

/*
 * 1 when the text a platform shows a[0..an) (Mastodon's content as
 * cm_htmltext gives it, Reddit's body) is the text b[0..bn) that was
 * posted, 0 when not.  The platforms render what they are sent: runs of
 * white space (line breaks, paragraphs; Unicode's, no-break spaces too)
 * count as one space and the ends are trimmed, and a mention "@user@domain" counts as "@user", which is
 * how Mastodon shows a mention of a known account.  Nothing else is
 * forgiven: another reply of the account to the same target is not ours.
 */
int cm_reply_text_eq(const char *a, size_t an, const char *b, size_t bn);

#endif
