"""The e-mail channel type, against a real SMTP server (aiosmtpd) listening on 127.0.0.1 in the test."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core.checks import run_checks
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from perisai.core.messaging.actions import do_queue_message
from perisai.core.messaging.base import DeliveryError, Outgoing
from perisai.core.messaging.tasks import deliver_message
from perisai.core.messaging.types.email import EmailType, message_id_for
from perisai.core.models import OutboxMessage

SENDER = "perisai@kemlu.example"
USERNAME = "perisai-relay"
PASSWORD = "relay-password-for-tests"


@dataclass
class Attempt:
    """One DATA the server was sent, and what it answered."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    answer: str


@dataclass
class SmtpServer:
    """Answers RCPT and DATA from the queues below (then "250"), and records every DATA and login."""

    port: int = 0
    rcpt_answers: list[str] = field(default_factory=list)
    data_answers: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> list[Attempt]:
        return [a for a in self.attempts if a.answer.startswith("250")]

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_answers:
            return self.rcpt_answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self.data_answers.pop(0) if self.data_answers else "250 Message accepted for delivery"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.attempts.append(Attempt(envelope.mail_from, list(envelope.rcpt_tos), message, answer))
        return answer

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((mechanism, login))
        return AuthResult(success=(login, password) == (USERNAME, PASSWORD), handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(port=_free_port())
    controller = Controller(
        server,
        hostname="127.0.0.1",
        port=server.port,
        authenticator=server.authenticate,
        auth_require_tls=False,  # a relay on the loopback in the test; production uses USE_TLS/USE_SSL
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def _options(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "TYPE": "email",
        "HOST": "127.0.0.1",
        "PORT": port,
        "USERNAME": USERNAME,
        "PASSWORD": PASSWORD,
        "FROM": SENDER,
        "TIMEOUT": 5,
        **extra,
    }


@pytest.fixture
def email_channel(settings: Any, smtp_server: SmtpServer) -> SmtpServer:
    settings.PERISAI_CHANNELS = {**settings.PERISAI_CHANNELS, "email": _options(smtp_server.port)}
    return smtp_server


@pytest.fixture
def queue(django_capture_on_commit_callbacks: Any, db: None) -> Callable[..., OutboxMessage]:
    def put(
        key: str, *, to: str = "wati@example.org", body: str = "halo", subject: str = ""
    ) -> OutboxMessage:
        with django_capture_on_commit_callbacks(execute=True):
            return do_queue_message(
                channel="email",
                recipient=to,
                subject=subject,
                body=body,
                purpose=OutboxMessage.Purpose.REMINDER,
                idempotency_key=key,
            )

    return put


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks: Any) -> Callable[[], None]:
    """Run the queued tasks now, as `perisai worker` would; what they schedule on commit (a retry, due later)
    is scheduled."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("worker", batch=True, queues="*", no_scheduler=True)

    return run


def _retries_of(message: OutboxMessage) -> list[DBTaskResult[Any, Any]]:
    return [
        task
        for task in DBTaskResult.objects.filter(task_path__endswith="deliver_message", status="READY")
        if task.args_kwargs.get("args") == [message.pk]
    ]


def test_an_outbox_message_is_sent_by_smtp(email_channel: SmtpServer, queue: Any, run_worker: Any) -> None:
    body = "Paspor Anda habis pada 5 Januari 2027.\nPerpanjang di KBRI Kuala Lumpur — bawa paspor lama."
    outbox = queue("passport-reminder:7:2027-01-05", subject="Perisai: pengingat paspor", body=body)
    run_worker()

    (attempt,) = email_channel.attempts
    # The envelope: from the configured sender, to the outbox recipient only; the relay's login was used.
    assert attempt.mail_from == SENDER and attempt.rcpt_tos == ["wati@example.org"]
    assert [login for _mechanism, login in email_channel.logins] == [USERNAME]
    # The headers.
    mail = attempt.message
    assert mail["From"] == SENDER and mail["To"] == "wati@example.org"
    assert mail["Subject"] == "Perisai: pengingat paspor"
    assert mail["Message-ID"] == message_id_for("passport-reminder:7:2027-01-05", "kemlu.example")
    assert "passport-reminder" not in mail["Message-ID"]  # the key, which names records, is hashed
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Date"].datetime.tzinfo is not None
    # One plain-text UTF-8 part, the body as written.
    assert not mail.is_multipart() and mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content().replace("\r\n", "\n").rstrip("\n") == body  # MIME text travels with CRLF
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT and outbox.attempts == 1
    assert f"<{outbox.provider_message_id}>" == mail["Message-ID"]


def test_without_a_subject_the_first_line_is_the_subject(
    email_channel: SmtpServer, queue: Any, run_worker: Any
) -> None:
    queue("k-subject", body="\nPerisai: kode masuk Anda 123456.\nJangan berikan kepada siapa pun.")
    run_worker()
    assert email_channel.accepted[0].message["Subject"] == "Perisai: kode masuk Anda 123456."


def test_a_4xx_answer_is_retried_and_the_retry_carries_the_same_message_id(
    email_channel: SmtpServer, queue: Any, run_worker: Any
) -> None:
    email_channel.data_answers = ["451 4.3.0 Mail queue full, try again later"]
    outbox = queue("alert:3:41:0", body="Perisai: SIAGA 1 di Kuala Lumpur.")
    run_worker()

    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.QUEUED and outbox.attempts == 1
    assert outbox.last_error == "email: message refused (451)"
    (retry,) = _retries_of(outbox)  # scheduled with a back-off, not at once
    assert retry.run_after > timezone.now()
    assert email_channel.accepted == []

    assert deliver_message.call(outbox.pk) == "sent"  # the retry, when it is due
    first, second = email_channel.attempts
    assert second.answer.startswith("250")
    assert first.message["Message-ID"] == second.message["Message-ID"]  # the receiver can tell a repeat
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.SENT and outbox.attempts == 2


def test_a_greylisted_recipient_is_retried(email_channel: SmtpServer, queue: Any, run_worker: Any) -> None:
    email_channel.rcpt_answers = ["450 4.7.1 Greylisted, please try again later"]
    outbox = queue("k-grey")
    run_worker()
    outbox.refresh_from_db()
    assert (outbox.status, outbox.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert outbox.last_error == "email: recipient refused (450)"
    assert len(_retries_of(outbox)) == 1
    assert deliver_message.call(outbox.pk) == "sent"
    assert email_channel.accepted[0].rcpt_tos == ["wati@example.org"]


@pytest.mark.parametrize(
    ("rcpt", "data", "error"),
    [
        (["550 5.1.1 No such user here"], [], "email: recipient refused (550)"),
        ([], ["554 5.7.1 Message rejected as spam"], "email: message refused (554)"),
    ],
)
def test_a_5xx_answer_fails_permanently(
    email_channel: SmtpServer, queue: Any, run_worker: Any, rcpt: list[str], data: list[str], error: str
) -> None:
    email_channel.rcpt_answers, email_channel.data_answers = rcpt, data
    outbox = queue("k-5xx")
    run_worker()
    outbox.refresh_from_db()
    assert (outbox.status, outbox.attempts, outbox.last_error) == (OutboxMessage.Status.FAILED, 1, error)
    assert _retries_of(outbox) == []
    assert email_channel.accepted == []


def test_an_unreachable_server_is_retried(settings: Any, queue: Any, run_worker: Any) -> None:
    settings.PERISAI_CHANNELS = {**settings.PERISAI_CHANNELS, "email": _options(_free_port())}
    outbox = queue("k-down")
    run_worker()
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.QUEUED and outbox.attempts == 1
    assert outbox.last_error == "email: the SMTP exchange failed (ConnectionRefusedError)"
    assert len(_retries_of(outbox)) == 1


def test_a_wrong_password_is_the_configuration_so_it_is_retried(smtp_server: SmtpServer) -> None:
    channel = EmailType(**{k.lower(): v for k, v in _options(smtp_server.port, PASSWORD="wrong").items()})
    with pytest.raises(DeliveryError) as failure:
        channel.send(Outgoing("wati@example.org", "halo", "k-auth"))
    assert not failure.value.permanent and "535" in str(failure.value)
    assert smtp_server.attempts == []


@pytest.mark.parametrize(
    "recipient",
    ["+6281234567", "user:12", "Wati <wati@example.org>", "wati@example.org\r\nBcc: x@example.org", "a@b"],
)
def test_what_is_not_an_address_fails_permanently_without_sending(
    smtp_server: SmtpServer, recipient: str
) -> None:
    channel = EmailType(**{k.lower(): v for k, v in _options(smtp_server.port).items()})
    with pytest.raises(DeliveryError) as failure:
        channel.send(Outgoing(recipient, "halo", "k-bad"))
    assert failure.value.permanent
    assert smtp_server.attempts == [] and smtp_server.logins == []


def test_a_channel_without_server_or_sender_is_retried_not_failed() -> None:
    with pytest.raises(DeliveryError) as failure:
        EmailType(host="127.0.0.1").send(Outgoing("wati@example.org", "halo", "k-conf"))
    assert not failure.value.permanent


def test_system_checks_name_what_an_email_channel_lacks(settings: Any) -> None:
    settings.PERISAI_CHANNELS = {
        "email": {"TYPE": "email", "HOST": "smtp.example.org"},
        "email2": {
            "TYPE": "email",
            "HOST": "smtp.example.org",
            "FROM": SENDER,
            "USE_TLS": True,
            "USE_SSL": "true",
        },
        "email3": {"TYPE": "email", "HOST": "smtp.example.org", "FROM": SENDER, "PASSWORD": "p"},
        "email4": {
            "TYPE": "email",
            "HOST": "smtp.example.org",
            "FROM": SENDER,
            "PASSWORD": "p",
            "USE_TLS": "1",
        },
    }
    found = {(m.id, m.msg.split("]")[0]) for m in run_checks(include_deployment_checks=True)}
    assert ("perisai.E004", "PERISAI_CHANNELS['email'") in found
    assert ("perisai.E005", "PERISAI_CHANNELS['email2'") in found
    assert ("perisai.W002", "PERISAI_CHANNELS['email3'") in found
    assert not {name for _id, name in found if name.endswith("email4'")}
