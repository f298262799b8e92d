"""Is a news item about the Russia–Ukraine war? A transparent, weighted-lexicon answer.

Every cue of the lexicon is one concept in English, Ukrainian and Russian stem patterns (see
:mod:`digest.language.stems`) with a kind and a weight:

* ``core``: means this war on its own (ЗСУ/ВСУ, Shahed, counteroffensive, Bakhmut, grain
  corridor, "special military operation");
* ``theatre``: where or who (Ukraine, Russia, Kharkiv, Zelensky, NATO) — weak alone, since
  Ukraine and Russia also have football, weather and central banks;
* ``action``: what war does (missile, shelling, sanctions, mobilisation, prisoners of war,
  ceasefire) — weak alone, since Gaza and Sudan have missiles too;
* ``negative``: what pulls an item away (sport, show business, other wars, weather,
  interest rates).

The evidence is ``core + theatre + action − negative`` when a theatre cue and an action cue
meet, and only a third of ``theatre + action`` when one of them is missing: "strike on
Kharkiv" is strong, "Kharkiv zoo" or "strikes on Gaza" are not. Several cues of one kind add
with diminishing returns; cues in the summary count 60 % of cues in the title. A logistic
turns the evidence into a 0..1 score; :func:`is_about_war` cuts at 0.5, and
:func:`explain_relevance` shows which cues fired (for a debug view).

>>> is_about_war("Missile strike on Kharkiv apartment block")
True
>>> is_about_war("Kharkiv zoo welcomes a baby giraffe")
False
>>> is_about_war("Росіяни обстріляли Херсон з артилерії")
True
>>> is_about_war("Шахтер обыграл Динамо в Киеве")
False
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from digest.language.detect import guess_language, normalize_language
from digest.language.stems import compile_patterns, normalize

THRESHOLD = 0.5
SUMMARY_FACTOR = 0.6
"""Cues found only in the summary weigh this much of a title cue: leads wander off-topic."""

LONE_KIND_FACTOR = 0.35
"""Theatre without action (or action without theatre) counts this share of its weight."""

MIDPOINT = 1.5
"""Evidence at which the score is 0.5: about one theatre cue plus one light action cue."""

STEEPNESS = 2.0
_SUMMARY_CHARS = 600


class CueKind(StrEnum):
    CORE = "core"
    THEATRE = "theatre"
    ACTION = "action"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class Cue:
    """One concept of the lexicon: a label, its kind, weight and stem patterns.

    ``latin`` holds only the Latin-script patterns (None when there are none), which is all
    an English text can match.
    """

    label: str
    kind: CueKind
    weight: float
    pattern: re.Pattern[str]
    latin: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue that fired: which one, the text it matched, and the weight it contributed."""

    label: str
    kind: CueKind
    weight: float
    matched: str
    field: str


@dataclass(frozen=True, slots=True)
class RelevanceReport:
    """Score, decision and the evidence behind them.

    >>> report = explain_relevance("Russia and Ukraine exchange prisoners of war")
    >>> report.is_war, [hit.label for hit in report.hits]
    (True, ['prisoners of war', 'Ukraine', 'Russia'])
    """

    score: float
    evidence: float
    hits: tuple[CueHit, ...]

    @property
    def is_war(self) -> bool:
        return self.score >= THRESHOLD

    def describe(self) -> str:
        """One line per cue, for a debug view.

        >>> print(explain_relevance("Shelling of Kherson").describe())
        score 0.88 (evidence 2.50)
          + action   shelling (1.5) 'shelling' in title
          + theatre  Kherson (1.0) 'kherson' in title
        """
        lines = [f"score {self.score:.2f} (evidence {self.evidence:.2f})"]
        for hit in self.hits:
            sign = "-" if hit.kind is CueKind.NEGATIVE else "+"
            lines.append(
                f"  {sign} {hit.kind.value:<8} {hit.label} ({hit.weight:.1f}) "
                f"{hit.matched!r} in {hit.field}"
            )
        return "\n".join(lines)


def war_relevance(title: str, summary: str = "", *, language: str | None = None) -> float:
    """Score 0..1 that the item is about the Russia–Ukraine war.

    >>> war_relevance("Russia's central bank raises key rate") < 0.2
    True
    """
    return explain_relevance(title, summary, language=language).score


