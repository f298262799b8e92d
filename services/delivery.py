"""The sender: drains the outbox to Telegram at the flood limit, through faults and restarts.

Digests are written to the outbox (all parts, atomically) before anything is sent; this module
only sends what is due and records each part as sent once Telegram confirms it
(:func:`storage.outbox.mark_sent`). What happens on each answer:

* **OK** → ``mark_sent`` (the part and the delivery of its items, in one transaction).
* **429** → that chat waits ``retry_after`` (everyone waits if several chats got one at
  once); the part is rescheduled without counting an attempt: a flood wait never loses it.
* **403 blocked/kicked/deactivated, 400 chat not found** → the chat is marked gone
  (blocked, kicked or left) and its pending parts dropped; its data stays.
* **group migrated** → chat and outbox follow the new supergroup id; the part is resent there.
* **400 message thread not found** (the forum topic was deleted) → the chat forgets the
  topic and the digest goes to the main thread.
* **400 can't parse entities / message is too long** → logged at ERROR and resent as plain
  text (cut on a line boundary if still too long), so the digest is not lost.
* **5xx, timeouts, connection errors** → exponential backoff with jitter; after
  ``max_attempts`` the part is parked as failed (visible in /stats) and revived later.

Every send goes through the bot's rate limiter, :class:`services.gate.SendGate` (30/s
overall, 1/s per chat, 20/min per group, shared with link replies and menus). The sender
reads the gate's windows to pick what to send: up to ``max_in_flight`` sends run
concurrently as tasks, so one slow chat never holds up the rest, and a chat still waiting
on its own limit is skipped, not waited for.

Crash bound: a part is marked sent only after Telegram's answer arrives, so a kill -9 can
repeat exactly the parts that were in flight at that moment — at most ``max_in_flight``
(at 30/s against a nearby server usually 0 or 1). A timeout is the same case without a crash:
Telegram may have delivered a message whose answer we never saw, and it is sent again.
Nothing confirmed is ever sent twice.

On SQLite, one sender per database: ``bot.py`` holds an OS lock on the database file
(:mod:`storage.instance`), and, should two senders still meet, each part is claimed
(:func:`storage.outbox.claim`) before it is sent, so only one of them sends it. Claims left
by a crashed sender are released when the next one starts.

On PostgreSQL several workers send from one outbox. Each claims a few seconds' worth of
due parts at a time (:func:`storage.outbox.claim_due`: ``FOR UPDATE SKIP LOCKED``), under
an owner id of its own (a pid means nothing across machines, and in containers every bot
is pid 1). A claim expires after ``claim_expiry_seconds``: a dead worker's parts, never
confirmed, are taken over then, or as soon as its heartbeat is ``takeover_seconds`` old
(see below), so the crash bound is still the parts in flight. A chat
goes to one worker at a time and stays with it ``chat_affinity_seconds`` after its last
send (longer than the longest per-chat window, a group's minute), so that worker's pacer
sees every message to the chat and 1/s per chat and 20/min per group still hold.
Telegram's overall limit is the bot's, so the workers split it: each beats a heartbeat
every ``heartbeat_seconds`` (:mod:`storage.workers`) and keeps to the limit divided by the
workers up (a heartbeat within three beats). A new worker waits one beat before its first
send, so the others have made room; a dead one's share comes back three beats later, well
before its claims are taken over (a stalled worker loses its share for a moment, never a
part to a second sender).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bs4 import BeautifulSoup
from telegram import LinkPreviewOptions
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from digest.backoff import Backoff
from digest.render.telegram_html import utf16_length
from services.context import NO_PREVIEW, utc_now
from services.gate import GateArgs, SendGate, retry_seconds
from settings import Settings
from storage import Database, chats, outbox, workers
from storage.chats import ChatStatus
from storage.engine import POSTGRESQL
from storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

_POLL_STEP = 0.25  # seconds; how often long waits look up to see whether to stop


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How the sender behaves; the defaults suit one bot on Telegram's free limits."""

    paid_broadcast: bool = False  # allow_paid_broadcast=True: up to 1000/s, paid in Stars
    max_in_flight: int = 16  # concurrent sends; also the crash duplicate bound
    max_attempts: int = 5  # transient failures before a part is parked as failed
    backoff: Backoff = field(default_factory=Backoff)
    park_seconds: float = 900.0  # a parked part is retried after this long
    batch_size: int = 200  # due parts read per pass
    idle_seconds: float = 1.0  # outbox poll interval when nothing is due
    defer_seconds: float = 2.0  # a chat waiting longer on its own limit goes back to the outbox
    # Several workers on PostgreSQL (see the module docstring):
    claim_expiry_seconds: float = 60.0  # a dead worker's claims are taken over after this
    chat_affinity_seconds: float = 61.0  # a chat stays with the worker that last sent to it
    claim_seconds: float = 2.0  # each claim takes what this worker sends in about this long
    heartbeat_seconds: float = 2.0  # how often a worker says it is up and counts the others
    # A worker silent for three beats is counted out of the limit's split (its share comes
    # back to the others quickly: a dead worker's share is lost sending time), but its
    # claims are taken over only after this long: a worker whose loop merely stalled would
    # send a part taken over from it a second time.
    takeover_seconds: float = 15.0


