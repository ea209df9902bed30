/* demo_text.c - the words of the demo generator: templates, slot
 * fillers, names */
#include <stddef.h>

#include "demo_text.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define TS(a) { a, NELEM(a) }

/* What people write, by language and intent; the slots are in
 * demo_text.h. */
static const char *const en_praise[] = {
	"%p is honestly the best thing I bought this year",
	"shoutout to %B support, fixed my issue in 10 minutes",
	"just set up %p, took 5 minutes. love it",
	"not bad at all, %p exceeded my expectations",
	"10/10 would recommend %p",
	"the new %p update is 🔥",
	"ok %p is actually really good",
	"Big thanks to the %B team!!!",
	"wifi in the whole house finally works thanks to %p",
	"never had a single issue with %p. solid.",
	"can't believe how fast %p is. wow",
	"Love love LOVE my new %p",
	"%B support is the best, they replaced my %p no questions asked",
	"not gonna lie, I didn't expect %p to be this good",
	"my %p just works. that's all I want from tech",
	"%v fixed every bug I had with %p. nice work %B",
	"Switched to %p last month and I'm not going back",
	"the battery life on %p is unreal",
	"Thank you %B for actually listening to feedback, %f is great",
	"sooo happy with %p, best purchase in ages",
	"credit where it's due: %B refunded me in 2 days, no fuss",
	"%p setup was painless and the app is clean. well done",
};

static const char *const en_complaint[] = {
	"still waiting on my refund for order #%n, it's been %d",
	"%d and no refund. order #%n. what is going on?",
	"I returned %p %d ago and still no refund. this is theft at this point",
	"my %p arrived broken. box was fine, screen cracked",
	"%p %i. this is ridiculous",
	"3rd replacement unit and it still has the same problem",
	"%p %i and support just sends me the same FAQ link",
	"ordered %p %d ago, tracking hasn't moved since Monday",
	"where is my order?? #%n. paid for express shipping %d ago",
	"you charged me twice this month. order #%n",
	"cancelled my subscription and you still charged me %m. fix this",
	"how hard can it be to cancel a subscription?? trying for %d",
	"worst customer service ever. never again",
	"been on hold for 45 minutes. 45. MINUTES.",
	"your chatbot is useless. I need a human",
	"not impressed with %p at all. wouldn't recommend",
	"don't buy %p. just don't.",
	"can't log in to %p and the reset email never arrives",
	"%p %i since %v. please fix",
	"paid %m for %p and it %i. not ok",
	"my %p %i. I want a refund, not another troubleshooting guide",
	"delivery was due %d ago. still nothing, no reply to emails either",
	"never again. cancelling %p today",
	"%B why is it impossible to talk to a real person??",
	"the %p price went up to %m without any warning. not cool",
};

static const char *const en_question[] = {
	"how do I export my data from %p?",
	"when will %f be available in %p?",
	"any idea why %p %i?",
	"where can I find the invoice for order #%n?",
	"is %p down right now?",
	"anyone know if %p supports %f?",
	"what's the ETA on the fix for %p?",
	"can I change my billing date for %p?",
	"how long does a refund usually take? asking for order #%n",
	"is there a way to pause my %p subscription?",
	"quick question: does the %p warranty cover water damage?",
	"how do I factory reset %p? the manual doesn't say",
	"which plan do I need for %f?",
	"when does %v roll out to everyone?",
	"does %p work without an account?",
	"anyone using %p with a mesh setup? worth it?",
	"why was I charged %m when my plan says less?",
	"how do I move %p to a new phone?",
	"is %p worth it or should I wait for the next one?",
	"can someone from %B explain why my order was cancelled?",
};

static const char *const en_request[] = {
	"please add %f to %p",
	"can you add %f? 🙏",
	"would love to see %f in %p",
	"any chance of %f? pretty please",
	"pls bring back the old dashboard",
	"feature request: %f",
	"%B please let us turn off the new home screen",
	"dear %B, %f. that's it. that's the post",
	"pleaseee add %f, I'd pay extra for it",
	"can you fix the contrast in %v? it's unreadable",
	"give us %f in %p and I'll never complain again",
	"%B: %f when?",
};

static const char *const en_sarcasm[] = {
	"great, another outage 🙄",
	"love waiting %d for a refund. really great experience",
	"wow, 45 minutes on hold, truly world-class service 👏",
	"oh good, %p logged me out again. my favourite hobby",
	"thanks for the \"update\" that broke everything, really appreciated",
	"nothing says premium like a router that reboots every hour 🙃",
	"10/10 would wait 3 weeks for a replacement again /s",
	"so glad I pay %m a month for %p to be down every Tuesday",
	"cool cool cool, %p %i. love that for me",
	"amazing how %p %i right when I need it most. impressive really",
	"fantastic, the update moved every button. exactly what nobody asked for",
};

static const char *const en_other[] = {
	"just got %p, let's see how it goes",
	"setting up %p this weekend. wish me luck",
	"switched from my old router to %p today",
	"%B just announced %p with %f",
	"reading the %p release notes for %v",
	"unboxing %p 📦",
	"%p %v is rolling out now",
	"my dad asked me to set up his %p. here we go",
	"comparing %p with the competition for a review, thoughts later",
	"day 3 with %p. so far so good",
	"%B event is on tomorrow, expecting a new %p",
	"picking up my %p from the %B store today",
};

static const char *const en_outage[] = {
	"is %p down? can't log in for the last hour",
	"%p down AGAIN?? I have a deadline in 2 hours",
	"anyone else getting errors on %p right now?",
	"%p status page says everything is fine. it is not fine 🙃",
	"502 on %p. every. single. time.",
	"great, another outage 🙄",
	"%p is down and your status page is green. come on",
	"WHY IS %p DOWN AGAIN",
	"day ruined. %p has been down since this morning #outage",
	"%B what's going on with %p? nothing loads",
	"%p is down, my whole team is just sitting here",
};

static const char *const en_chat_at[] = {
	"%h same here, mine's been like this for %d",
	"%h +1, exact same problem",
	"%h have you tried a factory reset? fixed it for me",
	"%h DM them, they sorted mine in a day",
	"%h mine works fine tbh. maybe a firmware thing?",
	"%h lol same 😅",
	"%h this. so much this.",
	"%h which version are you on? %v broke it for me",
	"%h did they ever get back to you?",
	"%h agree, %p is great for the price",
	"%h oof. hope you get your money back",
	"%h try unplugging it for 30 seconds, worked for me",
};

