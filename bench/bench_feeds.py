"""The bot's real feed pipeline at scale: 50 feeds × 200 items from a local server.

``.venv/bin/python -m bench feeds`` generates 50 outlets (en/uk/ru) whose items report a
shared pool of events — war news mixed with weather, sport, business and culture, several
outlets per event, published over the last 24 h — and serves each feed with an ETag and each
item URL with a small article page, from :class:`tests.pageserver.PageServer`. Each outlet
gets its own host name (resolved to 127.0.0.1 by an injected resolver) so the scheduler's
per-host cap behaves as it does against real sites.

Then, on a temp-file SQLite database with the 50 sources synced and a clock the bench
controls, it times :func:`services.polling.poll_feeds` twice (the first poll stores every
item; the second, past the poll interval, gets a 304 from every feed) and
:func:`services.digests.queue_due_digests` for one subscribed chat (plan + article reads
+ render + outbox), with :func:`digest.stories.daily.plan` alone timed on the same candidates.

The stages run twice: once for the times, once under tracemalloc for each stage's Python
heap peak (tracemalloc slows Python down, so its times are not shown). The page server runs
in the same process, so its threads share the GIL and the heap with the pipeline.
``--seed=N`` changes the generated news; ``--show`` prints the queued digest (Telegram HTML).
A second table polls Telegram channels (:mod:`bench.channel_polls`); ``--channels`` prints
only that one.
"""

from __future__ import annotations

import asyncio
import functools
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import numpy as np

from bench import channel_polls
from digest.language.embedding import load_encoder, to_blob
from digest.reader.fetch import FetchOptions, HttpClient
from digest.stories.daily import PlannedStory, enrich, plan
from digest.stories.similarity import load_pair_model
from services.articles import cached_article
from services.context import Services
from services.digests import candidates_for, queue_due_digests
from services.options import SchedulerOptions
from services.polling import poll_feeds
from settings import load_settings
from storage import open_database, outbox
from storage.chats import ChatDefaults, NewChat, ensure_chat, get_chat, subscribe
from storage.items import StoredItem
from storage.sources import SourceSpec, sync_sources
from tests.feedgen import Entry, rss
from tests.pageserver import PageServer, Reply, RequestHandler, static_handler

FEEDS = 50
ITEMS_PER_FEED = 200
EVENTS = 2000  # ~5 reports per event on average: several outlets carry each story
WAR_SHARE = 0.6
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 08:00 in Kyiv, a usual digest time
CHAT_ID = 1001
T = TypeVar("T")

# -- generated news --------------------------------------------------------------------------

CITIES = {
    "en": ["Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Sumy", "Mykolaiv", "Poltava"],
    "uk": ["Харків", "Одеса", "Дніпро", "Запоріжжя", "Херсон", "Суми", "Миколаїв", "Полтава"],
    "ru": ["Харьков", "Одесса", "Днепр", "Запорожье", "Херсон", "Сумы", "Николаев", "Полтава"],
}

