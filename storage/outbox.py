"""Digests, their message parts waiting to be sent (the outbox), and confirmed deliveries.

The rule that makes restarts safe: a chat's digest and *all* its parts are written in one
transaction before anything is sent; a part is marked sent, and its items recorded as
delivered, in one transaction after Telegram confirms it. A crash between the two can at
worst repeat the one part that was in flight.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from storage.db import now_iso, utc_iso
from storage.engine import POSTGRESQL, Database, NotFoundError

PENDING, SENT, FAILED, DROPPED = "pending", "sent", "failed", "dropped"
SENDING = "sending"  # claimed by one sender (``claimed_by``, its pid) and in flight
DAILY, ON_DEMAND = "daily", "on_demand"  # digests.kind


@dataclass(frozen=True, slots=True)
class Part:
    """One Telegram message of a digest and the items it carries."""

    text: str
    item_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    digest_id: int
    chat_id: int
    part: int
    text: str
    thread_id: int | None
    attempts: int
    plain_text: bool


def enqueue_digest(db: Database, chat_id: int, local_date: date, parts: list[Part], *,
                   thread_id: int | None, now: datetime, kind: str = DAILY) -> int | None:
    """Write a digest and its parts atomically; None if this chat already has today's daily one.

    The unique (chat, local date) index on daily digests is what guarantees "never twice
    the same day", even if two ticks race. On-demand digests (``/digest``) are not limited.
    """
    existing = db.execute(
        "select 1 from digests where chat_id = ? and local_date = ? and kind = ?",
        [chat_id, local_date.isoformat(), DAILY],
    ).fetchone()
    if kind == DAILY and existing:
        return None
    all_items = [i for p in parts for i in p.item_ids]
    with db.atomic():
        digest_id = db.insert("digests", {
            "chat_id": chat_id, "local_date": local_date.isoformat(),
            "created_at": utc_iso(now), "item_ids": json.dumps(all_items), "kind": kind,
        }, returning="id")
        db.insert_many("outbox", [
            {"digest_id": digest_id, "chat_id": chat_id, "part": index, "text": part.text,
             "thread_id": thread_id, "item_ids": json.dumps(list(part.item_ids)),
             "status": PENDING, "attempts": 0, "next_attempt_at": utc_iso(now)}
            for index, part in enumerate(parts)
        ])
    assert digest_id is not None  # an insert always has a primary key
    return int(digest_id)


def _message(row: dict[str, Any]) -> OutboxMessage:
    return OutboxMessage(id=row["id"], digest_id=row["digest_id"], chat_id=row["chat_id"],
                         part=row["part"], text=row["text"], thread_id=row["thread_id"],
                         attempts=row["attempts"], plain_text=bool(row["plain_text"]))


def due_messages(db: Database, now: datetime, *, limit: int = 500) -> list[OutboxMessage]:
    """Pending parts whose time has come, oldest first, and in part order within a digest.

    Only the lowest unsent part of each digest is due, so the parts of one digest always
    arrive in order.
    """
    rows = db.query(
        """select o.* from outbox o
           where o.status = 'pending' and o.next_attempt_at <= ?
             and not exists (select 1 from outbox e where e.digest_id = o.digest_id
                             and e.part < o.part and e.status in ('pending', 'sending', 'failed'))
           order by o.next_attempt_at, o.id limit ?""",
        [utc_iso(now), limit],
    )
    return [_message(r) for r in rows]


def claim(db: Database, message_id: int, owner: int) -> bool:
    """Take a pending part for sending; False if another sender (or a change since it was
    read: sent, dropped, rescheduled) got there first. One row update is atomic in SQLite,
    so of two senders claiming one part exactly one wins."""
    cursor = db.execute(
        "update outbox set status = ?, claimed_by = ?, claimed_at = ? where id = ? and status = ?",
        [SENDING, owner, now_iso(db), message_id, PENDING],
    )
    return cursor.rowcount == 1


def claim_due(db: Database, owner: int, now: datetime, *, limit: int, expiry: timedelta,
              affinity: timedelta = timedelta(0),
              heartbeat: timedelta | None = None) -> list[OutboxMessage]:
    """Claim up to ``limit`` due parts for ``owner`` and return them in the order
    :func:`due_messages` gives.

    Due means what it means there (pending, its time come, the lowest unsent part of its
    digest), or claimed longer than ``expiry`` ago: the worker that claimed it died, and
    its parts are taken over (``expiry`` must exceed the longest send). With ``heartbeat``,
    a claim is taken over sooner when its owner has no heartbeat that recent in
    :mod:`storage.workers` (it died, or stopped). A chat goes to one
    worker at a time, so that worker's pacer sees every send to it (1/s per chat, 20/min
    per group): a part is skipped while another part of its chat is claimed, or while
    another worker sent to the chat less than ``affinity`` ago.

    On PostgreSQL the rows another worker is claiming at the same moment are skipped, not
    waited for (``FOR UPDATE SKIP LOCKED``), and so are the chats it is claiming (a
    transaction advisory lock per chat); the claim itself is then checked again against
    what committed meanwhile, so two workers never hold one chat. On SQLite the one writer
    at a time gives the same in one statement."""
    stamp = utc_iso(now)
    live, near = utc_iso(now - expiry), utc_iso(now - affinity)
    beat = utc_iso(now - heartbeat) if heartbeat is not None else None
    free = [stamp, live, int(beat is not None), beat, live, owner, near]
    if db.dialect.name != POSTGRESQL:
        rows = db.query(f"{_CLAIM} where id in (select id from ({_CANDIDATES} limit ?)) returning *",
                        [owner, stamp, *free, limit])
        return _in_order(rows)
    with db.atomic():
        candidates = db.execute(f"{_CANDIDATES} limit ? for update skip locked",
                                [*free, limit]).fetchall()
        chat_ids = sorted({chat_id for _, chat_id in candidates})
        held = {row[0] for row in db.execute(
            "select c from unnest(?::bigint[]) c where pg_try_advisory_xact_lock(c)",
            [chat_ids])} if chat_ids else set()
        ids = [part_id for part_id, chat_id in candidates if chat_id in held]
        if not ids:
            return []
        # A new statement, a new snapshot: a claim another worker committed on one of these
        # chats between the candidates' snapshot and the chat lock is seen here.
        rows = db.query(f"{_CLAIM} where id = any(?) and {_CHAT_FREE} returning *",
                        [owner, stamp, ids, live, owner, near])
        return _in_order(rows)


_CLAIM = "update outbox as o set status = 'sending', claimed_by = ?, claimed_at = ?"
# No other part of the chat claimed (and the claim still live), and no send to it by
# another worker within the affinity: parameters expiry cutoff, owner, affinity cutoff.
_CHAT_FREE = """not exists (select 1 from outbox c where c.chat_id = o.chat_id and c.id <> o.id
                  and (c.status = 'sending' and c.claimed_at >= ?
                       or c.status = 'sent' and c.claimed_by <> ? and c.sent_at > ?))"""
# Parameters: now, expiry cutoff, 1 to take over claims of workers without a heartbeat
# since the next cutoff (else 0), then those of _CHAT_FREE.
_CANDIDATES = f"""select o.id, o.chat_id from outbox o
    where (o.status = 'pending' and o.next_attempt_at <= ?
           or o.status = 'sending' and (o.claimed_at is null or o.claimed_at < ?)
           or o.status = 'sending' and ? = 1
              and o.claimed_by not in (select w.id from workers w where w.seen_at >= ?))
      and not exists (select 1 from outbox e where e.digest_id = o.digest_id
                      and e.part < o.part and e.status in ('pending', 'sending', 'failed'))
      and {_CHAT_FREE}
    order by o.next_attempt_at, o.id"""


def _in_order(rows: Iterable[dict[str, Any]]) -> list[OutboxMessage]:
    return [_message(r) for r in sorted(rows, key=lambda r: (r["next_attempt_at"], r["id"]))]


def release_claims(db: Database, owners: list[int]) -> int:
    """Parts claimed by senders that are gone (a crash mid-send) go back to the queue: the
    crash bound of "at most the parts in flight repeat" holds."""
    if not owners:
        return 0
    marks = ",".join("?" * len(owners))
    cursor = db.execute(
        f"update outbox set status = ?, claimed_by = null where status = ? and claimed_by in ({marks})",
        [PENDING, SENDING, *owners],
    )
    return cursor.rowcount


def unclaim(db: Database, owner: int, *message_ids: int) -> None:
    """Give ``owner``'s claimed parts back to the queue (a send ended in an unexpected error,
    or a worker claimed more than it could send now). A part whose claim another worker has
    taken over meanwhile (this one stalled past the expiry) stays theirs: queuing it again
    would let a third claim send it while they do."""
    if message_ids:
        marks = ",".join("?" * len(message_ids))
        db.execute(f"update outbox set status = ?, claimed_by = null where status = ? "
                   f"and claimed_by = ? and id in ({marks})",
                   [PENDING, SENDING, owner, *message_ids])


def claim_owners(db: Database) -> list[int]:
    """The pids holding claims now."""
    return [r[0] for r in db.execute(
        "select distinct claimed_by from outbox where status = ? and claimed_by is not null",
        [SENDING]).fetchall()]


def mark_sent(db: Database, message_id: int, *, telegram_message_id: int, now: datetime) -> None:
    """Telegram confirmed the part: record it and the delivery of its items, atomically.

    One statement per table, not sqlite-utils' ``get``/``update``: those read the table's
    schema on every call, and at 1,000 sends a second that was most of the sender's database
    time. Each confirmation still commits on its own, so a crash repeats only what was in
    flight (with WAL and ``synchronous=NORMAL`` a commit is no fsync)."""
    with db.atomic():
        rows = db.execute(
            """update outbox set status = ?, message_id = ?, sent_at = ?, attempts = attempts + 1
               where id = ? and status <> ? returning chat_id, item_ids, digest_id""",
            [SENT, telegram_message_id, utc_iso(now), message_id, SENT],
        ).fetchall()  # all of it: a RETURNING statement left open would block the commit
        if not rows:
            # Already recorded: a sender that stalled past its claim's expiry and the one
            # that took the claim over both sent it. The first record (its message id, its
            # deliveries) stays.
            _changed(db, 0, message_id)  # no such part at all: NotFoundError
            return
        [(chat_id, item_ids, digest_id)] = rows
        _record(db, chat_id, json.loads(item_ids or "[]"), digest_id, now)


def reschedule(db: Database, message_id: int, *, error: str, at: datetime,
               count_attempt: bool = True, plain_text: bool | None = None,
               owner: int | None = None) -> bool:
    """Try again at ``at``. A 429 wait does not count as an attempt: it is not a failure.

    With ``owner`` (the sender that tried): False, and nothing changes, when another sender
    has taken the part's claim over meanwhile (this one stalled past the claim's expiry).
    The part is theirs to send or reschedule; queuing it again here would let a third claim
    send it while they do. One statement, so the check and the change cannot interleave
    with a takeover."""
    plain = None if plain_text is None else int(plain_text)
    cursor = db.execute(
        f"""update outbox set next_attempt_at = ?, last_error = ?, attempts = attempts + ?,
                   plain_text = coalesce(?, plain_text),
                   status = case when status = ? then ? else status end
            where id = ? and {_NOT_TAKEN_OVER}""",
        [utc_iso(at), error[:500], int(count_attempt), plain, SENDING, PENDING, message_id,
         *_owner_args(owner)])
    return _changed(db, cursor.rowcount, message_id)


def park_failed(db: Database, message_id: int, *, error: str, retry_at: datetime,
                owner: int | None = None) -> bool:
    """Too many attempts: park it as failed (visible to admins), retried on a later tick.
    False, and nothing changes, when another sender than ``owner`` holds its claim now
    (as :func:`reschedule`)."""
    cursor = db.execute(
        f"""update outbox set status = ?, last_error = ?, next_attempt_at = ?
            where id = ? and {_NOT_TAKEN_OVER}""",
        [FAILED, error[:500], utc_iso(retry_at), message_id, *_owner_args(owner)])
    return _changed(db, cursor.rowcount, message_id)


# A row another sender than the given owner has claimed is not this sender's to change
# (parameters: :func:`_owner_args`).
_NOT_TAKEN_OVER = "(? = 0 or status <> 'sending' or claimed_by = ?)"


def _owner_args(owner: int | None) -> list[int]:
    return [0, 0] if owner is None else [1, owner]


def _changed(db: Database, rowcount: int, message_id: int) -> bool:
    """True when the statement changed the part; False when another sender holds it;
    :class:`NotFoundError` when there is no such part."""
    if rowcount:
        return True
    if db.first("select 1 from outbox where id = ?", [message_id]) is None:
        raise NotFoundError(f"no outbox part {message_id}")
    return False


def revive_failed(db: Database, now: datetime) -> int:
    """Put parked parts whose retry time has come back in the queue, with fresh attempts."""
    cursor = db.execute(
        "update outbox set status = 'pending', attempts = 0 where status = 'failed' and next_attempt_at <= ?",
        [utc_iso(now)],
    )
    return cursor.rowcount


def drop_chat(db: Database, chat_id: int, *, reason: str) -> int:
    """The chat is gone: stop its pending parts (kept, marked dropped, for the record)."""
    cursor = db.execute(
        "update outbox set status = 'dropped', last_error = ? where chat_id = ? and status in ('pending', 'sending', 'failed')",
        [reason[:500], chat_id],
    )
    return cursor.rowcount


def move_chat(db: Database, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup: its unsent parts now go to the new id."""
    cursor = db.execute(
        "update outbox set chat_id = ? where chat_id = ? and status in ('pending', 'sending', 'failed')",
        [new_chat_id, old_chat_id],
    )
    return cursor.rowcount


