"""Headlines and leads that read as such, from raw feed and Telegram-channel items.

A Telegram post's "title" is often its first 200 characters, a lead-in ending in ":" whose
news is in the summary, or text carrying the channel's footer ("👉 Канал. Подписаться") and
emoji markers. English items are newspaper headlines, sometimes with an outlet suffix
(" - The Daily Paper") or a tweet wrapper ("X on Twitter: BREAKING: ..."). Pure text: no
network, no Telegram.

>>> headline("Минобороны РФ:", "— ВС РФ освободили село Примерное; — сбиты 12 дронов")
'Минобороны РФ: ВС РФ освободили село Примерное'
>>> lead_text("Пожар потушен. 👉 Новости Края. Подписаться")
'Пожар потушен.'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from digest.language.sentences import end_within, split_sentences
from digest.render.telegram_html import clean_text, truncate

SHORTEST_SHARE = 0.4  # a clause cut must keep at least this share of the limit
SENTENCE_SHARE = 0.25  # whole sentences this long beat any clause cut
# Clause boundaries, strongest first: a cut prefers the last boundary of the first tier that
# leaves enough text.
_CLAUSE_TIERS = ((" | ",), ("; ", " — ", " – ", " - "), (", ",), (": ",))
# After a comma these open the object of the verb before it ("заявил, что …"): the part
# before the comma is not a whole clause.
_COMPLEMENT = re.compile(r"(?i)(?:что|чтобы|що|щоб|that|whether)\b")
# Words that open a clause inside a noun phrase ("Спецназ, разогнавший …, окружил"): relative
# pronouns, participles, gerunds. A cut that closes such a clause leaves a subject without
# its verb.
_EMBEDDED = re.compile(
    r"(?:котор\w*|где|чей|чья|чьи|який|яка|яке|які|якого|якій|де|who|which|whose|whom"
    r"|[а-яёіїєґ]+(?:вш|ющ|ящ|ащ|ущ|ем|им|енн|анн|янн|ённ)(?:ий|ая|ее|ое|ие|его|ему|им|ой|ую|их"
    r"|ими|ые|ый|ого|ых|ым|ыми|ей|а|о|ы|і|ій|а)"
    r"|[а-яёіїєґ]{3,}(?:вшись|ясь|ась|ив|ав|ыв|яв))$"
)
_DANGLING = frozenset(
    """
    в во на и а но с со к ко по о об от из за у до для не что как или при
    і й та з із до що як чи
    the a an of to in on and or for at by with from as that
    """.split()
)
_CTA = (
    r"(?:[Пп]одпи(?:саться|шись|шитесь|сывайся|сывайтесь)|[Пп]ідпи(?:сатися|шись|шіться|суйся|"
    r"суйтесь)|[Ss]ubscribe|Follow us|Join us|Прислать новость|Предложить новость|"
    r"Надіслати новину|буст\w*|[Bb]oost\w*)(?!\w)"
)
_CTA_WORD = re.compile(_CTA)
# Imperatives that never open a news sentence ("Подпишись на ...", "Subscribe to ...").
_CTA_IMPERATIVE = re.compile(
    r"^\W*(?:Подпи(?:шись|шитесь|сывайся|сывайтесь)|Підпи(?:шись|шіться|суйся|суйтесь)|"
    r"Subscribe|Follow us)(?!\w)"
)
_CTA_SHORT = re.compile(rf"^\W*{_CTA}")
# "Читать нас без VPN можно здесь:", "Read more here": a pointer to a link that is gone.
_POINTER = (r"(?:читат|читайт|подробн|прочест|прочита|смотр|дивіт|read|watch|more)"
            r"[^.!?:…]{0,50}(?:здесь|тут|по ссылке|ниже|нижче|here|below)\W*$")
_LINK_POINTER = re.compile(rf"(?i)(?:^|(?<=[.!?:…»]))\s*[^.!?:…]{{0,50}}?{_POINTER}")
# The same pointer glued to a sentence whose full stop the post left out ("…характера Читать
# нас без VPN можно здесь:"): it starts at a capital right after a lower-case word.
_GLUED_POINTER = re.compile(rf"(?<=[a-zа-яёіїєґ]) (?=[A-ZА-ЯЁІЇЄҐ])(?=(?i:{_POINTER}))")
_POINTING = "👉👈👇👆☝"
_TRAILING_HANDLE = re.compile(r"(?:\s*@\w{3,})+\W*$")
_TRAILING_TAGS = re.compile(r"(?:\s*#\w*[^\W\d_]\w*)+\s*$")
_MARKDOWN = (
    (re.compile(r"\[([^\]\n]+)\]\(\s*https?://[^)\s]+\s*\)"), r"\1"),
    (re.compile(r"(?<!\w)(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),
    (re.compile(r"(?<!\w)`([^`\n]+)`(?!\w)"), r"\1"),
)
_BULLET_START = re.compile(r"^(?:\s*(?:[—–•·●▪◦‣∙*-]|\d{1,2}[.)](?=\s)))+\s*")
_TWEET = re.compile(r"^(?P<who>[^:\n]{1,60}?) on Twitter:\s*", re.I)
_BREAKING = re.compile(
    r"^\W*(?:BREAKING(?: NEWS)?|JUST IN|СРОЧНО|ТЕРМІНОВО|МОЛНИЯ|BREAKING)\s*[:!—–-]\s*", re.I
)
_TAGS = re.compile(r"\s*[\[(](?:video|photos?|watch|видео|фото|відео)[\])]\s*$", re.I)
_OUTLET_WORDS = re.compile(
    r"News|Times|Post|Journal|Daily|Herald|Tribune|Telegraph|Gazette|Chronicle|Observer|Press|"
    r"Magazine|Weekly|Insider|Independent|Guardian|Wire|Media|Network|Online|Today|Report|"
    r"Agency|TV|Radio|\.(?:com|net|org|co|ca|uk|ua|ru)\b"
)
_OUTLET_NAME = re.compile(r"^(?:[A-Z0-9][\w&.'’+-]*)(?: [A-Za-z0-9&][\w&.'’+-]*){0,4}$")
_QUOTED = re.compile(r'^["«“„](.+)["»”“]$')
# A quotation alone at the head of a headline, ended by a colon or a sentence end (outside or
# inside the marks), with the news after it: «Прекращение изоляции России»: опубликован план …
_QUOTED_HEAD = re.compile(
    r'^["«“„][^"«»“”„]{3,}(?:[.!?…]["»”“]\s*[:.]?|["»”“]\s*[:.])\s+(?P<rest>\S.{19,})$')


@cache
def _marker_class() -> str:
    """A regex class of pictographs: emoji, dingbats, geometric bullets (not ``№``, ``°``)."""
    ranges = [(0x2190, 0x2BFF), (0x1F000, 0x1FAFF)]
    chars = [
        chr(c) for lo, hi in ranges for c in range(lo, hi + 1)
        if unicodedata.category(chr(c)) in ("So", "Sk") or 0x25A0 <= c <= 0x25FF
    ]
    chars += ["\ufe0f", "\ufe0e", "\u200d", "\u20e3", "•", "·"]
    return "[" + "".join(re.escape(ch) for ch in chars) + "]"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Pictograph clusters, and a footer: a cluster, a short name, a subscribe call."""
    cluster = rf"{_marker_class()}+(?:\s*{_marker_class()}+)*"
    footer = rf"{cluster}\s*(?P<name>[^\n]{{0,40}}?)\s*[—–.:|-]?\s*{_CTA}[^\n]{{0,40}}$"
    return re.compile(cluster), re.compile(footer)