def options_from_settings(settings: Settings) -> DeliveryOptions:
    """Options from SEND_MAX_ATTEMPTS and PAID_BROADCAST (the rate is the gate's)."""
    return DeliveryOptions(
        max_attempts=settings.send_max_attempts,
        paid_broadcast=settings.paid_broadcast,
    )


# -- what an error means ---------------------------------------------------------------------


class Kind(enum.Enum):
    FLOOD = "flood"
    MIGRATED = "migrated"
    GONE = "gone"
    TOPIC_GONE = "topic_gone"
    REJECTED = "rejected"
    TRANSIENT = "transient"


@dataclass(frozen=True, slots=True)
class Failure:
    """What a failed send means for the part and its chat."""

    kind: Kind
    retry_after: float = 0.0
    new_chat_id: int | None = None
    gone_as: ChatStatus | None = None


_GONE_BAD_REQUESTS = ("chat not found", "need administrator rights", "not enough rights")
_REJECTED_CONTENT = ("can't parse entities", "message is too long", "text is too long")


def classify(error: TelegramError, chat_id: int) -> Failure:
    """Sort a PTB error into what to do about it.

    >>> classify(Forbidden("Forbidden: bot was blocked by the user"), 42).gone_as
    <ChatStatus.BLOCKED: 'blocked'>
    >>> classify(BadRequest("Can't parse entities: unclosed tag"), 42).kind
    <Kind.REJECTED: 'rejected'>
    >>> classify(ChatMigrated(-1007), -7)
    Failure(kind=<Kind.MIGRATED: 'migrated'>, retry_after=0.0, new_chat_id=-1007, gone_as=None)
    """
    text = error.message.lower()
    if isinstance(error, RetryAfter):
        return Failure(Kind.FLOOD, retry_after=retry_seconds(error))
    if isinstance(error, ChatMigrated):
        return Failure(Kind.MIGRATED, new_chat_id=error.new_chat_id)
    if isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and any(s in text for s in _GONE_BAD_REQUESTS)
    ):
        return Failure(Kind.GONE, gone_as=_gone_status(text, chat_id))
    if isinstance(error, BadRequest) and any(s in text for s in _REJECTED_CONTENT):
        return Failure(Kind.REJECTED)
    if isinstance(error, BadRequest) and "thread not found" in text:
        return Failure(Kind.TOPIC_GONE)
    return Failure(Kind.TRANSIENT)


def _gone_status(text: str, chat_id: int) -> ChatStatus:
    if "kicked" in text:
        return ChatStatus.KICKED
    # Private chats have positive ids: a user who blocked, deleted or never started the bot.
    return ChatStatus.BLOCKED if chat_id > 0 else ChatStatus.LEFT


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, run by another user
        return True
    return True


