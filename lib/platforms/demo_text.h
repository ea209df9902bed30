/* demo_text.h - the words of the demo generator (demo_text.c): templates,
 * slot fillers and names; internal to lib/fetch */
#ifndef CM_DEMO_TEXT_H
#define CM_DEMO_TEXT_H

/*
 * demo_text.c holds what the demo's people and the brand write, and
 * nothing of how records are made; demo.c (the generator) picks from it
 * with its own random stream, so the order and length of every list is
 * part of what a seed gives.  All of it is constant, static storage.
 */

/* The languages of the demo's people. */
enum { L_EN, L_ES, L_FR, L_DE, L_PT, L_JA, NLANG };

/* What a record is about; the first NT index the text tables. */
enum { I_PRAISE, I_COMPLAINT, I_QUESTION, I_REQUEST, I_SARCASM, I_OTHER,
	I_OUTAGE, I_CHAT_AT, I_CHAT, I_FU_THANKS, I_FU_STILL, I_FU_DONE, NT,
	I_SPAM = NT, I_NEWS };

/* The brand's replies, by what they answer. */
enum { R_COMPLAINT, R_OUTAGE, R_QUESTION, R_REQUEST, R_PRAISE, R_OTHER,
	R_STILL, R_THANKS, NR };

/* Kinds of product, for what goes wrong with them. */
enum { C_SERVICE, C_APP, C_HW, C_PAY, NCAT };

/* A list of strings to pick from. */
struct cm_demo_list {
	const char *const *v;
	unsigned n;
};

/*
 * Templates.  Slots: %p product, %P product as a hashtag word, %B brand
 * name, %b brand handle, %h whom the text answers (as mentioned on the
 * platform), %o someone else, %d duration, %f feature, %i what is wrong
 * with the product, %n order number, %m price, %v version, %u a link,
 * %l a help page, %a an agent's name, %e %x %q a happy, angry, neutral
 * emoji, %% a percent sign.  A hashtag or mention needs a space before
 * it; order numbers are "#" and digits, which no platform takes for a
 * hashtag.  Only spam says airdrop, giveaway, crypto or USDT.
 */
extern const struct cm_demo_list cm_demo_texts[NLANG][NT];
extern const struct cm_demo_list cm_demo_replies[NLANG][NR];
extern const struct cm_demo_list cm_demo_news[NLANG];
extern const struct cm_demo_list cm_demo_news_summary;
extern const struct cm_demo_list cm_demo_spam;	/* word for word, by bots */
extern const struct cm_demo_list cm_demo_hn_story, cm_demo_hn_comment,
    cm_demo_hn_outage;
extern const struct cm_demo_list cm_demo_brand_posts;

/* YouTube comments, each with what it is about. */
struct cm_demo_yt {
	const char *s;
	int intent;
};
extern const struct cm_demo_yt cm_demo_yt_comments[];
extern const unsigned cm_demo_nyt_comments;

/* Slot fillers. */
extern const struct cm_demo_list cm_demo_issues[NCAT];
extern const struct cm_demo_list cm_demo_durations[NLANG];
extern const struct cm_demo_list cm_demo_features[NLANG];
extern const struct cm_demo_list cm_demo_money[NLANG];
extern const struct cm_demo_list cm_demo_emoji_pos, cm_demo_emoji_neg,
    cm_demo_emoji_neu;
extern const struct cm_demo_list cm_demo_help_topics, cm_demo_agents;

/* Decoration, English only: slang at either end, hashtags. */
extern const struct cm_demo_list cm_demo_pre_neg, cm_demo_pre_pos,
    cm_demo_pre_neu, cm_demo_post_neg, cm_demo_post_pos, cm_demo_post_neu;
extern const struct cm_demo_list cm_demo_tags_neg, cm_demo_tags_pos,
    cm_demo_tags_outage;

/* People's names, by first language (none for L_JA, which has its own:
 * as written, and in romaji for handles). */
extern const struct cm_demo_list cm_demo_first_names[NLANG];
extern const struct cm_demo_list cm_demo_last_names[NLANG];
extern const char *const cm_demo_ja_family[][2];
extern const char *const cm_demo_ja_given[][2];
extern const unsigned cm_demo_nja_family, cm_demo_nja_given;
extern const struct cm_demo_list cm_demo_syllables, cm_demo_handle_words;
extern const struct cm_demo_list cm_demo_name_emoji, cm_demo_name_roles;
extern const char *const cm_demo_name_flag[NLANG];
extern const struct cm_demo_list cm_demo_reddit_adj, cm_demo_reddit_noun;
/* Spam accounts: a name, and the handle at the same index. */
extern const struct cm_demo_list cm_demo_bot_names, cm_demo_bot_handles;

#endif
