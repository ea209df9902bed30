/* facets.h - Bluesky's rich-text facets of a text: mentions and links
 * with their UTF-8 byte ranges */
#ifndef CM_FACETS_H
#define CM_FACETS_H

#include <stddef.h>

enum cm_facet_kind { CM_FACET_MENTION, CM_FACET_LINK, CM_FACET_TAG };

/*
 * A facet: bytes [start, end) of the text.  For a mention the handle is
 * text[start+1 .. end) (after the '@'); for a link the URI is
 * text[start .. end); for a tag, the tag is text[start+1 .. end).
 */
struct cm_facet {
	enum cm_facet_kind kind;
	size_t start, end;
};

/*
 * Finds the facets of text[0..len) as Bluesky's own clients do
 * (@atproto/api's RichText.detectFacets): a mention is '@' at the start
 * or after white space or '(' and a handle (labels of letters, digits
 * and '-', at least two, joined by '.'), a link an http:// or https://
 * URL up to white space (trailing punctuation .,;:!? and an unbalanced
 * ')' left out), a tag '#' and a word that is not all digits.  Writes at
 * most max facets to out, in text order, and returns how many there are
 * (more than max: only max written).  Facets never overlap: where the
 * client's would, the first is kept.  Unlike the client, it checks a
 * handle's syntax (labels of at most 63, no '-' at either end, the last
 * starting with a letter) but not its top-level domain against a list
 * (the PDS's resolveHandle is the judge), and finds no link without a
 * scheme, no cashtag ($ABC) and no tag after a full-width '＃'.
 */
size_t cm_facets_find(const char *text, size_t len, struct cm_facet *out,
    size_t max);

#endif