# -- plain-text fallback ---------------------------------------------------------------------


def plain_text(html: str) -> str:
    """The visible text of Telegram HTML, entities unescaped; lenient with broken markup.

    >>> plain_text("<b>Kyiv</b> &amp; <a href='https://x.example'>Kharkiv</a> <i>unclosed")
    'Kyiv & Kharkiv unclosed'
    """
    return BeautifulSoup(html, "html.parser").get_text()


def fit_message(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """``text`` cut to ``limit`` UTF-16 units, on the last line break that fits, marked "…".

    >>> fit_message("first line\\nsecond line", limit=15)
    'first line\\n…'
    >>> fit_message("short")
    'short'
    """
    if utf16_length(text) <= limit:
        return text
    head = text.encode("utf-16-le")[: (limit - 2) * 2].decode("utf-16-le", errors="ignore")
    if "\n" in head:  # a whole line is easier to read than half a sentence
        head = head[: head.rindex("\n")]
    return f"{head.rstrip()}\n…"


# -- the sender ------------------------------------------------------------------------------


@dataclass
class FanoutTally:
    """Counts one burst of sends, logged as one structured line when the outbox runs dry."""

    sent: int = 0
    started: float = field(default_factory=time.monotonic)

    def report_if_done(self, *, has_work: bool) -> None:
        if has_work or not self.sent:
            if not self.sent:
                self.started = time.monotonic()
            return
        seconds = max(time.monotonic() - self.started, 1e-6)
        log.info("fanout sent=%d seconds=%.1f rate=%.1f/s", self.sent, seconds, self.sent / seconds)
        self.sent, self.started = 0, time.monotonic()


class SentMessage(Protocol):
    message_id: int


class BotApi(Protocol):
    """What the sender needs of a bot: PTB's ``ExtBot`` with a :class:`SendGate` fits."""

    @property
    def rate_limiter(self) -> object: ...

    async def send_message(
        self, chat_id: int | str, text: str, *, parse_mode: str | None = None,
        message_thread_id: int | None = None,
        link_preview_options: LinkPreviewOptions | None = None,
        allow_paid_broadcast: bool | None = None, rate_limit_args: GateArgs | None = None,
    ) -> SentMessage: ...


class OutboxSender:
    """Sends due outbox parts with ``bot``; one instance per process (see module docstring)."""

    def __init__(self, bot: BotApi, db: Database, options: DeliveryOptions | None = None, *,
                 clock: Callable[[], datetime] = utc_now, rng: random.Random | None = None) -> None:
        gate = bot.rate_limiter
        if not isinstance(gate, SendGate):  # unpaced sends would break Telegram's limits
            raise TypeError("the bot must send through a SendGate: "
                            "ApplicationBuilder().rate_limiter(SendGate(...))")
        self.bot, self.db = bot, db
        self.options = options or DeliveryOptions()
        self.clock = clock
        self.pacer = gate.pacer  # read only: the gate records every send itself
        self._rng = rng or random.Random()
        self._slots = asyncio.Semaphore(self.options.max_in_flight)
        self._in_flight: dict[int, int] = {}  # outbox id -> chat id
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._soonest = float("inf")  # pacer time when a skipped chat becomes ready
        self._keep_running: Callable[[], bool] = lambda: True
        self._fanout = FanoutTally()
        self._not_before = float("-inf")  # pacer time before which the outbox sends nothing
        # What this sender's claims on outbox parts carry: the pid, or, with several
        # workers on one server, a random id (pids repeat across machines and containers).
        self.shared = db.dialect.name == POSTGRESQL
        self.owner = secrets.randbits(62) if self.shared else os.getpid()
        self._workers = 1

    async def run(self, keep_running: Callable[[], bool]) -> None:
        """Deliver due parts until ``keep_running()`` is False, then let in-flight sends end."""
        self._keep_running = keep_running
        # A process killed a moment ago may have filled Telegram's window: let it slide by
        # before the fan-out starts. Only the outbox waits; replies to users go out at once.
        limits = self.pacer.limits
        wait = limits.overall.seconds + limits.slack
        beats = None
        if self.shared:  # the other workers make room for this one at their next beat
            self._beat()
            wait = max(wait, self.options.heartbeat_seconds)
            beats = asyncio.create_task(self._beats(), name="worker-heartbeat")
        self._not_before = self.pacer.clock() + wait
        log.info("outbox sender started at %.0f msg/s", self.pacer.overall.limit)
        if not self.shared:  # with several workers, claims expire instead
            self._release_dead_claims()
        try:
            while keep_running():
                if not await self._pass():
                    self._fanout.report_if_done(has_work=bool(self._in_flight))
                    await self._idle()
        finally:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if beats is not None:
                beats.cancel()
                try:
                    workers.leave(self.db, self.owner)
                except self.db.errors:  # the others count it out three beats later anyway
                    log.warning("could not leave the workers table", exc_info=True)
            log.info("outbox sender stopped")

    async def _beats(self) -> None:
        """The heartbeat, on its own: a long pass must not make this worker look dead."""
        while True:
            await asyncio.sleep(self.options.heartbeat_seconds)
            try:
                self._beat()
            except self.db.errors:  # the database is away: keep the last share, try again
                log.warning("worker heartbeat failed; retrying", exc_info=True)

    @property
    def _alive_seconds(self) -> float:
        """A worker is up while its last heartbeat is at most three beats old."""
        return 3 * self.options.heartbeat_seconds

    def _beat(self) -> None:
        """With several workers: say this one is up, and keep to its share of the limit."""
        live = workers.beat(self.db, self.owner, self.clock(),
                            alive=timedelta(seconds=self._alive_seconds))
        self.pacer.share(live)
        if live != self._workers:
            log.info("%d worker(s) up: this one sends up to %d msg/s", live, self.pacer.overall.limit)
            self._workers = live

    def _release_dead_claims(self) -> None:
        """Parts a crashed sender had claimed go back to the queue. A claim carrying this
        process's pid is from an earlier process (in a container the bot is often pid 1
        every time): this sender has claimed nothing yet."""
        dead = [pid for pid in outbox.claim_owners(self.db)
                if pid == self.owner or not _process_alive(pid)]
        if released := outbox.release_claims(self.db, dead):
            log.info("%d outbox part(s) claimed by a stopped sender are queued again", released)

    def wake(self) -> None:
        """Look at the outbox now (e.g. ``/digest`` just queued a digest), not at the next poll."""
        self._wake.set()

    async def _pass(self) -> bool:
        """Offer every due part once; True if any was sent."""
        self._wake.clear()
        self._soonest = float("inf")
        now = self.clock()
        outbox.revive_failed(self.db, now)
        if self.shared:
            return await self._claimed_pass(now)
        busy_chats = set(self._in_flight.values())
        due = [m for m in outbox.due_messages(self.db, now, limit=self.options.batch_size)
               if m.id not in self._in_flight and m.chat_id not in busy_chats]
        sent_any = False
        for message in due:
            if not self._keep_running():
                break
            sent_any = await self._dispatch(message) or sent_any
        return sent_any

    async def _claimed_pass(self, now: datetime) -> bool:
        """:meth:`_pass` with several workers: claim first, then send; what could not be
        sent now (its chat must wait, the sender is stopping, or the claim has aged half
        its expiry waiting for the overall limit) goes back to the queue."""
        options = self.options
        if self.pacer.clock() < self._not_before:  # a claim would only age meanwhile
            return False
        expiry = options.claim_expiry_seconds
        claimed = outbox.claim_due(
            self.db, self.owner, now, limit=self._claim_size(), expiry=timedelta(seconds=expiry),
            affinity=timedelta(seconds=options.chat_affinity_seconds),
            heartbeat=timedelta(seconds=self.options.takeover_seconds))
        # Give the rest back long before another worker could take it over (half the
        # expiry, and one beat: far inside ``takeover_seconds``).
        fresh_until = self.pacer.clock() + min(expiry / 2, options.heartbeat_seconds)
        sent_any, left = False, []
        for message in claimed:
            if (self._keep_running() and self.pacer.clock() < fresh_until
                    and await self._dispatch(message, claimed=True)):
                sent_any = True
            else:
                left.append(message.id)
        outbox.unclaim(self.db, self.owner, *left)
        return sent_any

    def _claim_size(self) -> int:
        """About ``claim_seconds`` of sending at this worker's rate: enough to keep it busy,
        little enough that the other workers get their share and a claim never expires
        while it waits its turn."""
        rate = self.pacer.overall.limit / self.pacer.overall.seconds
        return max(1, min(self.options.batch_size, int(rate * self.options.claim_seconds)))

    async def _idle(self) -> None:
        """Sleep until a send finishes, a skipped chat is ready, or the next poll."""
        wait = min(self.options.idle_seconds, self._soonest - self.pacer.clock())
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.005))
        except TimeoutError:
            pass

    async def _dispatch(self, message: OutboxMessage, *, claimed: bool = False) -> bool:
        """Send ``message`` when the pacer allows; False when its chat must wait first.
        ``claimed``: this sender holds its claim already."""
        chat_wait = self.pacer.chat_ready_at(message.chat_id) - self.pacer.clock()
        if chat_wait > 0:
            self._defer(message, chat_wait)
            return False
        await self._slots.acquire()
        if not await self._wait_overall() or self.pacer.chat_ready_at(message.chat_id) > self.pacer.clock():
            self._slots.release()  # stopping, or a 429 for this chat arrived meanwhile
            return False
        if not claimed and not outbox.claim(self.db, message.id, self.owner):
            self._slots.release()  # another sender has it, or it changed since it was read
            return False
        self._in_flight[message.id] = message.chat_id
        task = asyncio.create_task(self._deliver(message), name=f"send-{message.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # Let the task reach the gate and take its place in the windows before the next
        # part is weighed, so the windows this loop reads are never behind.
        await asyncio.sleep(0)
        return True

    def _defer(self, message: OutboxMessage, wait: float) -> None:
        """Skip a chat that must wait; a long wait goes back to the outbox, not to memory."""
        if wait > self.options.defer_seconds:
            outbox.reschedule(self.db, message.id, owner=self.owner,
                              error="waiting for the chat's flood limit",
                              at=self.clock() + timedelta(seconds=wait), count_attempt=False)
        else:
            self._soonest = min(self._soonest, self.pacer.clock() + wait)

    async def _wait_overall(self) -> bool:
        """Sleep until the overall limit allows a send; False if told to stop meanwhile."""
        while (delay := max(self.pacer.overall_ready_at(), self._not_before) - self.pacer.clock()) > 0:
            if not self._keep_running():
                return False
            await asyncio.sleep(min(delay, _POLL_STEP))
        return True

    async def _deliver(self, message: OutboxMessage) -> None:
        recorded = False
        try:
            recorded = await self._send_and_record(message)
        except Exception:  # a bug or a database error: keep the sender alive, part stays pending
            log.exception("unexpected error delivering outbox part %s", message.id)
        finally:
            del self._in_flight[message.id]
            self._slots.release()
            self._wake.set()
            # A part still claimed was neither sent, rescheduled nor parked (a migrated
            # group, an unexpected error): back to the queue. A part recorded as sent holds
            # no claim, and skipping the write saves a commit on every message.
            if not recorded:
                outbox.unclaim(self.db, self.owner, message.id)

    async def _send_and_record(self, message: OutboxMessage) -> bool:
        """Send ``message``; True once Telegram confirmed it and it is recorded as sent."""
        try:
            sent = await self.bot.send_message(**self._request(message))
        except TelegramError as error:
            self._on_failure(message, error)
            return False
        outbox.mark_sent(self.db, message.id, telegram_message_id=sent.message_id,
                         now=self.clock())
        self._fanout.sent += 1
        return True

    def _request(self, message: OutboxMessage) -> dict[str, Any]:
        request: dict[str, Any] = {"chat_id": message.chat_id, "text": message.text,
                                   "parse_mode": ParseMode.HTML,
                                   "message_thread_id": message.thread_id,
                                   "link_preview_options": NO_PREVIEW,
                                   # A flood wait reschedules the part instead of holding a slot.
                                   "rate_limit_args": GateArgs(retry_on_429=False)}
        if message.plain_text:
            request.update(text=fit_message(plain_text(message.text)), parse_mode=None)
        if self.options.paid_broadcast:
            request["allow_paid_broadcast"] = True
        return request

    # -- failures ----------------------------------------------------------------------------

    def _on_failure(self, message: OutboxMessage, error: TelegramError) -> None:
        failure = classify(error, message.chat_id)
        if failure.kind is Kind.FLOOD:
            self._flood_wait(message, failure.retry_after)
        elif failure.kind is Kind.MIGRATED and failure.new_chat_id is not None:
            self._migrate(message.chat_id, failure.new_chat_id)
        elif failure.kind is Kind.GONE and failure.gone_as is not None:
            self._chat_gone(message.chat_id, failure.gone_as, error.message)
        elif failure.kind is Kind.TOPIC_GONE:
            self._topic_gone(message)
        elif failure.kind is Kind.REJECTED and not message.plain_text:
            log.error("Telegram rejected outbox part %s for chat %s (%s); resending as plain text",
                      message.id, message.chat_id, error.message)
            outbox.reschedule(self.db, message.id, owner=self.owner, error=error.message,
                              at=self.clock(), plain_text=True)
        else:
            self._retry_later(message, error)

    def _flood_wait(self, message: OutboxMessage, retry_after: float) -> None:
        # The gate has already held the chat (or everyone) for ``retry_after``.
        outbox.reschedule(self.db, message.id, owner=self.owner,
                          error=f"429 retry after {retry_after:.0f}s",
                          at=self.clock() + timedelta(seconds=retry_after), count_attempt=False)

    def _migrate(self, old_id: int, new_id: int) -> None:
        log.info("chat %s became supergroup %s; its digest follows it", old_id, new_id)
        chats.migrate_chat(self.db, old_id, new_id)
        outbox.move_chat(self.db, old_id, new_id)

    def _topic_gone(self, message: OutboxMessage) -> None:
        """The forum topic was deleted: the digest goes to the group's main thread instead."""
        log.warning("topic %s of chat %s is gone; sending to the main thread", message.thread_id,
                    message.chat_id)
        chats.set_topic(self.db, message.chat_id, None)
        outbox.clear_thread(self.db, message.chat_id)
        outbox.reschedule(self.db, message.id, owner=self.owner,
                          error="message thread not found", at=self.clock(), count_attempt=False)

    def _chat_gone(self, chat_id: int, status: ChatStatus, reason: str) -> None:
        chats.set_status(self.db, chat_id, status)
        dropped = outbox.drop_chat(self.db, chat_id, reason=reason)
        log.info("chat %s is gone (%s: %s); %d part(s) dropped", chat_id, status, reason, dropped)

    def _retry_later(self, message: OutboxMessage, error: TelegramError) -> None:
        attempt = message.attempts + 1
        now = self.clock()
        if attempt >= self.options.max_attempts:
            log.error("outbox part %s for chat %s failed %d times (%s); parked",
                      message.id, message.chat_id, attempt, error.message)
            outbox.park_failed(self.db, message.id, owner=self.owner, error=error.message,
                               retry_at=now + timedelta(seconds=self.options.park_seconds))
            return
        delay = self.options.backoff.delay(attempt, self._rng)
        log.warning("outbox part %s for chat %s: %s; retry %d in %.1f s",
                    message.id, message.chat_id, error.message, attempt, delay)
        outbox.reschedule(self.db, message.id, owner=self.owner, error=error.message,
                          at=now + timedelta(seconds=delay))