# Per topic and language: two headline wordings, a summary, a quote and who said it.
# {c} is the city, {n} a number; every outlet writing about one event uses the same values.
WAR = [
    {"en": ("Russian drones hit {c} overnight, {n} injured", "Drone attack on {c} leaves {n} people hurt",
            "Russian attack drones struck residential districts of {c} overnight, injuring {n} people, regional officials said.",
            "Rescuers are still working at the scene and the number of injured may rise", "the head of the regional military administration"),
     "uk": ("Російські дрони атакували {c}, {n} поранених", "Нічна атака дронів на {c}: поранено {n} людей",
            "Уночі російські ударні дрони атакували житлові квартали міста {c}, поранено {n} людей, повідомили в ОВА.",
            "Рятувальники досі працюють на місці, кількість поранених може зрости", "начальник обласної військової адміністрації"),
     "ru": ("Российские дроны атаковали {c}, {n} раненых", "Ночная атака дронов на {c}: ранены {n} человек",
            "Ночью российские ударные дроны атаковали жилые кварталы города {c}, ранены {n} человек, сообщили в ОВА.",
            "Спасатели до сих пор работают на месте, число раненых может вырасти", "глава областной военной администрации")},
    {"en": ("Missile strike cuts power to {n},000 homes in {c}", "{c}: {n},000 households without electricity after missile strike",
            "A Russian missile damaged an energy facility in {c}, leaving about {n},000 households without power, the grid operator said.",
            "Repair crews will restore supply as soon as the site is safe", "a spokesperson for the grid operator"),
     "uk": ("Ракетний удар знеструмив {n} тисяч домівок у місті {c}", "{c}: {n} тисяч родин без світла після ракетного удару",
            "Російська ракета пошкодила енергооб'єкт у місті {c}, без світла залишилися близько {n} тисяч родин, повідомили енергетики.",
            "Ремонтні бригади відновлять живлення, щойно це буде безпечно", "речниця оператора мережі"),
     "ru": ("Ракетный удар обесточил {n} тысяч домов в городе {c}", "{c}: {n} тысяч семей без света после ракетного удара",
            "Российская ракета повредила энергообъект в городе {c}, без света остались около {n} тысяч семей, сообщили энергетики.",
            "Ремонтные бригады восстановят питание, как только это будет безопасно", "представитель оператора сети")},
    {"en": ("Ukraine's air force says it downed {n} drones near {c}", "Air defence destroys {n} Shahed drones over {c} region",
            "Ukrainian air defence shot down {n} Shahed drones launched at {c} region overnight, the air force said.",
            "Mobile fire groups worked all night and most targets were hit before reaching the city", "Air Force spokesman Yurii Ihnat"),
     "uk": ("Повітряні сили: біля міста {c} збито {n} дронів", "ППО знищила {n} шахедів над областю, де розташоване місто {c}",
            "Українська ППО вночі збила {n} дронів типу Шахед, випущених по області, де розташоване місто {c}, повідомили Повітряні сили.",
            "Мобільні вогневі групи працювали всю ніч, більшість цілей уражено на підльоті", "речник Повітряних сил Юрій Ігнат"),
     "ru": ("Воздушные силы: возле города {c} сбиты {n} дронов", "ПВО уничтожила {n} шахедов над областью, где расположен город {c}",
            "Украинская ПВО ночью сбила {n} дронов типа Шахед, запущенных по области, где расположен город {c}, сообщили Воздушные силы.",
            "Мобильные огневые группы работали всю ночь, большинство целей поражены на подлёте", "спикер Воздушных сил Юрий Игнат")},
    {"en": ("Russian shelling damages school and hospital in {c}", "{c} hospital hit by Russian artillery, {n} wounded",
            "Russian artillery shelled {c}, damaging a school and a hospital and wounding {n} civilians, local authorities reported.",
            "There are no military targets in this district, only homes, a school and a hospital", "the city's mayor"),
     "uk": ("Російський обстріл пошкодив школу та лікарню в місті {c}", "{c}: російська артилерія влучила в лікарню, {n} поранених",
            "Російська артилерія обстріляла місто {c}, пошкоджено школу та лікарню, поранено {n} цивільних, повідомила місцева влада.",
            "У цьому районі немає військових цілей, лише житло, школа і лікарня", "міський голова"),
     "ru": ("Российский обстрел повредил школу и больницу в городе {c}", "{c}: российская артиллерия попала в больницу, {n} раненых",
            "Российская артиллерия обстреляла город {c}, повреждены школа и больница, ранены {n} мирных жителей, сообщили местные власти.",
            "В этом районе нет военных целей, только жильё, школа и больница", "городской голова")},
    {"en": ("Zelensky meets commanders near {c}, discusses front line", "Zelensky visits troops near {c} as fighting intensifies",
            "President Volodymyr Zelensky met army commanders near {c} to discuss the situation on the front line and supplies of {n} new brigades.",
            "Our soldiers need more air defence and more shells, and we will get them", "President Volodymyr Zelensky"),
     "uk": ("Зеленський зустрівся з командирами біля міста {c}", "Зеленський відвідав військових поблизу міста {c}",
            "Президент Володимир Зеленський зустрівся з командирами біля міста {c} і обговорив ситуацію на фронті та забезпечення {n} нових бригад.",
            "Нашим воїнам потрібно більше ППО і снарядів, і ми їх отримаємо", "Президент Володимир Зеленський"),
     "ru": ("Зеленский встретился с командирами возле города {c}", "Зеленский посетил военных вблизи города {c}",
            "Президент Владимир Зеленский встретился с командирами возле города {c} и обсудил ситуацию на фронте и обеспечение {n} новых бригад.",
            "Нашим воинам нужно больше ПВО и снарядов, и мы их получим", "Президент Владимир Зеленский")},
]
OTHER = [
    {"en": ("Heavy snow expected in {c} this weekend", "Forecasters warn of {n} cm of snow in {c}",
            "Forecasters expect up to {n} cm of snow in {c} over the weekend and advise drivers to avoid long trips.",
            "Roads will be slippery, so please leave the car at home if you can", "a duty forecaster"),
     "uk": ("У місті {c} на вихідних очікують сильний снігопад", "Синоптики попереджають про {n} см снігу, місто {c}",
            "Синоптики прогнозують до {n} см снігу в місті {c} на вихідних і радять водіям утриматися від далеких поїздок.",
            "Дороги будуть слизькими, тож за можливості залиште авто вдома", "черговий синоптик"),
     "ru": ("В городе {c} на выходных ожидают сильный снегопад", "Синоптики предупреждают о {n} см снега, город {c}",
            "Синоптики прогнозируют до {n} см снега в городе {c} на выходных и советуют водителям воздержаться от дальних поездок.",
            "Дороги будут скользкими, поэтому по возможности оставьте машину дома", "дежурный синоптик")},
    {"en": ("{c} football club wins cup final {n}-1", "Cup glory for {c} after {n}-1 win in final",
            "The football club from {c} won the national cup final {n}-1 in front of a sold-out stadium on Sunday.",
            "The boys played with their hearts and the fans carried us", "the club's head coach"),
     "uk": ("Футбольний клуб з міста {c} виграв фінал кубка {n}:1", "Кубок у місті {c}: перемога {n}:1 у фіналі",
            "Футбольний клуб з міста {c} виграв фінал національного кубка з рахунком {n}:1 на заповненому стадіоні.",
            "Хлопці грали серцем, а вболівальники нас несли", "головний тренер клубу"),
     "ru": ("Футбольный клуб из города {c} выиграл финал кубка {n}:1", "Кубок в городе {c}: победа {n}:1 в финале",
            "Футбольный клуб из города {c} выиграл финал национального кубка со счётом {n}:1 на заполненном стадионе.",
            "Ребята играли сердцем, а болельщики нас несли", "главный тренер клуба")},
    {"en": ("New bakery chain opens {n} shops in {c}", "{c} gets {n} new bakeries as chain expands",
            "A bakery chain opened {n} new shops in {c} this week and plans to hire about 200 people.",
            "People here love fresh bread in the morning, so this was an easy choice", "the company's founder"),
     "uk": ("Мережа пекарень відкрила {n} крамниць у місті {c}", "Місто {c} отримало {n} нових пекарень",
            "Мережа пекарень цього тижня відкрила {n} нових крамниць у місті {c} і планує найняти близько 200 людей.",
            "Люди тут люблять свіжий хліб зранку, тож вибір був простим", "засновник компанії"),
     "ru": ("Сеть пекарен открыла {n} магазинов в городе {c}", "Город {c} получил {n} новых пекарен",
            "Сеть пекарен на этой неделе открыла {n} новых магазинов в городе {c} и планирует нанять около 200 человек.",
            "Люди здесь любят свежий хлеб по утрам, так что выбор был простым", "основатель компании")},
    {"en": ("{c} theatre premieres new opera after {n} months of rehearsals", "Opera premiere in {c} sells out",
            "The city theatre of {c} premiered a new opera after {n} months of rehearsals, with every seat sold.",
            "We rehearsed through every season and the audience felt it", "the theatre's director"),
     "uk": ("Театр у місті {c} представив нову оперу після {n} місяців репетицій", "Прем'єра опери у місті {c}: аншлаг",
            "Міський театр у місті {c} показав прем'єру нової опери після {n} місяців репетицій, усі квитки продано.",
            "Ми репетирували в будь-яку пору року, і глядачі це відчули", "директор театру"),
     "ru": ("Театр в городе {c} представил новую оперу после {n} месяцев репетиций", "Премьера оперы в городе {c}: аншлаг",
            "Городской театр в городе {c} показал премьеру новой оперы после {n} месяцев репетиций, все билеты проданы.",
            "Мы репетировали в любое время года, и зрители это почувствовали", "директор театра")},
]
LANGUAGES = ["en"] * 25 + ["uk"] * 15 + ["ru"] * 10


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened once and that several outlets report."""

    number_in_day: int
    topic: dict[str, tuple[str, str, str, str, str]]
    about_war: bool
    city: int
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Report:
    """One outlet's item about an event: what its feed says and what its page shows."""

    entry: Entry
    language: str
    quote: str
    speaker: str
    about_war: bool