static const char *const en_chat[] = {
	"Same here, mine's been like this for %d.",
	"+1, exact same problem.",
	"Have you tried a factory reset? Fixed it for me.",
	"Contact support directly, they sorted mine in a day.",
	"Mine works fine. Maybe a firmware thing?",
	"Which version are you on? %v broke it for me.",
	"Did they ever get back to you?",
	"This is the way.",
	"Agree, %p is great for the price.",
	"Had the same issue, turned out to be the power adapter.",
	"I'd return it while you still can.",
	"Not bad for the price, but the app needs work.",
};

static const char *const en_fu_thanks[] = {
	"%h thanks, DMed you 👍",
	"%h done, sent you a DM",
	"%h ok, DM sent. order #%n",
	"%h thank you for the quick reply!",
	"%h sent, thanks",
};

static const char *const en_fu_still[] = {
	"%h I did, 2 days ago. still nothing.",
	"%h this is the third time I've been told to DM you. nobody answers DMs",
	"%h still broken after the reset 😩",
	"%h any update? it's been %d",
	"%h that didn't help. at all.",
};

static const char *const en_fu_done[] = {
	"%h that worked, thank you!! 🙏",
	"%h all sorted now, thanks for the help",
	"%h refund just arrived. thanks!",
	"%h fixed! you guys are great",
};

static const char *const es_praise[] = {
	"Me encanta %p, funciona genial",
	"El soporte de %B me lo solucionó en 10 minutos 👏",
	"%p es lo mejor que he comprado este año",
	"No está nada mal %p, la verdad",
	"Gracias %B, todo perfecto con mi pedido",
};
static const char *const es_complaint[] = {
	"Llevo %d esperando el reembolso del pedido #%n. Vergonzoso.",
	"Mi %p llegó roto. Nunca más compro en %B.",
	"%p no funciona desde la actualización %v",
	"Me habéis cobrado dos veces este mes. Pedido #%n",
	"El peor servicio al cliente que he visto. Nunca más.",
	"El pedido #%n tenía que llegar hace %d y nada",
};
static const char *const es_question[] = {
	"¿Alguien más tiene problemas con %p? No me deja iniciar sesión",
	"¿Cuándo llega %f a %p?",
	"¿Cómo exporto mis datos de %p?",
	"¿%p funciona sin cuenta?",
	"¿Dónde descargo la factura del pedido #%n?",
	"¿Cómo se cancela la suscripción? Llevo %d intentándolo",
};
static const char *const es_request[] = {
	"Por favor añadid %f a %p 🙏",
	"¿Podéis añadir %f?",
	"Ojalá %p tuviera %f",
};
static const char *const es_sarcasm[] = {
	"Genial, otra caída 🙄 justo hoy",
	"Qué maravilla esperar %d por un reembolso 👏",
};
static const char *const es_other[] = {
	"Acabo de comprar %p, ya os contaré",
	"Probando %p este fin de semana",
};
static const char *const es_outage[] = {
	"¿%p caído otra vez? No puedo entrar",
	"%p no carga nada desde hace una hora 😡",
};
static const char *const es_chat_at[] = {
	"%h a mí me pasa lo mismo desde hace %d",
	"%h prueba a reiniciarlo, a mí me funcionó",
	"%h +1, igual",
};
static const char *const es_chat[] = {
	"A mí me pasa lo mismo.",
	"Prueba a reiniciarlo, a mí me funcionó.",
	"Escríbeles por privado, a mí me respondieron rápido.",
};
static const char *const es_fu_thanks[] = {
	"%h gracias, os escribo por privado",
	"%h enviado, gracias 👍",
};
static const char *const es_fu_still[] = {
	"%h ya lo hice hace %d y nada",
	"%h sigue sin funcionar 😩",
};
static const char *const es_fu_done[] = {
	"%h ¡solucionado, gracias!",
	"%h ya me ha llegado el reembolso, gracias 🙏",
};

static const char *const fr_praise[] = {
	"Franchement, %p c'est top 👍",
	"Service client %B au top, problème réglé en 10 minutes",
	"Pas mal du tout ce %p",
	"%p est le meilleur achat de l'année",
	"Merci %B, commande reçue en parfait état",
};
static const char *const fr_complaint[] = {
	"Toujours pas de remboursement après %d… sérieusement ?",
	"Mon %p est arrivé cassé. Jamais plus.",
	"%p ne marche plus depuis la mise à jour %v",
	"Impossible de résilier mon abonnement, ça fait %d que j'essaie",
	"Débité deux fois ce mois-ci. Commande #%n",
	"Pas terrible la dernière mise à jour de %p",
	"Service client injoignable, c'est honteux",
};
static const char *const fr_question[] = {
	"%p est en panne depuis ce matin ?",
	"Quand est-ce que %f arrive sur %p ?",
	"Comment exporter mes données de %p ?",
	"Où trouver la facture de la commande #%n ?",
};
static const char *const fr_request[] = {
	"Vous pouvez ajouter %f svp ?",
	"Ce serait top d'avoir %f dans %p 🙏",
	"Merci d'ajouter %f, vraiment",
};
static const char *const fr_sarcasm[] = {
	"Super, encore une panne 🙄",
	"Génial d'attendre %d pour un remboursement 👏",
};
static const char *const fr_other[] = {
	"Je viens de recevoir mon %p, on va voir",
	"Installation de %p ce week-end",
};
static const char *const fr_outage[] = {
	"%p en panne encore ? Impossible de me connecter",
	"Rien ne charge sur %p depuis une heure 😡",
};
static const char *const fr_chat_at[] = {
	"%h pareil chez moi depuis %d",
	"%h essaie de le redémarrer, ça a marché pour moi",
	"%h +1, même problème",
};
static const char *const fr_chat[] = {
	"Pareil chez moi.",
	"Essaie de le redémarrer, ça a marché pour moi.",
	"Écris-leur en privé, ils m'ont répondu vite.",
};
static const char *const fr_fu_thanks[] = {
	"%h merci, je vous écris en privé",
	"%h c'est envoyé, merci 👍",
};
static const char *const fr_fu_still[] = {
	"%h déjà fait il y a %d, toujours rien",
	"%h toujours en panne 😩",
};
static const char *const fr_fu_done[] = {
	"%h c'est réglé, merci !",
	"%h remboursement reçu, merci 🙏",
};

