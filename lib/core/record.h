/* record.h - emit a record's original bytes with one member added or replaced */
#ifndef CM_RECORD_H
#define CM_RECORD_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends to out the record line[0..len) (a valid JSON object) with the
 * top-level member name set to value (value_len bytes of valid JSON):
 * when the member exists its value bytes are replaced in place (the last
 * one, where a name repeats), otherwise ",\"name\":value" is inserted
 * before the closing brace.  Every other byte is kept as it was.  No
 * newline is added.  name must not contain '.'.  Returns 0, or -1 (not
 * an object, a dotted name, or out's limit).
 */
int cm_record_set(const char *line, size_t len, const char *name,
    const char *value, size_t value_len, struct cm_buf *out);

#endif