def make_events(rng: random.Random) -> list[Event]:
    """The day's events over the 24 h before ``START``, ``WAR_SHARE`` of them about the war."""
    events = []
    for index in range(EVENTS):
        war = rng.random() < WAR_SHARE
        events.append(Event(index, rng.choice(WAR if war else OTHER), war, rng.randrange(8),
                            rng.randint(2, 60), START - timedelta(seconds=rng.uniform(600, 86_000))))
    return events


def report(event: Event, outlet: int, language: str, base: str, rng: random.Random) -> Report:
    """How outlet ``outlet`` words ``event``: one of two headlines, minutes to an hour later."""
    first, second, summary, quote, speaker = event.topic[language]
    values = {"c": CITIES[language][event.city], "n": event.number}
    published = min(event.at + timedelta(minutes=rng.uniform(1, 60)), START - timedelta(minutes=1))
    guid = f"o{outlet}-e{event.number_in_day}"
    link = f"{base}/news/{guid}"
    title = (first if rng.random() < 0.5 else second).format(**values)
    entry = Entry(guid, title, summary.format(**values), published, link)
    return Report(entry, language, quote, speaker, event.about_war)


def outlet_reports(outlet: int, events: Sequence[Event], base: str, rng: random.Random) -> list[Report]:
    """``ITEMS_PER_FEED`` reports on distinct events, newest first as feeds list them."""
    language = LANGUAGES[outlet % len(LANGUAGES)]
    chosen = rng.sample(list(events), ITEMS_PER_FEED)
    reports = [report(event, outlet, language, base, rng) for event in chosen]
    return sorted(reports, key=lambda r: r.entry.published, reverse=True)


