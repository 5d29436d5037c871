"""Queueing many outbox messages at once, and delivering them in throttled, leased batches.

`perisai.core.messaging.actions.do_queue_message` puts one message in the outbox per call (a savepoint, an
INSERT and one delivery task each): right for a sign-in code, far too slow for an alert to a million people.
This module writes the same rows into the same outbox table with multi-row ``INSERT ... ON CONFLICT
(idempotency_key) DO NOTHING RETURNING`` statements, so a repeated fan-out is a no-op exactly like a repeated
``do_queue_message``, and delivers them through the same per-message function
(``perisai.core.messaging.tasks.deliver_message``), called by one task per batch instead of one task per
message. Proposed for ``perisai.core.messaging`` as ``do_queue_messages`` / ``deliver_batch`` (see the
report of issue 4); it lives here while the crisis module is its only user.

Throttling: each channel has a rate (``PERISAI_CHANNEL_RATES``, messages per second). Batch *k* of a channel
may start at ``start + k * size / rate`` and paces its own sends at that rate, so however many workers run,
a channel gets about ``rate`` messages a second.

Crash safety: a batch is *leased* by the worker that runs it; a batch whose lease ran out unfinished (the
worker was killed) or whose task never ran is enqueued again by :func:`resume_stalled_batches`. Messages
already sent are skipped by ``deliver_message`` (it locks the row and checks its status), so a retried batch
sends only what was not sent. The one message in flight at the moment of a crash may reach the provider
twice; it carries the same idempotency key both times (docs/benchmarks-crisis.md measures this).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from perisai.core.models import OutboxMessage

from .models import DeliveryBatch

BATCH_SIZE = 500
LEASE = dt.timedelta(minutes=10)
STALE = dt.timedelta(minutes=10)
DEFAULT_RATES: dict[str, float] = {
    "sms": 30.0,
    "whatsapp": 80.0,
    "telegram": 30.0,
    "email": 50.0,
    "platform": 500.0,
}
ROWS_PER_STATEMENT = 400


@dataclass(frozen=True, slots=True)
class BulkMessage:
    channel: str
    recipient: str
    body: str
    idempotency_key: str


def channel_rate(channel: str) -> float:
    rates = {**DEFAULT_RATES, **getattr(settings, "PERISAI_CHANNEL_RATES", {})}
    return max(float(rates.get(channel, 50.0)), 0.001)


def _outbox_columns(
    *, purpose: str, object_type: str, object_id: str, now: dt.datetime
) -> tuple[list[str], list[Any], list[int]]:
    """Column names, the prepared constant value of each column, and where the 4 varying values go."""
    fixed: dict[str, Any] = {
        "purpose": purpose,
        "object_type": object_type,
        "object_id": object_id,
        "created_at": now,
        "status": OutboxMessage.Status.QUEUED,
    }
    names: list[str] = []
    values: list[Any] = []
    varying = ("channel", "recipient", "body", "idempotency_key")
    slots: dict[str, int] = {}
    for f in OutboxMessage._meta.concrete_fields:
        if f.primary_key:
            continue
        names.append(f.column)
        if f.attname in varying:
            slots[f.attname] = len(values)
            values.append(None)
            continue
        value = fixed[f.attname] if f.attname in fixed else f.get_default()
        values.append(f.get_db_prep_save(value, connection))
    return names, values, [slots[v] for v in varying]


def queue_messages(
    messages: Sequence[BulkMessage], *, purpose: str, object_type: str = "", object_id: str = ""
) -> list[tuple[int, str, str]]:
    """Insert messages into the outbox; those whose idempotency key is already there are skipped.

    Returns ``(id, channel, idempotency key)`` of the rows inserted now. Run it inside a transaction and schedule their
    delivery with :func:`plan_batches` in the same transaction, so that no message is ever left without
    a batch.
    """
    if not messages:
        return []
    now = timezone.now()
    names, template, order = _outbox_columns(
        purpose=purpose, object_type=object_type, object_id=object_id, now=now
    )
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(n) for n in names)
    key_col = connection.ops.quote_name(OutboxMessage._meta.get_field("idempotency_key").column)
    row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
    inserted: list[tuple[int, str, str]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(messages), ROWS_PER_STATEMENT):
            chunk = messages[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for m in chunk:
                row = list(template)
                row[order[0]] = m.channel
                row[order[1]] = m.recipient
                row[order[2]] = m.body
                row[order[3]] = m.idempotency_key
                params.extend(row)
            sql = (  # identifiers from the model, quoted; every value is a bound parameter
                f"INSERT INTO {table} ({cols}) VALUES"  # noqa: S608
                f" {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({key_col}) DO NOTHING RETURNING id, channel, {key_col}"
            )
            cursor.execute(sql, params)
            inserted.extend((int(r[0]), str(r[1]), str(r[2])) for r in cursor.fetchall())
    return inserted


def plan_batches(
    rows: Iterable[tuple[int, str, str]], *, alert_id: int | None, start: dt.datetime | None = None
) -> list[DeliveryBatch]:
    """Group new outbox rows into per-channel batches, spaced in time by the channel's rate, and enqueue
    one delivery task per batch when the transaction commits."""
    by_channel: dict[str, list[int]] = defaultdict(list)
    for message_id, channel, _key in rows:
        by_channel[channel].append(message_id)
    start = start or timezone.now()
    batches: list[DeliveryBatch] = []
    for channel, ids in by_channel.items():
        ids.sort()
        rate = channel_rate(channel)
        already = _planned_until(channel, start)
        for k in range(0, len(ids), BATCH_SIZE):
            part = ids[k : k + BATCH_SIZE]
            run_after = max(start, already) + dt.timedelta(seconds=k / rate)
            batches.append(
                DeliveryBatch(alert_id=alert_id, channel=channel, message_ids=part, run_after=run_after)
            )
    created = DeliveryBatch.objects.bulk_create(batches)
    if created:
        ids_and_times = [(b.pk, b.run_after) for b in created]
        transaction.on_commit(lambda: enqueue_batches(ids_and_times))
    return created


def _planned_until(channel: str, start: dt.datetime) -> dt.datetime:
    """When the channel's already-planned, unfinished batches will be through (to keep spacing across
    alerts)."""
    last = (
        DeliveryBatch.objects.filter(channel=channel, done_at=None, run_after__gt=start)
        .order_by("-run_after")
        .values_list("run_after", "message_ids")
        .first()
    )
    if last is None:
        return start
    return last[0] + dt.timedelta(seconds=len(last[1]) / channel_rate(channel))


def enqueue_batches(batches: Sequence[tuple[int, dt.datetime]]) -> None:
    from .tasks import deliver_batch

    now = timezone.now()
    for batch_id, run_after in batches:
        task = deliver_batch.using(run_after=run_after) if run_after > now else deliver_batch
        task.enqueue(batch_id)
    DeliveryBatch.objects.filter(pk__in=[b for b, _ in batches]).update(enqueued_at=now)


def run_batch(batch_id: int, *, sleep: Any = time.sleep) -> str:
    """Deliver one batch (the body of the ``deliver_batch`` task)."""
    from perisai.core.messaging.tasks import deliver_message

    now = timezone.now()
    claimed = (
        DeliveryBatch.objects.filter(pk=batch_id, done_at=None)
        .filter(Q(leased_until=None) | Q(leased_until__lt=now))
        .update(leased_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    batch = DeliveryBatch.objects.get(pk=batch_id)
    interval = 1.0 / channel_rate(batch.channel)
    pending = set(
        OutboxMessage.objects.filter(
            pk__in=batch.message_ids, status=OutboxMessage.Status.QUEUED, attempts=0
        ).values_list("pk", flat=True)
    )
    next_at = time.monotonic()
    for i, message_id in enumerate(batch.message_ids):
        if message_id not in pending:
            continue  # sent already (a retried batch), or failed and retrying on its own schedule
        wait = next_at - time.monotonic()
        if wait > 0:
            sleep(wait)
        deliver_message.call(message_id)
        next_at = max(next_at + interval, time.monotonic() - 1.0)
        if i % 100 == 99:
            DeliveryBatch.objects.filter(pk=batch_id).update(leased_until=timezone.now() + LEASE)
    DeliveryBatch.objects.filter(pk=batch_id).update(done_at=timezone.now(), leased_until=None)
    return "done"


def resume_stalled_batches(*, now: dt.datetime | None = None) -> int:
    """Enqueue again the batches whose worker died (lease run out) or whose task never started."""
    now = now or timezone.now()
    stalled = list(
        DeliveryBatch.objects.filter(done_at=None)
        .filter(
            Q(leased_until__lt=now)
            | Q(leased_until=None, run_after__lt=now - STALE, enqueued_at__lt=now - STALE)
            | Q(leased_until=None, enqueued_at=None, run_after__lt=now - STALE)
        )
        .values_list("pk", flat=True)[:5000]
    )
    if stalled:
        DeliveryBatch.objects.filter(pk__in=stalled, leased_until__lt=now).update(leased_until=None)
        enqueue_batches([(pk, now) for pk in stalled])
    return len(stalled)
