/* source.c - a source of cm-fetch's command line, resolved */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "source.h"

/* The feeds an adapter has, for a message: "mentions, search:QUERY". */
static void feed_list(const struct cm_adapter *ad, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (const struct cm_feed *f = ad->feeds; f->name && o < size; f++)
		o += (size_t)snprintf(out + o, size - o, "%s%s%s%s",
		    o ? ", " : "", f->name, f->arg ? ":" : "",
		    f->arg ? f->arg : "");
}

/* The feed's lookback, or the account's lookback key. */
static int lookback_of(struct cm_source *src, struct cm_error *err)
{
	const char *v = src->has_account ? cm_config_get(src->cfg, "account",
	    src->account, "lookback") : NULL;
	int64_t s;

	src->lookback = src->feed->lookback;
	if (v == NULL)
		return 0;
	if (cm_duration_parse(v, &s) < 0 || s > CM_LOOKBACK_MAX) {
		cm_config_bad(src->cfg, "account", src->account, "lookback",
		    err, "lookback = %.40s: not a duration of at most 30 "
		    "days (like 0, 90s, 15m, 24h, 7d)", v);
		return -1;
	}
	src->lookback = s;
	return 0;
}

static int resolve_one(const char *spec, const struct cm_config *cfg,
    struct cm_source *src, struct cm_error *err)
{
	const char *colon = strchr(spec, ':'), *rest, *platform;
	char head[256], feeds[512];
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec), fn;
	const struct cm_adapter *ad;
	const struct cm_feed *f;

	memset(src, 0, sizeof(*src));
	src->spec = spec;
	src->cfg = cfg;
	if (n == 0 || n >= sizeof(head)) {
		cm_error_set(err, CM_EXIT_USAGE, "%s: a source is "
		    "ACCOUNT:FEED or PLATFORM:FEED", spec);
		return -1;
	}
	memcpy(head, spec, n);
	head[n] = '\0';
	rest = colon ? colon + 1 : NULL;
	if (cfg && cm_config_has_section(cfg, "account", head)) {
		platform = cm_config_get(cfg, "account", head, "platform");
		if (platform == NULL) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: [account %s] "
			    "has no platform key (%s)", spec, head,
			    cm_config_path(cfg));
			return -1;
		}
		if ((ad = cm_adapter_find(platform, strlen(platform))) ==
		    NULL) {
			cm_config_bad(cfg, "account", head, "platform", err,
			    "platform = %s: cm-fetch cannot fetch from it",
			    platform);
			return -1;
		}
		src->has_account = 1;
		if ((src->account = strdup(head)) == NULL)
			goto nomem;
	} else if ((ad = cm_adapter_find(head, n)) != NULL) {
		src->account = ad->platform;
	} else {
		cm_error_set(err, CM_EXIT_USAGE, "%s: unknown source: %s is "
		    "neither an [account] of the config nor a platform "
		    "cm-fetch knows", spec, head);
		return -1;
	}
	src->ad = ad;
	if (ad->feeds[0].name[0] == '\0') {
		/* demo:N, csv:FILE: the rest is the argument */
		src->feed = &ad->feeds[0];
		src->arg = rest;
	} else {
		if (rest == NULL || *rest == '\0') {
			feed_list(ad, feeds, sizeof(feeds));
			cm_error_set(err, CM_EXIT_USAGE, "%s: no feed (%s has "
			    "%s)", spec, ad->platform, feeds);
			goto fail;
		}
		colon = strchr(rest, ':');
		fn = colon ? (size_t)(colon - rest) : strlen(rest);
		if ((f = cm_adapter_feed(ad, rest, fn)) == NULL) {
			feed_list(ad, feeds, sizeof(feeds));
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s has no feed "
			    "'%.*s' (it has %s)", spec, ad->platform, (int)fn,
			    rest, feeds);
			goto fail;
		}
		src->feed = f;
		src->arg = colon ? colon + 1 : NULL;
		if (f->arg && (src->arg == NULL || *src->arg == '\0')) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s:%s needs %s",
			    spec, ad->platform, f->name, f->arg);
			goto fail;
		}
		if (!f->arg && src->arg) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s takes "
			    "nothing after it", spec, f->name);
			goto fail;
		}
		if (f->account && !src->has_account) {
			cm_error_set(err, CM_EXIT_USAGE, "%s: %s is read "
			    "through an account: add an [account NAME] "
			    "section with platform = %s to the config and "
			    "use NAME:%s", spec, f->name, ad->platform,
			    f->name);
			goto fail;
		}
	}
	if (lookback_of(src, err) < 0 || ad->check(src, err) < 0)
		goto fail;
	return 0;