def article_page(item: Report) -> bytes:
    """A small article page: headline, date, the summary, the quote with its speaker."""
    e = item.entry
    return (f'<html lang="{item.language}"><head><title>{escape(e.title)}</title>'
            f'<meta property="article:published_time" content="{e.published.isoformat()}"></head>'
            f"<body><article><h1>{escape(e.title)}</h1><p>{escape(e.summary)}</p>"
            f"<p>“{escape(item.quote)},” said {escape(item.speaker)}.</p>"
            f"<p>{escape(e.summary)}</p></article></body></html>").encode()


# -- the local web ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Web:
    """The served outlets: their sources for the database and the counts served."""

    specs: list[SourceSpec]
    hosts: frozenset[str]
    items: int
    war_items: int


def host(outlet: int) -> str:
    return f"outlet{outlet:02d}.bench.test"


def serve_article(item: Report) -> Callable[[RequestHandler], None]:
    """Render the page only when asked: 10,000 pages held as bytes would skew the memory."""
    return lambda request: static_handler(Reply(article_page(item)))(request)


def build_web(server: PageServer, seed: int) -> Web:
    """Register every feed (with an ETag) and every article on ``server``."""
    rng = random.Random(seed)
    events = make_events(rng)
    specs, items, war = [], 0, 0
    for outlet in range(FEEDS):
        base = server.url("", host=host(outlet)).rstrip("/") + f"/o{outlet}"
        reports = outlet_reports(outlet, events, base, rng)
        for item in reports:
            server.route(urlsplit(item.entry.link).path, serve_article(item))
        language = reports[0].language
        feed = rss(f"Outlet {outlet}", [r.entry for r in reports], language=language)
        server.add(f"/o{outlet}/rss", Reply(feed, content_type="application/rss+xml", etag=f'"o{outlet}-v1"'))
        specs.append(SourceSpec(f"Outlet {outlet:02d} ({language})", f"{base}/rss", language,
                                rng.choice(["ukrainian_media", "international", "russian_independent"]), True))
        items += len(reports)
        war += sum(r.about_war for r in reports)
    hosts = frozenset(f"{host(o)}:{server.port}" for o in range(FEEDS))
    return Web(specs, hosts, items, war)


