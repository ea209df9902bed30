/* idset.h - a set of ids (byte strings) that only grows, hashed with a
 * key of its own */
#ifndef CM_IDSET_H
#define CM_IDSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * Open addressing with linear probing over slots that keep each id's
 * full 64-bit hash (compared before the bytes, and used to grow without
 * hashing again) and a pointer to the id in an arena, where ids are
 * stored back to back behind a 4-byte length.  The table doubles when
 * three quarters full, so a distinct id costs its length, 5 bytes, and
 * 21 to 43 bytes of table.  Nothing is ever removed.  The hash is
 * SipHash-1-3 keyed per set: ids come from strangers, and a fixed hash
 * would let them be chosen to collide.
 */
struct cm_idset_slot {
	uint64_t hash;
	const unsigned char *key;	/* NULL: empty */
};

struct cm_idset_chunk;

struct cm_idset {
	struct cm_idset_slot *slots;
	size_t cap, n;
	struct cm_idset_chunk *chunks;
	size_t arena_bytes;
	uint64_t seed[2];
};

/* An empty set with a fresh key; nothing is allocated yet. */
void cm_idset_init(struct cm_idset *s);
void cm_idset_free(struct cm_idset *s);

/* The set's keyed hash of data[0..n), for tables of the caller's that
 * hold the same ids. */
uint64_t cm_idset_hash(const struct cm_idset *s, const void *data, size_t n);

/* Adds key[0..n): 1 when it is new, 0 when it was there already, -1 on
 * ENOMEM. */
int cm_idset_add(struct cm_idset *s, const char *key, size_t n);
/* 1 when key[0..n) is in the set, else 0. */
int cm_idset_has(const struct cm_idset *s, const char *key, size_t n);

/* The memory the set holds. */
size_t cm_idset_bytes(const struct cm_idset *s);

#endif