def clean_post_text(text: str) -> str:
    """Drop channel footers, subscribe calls, pictographs and markdown; collapse whitespace.

    Only text that is a call to action, a channel signature or a marker goes; news sentences
    stay, even ones about subscriptions ("подписал указ").

    >>> clean_post_text("Ракету сбили над морем. 👉 Топор Live. Подписаться")
    'Ракету сбили над морем.'
    >>> clean_post_text("**Важно**: тревога ❗️ 🔴 Подписаться | Прислать новость")
    'Важно: тревога'
    >>> clean_post_text("Путин подписал указ. Дети подписались на рассылку. @news_chan")
    'Путин подписал указ. Дети подписались на рассылку.'
    >>> clean_post_text("Figure показала робота 🤖 Новые клетки учатся 💻")
    'Figure показала робота. Новые клетки учатся'
    """
    text = clean_text(text)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    lines = [_clean_line(line) for line in text.split("\n")]
    return _join_lines([line for line in lines if line])


def _clean_line(line: str) -> str:
    line = _drop_footer_tail(line)
    line = _drop_markers(line)
    return _drop_cta_sentences(line)


def _drop_footer_tail(line: str) -> str:
    """Cut "<emoji> <up to five words> Подписаться ..." and what follows it, at the line end."""
    _, footer = _patterns()
    cluster_pattern, _ = _patterns()
    for cluster in cluster_pattern.finditer(line):
        match = footer.match(line, cluster.start())
        if match and _is_signature(match.group("name")):
            return line[: cluster.start()].rstrip()
    return _drop_pointing_signature(line)