async def loopback(name: str, port: int) -> list[str]:
    """Every bench host name is this machine (the fetcher still checks what it is given)."""
    return ["127.0.0.1"]


# -- the pipeline ----------------------------------------------------------------------------

@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Figures:
    """What one pass measured: seconds per stage, heap peaks (MB) if traced, and counts."""

    seconds: dict[str, float] = field(default_factory=dict)
    heap_mb: dict[str, float] = field(default_factory=dict)
    counts: dict[str, str] = field(default_factory=dict)
    digest_text: str = ""


async def _stage(figures: Figures, name: str, work: Awaitable[T]) -> T:
    """Await ``work``, recording its wall time and (when tracing) its heap peak."""
    if tracemalloc.is_tracing():
        tracemalloc.reset_peak()
    started = time.perf_counter()
    result = await work
    figures.seconds[name] = time.perf_counter() - started
    if tracemalloc.is_tracing():
        figures.heap_mb[name] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


async def _plan_only(svc: Services) -> tuple[int, list[PlannedStory[StoredItem]]]:
    """The chat's candidate count and planned stories (relevance, grouping, ranking)."""
    chat = get_chat(svc.db, CHAT_ID)
    assert chat is not None
    candidates = candidates_for(svc, chat, svc.clock())
    return len(candidates), plan(candidates, now=svc.clock())


def with_stand_in_vectors(svc: Services) -> list[StoredItem]:
    """The chat's candidates, each carrying a stand-in stored vector, the engine loaded.

    Encoding 10,000 items takes minutes, so the vectors here are **stand-ins**: one random
    direction per event plus noise per report (the guid names the event), so grouping is
    handed the events. They time the embedding path (model relevance, pair-model grouping,
    event merging) and its memory, never its quality (``bench digest`` and ``bench cluster``
    measure that on real vectors).
    """
    engine = load_encoder()
    if engine is not None:
        engine.encode([c.title for c in candidates_for_chat(svc)[:32]])  # touch the model
    return [replace(item, vector=to_blob(_stand_in(item.url, item.language)))
            for item in candidates_for_chat(svc)]


async def _plan_with_vectors(svc: Services, vectored: list[StoredItem]
                             ) -> tuple[int, list[PlannedStory[StoredItem]]]:
    return len(vectored), plan(vectored, now=svc.clock())


STAND_IN = ("plan with stored vectors (stand-ins: grouping is handed the events; lexicon cues "
            "cached by the plan above, as by the day's earlier builds and alert ticks)")


def candidates_for_chat(svc: Services) -> list[StoredItem]:
    chat = get_chat(svc.db, CHAT_ID)
    assert chat is not None
    return candidates_for(svc, chat, svc.clock())


def _stand_in(url: str, language: str | None) -> np.ndarray:
    """Shaped like a real e5 vector: the language's mean vector (about 0.89 of the length)
    plus a residual pointing along the event's direction with noise per report, so that,
    once centred, reports of one event are alike and other pairs are not (as on real news)."""
    mean = load_pair_model().language_means.get(language or "", load_pair_model().default_mean)
    event = int(url.rsplit("-e", 1)[1])
    direction = np.random.default_rng(event).normal(size=384)
    noise = np.random.default_rng(zlib.crc32(url.encode())).normal(size=384)
    residual = direction / np.linalg.norm(direction) + 0.8 * noise / np.linalg.norm(noise)
    residual *= np.sqrt(max(1.0 - float(mean @ mean), 0.0)) / np.linalg.norm(residual)
    vector = mean + residual
    return (vector / np.linalg.norm(vector)).astype(np.float32)


async def _polls(svc: Services, clock: Clock, figures: Figures) -> None:
    """The first poll (everything new) and, past the poll interval, the unchanged one."""
    options = SchedulerOptions()
    first = await _stage(figures, "first poll", poll_feeds(svc, options))
    stored = svc.db.execute("select count(*) from items").fetchone()[0]
    figures.counts["first poll"] = (f"{first.polled} feeds, {first.new_items} new, "
                                    f"{stored} stored, {first.failed} failed")
    clock.now += timedelta(minutes=15)  # past the 10-minute interval and its jitter
    second = await _stage(figures, "unchanged poll", poll_feeds(svc, options))
    figures.counts["unchanged poll"] = (f"{second.polled} feeds, {second.unchanged} × 304, "
                                        f"{second.new_items} new")