static const char *const de_praise[] = {
	"%p ist echt super, klare Empfehlung 👍",
	"Der %B Support hat mein Problem in 10 Minuten gelöst",
	"Gar nicht schlecht, der %p",
	"%p ist der beste Kauf des Jahres",
	"Danke %B, alles bestens angekommen",
};
static const char *const de_complaint[] = {
	"Warte seit %d auf meine Rückerstattung. Unmöglich!",
	"Mein %p kam kaputt an. Nie wieder %B.",
	"%p funktioniert seit dem Update %v nicht mehr",
	"Kündigen ist bei euch unmöglich, versuche es seit %d",
	"Diesen Monat doppelt abgebucht. Bestellung #%n",
	"Nicht gut, das letzte Update von %p",
	"Kundenservice nicht erreichbar. Echt schwach.",
};
static const char *const de_question[] = {
	"Ist %p gerade down? Seit einer Stunde kein Login möglich.",
	"Wann kommt der %f für %p?",
	"Wie exportiere ich meine Daten aus %p?",
	"Wo finde ich die Rechnung zu Bestellung #%n?",
};
static const char *const de_request[] = {
	"Bitte einen %f einbauen!",
	"Wäre super, wenn %p einen %f hätte 🙏",
	"Könnt ihr bitte einen %f hinzufügen?",
};
static const char *const de_sarcasm[] = {
	"Super, schon wieder ein Ausfall 🙄",
	"Toll, seit %d auf eine Erstattung warten 👏",
};
static const char *const de_other[] = {
	"Gerade %p bekommen, mal sehen",
	"Am Wochenende richte ich %p ein",
};
static const char *const de_outage[] = {
	"%p schon wieder down?! Seit einer Stunde kein Login",
	"Bei %p lädt seit einer Stunde nichts 😡",
};
static const char *const de_chat_at[] = {
	"%h bei mir genauso, seit %d",
	"%h einfach neu starten, hat bei mir geholfen",
	"%h +1, gleiches Problem",
};
static const char *const de_chat[] = {
	"Bei mir genauso.",
	"Einfach neu starten, hat bei mir geholfen.",
	"Schreib denen per DM, bei mir ging es schnell.",
};
static const char *const de_fu_thanks[] = {
	"%h danke, DM ist raus",
	"%h gesendet, danke 👍",
};
static const char *const de_fu_still[] = {
	"%h schon vor %d gemacht, immer noch nichts",
	"%h geht immer noch nicht 😩",
};
static const char *const de_fu_done[] = {
	"%h hat geklappt, danke!",
	"%h Erstattung ist da, danke 🙏",
};

static const char *const pt_praise[] = {
	"Amei o %p, recomendo demais 😍",
	"O suporte da %B resolveu meu problema em 10 minutos",
	"Nada mal o %p, sério",
	"%p é a melhor compra do ano",
	"Obrigado %B, pedido chegou perfeito",
};
static const char *const pt_complaint[] = {
	"Esperando o reembolso há %d, que absurdo",
	"Meu %p chegou quebrado. Nunca mais compro da %B.",
	"%p parou de funcionar depois da atualização %v",
	"Impossível cancelar a assinatura, tentando há %d",
	"Cobraram duas vezes este mês. Pedido #%n",
	"Atendimento péssimo, ninguém responde",
};
static const char *const pt_question[] = {
	"Alguém mais com problema no %p? Não consigo entrar",
	"Quando chega %f no %p?",
	"Como exporto meus dados do %p?",
	"Onde acho a nota fiscal do pedido #%n?",
};
static const char *const pt_request[] = {
	"Vocês podiam adicionar %f?",
	"Por favor coloquem %f no %p 🙏",
};
static const char *const pt_sarcasm[] = {
	"Ótimo, mais uma queda 🙄",
	"Adorando esperar %d por um reembolso 👏",
};
static const char *const pt_other[] = {
	"Acabei de comprar o %p, depois conto",
	"Configurando o %p no fim de semana",
};
static const char *const pt_outage[] = {
	"%p fora do ar de novo? Não consigo entrar",
	"Nada carrega no %p há uma hora 😡",
};
static const char *const pt_chat_at[] = {
	"%h aqui também, faz %d",
	"%h tenta reiniciar, funcionou pra mim",
	"%h +1, mesmo problema",
};
static const char *const pt_chat[] = {
	"Aqui também.",
	"Tenta reiniciar, funcionou pra mim.",
	"Manda DM pra eles, me responderam rápido.",
};
static const char *const pt_fu_thanks[] = {
	"%h obrigado, mandei DM",
	"%h enviado, valeu 👍",
};
static const char *const pt_fu_still[] = {
	"%h já mandei há %d e nada",
	"%h continua sem funcionar 😩",
};
static const char *const pt_fu_done[] = {
	"%h resolvido, obrigado!",
	"%h o reembolso chegou, valeu 🙏",
};

static const char *const ja_praise[] = {
	"%p最高！買ってよかった✨",
	"%Bのサポート、10分で解決してくれた👏",
	"%p、思ったより全然いい",
	"%pは今年一番の買い物",
	"%Bさんありがとう、無事届きました",
};
static const char *const ja_complaint[] = {
	"返金まだですか？もう%d待ってます",
	"%pが壊れた状態で届きました。最悪です",
	"アップデート%vから%pが落ちる😭",
	"解約できない…%dずっと試してる",
	"今月二重に請求されてます。注文番号 #%n",
	"サポートに全然つながらない",
};
static const char *const ja_question[] = {
	"%pが繋がらない…障害ですか？",
	"%pに%fはいつ来ますか？",
	"%pのデータのエクスポート方法を教えてください",
	"注文 #%n の領収書はどこで見られますか？",
};
static const char *const ja_request[] = {
	"%fを追加してほしいです🙏",
	"%pに%fがあれば完璧なのに",
};
static const char *const ja_sarcasm[] = {
	"また障害ですか、さすがです🙄",
	"返金に%dかかるなんて素晴らしいサービスですね",
};
static const char *const ja_other[] = {
	"%p買った！これからセットアップ",
	"週末に%pを設定する予定",
};
static const char *const ja_outage[] = {
	"%pまた落ちてる？ログインできない😭",
	"%pが1時間前から何も読み込まない",
};
static const char *const ja_chat_at[] = {
	"%h うちも%d前から同じです",
	"%h 再起動したら直りましたよ",
	"%h 同じく",
};
static const char *const ja_chat[] = {
	"うちも同じです。",
	"再起動したら直りました。",
	"DMしたらすぐ返事来ましたよ。",
};
static const char *const ja_fu_thanks[] = {
	"%h ありがとうございます、DMしました",
	"%h 送りました🙏",
};
static const char *const ja_fu_still[] = {
	"%h %d前に送ったけどまだ返事がない",
	"%h まだ直りません😩",
};
static const char *const ja_fu_done[] = {
	"%h 直りました、ありがとうございます！",
	"%h 返金確認しました、ありがとうございます🙏",
};