def _is_signature(name: str) -> bool:
    """Is the text between a marker and a subscribe call a channel name, not a sentence?"""
    cluster_pattern, _ = _patterns()
    words = [w for w in name.split() if any(ch.isalnum() for ch in w)]
    return len(words) <= 5 and not cluster_pattern.search(name)


def _drop_pointing_signature(line: str) -> str:
    """Drop a trailing "👉 Channel Name" (a pointing hand and up to four words)."""
    pattern = re.compile(rf"[{_POINTING}]\ufe0f?\s*(?:[\w+.'’-]+\s*){{1,4}}\W*$")
    while (match := pattern.search(line)) and len(match.group()) <= 40:
        line = line[: match.start()].rstrip()
    return line


def _drop_markers(line: str) -> str:
    """Remove pictographs; one that separated two items becomes a full stop."""
    cluster_pattern, _ = _patterns()
    out, start = "", 0
    for match in cluster_pattern.finditer(line):
        out = f"{out}{line[start : match.start()]}".rstrip()
        after = line[match.end() :].lstrip()
        ends_item = bool(out) and (out[-1].isalnum() or out[-1] in "»”\")")
        starts_item = bool(after) and (after[0].isupper() or after[0] in "«“\"")
        out += ". " if ends_item and starts_item else " "
        start = match.end()
    return re.sub(r"\s+(?=[.,;:!?…](?:\s|$))", "", " ".join(f"{out}{line[start:]}".split()))


def _drop_cta_sentences(line: str) -> str:
    """Drop subscribe calls, link pointers, trailing handles and hashtags."""
    sentences = [s for s in split_sentences(line) if not _CTA_IMPERATIVE.match(s)]
    while sentences:
        last = _TRAILING_TAGS.sub("", _TRAILING_HANDLE.sub("", sentences[-1])).strip()
        last = _GLUED_POINTER.split(last, maxsplit=1)[0]
        while (pointer := _LINK_POINTER.search(last)) and len(pointer.group()) <= 80:
            last = last[: pointer.start()].rstrip()
        if last and not (len(last) <= 60 and _CTA_SHORT.match(last)):
            sentences[-1] = last
            break
        sentences.pop()
    return " ".join(sentences)


