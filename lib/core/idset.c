/* idset.c - a set of ids that only grows */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "idset.h"

struct cm_idset_chunk {
	struct cm_idset_chunk *next;
	size_t used, size;
	unsigned char data[];
};

#define IDSET_MIN 1024
#define CHUNK_MIN ((size_t)64 << 10)

void cm_idset_init(struct cm_idset *s)
{
	memset(s, 0, sizeof(*s));
	if (getentropy(s->seed, sizeof(s->seed)) < 0) {
		/* Only collision resistance suffers. */
		s->seed[0] = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)s;
		s->seed[1] = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL;
	}
}

void cm_idset_free(struct cm_idset *s)
{
	struct cm_idset_chunk *c, *next;

	free(s->slots);
	for (c = s->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	s->slots = NULL;
	s->chunks = NULL;
	s->cap = s->n = s->arena_bytes = 0;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

uint64_t cm_idset_hash(const struct cm_idset *s, const void *data, size_t n)
{
	const unsigned char *in = data, *end = in + (n & ~(size_t)7);
	uint64_t v0 = 0x736f6d6570736575ULL ^ s->seed[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ s->seed[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ s->seed[0];
	uint64_t v3 = 0x7465646279746573ULL ^ s->seed[1];
	uint64_t b = (uint64_t)n << 56, m;

	for (; in != end; in += 8) {
		memcpy(&m, in, 8);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	switch (n & 7) {
	case 7: b |= (uint64_t)in[6] << 48;	/* FALLTHROUGH */
	case 6: b |= (uint64_t)in[5] << 40;	/* FALLTHROUGH */
	case 5: b |= (uint64_t)in[4] << 32;	/* FALLTHROUGH */
	case 4: b |= (uint64_t)in[3] << 24;	/* FALLTHROUGH */
	case 3: b |= (uint64_t)in[2] << 16;	/* FALLTHROUGH */
	case 2: b |= (uint64_t)in[1] << 8;	/* FALLTHROUGH */
	case 1: b |= (uint64_t)in[0];		/* FALLTHROUGH */
	default: break;
	}
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}


static unsigned char *arena_alloc(struct cm_idset *s, size_t n)
{
	struct cm_idset_chunk *c = s->chunks;
	unsigned char *p;

	if (c == NULL || c->size - c->used < n) {
		size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;

		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = s->chunks;
		c->used = 0;
		c->size = size;
		s->chunks = c;
		s->arena_bytes += sizeof(*c) + size;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

static int grow(struct cm_idset *s)
{
	size_t cap = s->cap ? s->cap * 2 : IDSET_MIN, i, j;
	struct cm_idset_slot *slots;

	if (cap > SIZE_MAX / sizeof(*slots) ||
	    (slots = calloc(cap, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slots[i].key == NULL)
			continue;
		for (j = s->slots[i].hash & (cap - 1); slots[j].key;
		    j = (j + 1) & (cap - 1))
			;
		slots[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int cm_idset_add(struct cm_idset *s, const char *key, size_t n)
{
	uint64_t h = cm_idset_hash(s, key, n);
	unsigned char *p;
	uint32_t len;
	size_t j;

	if (n > UINT32_MAX)
		return -1;
	if ((s->n + 1) * 4 > s->cap * 3 && grow(s) < 0)
		return -1;
	for (j = h & (s->cap - 1); s->slots[j].key; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j].hash != h)
			continue;
		memcpy(&len, s->slots[j].key, 4);
		if (len == n && memcmp(s->slots[j].key + 4, key, n) == 0)
			return 0;
	}
	if ((p = arena_alloc(s, 4 + n)) == NULL)
		return -1;
	len = (uint32_t)n;
	memcpy(p, &len, 4);
	memcpy(p + 4, key, n);
	s->slots[j].hash = h;
	s->slots[j].key = p;
	s->n++;
	return 1;
}


int cm_idset_has(const struct cm_idset *s, const char *key, size_t n)
{
	uint64_t h;
	uint32_t len;
	size_t j;

	if (s->n == 0)
		return 0;
	h = cm_idset_hash(s, key, n);
	for (j = h & (s->cap - 1); s->slots[j].key; j = (j + 1) & (s->cap - 1)) {
		if (s->slots[j].hash != h)
			continue;
		memcpy(&len, s->slots[j].key, 4);
		if (len == n && memcmp(s->slots[j].key + 4, key, n) == 0)
			return 1;
	}
	return 0;
}

size_t cm_idset_bytes(const struct cm_idset *s)
{
	return s->cap * sizeof(struct cm_idset_slot) + s->arena_bytes;
}
