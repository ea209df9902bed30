/* utf8.h - UTF-8 validation and decoding */
#ifndef CM_UTF8_H
#define CM_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (2 to 4) of the valid multi-byte UTF-8 sequence at p (at most n
 * bytes available), or 0 when it is not one: overlong forms, surrogates
 * and code points above U+10FFFF are invalid (RFC 3629).  For an ASCII
 * byte it returns 1.
 */
size_t cm_utf8_valid_prefix(const unsigned char *p, size_t n);

/* Decodes the sequence of length k (from cm_utf8_valid_prefix). */
uint32_t cm_utf8_decode(const unsigned char *p, size_t k);

/* Encodes cp (<= 0x10FFFF) into out; returns the length 1 to 4. */
size_t cm_utf8_encode(uint32_t cp, unsigned char out[4]);

#endif
