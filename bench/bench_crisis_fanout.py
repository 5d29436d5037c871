"""Alert fan-out: a million personal messages queued in the outbox, against one-by-one queueing in the same
run; then a worker killed (SIGKILL) in the middle of delivering, and what the retry sends.

    .venv/bin/python bench/bench_crisis_fanout.py [--var /tmp/crisis-bench-var] [--recipients 1000000]

Uses the private SQLite database of bench_crisis_population.py (demo people with their consents). The
channels are a recording channel type (below) that appends each message's idempotency key to a file, as a
provider would receive it; the delivery rate limit is lifted for the crash test.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for p in (ROOT, BENCH):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from perisai.core.messaging.base import ChannelType, Outgoing  # noqa: E402

CHANNELS = ("sms", "whatsapp", "telegram", "email", "platform")


class RecordingType(ChannelType):
    """A provider stand-in: each send appends the idempotency key to a file (one write, then fsync'd by the
    OS on its own time: a SIGKILL of the worker does not lose what was written)."""

    code = "recording"
    name = "Recording (bench)"

    def send(self, message: Outgoing) -> str:
        fd = os.open(self.options["path"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (message.idempotency_key + "\n").encode())
        finally:
            os.close(fd)
        return "rec-" + message.idempotency_key


SETTINGS = """
import os
from perisai.settings.local import *  # noqa
PERISAI_CHANNEL_TYPES = [*PERISAI_CHANNEL_TYPES, "bench_crisis_fanout.RecordingType"]
PERISAI_CHANNELS = {{name: {{"TYPE": "recording", "PATH": os.environ["BENCH_SENDS"]}} for name in {channels!r}}}
PERISAI_CHANNEL_RATES = {{name: 1_000_000.0 for name in {channels!r}}}
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "WARNING"}}}}
"""


def environment(var: Path, work: Path) -> dict[str, str]:
    (work / "bench_crisis_settings.py").write_text(SETTINGS.format(channels=CHANNELS))
    env = dict(os.environ)
    env.update(
        PERISAI_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="bench_crisis_settings",
        DEBUG="false",
        BENCH_SENDS=str(work / "sends.txt"),
        PYTHONPATH=os.pathsep.join([str(work), str(BENCH), str(ROOT), env.get("PYTHONPATH", "")]),
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "crisis-bench-var"))
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=3000, help="messages queued one by one (baseline)")
    parser.add_argument("--crash", type=int, default=3000, help="messages in the crash test")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="perisai-bench-fanout-"))
    env = environment(Path(args.var), work)
    os.environ.update(env)
    sys.path.insert(0, str(work))
    perisai = [sys.executable, "-m", "perisai"]
    subprocess.run([*perisai, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from perisai.core.messaging.actions import do_queue_message
    from perisai.core.models import OutboxMessage, User
    from perisai.core.roles import Role
    from perisai.crisis.fanout import queue_round
    from perisai.crisis.models import Alert, AlertRecipient, Crisis, DeliveryBatch, RosterEntry
    from perisai.crisis.outbox import resume_stalled_batches
    from perisai.places.models import Mission

    # A clean slate for the bench's own rows.
    old = list(Crisis.objects.filter(title__startswith="Bench fan-out").values_list("pk", flat=True))
    if old:
        alert_ids = [str(a) for a in Alert.objects.filter(crisis_id__in=old).values_list("pk", flat=True)]
        OutboxMessage.objects.filter(object_type="crisis.alert", object_id__in=alert_ids).delete()
        OutboxMessage.objects.filter(idempotency_key__startswith="bench-naive:").delete()
        DeliveryBatch.objects.filter(alert_id__in=[int(a) for a in alert_ids]).delete()
        AlertRecipient.objects.filter(alert__crisis_id__in=old).delete()
        RosterEntry.objects.filter(crisis_id__in=old).delete()
        from perisai.crisis import db

        db.remove(
            connection
        )  # the bench's own crises go, append-only timeline included (bench database only)
        try:
            Crisis.objects.filter(pk__in=old).delete()
        finally:
            db.install(connection)
    DBTaskResult.objects.all().delete()

    drafter, _ = User.objects.get_or_create(username="bench-drafter", defaults={"role": Role.MISSION_OFFICER})
    approver, _ = User.objects.get_or_create(username="bench-approver", defaults={"role": Role.SUPERVISOR})
    mission = Mission.objects.filter(country_id="MY").first()

    def new_alert(title: str) -> Alert:
        crisis = Crisis.objects.create(
            title=title,
            type="other",
            country_id="MY",
            status="active",
            exercise=True,
            declared_at=timezone.now(),
        )
        if mission is not None:
            crisis.missions.add(mission)
        return Alert.objects.create(
            crisis=crisis,
            body_id="[KBRI] Latihan: apakah Anda aman? Balas AMAN, BANTU atau TIDAK DI SANA, atau buka {link}",
            body_en="[KBRI] Drill: are you safe? Reply SAFE, HELP or NOT THERE, or open {link}",
            target=Alert.Target.COUNTRY,
            status=Alert.Status.SENDING,
            exercise=True,
            drafted_by=drafter,
            approved_by=approver,
            approved_at=timezone.now(),
        )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM registry_person p JOIN registry_consent c ON c.person_id = p.id "
            "WHERE c.purpose = 'crisis_contact' AND c.granted AND p.status = 'active' ORDER BY p.id LIMIT %s",
            [args.recipients + args.baseline + args.crash],
        )
        ids = [r[0] for r in cursor.fetchall()]
    if len(ids) < args.recipients + args.baseline + args.crash:
        sys.exit(f"the database has only {len(ids)} consenting people: run bench_crisis_population.py first")
    main_ids = ids[: args.recipients]
    naive_ids = ids[args.recipients : args.recipients + args.baseline]
    crash_ids = ids[args.recipients + args.baseline :]

    # 1. The bulk fan-out of one alert to a million people (contacts, tokens, bodies, outbox, recipients,
    #    roster, delivery batches and their tasks).
    alert = new_alert("Bench fan-out")
    start = time.perf_counter()
    result = queue_round(alert, [(pid, 0, None) for pid in main_ids])
    bulk_s = time.perf_counter() - start
    queued = OutboxMessage.objects.filter(object_type="crisis.alert", object_id=str(alert.pk)).count()
    batches = DeliveryBatch.objects.filter(alert=alert).count()
    tasks = DBTaskResult.objects.filter(task_path="perisai.crisis.tasks.deliver_batch").count()
    start = time.perf_counter()
    again = queue_round(alert, [(pid, 0, None) for pid in main_ids])
    rerun_s = time.perf_counter() - start
    assert again.queued == 0, "a second fan-out must queue nothing"
    assert queued == result.queued == AlertRecipient.objects.filter(alert=alert).count()

    # 2. The baseline: the same messages through do_queue_message, one call (and one task) each.
    naive_alert = new_alert("Bench fan-out baseline")
    from perisai.crisis.fanout import _contacts, body_parts, choose_channel
    from perisai.crisis.tokens import checkin_token

    start = time.perf_counter()
    for pid, preferred, phone, whatsapp, telegram, email, user_id, language, _v in _contacts(naive_ids):
        choice = choose_channel(preferred, phone, whatsapp, telegram, email, user_id)
        if choice is None:
            continue
        before, after = body_parts(naive_alert, language)
        do_queue_message(
            channel=choice[0],
            recipient=choice[1],
            body=before + "http://x/crisis/k/" + checkin_token(naive_alert.crisis_id, pid) + "/" + after,
            purpose=OutboxMessage.Purpose.ALERT,
            idempotency_key=f"bench-naive:{naive_alert.pk}:{pid}",
            object_type="crisis.alert",
            object_id=str(naive_alert.pk),
        )
    naive_s = time.perf_counter() - start
    naive_rate = (
        OutboxMessage.objects.filter(idempotency_key__startswith=f"bench-naive:{naive_alert.pk}:").count()
        / naive_s
    )

    # 3. Crash: a worker delivers, is killed with SIGKILL mid-way, the sweeper re-enqueues its batch once the
    #    lease has run out, a new worker finishes. Count what the "provider" received.
    sends = Path(env["BENCH_SENDS"])
    sends.write_text("")
    DBTaskResult.objects.all().delete()
    crash_alert = new_alert("Bench fan-out crash")
    crash = queue_round(crash_alert, [(pid, 0, None) for pid in crash_ids])
    DeliveryBatch.objects.exclude(alert=crash_alert).update(
        done_at=timezone.now()
    )  # only the crash test runs
    worker = subprocess.Popen(
        [*perisai, "worker", "--queues", "messaging", "--no-scheduler", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        lines = sends.read_text().count("\n")
        if lines >= crash.queued // 3:
            break
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    at_kill = sends.read_text().count("\n")
    sent_at_kill = OutboxMessage.objects.filter(
        object_type="crisis.alert", object_id=str(crash_alert.pk), status="sent"
    ).count()
    # The lease (10 minutes) runs out; the sweeper (a periodic task) enqueues the batch again.
    DeliveryBatch.objects.filter(alert=crash_alert, done_at=None).update(leased_until=timezone.now())
    time.sleep(0.01)
    resumed = resume_stalled_batches()
    subprocess.run(
        [*perisai, "worker", "--queues", "messaging", "--no-scheduler", "--batch"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    keys = [k for k in sends.read_text().splitlines() if k]
    distinct = set(keys)
    statuses = dict(
        OutboxMessage.objects.filter(object_type="crisis.alert", object_id=str(crash_alert.pk))
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    expected = {AlertRecipient.message_key(crash_alert.pk, pid, 0) for pid in crash_ids}
    delivered_expected = {k for k in expected if OutboxMessage.objects.filter(idempotency_key=k).exists()}

    print("# Alert fan-out\n")
    print(
        f"Command: `.venv/bin/python bench/bench_crisis_fanout.py --var {args.var} --recipients {args.recipients}`\n"
    )
    print(
        f"- SQLite, {platform.machine()}, Python {platform.python_version()}; registry of the population bench"
    )
    print(
        f"- **bulk fan-out**: {result.selected:,} people selected, {queued:,} personal messages queued "
        f"({result.unreachable:,} without a usable contact) in **{bulk_s:.1f} s** "
        f"({queued / bulk_s:,.0f} messages/s), with {batches:,} delivery batches and {tasks:,} batch tasks"
    )
    print(f"- the same fan-out run again (a retried task): {rerun_s:.1f} s, 0 new messages")
    print(
        f"- **baseline**, one `do_queue_message` per person ({args.baseline:,} people): {naive_rate:,.0f} "
        f"messages/s, i.e. {queued / naive_rate / 60:,.1f} min for the same {queued:,} messages; "
        f"bulk / baseline: **{(queued / bulk_s) / naive_rate:.0f}x**"
    )
    print(
        f"- **crash**: {crash.queued:,} messages; the worker was killed with SIGKILL after {at_kill:,} sends "
        f"({sent_at_kill:,} marked sent); the sweeper re-enqueued {resumed} stalled batch(es); after a new worker: "
        f"{len(keys):,} sends received for {len(distinct):,} distinct messages: **{len(keys) - len(distinct)} "
        f"sent twice** (at most the one in flight at the kill, resent with the same idempotency key), "
        f"**{len(delivered_expected - distinct)} lost**; outbox: {statuses}"
    )
    assert distinct == delivered_expected, "every queued message reached the provider"
    assert statuses.get("sent") == crash.queued


if __name__ == "__main__":
    main()