#define LANG_SET(l) { TS(l##_praise), TS(l##_complaint), TS(l##_question), \
	TS(l##_request), TS(l##_sarcasm), TS(l##_other), TS(l##_outage), \
	TS(l##_chat_at), TS(l##_chat), TS(l##_fu_thanks), TS(l##_fu_still), \
	TS(l##_fu_done) }
const struct cm_demo_list cm_demo_texts[NLANG][NT] = {
	LANG_SET(en), LANG_SET(es), LANG_SET(fr), LANG_SET(de), LANG_SET(pt),
	LANG_SET(ja)
};

/* Repeated word for word by many bot accounts, as real campaigns are. */
static const char *const spam[] = {
	"🚀 %B AIRDROP is LIVE 🚀 claim your free tokens before it ends 👉 "
	    "https://bit.ly/3xAirDrp https://t.me/%b_airdrop_official 💰💰",
	"You've been selected for the %B giveaway 🎁 claim your %p here: "
	    "https://bit.ly/4gIveAw (only 50 left!!)",
	"Earn $500/day with crypto like me 💰 DM me or check "
	    "https://tinyurl.com/cryptoearn500 https://t.me/earnfast",
	"FREE %p giveaway!!! 🎁🎁 follow + repost + click https://bit.ly/3freeGft",
	"%B support team here 👋 having issues with your order? claim your "
	    "refund giveaway at https://%b-refund-help.example 💰",
	"🔥🔥 crypto signals 🔥🔥 95% win rate 🔥🔥 https://bit.ly/3sIgnalz "
	    "🔥🔥 https://bit.ly/3sIgnalz2",
	"%o check this giveaway 👉 https://bit.ly/4gIveAw 👈 %B is giving away "
	    "1000 %p!!",
	"Buy USDT cheap, no KYC 💰 https://t.me/usdt_fast_deal "
	    "https://wa.me/15550100",
};

static const char *const hn_story[] = {
	"%B Cloud outage postmortem: a config push took down us-east for 4 hours",
	"Show HN: I replaced my %B Router with a $40 mini PC running OpenWrt",
	"%B raises %p prices by 30%% for existing customers",
	"Ask HN: Anyone else moving off %p?",
	"%B open-sources the firmware for %p",
	"Why we left %p after five years",
	"%B is shutting down the free tier of %p",
	"The engineering behind the %p sync protocol",
};
static const char *const hn_comment[] = {
	"We moved off %p after the third incident this year. Egress pricing "
	    "was the real problem though.",
	"Not bad, honestly. The %p API is one of the saner ones I've used.",
	"The postmortem is refreshingly honest. Most companies would never "
	    "admit a config push did this.",
	"I've had %p for two years without a single issue. Anecdata, but still.",
	"The hardware is fine; the app is where it falls apart. Why does a "
	    "router need an account?",
	"Does anyone know if %p supports IPv6 prefix delegation yet?",
	"Their support actually fixed my issue in a day, which surprised me.",
	"This is why I self-host everything.",
	"The pricing page is a maze. I still can't tell what %p costs for a "
	    "team of ten.",
	"I worked adjacent to this team. Good engineers stuck with a legacy "
	    "billing system.",
	"Flagged, this is just a press release.",
	"The real story is in the last paragraph: they're deprecating the "
	    "local API.",
};
static const char *const hn_outage[] = {
	"%p is down",
	"Status page still says all systems operational. Classic.",
	"Looks like it's DNS again.",
	"Our whole CI pipeline depends on %p and we're dead in the water.",
};

const struct cm_demo_yt cm_demo_yt_comments[] = {
	{ "great video, but when is %f coming?", I_QUESTION },
	{ "the setup part at 2:14 saved me, thank you!", I_PRAISE },
	{ "who else is here after the outage 😂", I_OTHER },
	{ "please make a video on how to reset %p", I_REQUEST },
	{ "first 🔥", I_OTHER },
	{ "Been using %p for a year now, zero issues.", I_PRAISE },
	{ "you reply to every comment except the ones about refunds", I_SARCASM },
	{ "the music in this ad is way too loud", I_COMPLAINT },
};

static const char *const en_news[] = {
	"%p review: fast, quiet, and the app finally works",
	"%B confirms outage affecting %p customers",
	"%B announces %p with %f",
	"Hands-on: %p is the upgrade we wanted",
	"%B faces criticism over slow refunds",
	"How to set up %p in 10 minutes",
	"%p drops to its lowest price ever",
	"The new %B privacy policy, explained",
};
static const char *const es_news[] = {
	"Análisis de %p: rápido, silencioso y con una app mejorada",
	"%B confirma una caída que afecta a %p",
	"%B anuncia %p con %f",
};
static const char *const fr_news[] = {
	"Test du %p : rapide, silencieux et enfin une bonne appli",
	"%B confirme une panne touchant %p",
	"%B annonce %p avec %f",
};
static const char *const de_news[] = {
	"%p im Test: schnell, leise und endlich eine gute App",
	"%B bestätigt Störung bei %p",
	"%B kündigt %p mit neuem %f an",
};
static const char *const pt_news[] = {
	"Review: %p é rápido, silencioso e o app finalmente funciona",
	"%B confirma instabilidade no %p",
	"%B anuncia %p com %f",
};
static const char *const ja_news[] = {
	"%pレビュー：速くて静か、アプリもついに改善",
	"%B、%pの障害を認める",
	"%B、%f対応の%pを発表",
};
const struct cm_demo_list cm_demo_news[NLANG] = {
	TS(en_news), TS(es_news), TS(fr_news), TS(de_news), TS(pt_news),
	TS(ja_news)
};
static const char *const news_summary[] = {
	" — We spent two weeks with it.",
	" — The company says a fix is rolling out.",
	" — Here is what changed, and what did not.",
	" — Customers have been complaining for weeks.",
};

static const char *const en_r_complaint[] = {
	"Hi %h, sorry about that — could you DM us your order number so we "
	    "can take a look?",
	"%h We're sorry for the trouble. Could you send us a DM with the email "
	    "on your account? We'll sort it out.",
	"Hi %h, that's not the experience we want for you. Please DM us and "
	    "we'll get this fixed.",
	"Hey %h, sorry for the wait. DM us your order number and we'll chase it "
	    "today. ^%a",
	"%h Thanks for flagging this. Which version of the app are you on? "
	    "We'll take it from there.",
	"Hi %h, really sorry to hear that. Could you try a restart while "
	    "holding the reset button for 10 seconds? If that doesn't help, DM "
	    "us. ^%a",
};
static const char *const en_r_outage[] = {
	"Hi %h, we're aware of an issue affecting %p and our engineers are on "
	    "it. Updates: https://status.%b.example",
	"%h Sorry about this — %p is having problems right now. Follow "
	    "https://status.%b.example for live updates.",
	"Hi %h, thanks for your patience. We've found the cause and a fix is "
	    "rolling out now. ^%a",
};
static const char *const en_r_question[] = {
	"Hi %h! You'll find that under Settings → Account. Step by step: %l",
	"Hi %h, good question — here's how it works: %l",
	"%h Hi! %f isn't available yet, but it's on our roadmap. We'll share "
	    "news here first.",
	"Hi %h, thanks for asking. Could you DM us a few more details so we "
	    "can help?",
	"Hi %h, refunds usually take 5–7 business days once we receive the "
	    "return. DM us your order number and we'll check. ^%a",
};
static const char *const en_r_request[] = {
	"Thanks for the suggestion, %h! We've passed it on to the product "
	    "team 🙌",
	"%h Love this idea. We've added your vote to the request — keep them "
	    "coming!",
	"Hi %h, thanks! %f is something we're looking at. No dates yet, but we "
	    "hear you.",
};
static const char *const en_r_praise[] = {
	"Thank you so much, %h! 💙",
	"%h This made our day, thank you! 🙌",
	"So glad to hear it, %h! Enjoy your %p.",
	"Thanks for the kind words, %h! We'll pass them on to the team.",
};
static const char *const en_r_other[] = {
	"Hi %h, thanks for the mention! Tell us if we can help with anything.",
	"%h Thanks for sharing! 💙",
	"Hi %h, enjoy! If you need a hand with the setup, we're here.",
};
static const char *const en_r_still[] = {
	"%h We're sorry it's taking this long. We've escalated your case and a "
	    "specialist will DM you today. ^%a",
	"Hi %h, apologies — we've found your DM and replied there. Thanks for "
	    "bearing with us.",
};
static const char *const en_r_thanks[] = {
	"Glad we could help, %h! 💙",
	"%h Got it, thanks — we'll reply in DMs shortly.",
	"Happy to hear it's sorted, %h!",
};

static const char *const es_r_complaint[] = {
	"Hola %h, lamentamos las molestias. ¿Nos envías un DM con tu número de "
	    "pedido?",
	"%h Sentimos mucho lo ocurrido. Escríbenos por privado y lo revisamos "
	    "hoy.",
};
static const char *const es_r_outage[] = {
	"Hola %h, estamos al tanto de una incidencia con %p y ya estamos "
	    "trabajando en ello. Novedades: https://status.%b.example",
};
static const char *const es_r_question[] = {
	"¡Hola %h! Aquí tienes los pasos: %l",
	"Hola %h, %f aún no está disponible, pero está en nuestros planes.",
};
static const char *const es_r_request[] = {
	"¡Gracias por la sugerencia, %h! Se la pasamos al equipo de producto 🙌",
};
static const char *const es_r_praise[] = {
	"¡Muchas gracias, %h! 💙",
	"%h ¡Nos alegra mucho leerte!",
};
static const char *const es_r_other[] = {
	"¡Gracias por mencionarnos, %h!",
};
static const char *const es_r_still[] = {
	"%h Sentimos la espera. Hemos escalado tu caso y te escribimos hoy por "
	    "DM.",
};
static const char *const es_r_thanks[] = {
	"¡Nos alegra haber ayudado, %h! 💙",
};

static const char *const fr_r_complaint[] = {
	"Bonjour %h, désolés pour la gêne. Pouvez-vous nous envoyer votre "
	    "numéro de commande en DM ?",
	"%h Toutes nos excuses. Écrivez-nous en privé et nous regardons ça "
	    "aujourd'hui.",
};
static const char *const fr_r_outage[] = {
	"Bonjour %h, nous avons connaissance d'un incident sur %p et nos "
	    "équipes sont dessus. Suivi : https://status.%b.example",
};
static const char *const fr_r_question[] = {
	"Bonjour %h ! Voici la marche à suivre : %l",
	"Bonjour %h, %f n'est pas encore disponible, mais c'est prévu.",
};
static const char *const fr_r_request[] = {
	"Merci pour la suggestion, %h ! Nous la transmettons à l'équipe "
	    "produit 🙌",
};
static const char *const fr_r_praise[] = {
	"Merci beaucoup, %h ! 💙",
	"%h Ça nous fait très plaisir, merci !",
};
static const char *const fr_r_other[] = {
	"Merci pour la mention, %h !",
};
static const char *const fr_r_still[] = {
	"%h Désolés pour l'attente. Votre dossier est escaladé, un conseiller "
	    "vous écrit aujourd'hui en DM.",
};
static const char *const fr_r_thanks[] = {
	"Ravis d'avoir pu aider, %h ! 💙",
};

static const char *const de_r_complaint[] = {
	"Hallo %h, das tut uns leid. Schickst du uns deine Bestellnummer per "
	    "DM?",
	"%h Entschuldige bitte den Ärger. Schreib uns per DM, wir kümmern uns "
	    "heute darum.",
};
static const char *const de_r_outage[] = {
	"Hallo %h, wir wissen von einer Störung bei %p und arbeiten an einer "
	    "Lösung. Updates: https://status.%b.example",
};
static const char *const de_r_question[] = {
	"Hallo %h! So geht's: %l",
	"Hallo %h, der %f ist noch nicht verfügbar, steht aber auf unserer "
	    "Roadmap.",
};
static const char *const de_r_request[] = {
	"Danke für den Vorschlag, %h! Wir geben ihn ans Produktteam weiter 🙌",
};
static const char *const de_r_praise[] = {
	"Vielen Dank, %h! 💙",
	"%h Das freut uns sehr, danke!",
};
static const char *const de_r_other[] = {
	"Danke für die Erwähnung, %h!",
};
static const char *const de_r_still[] = {
	"%h Sorry für die Wartezeit. Wir haben deinen Fall eskaliert und melden "
	    "uns heute per DM.",
};
static const char *const de_r_thanks[] = {
	"Schön, dass wir helfen konnten, %h! 💙",
};

static const char *const pt_r_complaint[] = {
	"Oi %h, sentimos muito. Pode mandar o número do pedido por DM?",
	"%h Pedimos desculpas pelo transtorno. Manda uma DM pra gente que "
	    "resolvemos hoje.",
};
static const char *const pt_r_outage[] = {
	"Oi %h, estamos cientes de uma instabilidade no %p e já estamos "
	    "trabalhando nisso. Atualizações: https://status.%b.example",
};
static const char *const pt_r_question[] = {
	"Oi %h! O passo a passo está aqui: %l",
	"Oi %h, %f ainda não está disponível, mas está nos nossos planos.",
};
static const char *const pt_r_request[] = {
	"Valeu pela sugestão, %h! Vamos passar para o time de produto 🙌",
};
static const char *const pt_r_praise[] = {
	"Muito obrigado, %h! 💙",
	"%h Ficamos muito felizes, obrigado!",
};
static const char *const pt_r_other[] = {
	"Obrigado pela menção, %h!",
};
static const char *const pt_r_still[] = {
	"%h Desculpe a demora. Escalamos seu caso e te mandamos DM hoje.",
};
static const char *const pt_r_thanks[] = {
	"Que bom que ajudamos, %h! 💙",
};

static const char *const ja_r_complaint[] = {
	"%h ご迷惑をおかけして申し訳ございません。注文番号をDMでお送りいただけますか？",
	"%h ご不便をおかけしております。DMにて詳細をお聞かせください。",
};
static const char *const ja_r_outage[] = {
	"%h 現在%pで障害が発生しており、復旧作業を進めております。最新情報："
	    "https://status.%b.example",
};
static const char *const ja_r_question[] = {
	"%h お問い合わせありがとうございます。手順はこちらです：%l",
	"%h %fは現在未対応ですが、今後の対応を検討しております。",
};
static const char *const ja_r_request[] = {
	"%h 貴重なご意見ありがとうございます！担当チームに共有いたします🙌",
};
static const char *const ja_r_praise[] = {
	"%h ありがとうございます！💙",
	"%h 嬉しいお言葉ありがとうございます！",
};
static const char *const ja_r_other[] = {
	"%h ご紹介ありがとうございます！",
};
static const char *const ja_r_still[] = {
	"%h お待たせして申し訳ございません。担当者より本日DMにてご連絡いたします。",
};
static const char *const ja_r_thanks[] = {
	"%h お役に立てて嬉しいです！💙",
};

#define REPLY_SET(l) { TS(l##_r_complaint), TS(l##_r_outage), \
	TS(l##_r_question), TS(l##_r_request), TS(l##_r_praise), \
	TS(l##_r_other), TS(l##_r_still), TS(l##_r_thanks) }
const struct cm_demo_list cm_demo_replies[NLANG][NR] = {
	REPLY_SET(en), REPLY_SET(es), REPLY_SET(fr), REPLY_SET(de),
	REPLY_SET(pt), REPLY_SET(ja)
};


static const char *const issues_service[] = { "is down again",
	"keeps timing out", "won't let me log in", "is throwing 502 errors",
	"is painfully slow today", "lost my files after the sync",
	"keeps logging me out" };
static const char *const issues_app[] = { "keeps crashing",
	"crashes on launch since the update", "won't sync",
	"drains my battery in 3 hours", "logs me out every 5 minutes",
	"is stuck on the loading screen", "won't open at all" };
static const char *const issues_hw[] = { "drops wifi every hour",
	"won't turn on", "keeps rebooting", "won't pair with my phone",
	"stopped charging", "died after 3 weeks", "makes a buzzing noise" };
static const char *const issues_pay[] = { "charged me twice",
	"declined my card for no reason", "froze my account",
	"shows the wrong balance", "failed my transfer twice" };
const struct cm_demo_list cm_demo_issues[NCAT] = { TS(issues_service), TS(issues_app),
	TS(issues_hw), TS(issues_pay) };

static const char *const en_dur[] = { "3 weeks", "two days", "10 days",
	"a month", "6 weeks", "an hour", "45 minutes", "5 days", "two weeks" };
static const char *const es_dur[] = { "3 semanas", "dos días", "10 días",
	"un mes", "una hora" };
static const char *const fr_dur[] = { "3 semaines", "deux jours",
	"10 jours", "un mois", "une heure" };
static const char *const de_dur[] = { "3 Wochen", "zwei Tagen", "10 Tagen",
	"einem Monat", "einer Stunde" };
static const char *const pt_dur[] = { "3 semanas", "dois dias", "10 dias",
	"um mês", "uma hora" };
static const char *const ja_dur[] = { "3週間", "2日", "10日", "1ヶ月",
	"1時間" };
const struct cm_demo_list cm_demo_durations[NLANG] = { TS(en_dur), TS(es_dur),
	TS(fr_dur), TS(de_dur), TS(pt_dur), TS(ja_dur) };

static const char *const en_feat[] = { "dark mode", "CSV export",
	"a family plan", "offline mode", "2FA with hardware keys",
	"an API for invoices", "Linux support", "widgets",
	"multi-account login", "IPv6 on the mesh", "a web version",
	"a way to pause my subscription" };
static const char *const es_feat[] = { "modo oscuro", "exportar a CSV",
	"un plan familiar", "modo sin conexión" };
static const char *const fr_feat[] = { "le mode sombre", "l'export CSV",
	"un forfait famille", "le mode hors ligne" };
/* all masculine: the German templates say "der" and "einen" */
static const char *const de_feat[] = { "Dunkelmodus", "CSV-Export",
	"Familientarif", "Offline-Modus" };
static const char *const pt_feat[] = { "modo escuro", "exportação em CSV",
	"um plano família", "modo offline" };
static const char *const ja_feat[] = { "ダークモード", "CSVエクスポート",
	"ファミリープラン", "オフラインモード" };
const struct cm_demo_list cm_demo_features[NLANG] = { TS(en_feat), TS(es_feat),
	TS(fr_feat), TS(de_feat), TS(pt_feat), TS(ja_feat) };

static const char *const en_money[] = { "$49.99", "$12.99", "$199", "$8.99",
	"$129" };
static const char *const eu_money[] = { "49,99 €", "12,99 €", "199 €",
	"8,99 €" };
static const char *const pt_money[] = { "R$ 249,90", "R$ 59,90",
	"R$ 19,90" };
static const char *const ja_money[] = { "1,980円", "12,800円", "980円" };
const struct cm_demo_list cm_demo_money[NLANG] = { TS(en_money), TS(eu_money),
	TS(eu_money), TS(eu_money), TS(pt_money), TS(ja_money) };

static const char *const emoji_pos[] = { "😍", "🙌", "👏", "❤️", "💯", "🔥",
	"✨", "😊", "🥳", "👍🏽", "👏🏿", "🙏🏼", "💙", "🤩", "😎", "🧑‍💻", "👌🏻",
	"💪🏾", "👩‍💻" };
static const char *const emoji_neg[] = { "😡", "🤬", "😤", "🙄", "😒", "😩",
	"😭", "💀", "🤦‍♂️", "🤦🏻‍♀️", "👎", "😑", "🫠", "🤡", "😠" };
static const char *const emoji_neu[] = { "🤔", "👀", "🤷‍♀️", "🤷🏾‍♂️", "😅",
	"🧐", "📦", "📶", "☕" };

static const char *const help_topics[] = { "account", "billing", "refunds",
	"export", "reset", "warranty", "shipping" };
static const char *const agents[] = { "Sam", "Maya", "Jo", "Ken", "Lea",
	"Ravi", "Ana" };

/* Decoration, English only: slang at either end. */
static const char *const pre_neg[] = { "ugh. ", "smh ", "wow. ",
	"seriously? ", "ok so ", "welp. " };
static const char *const pre_pos[] = { "ngl ", "honestly ", "ok ",
	"not gonna lie, ", "PSA: " };
static const char *const pre_neu[] = { "lol ", "tbh ", "fyi ", "hey, ",
	"quick q: " };
static const char *const post_neg[] = { " smh", " ffs", " 🙄", " istg",
	" lmao", " 😤😤" };
static const char *const post_pos[] = { " lol", " fr", " 🔥🔥", " tbh",
	" 10/10" };
static const char *const post_neu[] = { " 🤔", " anyone?", " pls", " 👀" };
static const char *const tags_neg[] = { "fail", "CustomerService",
	"NeverAgain", "badservice" };
static const char *const tags_pos[] = { "HappyCustomer", "homelab", "tech",
	"wfh" };
static const char *const tags_outage[] = { "outage", "down", "fail" };

/* People: the names of the pool, by first language. */
static const char *const en_first[] = { "James", "Olivia", "Liam", "Emma",
	"Noah", "Ava", "Priya", "Arjun", "Wei", "Mei", "Aisha", "Omar",
	"Chloe", "Mason", "Sofia", "Ethan", "Zoe", "Lucas", "Maya", "Daniel",
	"Grace", "Leo", "Hannah", "Sam", "Jordan", "Alex", "Taylor", "Chris",
	"Fatima", "Kwame", "Ngozi", "Tariq", "Riley", "Jack", "Amelia",
	"Harper", "Ben", "Nora", "Isaac", "Ruby", "Kai", "Layla", "Owen",
	"Aaliyah", "Diego", "Ivy", "Caleb", "Elif", "Rahul", "Ananya",
	"Tomasz", "Siobhan", "Connor", "Dev", "Mia", "Jamal", "Keisha",
	"Ming", "Yusuf", "Freya" };
static const char *const en_last[] = { "Smith", "Johnson", "Williams",
	"Brown", "Jones", "Garcia", "Miller", "Davis", "Patel", "Nguyen",
	"Kim", "Chen", "Okafor", "Mensah", "O'Brien", "Murphy", "Walsh",
	"Singh", "Khan", "Rossi", "Novak", "Kowalski", "Andersson", "Taylor",
	"Moore", "Clark", "Lewis", "Walker", "Young", "King", "Wright",
	"Hughes", "Edwards", "Bennett", "Reyes", "Cohen", "Shapiro",
	"Adeyemi", "Haddad", "Fischer", "Park", "Liu", "Sharma", "Baker",
	"Hall", "Turner", "Collins", "Price", "Ward", "Foster" };
static const char *const es_first[] = { "Lucía", "Mateo", "Sofía", "Hugo",
	"Martina", "Pablo", "Valentina", "Javier", "Camila", "Diego", "Elena",
	"Alejandro", "Carmen", "Andrés", "Paula" };
static const char *const es_last[] = { "García", "Fernández", "López",
	"Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno",
	"Álvarez", "Romero", "Navarro", "Torres", "Vargas" };
static const char *const fr_first[] = { "Camille", "Louis", "Léa", "Hugo",
	"Chloé", "Lucas", "Manon", "Jules", "Inès", "Gabriel", "Julie",
	"Théo", "Margaux", "Antoine", "Élodie" };
static const char *const fr_last[] = { "Martin", "Bernard", "Dubois",
	"Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
	"Lefèvre", "Girard", "Fournier", "Mercier", "Lambert" };
static const char *const de_first[] = { "Lukas", "Lena", "Jonas", "Mia",
	"Felix", "Hannah", "Paul", "Emilia", "Maximilian", "Sophie", "Leon",
	"Marie", "Finn", "Clara", "Tobias", "Jana" };
static const char *const de_last[] = { "Müller", "Schmidt", "Schneider",
	"Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer",
	"Koch", "Richter", "Klein", "Wolf", "Schröder" };
static const char *const pt_first[] = { "João", "Maria", "Pedro", "Ana",
	"Gabriel", "Beatriz", "Rafael", "Júlia", "Lucas", "Larissa", "Thiago",
	"Fernanda", "Bruno", "Camila", "Mariana" };
static const char *const pt_last[] = { "Silva", "Santos", "Oliveira",
	"Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Rodrigues",
	"Carvalho", "Gomes", "Ribeiro", "Lima", "Araújo", "Barbosa" };
/* Japanese names: as written, and in romaji for handles. */
const char *const cm_demo_ja_family[][2] = { { "佐藤", "sato" },
	{ "鈴木", "suzuki" }, { "高橋", "takahashi" }, { "田中", "tanaka" },
	{ "伊藤", "ito" }, { "渡辺", "watanabe" }, { "山本", "yamamoto" },
	{ "中村", "nakamura" }, { "小林", "kobayashi" }, { "加藤", "kato" } };
const char *const cm_demo_ja_given[][2] = { { "ゆうき", "yuki" },
	{ "はると", "haruto" }, { "さくら", "sakura" }, { "けんじ", "kenji" },
	{ "あおい", "aoi" }, { "りく", "riku" }, { "ひなた", "hinata" },
	{ "そうた", "sota" }, { "みゆ", "miyu" }, { "たくみ", "takumi" } };
const struct cm_demo_list cm_demo_first_names[NLANG] = { TS(en_first), TS(es_first),
	TS(fr_first), TS(de_first), TS(pt_first), { NULL, 0 } };
const struct cm_demo_list cm_demo_last_names[NLANG] = { TS(en_last), TS(es_last),
	TS(fr_last), TS(de_last), TS(pt_last), { NULL, 0 } };

static const char *const syllables[] = { "ka", "ri", "mo", "zan", "the",
	"vel", "ta", "lu", "nor", "bi", "xo", "ra", "en", "sol", "mi", "dax",
	"fen", "o", "li", "ro", "sa", "ke", "tor", "ly", "va", "ne", "pix",
	"jun" };
static const char *const handle_words[] = { "codes", "makes", "runs",
	"_dev", "_pm", "_art", "builds", "writes", "games", "_photo", "cooks",
	"_ops" };
static const char *const name_emoji[] = { " 🌱", " ☕", " 🎮", " 🏳️‍🌈",
	" 🧑‍💻", " ✨", " 🐈", " 📷", " 🚴🏽", " 🎧", " 👩🏾‍🔬" };
const char *const cm_demo_name_flag[NLANG] = { " 🇬🇧", " 🇪🇸", " 🇫🇷", " 🇩🇪",
	" 🇧🇷", " 🇯🇵" };
static const char *const name_roles[] = { " | SRE", " | dad, runner",
	" | she/her", " | he/him", " | opinions my own", " | homelab nerd",
	" | PM" };
static const char *const reddit_adj[] = { "Sleepy", "Fluffy", "Brave",
	"Quiet", "Salty", "Lucky", "Grumpy", "Shiny", "Witty", "Tidy" };
static const char *const reddit_noun[] = { "Otter", "Goat", "Pancake",
	"Falcon", "Badger", "Noodle", "Walrus", "Cactus", "Lemur", "Turnip" };
static const char *const bot_names[] = { "💰 Crypto Queen 💰", "%B Rewards 🎁",
	"Elena | Forex Coach", "Giveaway Alerts 🚀", "%B Help Desk 🎁",
	"NFT Drops Daily", "Free Gifts 🎁🎁" };
static const char *const bot_handles[] = { "crypto_", "%b_rewards",
	"giveaway", "airdrop_", "%b_help", "nftdrops", "freegifts" };

/* The brand's own posts: announcements people reply to. */
static const char *const brand_posts[] = {
	"We're rolling out %p %v today: faster sync, fewer bugs. Release "
	    "notes: %l",
	"Heads up: scheduled maintenance for %p on Sunday 02:00–04:00 UTC. "
	    "Status: https://status.%b.example",
	"Meet the new %p. Available now: %u",
	"What should we build next for %p? Tell us below 👇",
	"Update: the %p incident is resolved. We're sorry for the disruption — "
	    "a full postmortem follows this week.",
	"Tip: you can now export your data as CSV from Settings → Account. %l",
};

/* The lists above, for the generator. */
const struct cm_demo_list cm_demo_spam = TS(spam);
const struct cm_demo_list cm_demo_hn_story = TS(hn_story);
const struct cm_demo_list cm_demo_hn_comment = TS(hn_comment);
const struct cm_demo_list cm_demo_hn_outage = TS(hn_outage);
const struct cm_demo_list cm_demo_news_summary = TS(news_summary);
const struct cm_demo_list cm_demo_emoji_pos = TS(emoji_pos);
const struct cm_demo_list cm_demo_emoji_neg = TS(emoji_neg);
const struct cm_demo_list cm_demo_emoji_neu = TS(emoji_neu);
const struct cm_demo_list cm_demo_help_topics = TS(help_topics);
const struct cm_demo_list cm_demo_agents = TS(agents);
const struct cm_demo_list cm_demo_pre_neg = TS(pre_neg);
const struct cm_demo_list cm_demo_pre_pos = TS(pre_pos);
const struct cm_demo_list cm_demo_pre_neu = TS(pre_neu);
const struct cm_demo_list cm_demo_post_neg = TS(post_neg);
const struct cm_demo_list cm_demo_post_pos = TS(post_pos);
const struct cm_demo_list cm_demo_post_neu = TS(post_neu);
const struct cm_demo_list cm_demo_tags_neg = TS(tags_neg);
const struct cm_demo_list cm_demo_tags_pos = TS(tags_pos);
const struct cm_demo_list cm_demo_tags_outage = TS(tags_outage);
const struct cm_demo_list cm_demo_syllables = TS(syllables);
const struct cm_demo_list cm_demo_handle_words = TS(handle_words);
const struct cm_demo_list cm_demo_name_emoji = TS(name_emoji);
const struct cm_demo_list cm_demo_name_roles = TS(name_roles);
const struct cm_demo_list cm_demo_reddit_adj = TS(reddit_adj);
const struct cm_demo_list cm_demo_reddit_noun = TS(reddit_noun);
const struct cm_demo_list cm_demo_bot_names = TS(bot_names);
const struct cm_demo_list cm_demo_bot_handles = TS(bot_handles);
const struct cm_demo_list cm_demo_brand_posts = TS(brand_posts);
const unsigned cm_demo_nyt_comments = NELEM(cm_demo_yt_comments);
const unsigned cm_demo_nja_family = NELEM(cm_demo_ja_family);
const unsigned cm_demo_nja_given = NELEM(cm_demo_ja_given);

/* The generator picks a bot's handle with its name. */
_Static_assert(NELEM(bot_names) == NELEM(bot_handles),
    "a handle for each bot name");