def is_about_war(title: str, summary: str = "", *, language: str | None = None) -> bool:
    """True when :func:`war_relevance` reaches ``THRESHOLD``."""
    return explain_relevance(title, summary, language=language).is_war


def explain_relevance(
    title: str, summary: str = "", *, language: str | None = None
) -> RelevanceReport:
    """Score an item and list the cues that fired, strongest first.

    ``language`` (``en``/``uk``/``ru``, guessed when absent) only picks the script of the
    cues: English text is matched against Latin-script cues alone, Ukrainian and Russian
    text against both (their news writes "F-16" and "HIMARS" in Latin letters).
    """
    language = normalize_language(language) or guess_language(f"{title} {summary}")
    hits = _hits(title, summary[:_SUMMARY_CHARS], latin_only=language == "en")
    evidence = _evidence(hits)
    score = 1.0 / (1.0 + math.exp(-STEEPNESS * (evidence - MIDPOINT)))
    return RelevanceReport(score=round(score, 4), evidence=round(evidence, 4), hits=hits)


def _hits(title: str, summary: str, *, latin_only: bool) -> tuple[CueHit, ...]:
    """Each cue at most once, from the title when it is there, else from the summary.

    Heavier cues claim their words first, so "prisoners of war" is not also counted as
    "war", nor "war in Ukraine" as "Ukraine".
    """
    fields = (
        _Field("title", normalize(title), 1.0),
        _Field("summary", normalize(summary), SUMMARY_FACTOR),
    )
    hits: list[CueHit] = []
    for cue in _BY_WEIGHT:
        pattern = cue.latin if latin_only else cue.pattern
        hit = _first_hit(cue, pattern, fields) if pattern is not None else None
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


@dataclass(slots=True)
class _Field:
    """One text field being scanned, with the spans earlier cues have claimed."""

    name: str
    text: str
    factor: float
    claimed: list[tuple[int, int]] = field(default_factory=list)

    def free_match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        for match in pattern.finditer(self.text):
            if all(match.end() <= start or match.start() >= end for start, end in self.claimed):
                self.claimed.append(match.span())
                return match
        return None


def _first_hit(cue: Cue, pattern: re.Pattern[str], fields: tuple[_Field, ...]) -> CueHit | None:
    for text_field in fields:
        match = text_field.free_match(pattern)
        if match is not None:
            return CueHit(cue.label, cue.kind, cue.weight * text_field.factor, match.group(0),
                          text_field.name)
    return None


def _evidence(hits: tuple[CueHit, ...]) -> float:
    """Combine hits by kind; see the module docstring for the rule."""
    by_kind = {kind: _diminishing([h.weight for h in hits if h.kind is kind]) for kind in CueKind}
    theatre, action = by_kind[CueKind.THEATRE], by_kind[CueKind.ACTION]
    paired = theatre + action if theatre and action else LONE_KIND_FACTOR * (theatre + action)
    return by_kind[CueKind.CORE] + paired - by_kind[CueKind.NEGATIVE]


def _diminishing(weights: list[float]) -> float:
    """Sum with halving returns: the strongest cue counts fully, the next half, and so on.

    >>> _diminishing([1.0, 2.0, 1.0])
    2.75
    """
    return sum(weight / 2**rank for rank, weight in enumerate(sorted(weights, reverse=True)))


_LATIN = re.compile(r"[a-z]")


def _cue(kind: CueKind, weight: float, label: str, *patterns: str) -> Cue:
    latin = [pattern for pattern in patterns if _LATIN.search(pattern)]
    return Cue(label, kind, weight, compile_patterns(patterns),
               compile_patterns(latin) if latin else None)


_C, _T, _A, _N = CueKind.CORE, CueKind.THEATRE, CueKind.ACTION, CueKind.NEGATIVE