nomem:
	cm_error_nomem(err, spec);
fail:
	cm_source_free(src);
	return -1;
}

int cm_source_resolve(const char *spec, const struct cm_config *cfg,
    struct cm_source *src, size_t *n, struct cm_error *err)
{
	char *key;
	size_t i;

	*n = 0;
	if (resolve_one(spec, cfg, &src[0], err) < 0)
		return -1;
	if (src[0].feed->parts[0] == NULL) {
		if ((src[0].key = strdup(spec)) == NULL)
			goto nomem;
		*n = 1;
		return 0;
	}
	for (i = 0; i < CM_FEED_MAX_PARTS && src[0].feed->parts[i]; i++) {
		if (i > 0) {
			src[i] = src[0];
			src[i].key = NULL;
			if (src[0].has_account &&
			    (src[i].account = strdup(src[0].account)) == NULL)
				goto nomem;
		}
		src[i].part = src[0].feed->parts[i];
		if (asprintf(&key, "%s#%s", spec, src[i].part) < 0)
			goto nomem;
		src[i].key = key;
		*n = i + 1;
	}
	return 0;
nomem:
	for (i = 0; i <= *n && i < CM_FEED_MAX_PARTS; i++)
		cm_source_free(&src[i]);
	*n = 0;
	cm_error_nomem(err, spec);
	return -1;
}

/* One line of cm_source_list for feed f of head: "head:feed[:]\tplatform: help". */
static int list_feed(struct cm_buf *out, const char *head,
    const struct cm_adapter *ad, const struct cm_feed *f)
{
	int r = cm_buf_adds(out, head);

	if (f->name[0])
		r |= cm_buf_printf(out, ":%s", f->name);
	if (f->arg)
		r |= cm_buf_addc(out, ':');
	return r | cm_buf_printf(out, "\t%s: %s\n", ad->platform, f->help);
}

struct list_ctx {
	const struct cm_config *cfg;
	struct cm_buf *out;
	int failed;
};

static void list_account(const char *name, void *arg)
{
	struct list_ctx *c = arg;
	const char *platform = cm_config_get(c->cfg, "account", name,
	    "platform");
	const struct cm_adapter *ad;

	/* A section cm-fetch cannot use is left out here; a run that names
	 * it says why. */
	if (name == NULL || *name == '\0' || strchr(name, ':') ||
	    platform == NULL || (ad = cm_adapter_find(platform,
	    strlen(platform))) == NULL)
		return;
	for (const struct cm_feed *f = ad->feeds; f->name; f++)
		if (list_feed(c->out, name, ad, f) < 0)
			c->failed = 1;
}

int cm_source_list(const struct cm_config *cfg, struct cm_buf *out)
{
	struct list_ctx c = { cfg, out, 0 };
	struct cm_source src[CM_FEED_MAX_PARTS];
	struct cm_error err;
	size_t n;

	if (cfg)
		cm_config_each_section(cfg, "account", list_account, &c);
	for (size_t i = 0; cm_adapters[i]; i++) {
		const struct cm_adapter *ad = cm_adapters[i];

		if (cfg && cm_config_has_section(cfg, "account", ad->platform))
			continue;
		for (const struct cm_feed *f = ad->feeds; f->name; f++) {
			if (f->account)
				continue;
			/* demo alone, without its argument: when the source
			 * resolves so (no config, so no secret is read) */
			if (f->name[0] == '\0' && cm_source_resolve(
			    ad->platform, NULL, src, &n, &err) == 0) {
				for (size_t k = 0; k < n; k++)
					cm_source_free(&src[k]);
				if (cm_buf_printf(out, "%s\t%s: %s\n",
				    ad->platform, ad->platform, f->help) < 0)
					c.failed = 1;
			}
			if (list_feed(out, ad->platform, ad, f) < 0)
				c.failed = 1;
		}
	}
	return c.failed ? -1 : 0;
}

void cm_source_free(struct cm_source *src)
{
	if (src->has_account)
		free((char *)src->account);
	free((char *)src->key);
	src->key = NULL;
	src->account = NULL;
	src->has_account = 0;
}
