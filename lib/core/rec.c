/* rec.c - one cm record from its fields, as one JSON line */
#include <string.h>

#include "rec.h"
#include "text.h"
#include "timeutil.h"

void cm_rec_init(struct cm_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->author.followers = CM_REC_NULL;
	r->author.verified = -1;
	r->likes = r->reposts = r->replies = r->quotes = CM_REC_NULL;
}

static int str(struct cm_buf *b, const char *name, const char *s, int nullable)
{
	int r = cm_buf_printf(b, "\"%s\":", name);

	if (s == NULL && nullable)
		return r | cm_buf_adds(b, "null");
	s = s ? s : "";
	return r | cm_buf_add_json_string(b, s, strlen(s));
}

static int count(struct cm_buf *b, const char *name, int64_t v)
{
	if (v == CM_REC_NULL)
		return cm_buf_printf(b, "\"%s\":null", name);
	return cm_buf_printf(b, "\"%s\":%lld", name, (long long)v);
}

static int time_field(struct cm_buf *b, const char *name, int64_t t)
{
	char stamp[21];

	cm_time_format(t, stamp);
	return cm_buf_printf(b, "\"%s\":\"%s\"", name, stamp);
}

static int list(struct cm_buf *b, const char *name, const char *const *v,
    size_t n)
{
	int r = cm_buf_printf(b, "\"%s\":[", name);

	for (size_t i = 0; i < n; i++) {
		if (i)
			r |= cm_buf_addc(b, ',');
		r |= cm_buf_add_json_string(b, v[i], strlen(v[i]));
	}
	return r | cm_buf_addc(b, ']');
}

int cm_rec_write(const struct cm_rec *rec, struct cm_buf *b)
{
	const struct cm_rec_author *a = &rec->author;
	size_t start = b->len;
	int r = cm_buf_addc(b, '{');

	r |= str(b, "id", rec->id, 0) | cm_buf_addc(b, ',');
	r |= str(b, "platform", rec->platform, 0) | cm_buf_addc(b, ',');
	r |= str(b, "kind", rec->kind, 0) | cm_buf_addc(b, ',');
	r |= str(b, "reason", rec->reason, 0) | cm_buf_addc(b, ',');
	r |= time_field(b, "created_at", rec->created_at) | cm_buf_addc(b, ',');
	r |= str(b, "url", rec->url, 0);
	r |= cm_buf_adds(b, ",\"author\":{");
	r |= str(b, "id", a->id, 0) | cm_buf_addc(b, ',');
	r |= str(b, "handle", a->handle, 0) | cm_buf_addc(b, ',');
	r |= str(b, "name", a->name, 0) | cm_buf_addc(b, ',');
	r |= str(b, "url", a->url, 0) | cm_buf_addc(b, ',');
	r |= count(b, "followers", a->followers);
	r |= cm_buf_printf(b, ",\"verified\":%s,\"is_brand\":%s},",
	    a->verified < 0 ? "null" : a->verified ? "true" : "false",
	    a->is_brand ? "true" : "false");
	r |= cm_buf_adds(b, "\"text\":");
	r |= cm_buf_add_json_string(b, rec->text ? rec->text : "",
	    rec->text ? rec->text_len : 0) | cm_buf_addc(b, ',');
	r |= str(b, "lang", rec->lang, 1) | cm_buf_addc(b, ',');
	r |= str(b, "in_reply_to", rec->in_reply_to, 1) | cm_buf_addc(b, ',');
	r |= str(b, "thread", rec->thread, 1) | cm_buf_addc(b, ',');
	if (rec->tokens_given) {
		r |= list(b, "tags", rec->tags, rec->ntags) |
		    cm_buf_addc(b, ',');
		r |= list(b, "mentions", rec->mentions, rec->nmentions) |
		    cm_buf_addc(b, ',');
		r |= list(b, "links", rec->links, rec->nlinks);
	} else {
		struct cm_text_fields f;
		const char *t = rec->text ? rec->text : "";
		size_t n = rec->text ? rec->text_len : 0;

		cm_text_fields(t, n, &f);
		r |= cm_buf_adds(b, "\"tags\":") |
		    cm_text_fields_json(b, t, &f, CM_TEXT_TAG);
		r |= cm_buf_adds(b, ",\"mentions\":") |
		    cm_text_fields_json(b, t, &f, CM_TEXT_MENTION);
		r |= cm_buf_adds(b, ",\"links\":") |
		    cm_text_fields_json(b, t, &f, CM_TEXT_LINK);
	}
	r |= cm_buf_adds(b, ",\"metrics\":{");
	r |= count(b, "likes", rec->likes) | cm_buf_addc(b, ',');
	r |= count(b, "reposts", rec->reposts) | cm_buf_addc(b, ',');
	r |= count(b, "replies", rec->replies) | cm_buf_addc(b, ',');
	r |= count(b, "quotes", rec->quotes);
	r |= cm_buf_adds(b, "},\"source\":{");
	r |= str(b, "account", rec->account, 0) | cm_buf_addc(b, ',');
	r |= str(b, "feed", rec->feed, 0) | cm_buf_addc(b, ',');
	r |= time_field(b, "fetched_at", rec->fetched_at) | cm_buf_addc(b, '}');
	if (rec->extra_name && rec->extra)
		r |= cm_buf_printf(b, ",\"%s\":", rec->extra_name) |
		    cm_buf_add(b, rec->extra, rec->extra_len);
	if (rec->raw)
		r |= cm_buf_adds(b, ",\"raw\":") |
		    cm_buf_add(b, rec->raw, rec->raw_len);
	r |= cm_buf_addc(b, '}');
	if (r < 0) {
		/* Nothing half written stays behind. */
		b->len = start;
		if (b->data)
			b->data[start] = '\0';
		return -1;
	}
	return 0;
}