# The lexicon. Each line is one concept; English, Ukrainian and Russian stems side by side.
# Stems are cut so that inflection stays inside the ``*`` but unrelated words stay out
# (``росі*``/``росс*`` rather than ``рос*``, which would also match "growth" and "dew").
_LEXICON: tuple[Cue, ...] = (
    # --- core: these alone mean the war ---------------------------------------------------
    _cue(_C, 2.0, "Ukrainian armed forces", "зсу", "всу", "afu"),
    _cue(_C, 2.0, "special military operation", "special military operation",
         "спеціальн* військов* операці*", "специальн* военн* операци*", "сво"),
    _cue(_C, 2.0, "Shahed drones", "shahed*", "шахед*", "шахєд*", "герань 2", "герань 3",
         "geran 2", "geran 3"),
    _cue(_C, 2.0, "invasion of Ukraine", "invasion of ukraine", "russian invasion",
         "full scale invasion", "повномасштабн* вторгнен*", "полномасштабн* вторжени*",
         "вторгнен* росі*", "российск* вторжени*"),
    _cue(_C, 2.0, "war in Ukraine", "war in ukraine", "ukraine war", "russia ukraine war",
         "russias war", "війн* в україні", "війн* проти україни", "російськ* війн*",
         "российско украинск* войн*", "войн* в украине", "войн* против украины",
         "войн* россии"),
    _cue(_C, 1.5, "counteroffensive", "counteroffensive*", "counter offensive*", "контрнаступ*",
         "контрнаступлени*"),
    _cue(_C, 1.5, "Donbas", "donbas*", "донбас*"),
    _cue(_C, 1.5, "grain corridor", "grain corridor*", "grain deal", "black sea grain*",
         "зернов* коридор*", "зернов* угод*", "зернов* сделк*"),
    _cue(_C, 1.5, "Black Sea Fleet", "black sea fleet", "чорноморськ* флот*",
         "черноморск* флот*"),
    _cue(_C, 1.5, "Wagner group", "wagner group", "wagner mercenar*", "wagner fighters",
         "prigozhin*", "пригожин*", "вагнерівц*", "вагнеровц*", "пвк"),
    _cue(_C, 1.5, "Ramstein group", "ramstein*", "рамштайн*", "ukraine defense contact group"),
    _cue(_C, 1.5, "Zaporizhzhia nuclear plant", "zaporizhzhia nuclear*", "znpp", "заес",
         "заэс", "запорізьк* аес", "запорожск* аэс"),
    _cue(_C, 1.5, "Ukrainian commanders", "zaluzhn*", "syrsk*", "budanov*", "залужн*",
         "сирськ*", "сырск*", "буданов*"),
    _cue(_C, 1.5, "Russian command", "shoigu*", "gerasimov*", "шойгу", "герасимов*",
         "belousov*", "білоусов*", "белоусов*"),
    _cue(_C, 1.5, "occupiers", "occupier*", "окупант*", "оккупант*", "рашист*", "орки"),
    _cue(_C, 1.2, "territorial defence / TCC", "territorial defen*", "тероборон*", "тцк",
         "territorial recruitment*"),
    # In Ukrainian and Russian news, call-up papers and enlistment offices mean this war;
    # in English "mobilise" is also said of voters and funds, so it stays an action cue.
    _cue(_C, 1.5, "mobilisation (uk/ru)", "мобілізац*", "мобилизац*", "мобілізован*",
         "мобилизован*", "повістк*", "повестк*", "військкомат*", "военкомат*",
         "демобілізац*", "демобилизац*"),
    # Military administrations exist only under martial law.
    _cue(_C, 1.5, "military administrations", "військов* адміністрац*", "военн* администрац*",
         "ова", "мва"),
    _cue(_C, 1.5, "Minsk and Normandy formats", "minsk agreement*", "minsk accords",
         "normandy format", "мінськ* угод*", "минск* соглашени*", "нормандськ* формат*",
         "нормандск* формат*"),
    _cue(_C, 1.2, "the enemy (uk)", "ворог", "ворога", "ворогу", "ворогом", "ворожі",
         "ворожих", "ворожого"),
    # --- theatre: where and who ------------------------------------------------------------
    _cue(_T, 1.0, "Ukraine", "ukrain*", "україн*", "украин*"),
    _cue(_T, 0.7, "Russia", "russia*", "росі*", "росс*", "рф"),
    _cue(_T, 1.0, "Kremlin", "kremlin*", "кремл*"),
    _cue(_T, 0.5, "Moscow", "moscow*", "москв*", "москов*"),
    _cue(_T, 0.8, "Kyiv", "kyiv*", "kiev*", "київ*", "києв*", "киев*"),
    _cue(_T, 1.2, "Zelensky", "zelensk*", "зеленськ*", "зеленск*"),
    _cue(_T, 0.8, "Putin", "putin*", "путін*", "путин*"),
    _cue(_T, 1.0, "Ukrainian ministers", "umerov*", "kuleba*", "sybiha*", "yermak*", "shmyhal*",
         "умєров*", "умеров*", "кулеб*", "сибіг*", "сибиг*", "єрмак*", "ермак*", "шмигал*",
         "шмыгал*"),
    _cue(_T, 0.8, "Russian officials", "lavrov*", "peskov*", "zakharova*", "medvedev*",
         "лавров*", "пєсков*", "песков*", "медведєв*", "медведев*", "kadyrov*",
         "кадиров*", "кадыров*"),
    _cue(_T, 0.8, "Ukrainian war-time institutions", "ukrenergo", "укренерго", "генштаб*",
         "general staff", "повітрян* сил*", "воздушн* сил*", "нацгвард*", "сили оборони",
         "силы обороны", "дснс", "гснс"),
    _cue(_T, 0.8, "NATO", "nato", "нато", "north atlantic alliance", "альянс*"),
    _cue(_T, 1.5, "Donetsk and Luhansk", "donetsk*", "luhansk*", "lugansk*", "донецьк*",
         "донецк*", "донеччин*", "луганськ*", "луганск*", "луганщин*"),
    _cue(_T, 1.5, "Crimea", "crimea*", "sevastopol*", "крим", "криму", "кримом", "кримськ*",
         "кримчан*", "крым*", "севастопол*"),
    _cue(_T, 1.5, "front-line towns", "bakhmut*", "avdiivka*", "avdeevka*", "pokrovsk*",
         "vuhledar*", "toretsk*", "chasiv yar*", "kurakhove*", "robotyne*", "kupiansk*",
         "mariupol*", "severodonetsk*", "sievierodonetsk*", "lysychansk*", "kramatorsk*",
         "sloviansk*", "kostiantynivka*", "kostyantynivka*", "vovchansk*", "huliaipole*",
         "бахмут*", "артемовск*", "авдіїв*", "авдеев*", "покровськ*", "покровск*", "вугледар*",
         "угледар*", "торецьк*", "торецк*", "часів яр*", "часов* яр*", "курахов*", "роботин*",
         "купянськ*", "купянск*", "маріупол*", "мариупол*", "сєвєродонецьк*", "северодонецк*",
         "лисичанськ*", "лисичанск*", "краматорськ*", "краматорск*", "словянськ*",
         "славянск*", "костянтинівк*", "константиновк*", "вовчанськ*", "волчанск*",
         "гуляйпол*"),
    _cue(_T, 1.2, "occupied south", "melitopol*", "berdiansk*", "berdyansk*", "enerhodar*",
         "kakhovka*", "nova kakhovka*", "tokmak*", "мелітопол*", "мелитопол*", "бердянськ*",
         "бердянск*", "енергодар*", "энергодар*", "каховк*", "токмак*"),
    # Ukrainian і/о alternation: Харків but Харкова, Харкові; Ірпінь but Ірпеня.
    _cue(_T, 1.0, "Kharkiv", "kharkiv*", "kharkov*", "харків*", "харков*", "харьков*"),
    _cue(_T, 1.0, "Kherson", "kherson*", "херсон*"),
    _cue(_T, 1.0, "Zaporizhzhia", "zaporizhzhia*", "zaporizhia*", "zaporozhye*", "запоріж*",
         "запорізьк*", "запорож*"),
    _cue(_T, 0.9, "Odesa", "odesa*", "odessa*", "одес*"),
    _cue(_T, 0.9, "Dnipro", "dnipro*", "dnepr*", "дніпр*", "днепр*"),
    _cue(_T, 0.9, "Mykolaiv", "mykolaiv*", "nikolaev*", "миколаїв*", "миколаєв*", "николаев*"),
    _cue(_T, 0.9, "Sumy and Chernihiv", "sumy", "chernihiv*", "суми", "сумах", "сумам",
         "сумщин*", "сумськ*", "сумы", "сумск*", "чернігів*", "чернігов*", "чернигов*"),
    _cue(_T, 0.8, "other Ukrainian cities", "poltava*", "zhytomyr*", "vinnytsia*",
         "kryvyi rih*", "izium*", "lviv*", "bucha", "irpin*", "полтав*", "житомир*",
         "вінниц*", "винниц*", "крив* ріг", "крив* рог*", "крив* розі", "кривбас*", "ізюм*",
         "львів*", "львов*", "буча", "бучі", "бучу",
         "ірпін*", "ірпен*", "ирпен*", "ирпин*"),
    _cue(_T, 1.0, "Russian border regions", "belgorod*", "kursk*", "bryansk*", "бєлгород*",
         "белгород*", "курськ*", "курск*", "брянськ*", "брянск*"),
    # --- action: what war does -------------------------------------------------------------
    _cue(_A, 1.0, "war", "war", "wartime", "warfare", "війн*", "воєнн*", "войн*", "военн*"),
    _cue(_A, 1.5, "invasion", "invasion*", "invade*", "вторгнен*", "вторжени*"),
    _cue(_A, 1.2, "missiles", "missile*", "ballistic*", "cruise missile*", "ракет*",
         "балістичн*", "баллистическ*", "iskander*", "іскандер*", "искандер*", "kinzhal*",
         "кинджал*", "кинжал*", "kalibr*", "калібр*", "калибр*"),
    _cue(_A, 1.0, "drones", "drone*", "uav*", "дрон*", "безпілотн*", "беспилотн*", "бпла",
         "бпла*", "квадрокоптер*", "fpv"),
    _cue(_A, 0.8, "strike / attack", "strike", "strikes", "struck", "attack", "attacks",
         "attacked", "airstrike*", "удар", "удару", "ударів", "удари", "ударом", "ударами",
         "ударили", "вдарил*", "вдарив", "ударил*", "нанесли удар", "атак*", "атакув*",
         "атаков*"),
    _cue(_A, 1.5, "shelling", "shelling", "shelled", "bombard*", "обстріл*", "обстрел*"),
    _cue(_A, 1.5, "glide bombs", "glide bomb*", "guided bomb*", "aerial bomb*", "авіабомб*",
         "авиабомб*", "каб", "кабами", "кабів"),
    _cue(_A, 1.2, "artillery", "artillery", "howitzer*", "shells", "артилері*", "артиллери*",
         "гаубиц*", "снаряд*"),
    _cue(_A, 1.2, "air defence", "air defen*", "air raid*", "air alert*", "shot down",
         "intercept*", "ппо", "пво", "протиповітрян*", "противовоздушн*", "повітрян* тривог*",
         "воздушн* тревог*", "збил*", "збито", "сбил*", "сбит*", "перехопл*", "перехват*"),
    _cue(_A, 1.2, "Western weapons", "himars", "atacms", "patriot", "f 16*", "leopard*",
         "abrams", "storm shadow", "taurus", "хаймарс*", "петріот*", "пэтриот*", "леопард*",
         "абрамс*", "cluster munition*", "касетн*", "кассетн*"),
    _cue(_A, 1.0, "troops and fighting", "troops", "soldier*", "frontline*", "front line*",
         "the front", "offensive", "battle*", "fighting", "assault*", "brigade*", "військ*",
         "войск*", "солдат*", "військовослужбов*", "военнослужащ*", "фронт*", "наступ",
         "наступу", "наступі", "наступом", "наступлени*", "наступает", "наступают", "бої",
         "боїв", "боях", "бой", "бои", "боев", "боестолкновен*", "боєзіткнен*", "бойов*",
         "боев* действи*", "штурм*", "бригад*"),
    _cue(_A, 0.6, "military", "military", "army", "armed forces", "defence minist*",
         "defense minist*", "pentagon", "армі*", "арми*", "збройн* сил*", "вооруженн* сил*",
         "міноборони", "минобороны", "оборони", "обороны", "enemy", "враг*"),
    _cue(_A, 1.2, "occupation and annexation", "occupied", "occupation", "occupying", "annex*",
         "окупован*", "окупаці*", "оккупирован*", "оккупаци*", "анекс*", "аннекс*"),
    _cue(_A, 1.0, "sanctions", "sanction*", "санкці*", "санкци*", "price cap", "shadow fleet",
         "тіньов* флот*", "теневого флот*", "теневой флот*"),
    _cue(_A, 1.2, "frozen Russian assets", "frozen assets", "frozen russian*",
         "immobilised asset*", "immobilized asset*", "заморожен* актив*",
         "заморожен* російськ*", "замороженн* российск*"),
    _cue(_A, 1.5, "prisoners of war", "prisoner* of war", "pows", "pow", "prisoner exchange*",
         "prisoner swap*", "swap* prisoners", "полонен*", "військовополонен*", "военнопленн*",
         "пленн*", "полон", "полону", "полоні", "плен", "плена", "плену", "плене"),
    _cue(_A, 1.2, "mobilisation", "mobilis*", "mobiliz*", "conscript*", "draft dodg*",
         "військов* облік*", "воинск* учет*"),
    _cue(_A, 1.0, "ceasefire and peace talks", "ceasefire*", "truce", "peace talks",
         "peace plan", "peace summit", "peace deal", "security guarantee*", "negotiat*",
         "перемир*", "припинення вогню", "прекращени* огня", "мирн* переговор*", "переговор*",
         "мирн* план*", "мирн* саміт*", "гарантії безпеки", "гарантий безопасности"),
    _cue(_A, 1.0, "military aid", "military aid", "aid package", "weapons", "arms deliver*",
         "ammunition", "військов* допомог*", "военн* помощ*", "зброя", "зброї", "зброю",
         "озброєнн*", "оружи*", "оружие", "боєприпас*", "боеприпас*"),
    _cue(_A, 0.8, "tanks and armour", "tank", "tanks", "armoured vehicle*", "armored vehicle*",
         "танк", "танки", "танків", "танков", "бронетехні*", "бронетехник*", "бмп", "бтр"),
    _cue(_A, 1.5, "naval drones", "naval drone*", "sea drone*", "морськ* дрон*", "морск* дрон*"),
    _cue(_A, 1.0, "refineries and depots", "refiner*", "oil depot*", "fuel depot*",
         "ammunition depot*", "нпз", "нафтобаз*", "нефтебаз*", "нафтопереробн*",
         "нефтеперерабатыва*", "склад* боєприпас*", "склад* боеприпас*"),
    _cue(_A, 1.0, "energy attacks", "energy infrastructure", "power grid", "power plant*",
         "blackout*", "power outage*", "енергетичн* інфраструктур*",
         "энергетическ* инфраструктур*", "енергосистем*", "энергосистем*",
         "знеструмлен*", "обесточ*", "відключен* світла", "відключення електроенергії",
         "энергоудар*"),
    _cue(_A, 0.8, "nuclear plant safety", "nuclear plant", "nuclear power plant", "iaea",
         "grossi", "аес", "аэс", "магате", "магатэ", "гроссі", "гросси"),
    _cue(_A, 0.8, "evacuation", "evacuat*", "евакуац*", "эвакуац*", "евакуйов*", "эвакуир*"),
    _cue(_A, 0.6, "casualties", "casualt*", "killed", "wounded", "death toll", "загинул*",
         "загибл*", "погибл*", "погиб", "поранен*", "ранен*", "постраждал*", "пострадал*"),
    _cue(_A, 1.5, "war crimes", "war crime*", "genocide", "international criminal court",
         "воєнн* злочин*", "военн* преступлен*", "геноцид*", "міжнародн* кримінальн* суд*",
         "международн* уголовн* суд*"),
    _cue(_A, 0.7, "deportations", "deport*", "депорт*"),
    _cue(_A, 0.8, "intelligence and sabotage", "sbu", "military intelligence", "saboteur*",
         "sabotage", "partisan*", "сбу", "гур", "диверс*", "партизан*", "розвідк*",
         "разведк*", "коригувальник*", "корректировщик*"),
    _cue(_A, 1.2, "martial law", "martial law", "воєнн* стан*", "военн* положени*"),
    _cue(_A, 0.8, "refugees and displaced", "refugee*", "displaced", "біженц*", "беженц*",
         "переселенц*", "впо"),
    _cue(_A, 0.5, "shelters and sirens", "bomb shelter*", "shelter*", "siren*", "укритт*",
         "укрыти*", "сирен*", "тривог*", "тревог*"),
    _cue(_A, 0.6, "grain exports", "grain", "black sea", "зерно", "зерна", "чорн* мор*",
         "черн* мор*", "судноплавств*", "судоходств*"),
    _cue(_A, 0.6, "talks and diplomacy", "talks", "summit", "envoy", "переговорах", "саміт*",
         "саммит*", "спецпосланц*", "спецпосланник*"),
    # --- negative: what pulls an item away -------------------------------------------------
    _cue(_N, 2.0, "sport", "football*", "soccer", "champions league", "premier league",
         "europa league", "match", "hat trick", "equalis*", "equaliz*", "tennis", "wimbledon",
         "australian open", "grand slam", "semi final*", "quarter final*", "boxer*", "boxing",
         "heavyweight*", "olympic*", "world cup", "chess", "grandmaster*", "biathl*",
         "skater*", "skating", "doping", "nba", "nfl", "footballer*", "striker*",
         "winger", "midfielder*", "goalkeeper*", "футбол*", "матч*", "гол", "голом",
         "забив", "забил", "збірн* україни з футболу", "ліг* чемпіонів", "лиг* чемпионов",
         "чемпіонат*", "чемпионат*", "тенісист*", "теннисист*", "турнір*", "турнир*",
         "боксер*", "біатлон*", "биатлон*", "шахіст*", "шахмат*", "олімпі*", "олимпи*",
         "кубк* світу", "кубк* мира", "дерби", "хокей*", "хоккей*", "півфінал*", "полуфинал*",
         "чвертьфінал*", "четвертьфинал*", "плаван*", "воротар*", "вратар*", "нападник*",
         "нападающ*", "тренер*", "coach*"),
    _cue(_N, 1.5, "football clubs", "shakhtar", "dynamo kyiv", "zenit", "spartak", "cska",
         "chelsea", "arsenal", "barcelona", "real madrid", "шахтар", "шахтаря", "шахтарем",
         "шахтер", "шахтера", "шахтером", "динамо", "зеніт*", "зенит*", "спартак*", "цска"),
    _cue(_N, 1.5, "show business", "film", "films", "film festival", "festival*", "album",
         "singer", "actress", "actor", "netflix", "eurovision", "oscar*", "box office",
         "celebrit*", "фільм*", "фильм*", "фестивал*", "альбом*", "співач*", "співак*",
         "певиц*", "певец", "актор*", "актрис*", "актер*", "євробачен*", "евровидени*",
         "концерт*", "зірк* шоу", "шоу"),
    _cue(_N, 1.5, "other conflicts", "gaza", "israel*", "hamas", "hezbollah", "sudan*",
         "darfur", "el fasher", "rsf", "syria*", "aleppo", "idlib", "houthi*", "yemen*",
         "karabakh*", "armenia*", "azerbaijan*", "tigray*", "ethiopia*", "taiwan*",
         "сектор* газа", "сектор* гази", "ізраїл*", "израил*",
         "хамас*", "судан*", "дарфур*", "сирі*", "сири*", "алеппо", "ідліб*", "идлиб*",
         "хусит*", "ємен*", "йемен*", "карабах*", "вірмені*", "армени*", "азербайдж*",
         "ефіоп*", "эфиоп*", "тайван*"),
    _cue(_N, 1.0, "economy and prices", "central bank", "key rate", "interest rate*",
         "inflation", "stocks", "stock market*", "обліков* ставк*", "ключев* ставк*",
         "інфляц*", "инфляц*", "мінімальн* зарплат*", "минимальн* зарплат*", "курс валют*",
         "курс рубля", "курс гривні", "ціни на", "цены на", "подорожча*", "подорожа*"),
    _cue(_N, 1.0, "weather and health", "weather", "forecast*", "heatwave", "covid*",
         "coronavirus", "flu", "синоптик*", "погода", "погоди", "погоду", "погодн*",
         "заморозк*", "мороз*", "спека", "спеки", "спекою", "спекотн*",
         "дощ*", "дожд*", "covid", "коронавірус*", "коронавирус*", "грип*", "грипп*",
         "вакцин*"),
)

# Heavier cues first (core before theatre on ties), so they claim shared words.
_BY_WEIGHT = tuple(sorted(_LEXICON, key=lambda cue: (-cue.weight, cue.kind is not CueKind.CORE)))