def counts_by_status(db: Database, *, since: datetime) -> dict[str, int]:
    """Outbox parts created since ``since`` by status (for /stats and health); a part being
    sent right now is still pending."""
    rows = db.query(
        """select case o.status when 'sending' then 'pending' else o.status end as status,
                  count(*) as n from outbox o join digests d on d.id = o.digest_id
           where d.created_at >= ? group by 1""",
        [utc_iso(since)],
    )
    return {r["status"]: r["n"] for r in rows}


def last_digest_at(db: Database, chat_id: int) -> datetime | None:
    """When this chat's latest daily digest was queued (its items start after that), or None.

    On-demand digests don't move it: what they delivered is excluded item by item, and the
    rest of the day's news still belongs in the next daily digest.
    """
    row = db.execute("select max(created_at) from digests where chat_id = ? and kind = ?",
                     [chat_id, DAILY]).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def record_deliveries(db: Database, chat_id: int, item_ids: list[int], *, now: datetime) -> None:
    """Items a chat received outside the outbox (an on-demand /digest reply)."""
    with db.atomic():
        _record(db, chat_id, item_ids, None, now)


def _record(db: Database, chat_id: int, item_ids: list[int], digest_id: int | None,
            now: datetime) -> None:
    """Deliveries of the items that still exist: retention may have pruned an item of a part
    that waited long to be sent, and a delivery of a deleted item means nothing."""
    if not item_ids:
        return
    marks = ",".join("?" * len(item_ids))
    db.execute(
        f"""insert into deliveries (chat_id, item_id, digest_id, delivered_at)
            select ?, id, ?, ? from items where id in ({marks}) on conflict do nothing""",
        [chat_id, digest_id, utc_iso(now), *item_ids],
    )


def clear_thread(db: Database, chat_id: int) -> int:
    """The chat's forum topic is gone: its unsent parts go to the main thread."""
    cursor = db.execute(
        "update outbox set thread_id = null where chat_id = ? and status in ('pending', 'sending', 'failed')",
        [chat_id],
    )
    return cursor.rowcount