def _join_lines(lines: list[str]) -> str:
    """One line of text; a line that ended without punctuation gets a full stop."""
    out = ""
    for line in lines:
        if out and out[-1].isalnum() and (line[0].isupper() or line[0].isdigit()):
            out += "."
        out = f"{out} {line}" if out else line
    return " ".join(out.split())


def lead_text(summary: str) -> str:
    """The summary cleaned for a lead: no footer, marker or leading bullet.

    >>> lead_text("▪️ Удар по подстанции. Света нет. 🎯 Подписывайся на Канал 📩 Прислать новость")
    'Удар по подстанции. Света нет.'
    >>> lead_text("❤ Подписаться | Прислать новость")
    ''
    """
    return _BULLET_START.sub("", clean_post_text(summary))


def lead_line(summary: str, limit: int) -> str:
    """A lead of whole sentences within ``limit``: cleaned as :func:`lead_text`, and a feed
    summary's unfinished last sentence (feeds cut posts off mid-sentence) dropped when a
    whole one comes before it, else marked with "…".

    >>> lead_line("Talks resumed in Geneva. Both delegations arrived early and the", 200)
    'Talks resumed in Geneva.'
    >>> lead_line("Talks resumed in Geneva and the", 200)
    'Talks resumed in Geneva and the…'
    """
    text = _cut(lead_text(summary), limit)
    if not text or text.endswith(_FINISHED):
        return text
    sentences = split_sentences(text)
    if len(sentences) > 1:
        return " ".join(sentences[:-1])
    return text if len(text) >= limit else f"{text}…"


def after_title(title: str, summary: str) -> str:
    """The part of ``summary`` a lead may use: when the summary carries on the title's
    sentence (a post cut in two, so the headline reads them together), the summary's first
    sentence belongs to the headline.

    >>> after_title("Hungary probes a plot against the pipeline", "reported the daily. More.")
    'More.'
    >>> after_title("Hungary probes a plot.", "The daily reported it.")
    'The daily reported it.'
    """
    text = clean_post_text(title)
    if not (text and summary[:1].islower() and text[-1:] not in ".!?…:"):
        return summary
    sentences = split_sentences(clean_post_text(summary))
    return " ".join(sentences[1:])


_FINISHED = (".", "!", "?", "…", "»", "\"", "”", ")", "“")


def headline(title: str, summary: str, *, limit: int = 120) -> str:
    """A headline of at most ``limit`` characters that reads as one.

    Cut at a sentence end, else a clause boundary, else a word boundary with "…"; a lead-in
    ("Песков:") takes the summary's first statement; wrappers and outlet suffixes go.

    >>> headline("Visegrád 24 on Twitter: BREAKING: Talks resume in Geneva", "")
    'Talks resume in Geneva'
    >>> headline("Ceasefire talks stall again - The Daily Courier", "")
    'Ceasefire talks stall again'
    >>> headline("Ceasefire talks stall again - defence chief", "")
    'Ceasefire talks stall again - defence chief'
    >>> headline("Другие заявления Пескова:", "▪️ Переговоры не ведутся ▪️ Визит не планируется")
    'Другие заявления Пескова: Переговоры не ведутся'
    >>> headline("📣", "")
    ''
    """
    text = _unwrap(clean_post_text(title))
    statement = _first_statement(clean_post_text(summary))
    if text and summary[:1].islower() and text[-1:] not in ".!?…:":
        text = f"{text} {clean_post_text(summary)}"  # a post cut into title and summary
    if _is_lead_in(text):
        result = _with_statement(text.rstrip(" :"), statement, limit)
    else:
        result = _cut(_without_quoted_head(text, limit) or statement, limit)
    if not any(ch.isalpha() for ch in result):
        result = _cut(" ".join(_drop_markers(clean_text(title)).split()), limit)
    return result


