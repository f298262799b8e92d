"""Every sentence the bot writes, by key, in each interface language (English, Ukrainian).

Values are Telegram HTML: placeholders are filled by :func:`say`, which escapes every
argument, so a chat title or a user's typo can never break the markup. The Ukrainian
catalogue lives in :mod:`i18n.texts_uk`; a test checks that both have the same keys,
placeholders and tags.

>>> say("time_set", "en", at="07:30", zone="Europe/Kyiv")
'Done: the digest will arrive at <b>07:30</b> (Europe/Kyiv).'
>>> say("time_set", "uk", at="07:30", zone="Europe/Kyiv")
'Готово: дайджест надходитиме о <b>07:30</b> (Europe/Kyiv).'
"""

from __future__ import annotations

from html import escape

from i18n.texts_uk import UKRAINIAN

ENGLISH: dict[str, str] = {
    # -- welcome and help ------------------------------------------------------------------
    "welcome": (
        "👋 <b>War-news digest</b>\n\n"
        "I follow the Russia–Ukraine war for you, without the doom-scrolling:\n"
        "• <b>a daily digest</b> — the day's main stories, merged across outlets, each with "
        "its key quote, at the time you choose;\n"
        "• <b>send me a link</b> — I reply with the headline, key points and who said what.\n\n"
        "Tap <b>Subscribe</b> to get the digest, or just send a link."
    ),
    "welcome_group": (
        "👋 I post a daily war-news digest. A group administrator can /subscribe this chat; "
        "/help lists every command."
    ),
    "help": (
        "<b>Commands</b>\n"
        "/subscribe — get the daily digest in this chat\n"
        "/unsubscribe — stop the digest\n"
        "/digest — the latest war news right now\n"
        "/pause and /resume — take a break and come back\n"
        "/status — your subscription and the next delivery\n"
        "/settings — delivery time and timezone\n"
        "/time <code>07:30</code> — set the delivery time\n"
        "/timezone <code>Europe/Kyiv</code> — set your timezone\n"
        "/sources — which news outlets your digest reads\n"
        "/importsources — switch on the feeds of an OPML list pasted after the command\n"
        "/follow <code>Kharkiv</code> — put a place, person or topic first in your digest\n"
        "/mute <code>sanctions</code> — leave a place or topic out\n"
        "/following — what you follow and mute, with remove buttons\n"
        "/alerts <code>on</code> — breaking alerts between digests (/alerts <code>off</code> stops them)\n"
        "/quiet <code>23:00-07:00</code> — no alerts in these hours (<code>off</code>: any time)\n"
        "/language — English or Ukrainian\n"
        "/mydata — what I store about this chat\n"
        "/forget — erase everything I store about this chat\n"
        "/help — this list\n\n"
        "Send any article link and I reply with its gist: headline, key points and quotes."
    ),
    "button_subscribe": "✅ Subscribe",
    "button_settings": "⚙️ Settings",
    "button_help": "❓ Help",
    # -- the command menu (plain text, at most 256 characters each) ---------------------------
    "command_start": "What this bot does",
    "command_subscribe": "Get the daily war-news digest",
    "command_digest": "The latest war news right now",
    "command_status": "Your subscription and next delivery",
    "command_settings": "Delivery time and timezone",
    "command_sources": "Which news outlets your digest reads",
    "command_time": "Set the delivery time, e.g. /time 07:30",
    "command_timezone": "Set the timezone, e.g. /timezone Europe/Kyiv",
    "command_pause": "Pause the digest",
    "command_resume": "Resume the digest",
    "command_unsubscribe": "Stop the digest",
    "command_language": "Interface language: English or Ukrainian",
    "command_importsources": "Switch on the feeds of a pasted OPML list",
    "command_mydata": "What the bot stores about this chat",
    "command_forget": "Erase what the bot stores about this chat",
    "command_help": "All commands",
    # -- interface language ----------------------------------------------------------------
    "language_sources_offer": (
        "Your digest still reads sources in another language. Switch it to the "
        "English-language outlets too?"
    ),
    "button_sources_language": "Switch sources to English",
    "sources_language_set": (
        "Done: your digest now reads the English-language outlets and channels. "
        "Your own source switches were reset; change them in /sources."
    ),
    "language_prompt": "Choose the language I use in this chat:",
    "language_set": "Done: I'll speak English in this chat.",
    # -- subscription ----------------------------------------------------------------------
    "subscribed": (
        "✅ Subscribed. Your digest arrives every day at <b>{at}</b> ({zone}).\n"
        "Next one: <b>{next}</b>. Change it with /settings."
    ),
    "already_subscribed": (
        "You are already subscribed — nothing changed. The digest arrives at <b>{at}</b> "
        "({zone}); next: <b>{next}</b>."
    ),
    "resumed": "▶️ Welcome back: the digest is on again. Next one: <b>{next}</b>.",
    "confirm_unsubscribe": "Stop the daily digest in this chat?",
    "button_unsubscribe_yes": "Yes, unsubscribe",
    "button_unsubscribe_no": "No, keep it",
    "unsubscribed": ("You are unsubscribed: no digest and no breaking alerts. Your settings are kept: "
                     "/subscribe brings the digest back, /alerts the alerts."),
    "unsubscribe_kept": "Good — the digest stays on.",
    "not_subscribed": "This chat is not subscribed. /subscribe starts the daily digest.",
    "paused": "⏸ Paused. Nothing arrives until you send /resume.",
    "already_paused": "The digest is already paused; /resume turns it back on.",
    "status_active": (
        "📬 <b>Subscribed</b>\nDelivery: <b>{at}</b> ({zone})\nNext digest: <b>{next}</b>"
    ),
    "status_paused": (
        "⏸ <b>Paused</b>\nDelivery when resumed: <b>{at}</b> ({zone}). /resume turns it on."
    ),
    "status_none": (
        "Not subscribed. The digest would arrive at <b>{at}</b> ({zone}); /subscribe starts it."
    ),
    "status_follow": "📍 Following: {topics}",
    "status_mute": "🔇 Muted: {topics}",
    "status_alerts": "⚡ Breaking alerts: {outlets}, up to {cap} a day, quiet {quiet}",
    "button_digest_now": "📰 Send today's digest now",
    "button_digest_tomorrow": "⏭ Start tomorrow",
    "first_digest_now": "On its way — today's digest follows in a moment.",
    "first_digest_tomorrow": "Fine — your first digest arrives on <b>{next}</b>.",
    # -- settings --------------------------------------------------------------------------
    "settings": (
        "⚙️ <b>Settings</b>\nDelivery time: <b>{at}</b>\nTimezone: <b>{zone}</b>\n\n"
        "Pick a time and a timezone below."
    ),
    "other_time": "Send /time followed by the time, e.g. <code>/time 07:30</code> (24-hour HH:MM).",
    "other_timezone": (
        "Send /timezone followed by an IANA name, e.g. <code>/timezone Europe/Kyiv</code>, "
        "<code>/timezone America/Toronto</code> or <code>/timezone UTC</code>."
    ),
    "button_other_time": "Other time…",
    "button_other_timezone": "Other timezone…",
    "time_set": "Done: the digest will arrive at <b>{at}</b> ({zone}).",
    "timezone_set": "Done: timezone <b>{zone}</b>; the digest arrives at <b>{at}</b> local time.",
    "bad_time": "I couldn't read <code>{raw}</code> as a time. Use 24-hour HH:MM, e.g. /time 07:30.",
    "bad_timezone": (
        "<code>{raw}</code> is not a timezone I know. Use an IANA name such as Europe/Kyiv, "
        "Europe/London, America/New_York or UTC, e.g. /timezone Europe/Kyiv."
    ),
    "nothing": "(nothing)",
    "admins_only": "Only this chat's administrators can change its digest settings.",
    # -- follow and mute -------------------------------------------------------------------
    "command_follow": "Put a place, person or topic first, e.g. /follow Kharkiv",
    "command_mute": "Leave a place or topic out, e.g. /mute sanctions",
    "command_following": "What you follow and mute",
    "command_alerts": "Breaking alerts: /alerts on or off",
    "follow_usage": (
        "Send /follow with a place, person or topic, in English, Ukrainian or Russian, e.g. "
        "<code>/follow Kharkiv</code>, <code>/follow peace talks</code>. Or pick one below."
    ),
    "mute_usage": (
        "Send /mute with a place or topic to leave out of your digest, e.g. "
        "<code>/mute sanctions</code>."
    ),
    "follow_bad": (
        "I couldn't read <code>{raw}</code> as a place, person or topic. Use a name or a few "
        "words (up to 64 characters), e.g. <code>/follow Odesa</code>."
    ),
    "follow_list": (
        "Please send one place, person or topic at a time, e.g. <code>/follow Kharkiv</code>, "
        "then <code>/follow Odesa</code>."
    ),
    "follow_outlet": (
        "<b>{label}</b> is a news outlet, not a topic: choose the outlets your digest reads "
        "with /sources."
    ),
    "follow_outside": (
        "<b>{label}</b> is outside what this bot covers: its digest is about Russia's war "
        "against Ukraine only, so that news never reaches it."
    ),
    "follow_done": (
        "📍 Following <b>{label}</b>: its stories come first in your digest, marked 📍. "
        "/following lists what you follow."
    ),
    "follow_done_free": (
        "📍 Following <b>{label}</b>. I don't know it by name, so I match it by meaning; "
        "/following lists what you follow."
    ),
    "mute_done": "🔇 Muted <b>{label}</b>: its stories are left out of your digest and counted at the end.",
    "follow_limit": "This chat already follows or mutes {limit} topics. Remove one in /following first.",
    "following_empty": "You don't follow or mute anything yet. Try <code>/follow Kyiv</code> or pick below.",
    "following_list": "<b>Following and muted</b>\nTap a topic to remove it.",
    "follow_removed": "Removed <b>{label}</b>.",
    "follow_gone": "That topic was already removed.",
    "presets": (
        "📍 <b>Regions and topics</b>\nTap one to follow it; tap a ticked one to stop. "
        "/follow takes any other place, person or topic."
    ),
    "button_presets": "📍 Regions and topics",
    "button_following": "📋 Following and muted",
    "button_back": "« Back",
    # -- names of the preset regions and topics (plain text) ---------------------------------
    "preset_kyiv": "Kyiv",
    "preset_kharkiv": "Kharkiv",
    "preset_odesa": "Odesa",
    "preset_dnipro": "Dnipro",
    "preset_zaporizhzhia": "Zaporizhzhia",
    "preset_kherson": "Kherson",
    "preset_donetsk": "Donetsk region",
    "preset_sumy": "Sumy",
    "preset_lviv": "Lviv",
    "preset_front-line": "Front line",
    "preset_air-strikes": "Air strikes",
    "preset_peace-talks": "Peace talks",
    "preset_sanctions": "Sanctions",
    "preset_pows": "POWs",
    "preset_aid": "Aid",
    # -- breaking alerts ---------------------------------------------------------------------
    "button_alerts": "⚡ Breaking alerts",
    "alerts_menu": (
        "⚡ <b>Breaking alerts</b>: {state}\n"
        "An alert comes when <b>{outlets}</b> report one story within {hours} hours, "
        "or 2 outlets for a place you follow. At most <b>{cap}</b> a day; none in quiet hours "
        "(<b>{quiet}</b>, change with /quiet)."
    ),
    "alerts_state_on": "on",
    "alerts_state_off": "off",
    "button_alerts_on": "Turn alerts on",
    "button_alerts_off": "Turn alerts off",
    "outlets_one": "{count} outlet",
    "outlets_few": "{count} outlets",
    "outlets_many": "{count} outlets",
    "outlets_other": "{count} outlets",
    "from_outlets_one": "from {count} outlet",
    "from_outlets_few": "from {count} outlets",
    "from_outlets_many": "from {count} outlets",
    "from_outlets_other": "from {count} outlets",
    "button_cap": "{count} a day",
    "alerts_usage": "Send <code>/alerts on</code> or <code>/alerts off</code>.",
    "quiet_set": "Quiet hours: <b>{quiet}</b> ({zone}). No alerts then; your digest comes as usual.",
    "quiet_any_time": "any time",
    "quiet_all_day": (
        "Quiet all day ({zone}): the start and end are the same time, so no breaking alerts "
        "arrive at any hour; your digest comes as usual. /quiet off undoes it."
    ),
    "quiet_off_set": "Quiet hours are off: alerts may come at any time.",
    "bad_quiet": (
        "I couldn't read <code>{raw}</code> as quiet hours. Use HH:MM-HH:MM, e.g. "
        "<code>/quiet 23:00-07:00</code>, or <code>/quiet off</code>."
    ),
    # -- the alert message and digest marks (plain text: the renderer escapes it) -------------
    "alert_title": "Breaking",
    "label_following": "Following",
    "label_alerted_at": "alerted at",
    "muted_hidden_one": "{count} muted story hidden",
    "muted_hidden_few": "{count} muted stories hidden",
    "muted_hidden_many": "{count} muted stories hidden",
    "muted_hidden_other": "{count} muted stories hidden",
    # -- anything else ---------------------------------------------------------------------
    "unknown_command": "I don't know that command. /help lists what I can do.",
    "not_a_link": (
        "Send me a link to a news article and I'll reply with its gist, or /help for commands."
    ),
    "operator_error": (
        "⚠️ <b>Error</b> in {where}: <code>{kind}: {message}</code>\n<pre>{trace}</pre>"
    ),
    "operator_error_repeats": "\n({count} more like it since the last report)",
    "operator_error_withheld": "message withheld: it may quote what a user typed",
    "operator_where_job": "a background job",
    "operator_where_update": "update {update}",
    "operator_where_chat": "update {update} in chat {chat}",
    "alert_feed_down": "📡 The feed <b>{name}</b> has failed for more than a day. Last error: {error}",
    "alert_parked": (
        "📮 {count} digest messages are parked as failed (last error: {error}). They are "
        "retried later; /stats shows them."
    ),
    "alert_disk_low": (
        "💾 The database's disk has {free_mb} MB free ({free_percent}% of it): under the "
        "{min_mb} MB or {min_percent}% the bot needs to keep writing safely. Free some space, "
        "or the bot will soon be unable to write."
    ),
    "internal_error": "Sorry, something went wrong on my side. It has been logged; please try again.",
    # -- the digest (plain text: the renderer escapes it) ----------------------------------
    "digest_title": "War digest",
    "digest_footer": "Change the time or sources: /settings · /sources",
    "digest_quiet": "A quiet day: no new war stories since your last digest.",
    "label_by": "by",
    "label_min_read": "min read",
    "label_open_article": "Open the article",
    "label_reported_by": "Reported by",
    # -- link replies ----------------------------------------------------------------------
    "link_invalid": "That doesn't look like a web link I can open — only http and https links work.",
    "link_blocked_port": "I only open links on the usual web ports, and this link names another port.",
    "link_blocked_address": "I don't open links to private or local network addresses.",
    "link_timeout": "The site didn't answer in time. Please try again later.",
    "link_connection": "I couldn't reach the site — it may be down, or the address may be wrong.",
    "link_redirects": "The site kept redirecting me in circles (too many redirects).",
    "link_bot_wall": "The site blocks bots (it answered with an anti-bot check), so I can't read it.",
    "link_http_status": "The site answered with an error: HTTP {code}{reason}.",
    "http_401": "login required",
    "http_404": "not found",
    "http_410": "gone",
    "http_500": "server error",
    "http_502": "bad gateway",
    "http_503": "unavailable",
    "http_504": "gateway timeout",
    "link_not_html": "That link is {kind}, not an article — I can only read web pages.",
    "content_pdf": "a PDF",
    "content_image": "an image",
    "content_video": "a video",
    "content_audio": "audio",
    "content_file": "a file",
    "link_too_large": "That page is too large for me to read.",
    "link_no_public_post": (
        "Telegram shows no public text for that post (deleted, private, or only media)."
    ),
    "link_no_article": (
        "I couldn't find an article on that page — it looks like a home page, a list of links "
        "or an empty page."
    ),
    "link_failed": "I couldn't read that page.",
    "too_many_links": "I read the first {limit} links of a message; send the others separately.",
    "link_rate_limited": (
        "You're sending links faster than I can read them. Please wait {seconds} s and try again."
    ),
    # -- /stats ----------------------------------------------------------------------------
    "stats_admins_only": "Sorry, /stats is only for the bot's operators.",
    "stats": (
        "📊 <b>Subscribers</b>: {chats_active} active, {chats_paused} paused, "
        "{chats_gone} gone\n"
        "<b>Today's digests</b> (since 00:00 {zone}): {parts_sent} parts sent, "
        "{parts_pending} pending, {parts_failed} failed (retried later), "
        "{parts_dropped} dropped (chat gone)"
    ),
    # -- /sources --------------------------------------------------------------------------
    "sources_title": (
        "📰 <b>News sources</b> — page {page}/{pages}\n"
        "✅ read in this chat, ▫️ not read. Tap an outlet below to switch it."
    ),
    "sources_empty": "No news sources are configured yet.",
    "sources_switched_off": "switched off for everyone by the bot's operators",
    "sources_never": "not fetched yet",
    "sources_ok": "ok {ago}",
    "sources_new": ", {count} new in 24 h",
    "sources_last_ok": "; last ok {ago}",
    "sources_wall": "blocked by an anti-bot wall",
    "sources_failing": "failing: {error}",
    "ago_now": "just now",
    "ago_minutes": "{count} min ago",
    "ago_hours": "{count} h ago",
    "ago_days": "{count} d ago",
    "kind_ukrainian_media": "Ukrainian media",
    "kind_ukrainian_official": "Ukrainian official",
    "kind_russian_independent": "Russian independent media",
    "kind_russian_state": "Russian state media",
    "kind_international": "International media",
    "source_gone": "That source no longer exists.",
    "button_previous": "◀",
    "button_next": "▶",
    "sources_operators_only": "Sorry, only the bot's operators can manage the list of sources.",
    "addsource_usage": (
        "Send /addsource followed by the feed's address and, if you like, a name, e.g. "
        "<code>/addsource https://example.com/feed.xml Example News</code>, or a public "
        "Telegram channel: <code>/addsource @channel</code>."
    ),
    "channel_private": (
        "<code>{raw}</code> is a private invite link: the bot reads only public channels "
        "(an @name with a public preview)."
    ),
    "channel_invalid": (
        "<code>{raw}</code> is not a channel name. Send /addsource @name or a t.me/name link."
    ),
    "channel_no_preview": (
        "<code>{raw}</code> has no public preview on t.me, so the bot cannot read it "
        "(a private channel, a person or a group, or no such channel)."
    ),
    "channel_unreachable": "Could not open the preview of <code>{raw}</code> now; try again later.",
    "addchannel_done": (
        "Added channel <code>#{id}</code>: <b>{name}</b>. It is on in this chat and off by "
        "default elsewhere."
    ),
    "addchannel_known": (
        "Channel <b>{name}</b> is already source <code>#{id}</code>; it is now on in this chat."
    ),
    "addsource_bad_url": "<code>{raw}</code> is not an http(s) address of a feed.",
    "addsource_known": "That feed is already source <code>#{id}</code> (<b>{name}</b>).",
    "addsource_done": (
        "Added source <code>#{id}</code>: <b>{name}</b> ({kind}), off by default — "
        "chats switch it on in /sources."
    ),
    "source_id_usage": (
        "Send /{command} followed by a source number (shown to operators in /sources), "
        "e.g. <code>/{command} 12</code>."
    ),
    "source_not_found": "There is no source <code>#{id}</code>.",
    "source_disabled": "Source <code>#{id}</code> (<b>{name}</b>) is now off for everyone.",
    "source_enabled": (
        "Source <code>#{id}</code> (<b>{name}</b>) is on again for the chats that read it."
    ),
    "export_empty": "This chat reads no sources, so there is nothing to export.",
    "export_intro": (
        "This chat's {count} sources as OPML{part} — save the text as <code>sources.opml</code>:"
    ),
    # -- /importsources --------------------------------------------------------------------
    "import_usage": (
        "Send /importsources followed by an OPML document (paste its text into the same "
        "message, or attach the .opml file with /importsources as its caption), or reply "
        "with /importsources to a message that contains one. I switch on this chat's "
        "sources whose feeds it lists."
    ),
    "import_file_too_big": (
        "That document is larger than {limit} MB, the most I read for an import (a list of "
        "hundreds of feeds is far smaller), so nothing changed."
    ),
    "import_too_many": (
        "That document lists {count} feeds; I import at most {limit} at once, so nothing changed."
    ),
    "import_rate_limited": "Too many imports in a row. Please wait {seconds} s and try again.",
    "import_file_hint": (
        "To import the feeds of this OPML file, reply /importsources to it (or send it again "
        "with /importsources as its caption)."
    ),
    "import_bad_opml": "That isn't an OPML document I can read, so nothing changed.",
    "import_no_feeds": "The document lists no feeds, so nothing changed.",
    "import_done": (
        "📥 <b>Import done.</b> Feeds in the document: {total}\n"
        "Switched on in this chat: <b>{switched}</b>; already on: {already}"
    ),
    "import_added": "New feeds added to the list (off for other chats): <b>{added}</b>",
    "import_unknown": (
        "Skipped, not in the bot's list: <b>{unknown}</b> — only the bot's operators can add "
        "new feeds."
    ),
    "import_unavailable": "Switched off for everyone by the bot's operators: {count}",
    # -- /mydata and /forget ---------------------------------------------------------------
    "mydata_intro": (
        "🔐 Everything I store about this chat ({parts} part(s) below). Shared data such as "
        "news items and cached articles belongs to no chat. /forget erases this."
    ),
    "forget_confirm": (
        "Erase everything I store about this chat — settings, subscription, chosen sources "
        "and digest history? This cannot be undone."
    ),
    "button_forget_yes": "Yes, erase it",
    "button_forget_no": "No, keep it",
    "forgotten": "🗑 Done: {rows} stored row(s) about this chat were erased.",
    "forget_kept": "Nothing was erased.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": ENGLISH, "uk": UKRAINIAN}
LANGUAGES: tuple[str, ...] = tuple(CATALOGUES)


def say(key: str, language: str | None = "en", /, **values: object) -> str:
    """The text for ``key`` in ``language`` (English when missing), values HTML-escaped.

    >>> say("bad_time", "en", raw="<9>")
    "I couldn't read <code>&lt;9&gt;</code> as a time. Use 24-hour HH:MM, e.g. /time 07:30."
    """
    catalogue = CATALOGUES.get(language or "en", ENGLISH)
    template = catalogue.get(key) or ENGLISH[key]
    return template.format(**{name: escape(str(value)) for name, value in values.items()})