async def _digest(svc: Services, figures: Figures) -> None:
    """Plan alone, enrichment alone, then the whole digest for one chat (cold article cache)."""
    ensure_chat(svc.db, CHAT_ID, NewChat("private"), ChatDefaults())
    subscribe(svc.db, CHAT_ID, next_digest_at=svc.clock())
    candidates, stories = await _stage(figures, "plan (cold word caches)", _plan_only(svc))
    figures.counts["plan (cold word caches)"] = (
        f"{candidates} candidates → {len(stories)} stories of {sum(len(s.items) for s in stories)} items")
    vectored = with_stand_in_vectors(svc)
    candidates, stories = await _stage(figures, STAND_IN, _plan_with_vectors(svc, vectored))
    figures.counts[STAND_IN] = (
        f"{candidates} candidates → {len(stories)} stories of {sum(len(s.items) for s in stories)} items")
    read = functools.partial(cached_article, svc)
    views = await _stage(figures, "enrich (article reads)", enrich(stories, read))
    figures.counts["enrich (article reads)"] = f"{len(views)} stories, {_count(svc, 'article_cache')} articles read"
    svc.db.execute("delete from article_cache")  # the full digest below reads them again
    queued = await _stage(figures, "digest (queue_due_digests)", queue_due_digests(svc, SchedulerOptions()))
    parts = outbox.due_messages(svc.db, svc.clock())
    figures.counts["digest (queue_due_digests)"] = (
        f"{queued} digest, {len(parts)} message(s), {_count(svc, 'article_cache')} articles read")
    figures.digest_text = "\n".join(part.text for part in parts)


def _count(svc: Services, table: str) -> int:
    return int(svc.db.execute(f"select count(*) from {table}").fetchone()[0])


async def run_pipeline(web: Web, database: Path) -> Figures:
    """Sync sources, poll twice, and build one chat's digest on a fresh database."""
    figures, clock = Figures(), Clock()
    db = open_database(database)
    sync_sources(db, web.specs, origin="builtin")
    fetch_options = FetchOptions(allow_private_hosts=web.hosts, resolver=loopback)
    async with HttpClient(trust_env=False) as client:
        svc = Services(load_settings({"BOT_TOKEN": "1:x"}), db, client, fetch_options, clock)
        await _polls(svc, clock, figures)
        await _digest(svc, figures)
    db.close()
    return figures


def _pass(web: Web, *, traced: bool) -> Figures:
    with tempfile.TemporaryDirectory() as folder:
        if traced:
            tracemalloc.start()
        try:
            return asyncio.run(run_pipeline(web, Path(folder) / "bench.db"))
        finally:
            if traced:
                tracemalloc.stop()


def _print(web: Web, timed: Figures, traced: Figures) -> None:
    print(f"{FEEDS} feeds × {ITEMS_PER_FEED} items = {web.items} items "
          f"({web.war_items} on war topics), {EVENTS} events, en/uk/ru = "
          f"{LANGUAGES.count('en')}/{LANGUAGES.count('uk')}/{LANGUAGES.count('ru')} feeds\n")
    print("| stage | wall s | Python heap peak MB | result |")
    print("|---|---:|---:|---|")
    for name, seconds in timed.seconds.items():
        print(f"| {name} | {seconds:.2f} | {traced.heap_mb.get(name, 0.0):.1f} | {timed.counts[name]} |")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"\nprocess peak RSS (ru_maxrss, server and both passes included): {max_rss:.0f} MB")


def main(argv: list[str]) -> None:
    if "--channels" in argv:  # only the channel figures (cheap: no models, no digest)
        channel_polls.print_table(channel_polls.run())
        return
    seeds = [int(a.removeprefix("--seed=")) for a in argv if a.startswith("--seed=")]
    seed = seeds[-1] if seeds else 7
    with PageServer() as server:
        web = build_web(server, seed)
        timed = _pass(web, traced=False)
        traced = _pass(web, traced=True)
    _print(web, timed, traced)
    channel_polls.print_table(channel_polls.run())
    if "--show" in argv:
        print(f"\n{timed.digest_text}")


if __name__ == "__main__":
    main(sys.argv[1:])