def _unwrap(text: str) -> str:
    """Drop tweet wrappers, "BREAKING:" prefixes, tag suffixes and an outlet suffix."""
    tweet = _TWEET.match(text)
    if tweet:
        rest = text[tweet.end() :]
        quoted = _QUOTED.match(rest)
        text = f"{tweet.group('who')}: «{quoted.group(1)}»" if quoted else rest
    text = _BREAKING.sub("", text)
    text = _TAGS.sub("", text)
    for _ in range(2):
        text = _drop_outlet(text)
    return _BULLET_START.sub("", text).strip()


def _drop_outlet(text: str) -> str:
    """Drop " | Section" or " - The Outlet" from the end of an English headline.

    >>> _drop_outlet("Kyiv bridge reopens | World news")
    'Kyiv bridge reopens'
    >>> _drop_outlet("Kyiv bridge reopens - Zelensky")
    'Kyiv bridge reopens - Zelensky'
    """
    for separator in (" | ", " - ", " – ", " — "):
        head, found, tail = text.rpartition(separator)
        if not found or len(head) < 12 or len(tail) > 40 or not _OUTLET_NAME.match(tail):
            continue
        if separator == " | " or tail.startswith("The ") or _OUTLET_WORDS.search(tail):
            return head.rstrip()
    return text


def _without_quoted_head(text: str, limit: int) -> str:
    """A headline too long to keep whole loses a quotation standing alone at its head: cut
    to its first clause it would be the bare quotation, which says nothing without who said
    it or what it names; the news is what follows.

    >>> _without_quoted_head("«Никаких уступок»: опубликован план перемирия из двенадцати пунктов", 40)
    'Опубликован план перемирия из двенадцати пунктов'
    >>> _without_quoted_head("“Who is next?” Baltic states ask after the strike on the depot", 40)
    'Baltic states ask after the strike on the depot'
    >>> _without_quoted_head("«Гидре» отрубили головы, а затем признали ошибку в отчёте", 40)
    '«Гидре» отрубили головы, а затем признали ошибку в отчёте'
    """
    head = _QUOTED_HEAD.match(text)
    if len(text) <= limit or not head:
        return text
    rest = head.group("rest")
    return rest[:1].upper() + rest[1:]


def _is_lead_in(text: str) -> bool:
    return text.endswith(":") or text.endswith("：")


def _first_statement(text: str) -> str:
    """The first item of a bullet list, or the first sentence, without its bullet."""
    text = _BULLET_START.sub("", text)
    text = re.split(r";\s*[—–•-]\s|;\s+(?=[A-ZА-ЯЁІЇЄҐ])", text, maxsplit=1)[0]
    sentences = split_sentences(text)
    return _BULLET_START.sub("", sentences[0]) if sentences else ""


def _with_statement(lead: str, statement: str, limit: int) -> str:
    """Join a lead-in and the statement it introduces, or fall back to the lead-in alone."""
    if not statement:
        return _cut(lead, limit)
    statement = statement[:-1] if statement.endswith(".") and not statement.endswith("..") else statement
    joined = f"{lead}: {statement}"
    if len(joined) <= limit:
        return _balance(joined)
    if len(lead) <= limit * SHORTEST_SHARE:  # a source label: keep it, cut the statement
        return f"{lead}: {_cut(statement, limit - len(lead) - 2)}"
    return _cut(lead, limit)


def _cut(text: str, limit: int) -> str:
    """``text`` within ``limit``: whole sentences, else a clause, else words and "…".

    >>> _cut("Talks resumed in Geneva, officials said on Monday, and more.", 40)
    'Talks resumed in Geneva'
    >>> _cut("Hypersonic reconnaissance drones unexpectedly", 30)
    'Hypersonic reconnaissance…'
    """
    text = " ".join(text.split())
    for reserve in (0, 1, 2):
        result = _balance(_cut_once(text, limit - reserve))
        if len(result) <= limit:
            return result
    return result


def _cut_once(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    shortest = int(limit * SHORTEST_SHARE)
    sentences = _sentence_prefix(text, limit)
    if len(sentences) >= limit * SENTENCE_SHARE:
        return sentences  # even a short whole sentence beats a clause of the next one
    for tier in _CLAUSE_TIERS:
        clause = _clause_prefix(text, limit, tier, shortest)
        if clause:
            return clause
    return _word_cut(text, limit)


def _sentence_prefix(text: str, limit: int) -> str:
    """The longest run of whole leading sentences that fits."""
    return text[: end_within(text, limit)]


def _clause_prefix(text: str, limit: int, separators: tuple[str, ...], shortest: int) -> str:
    """The text up to the last ``separators`` boundary within ``limit``, or ``""``."""
    ends = sorted(
        (m.start() for sep in separators for m in re.finditer(re.escape(sep), text[: limit + 1])),
        reverse=True,
    )
    for end in ends:
        head = text[:end].rstrip(" ,;:—–-")
        if not _whole_clause(head, text[end:].lstrip(" ,;:—–-"), separator=text[end : end + 2]):
            continue
        if shortest <= len(head) <= limit and _balanced(head) and head[-1:] != ":":
            return head
    return ""


def _whole_clause(head: str, rest: str, *, separator: str) -> bool:
    """Does ``head`` read as a whole clause when cut before ``rest``?

    >>> _whole_clause("Спецназ, разогнавший митинг", "окружил", separator=", ")
    False
    >>> _whole_clause("Водитель, находясь в салоне", "пытался", separator=", ")
    False
    >>> _whole_clause("Поезд сошёл с рельсов в Щелково", "пострадал водитель", separator=", ")
    True
    """
    if not head or head.split()[-1].lower() in _DANGLING or _COMPLEMENT.match(rest):
        return False
    if separator != ", ":
        return True
    opened = [w.split(" ", 1)[0].lower() for w in head.split(", ")[1:]]
    return not any(_EMBEDDED.match(w) for w in opened[-1:])


def _word_cut(text: str, limit: int) -> str:
    """Cut at a word boundary with "…", dropping a dangling preposition or article."""
    cut = truncate(text, limit)
    body = cut.removesuffix("…")
    if len(body) < len(text) and text[len(body)].isalnum():  # truncate split a word
        space = text.rfind(" ", 0, max(limit - 1, 1))
        body = text[:space] if space > 0 else text[: max(limit - 1, 0)]
    words = body.rstrip(" ,;:–—-").split(" ")
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    body = " ".join(words).rstrip(" ,;:–—-")
    if body.count("(") > body.count(")") and body.rfind("(") >= limit * SHORTEST_SHARE:
        body = body[: body.rfind("(")].rstrip(" ,;:–—-")  # not inside a parenthesis
    return body + "…"


def _balanced(text: str) -> bool:
    return (
        text.count("«") == text.count("»")
        and text.count("(") == text.count(")")
        and text.count('"') % 2 == 0
        and (text.count("“") + text.count("”") + text.count("„")) % 2 == 0
    )


def _balance(text: str) -> str:
    """Close a quote or bracket a cut left open; never end on a colon.

    >>> _balance("Зеленский: «Сил вернуть всё нет.")
    'Зеленский: «Сил вернуть всё нет»'
    >>> _balance("Kyiv’s mayor calls the strike ‘terrorism")
    'Kyiv’s mayor calls the strike ‘terrorism’'
    """
    text = text.rstrip(" :：")
    closing = ""
    if text.count("«") > text.count("»"):
        closing += "»"
    # "’" is also the apostrophe, so only a "‘" with no "’" after it is left open.
    if text.rfind("‘") > text.rfind("’"):
        closing += "’"
    if text.count('"') % 2:
        closing += '"'
    if (text.count("“") + text.count("”") + text.count("„")) % 2:
        closing += "“" if "„" in text else "”"
    if text.count("(") > text.count(")"):
        closing += ")"
    if closing and text.endswith("."):
        text = text[:-1]
    return text + closing
