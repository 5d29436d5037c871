"""E-mail through an SMTP server (the deployment's relay or a provider's SMTP endpoint).

Options (PERISAI_CHANNELS["email"]): HOST, PORT (default 465 with USE_SSL, 587 with USE_TLS, else 25),
USERNAME and PASSWORD (SMTP AUTH, only when both are set), USE_TLS (STARTTLS) or USE_SSL (implicit TLS),
FROM (the From address, also the envelope sender), MESSAGE_ID_DOMAIN (default: the domain of FROM),
TIMEOUT (seconds, default 15).

One plain-text message per outbox message. Its Message-ID is derived from the outbox idempotency key, so a
send retried after a lost answer carries the same Message-ID and the receiving side can tell the two apart.
The SMTP answer decides what the outbox does: a 5xx refusal of the recipient or of the message is permanent;
a 4xx answer (greylisting, a full queue), a refused connection or a timeout is retried. A 5xx answer to
authentication, STARTTLS or the sender address is the deployment's configuration, not the message's fault:
it is retried too, so that nothing is lost while an operator fixes it.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from django.utils import timezone

from perisai.core.messaging.base import ChannelType, DeliveryError, Outgoing

DEFAULT_TIMEOUT = 15.0


def message_id_for(idempotency_key: str, domain: str) -> str:
    """The Message-ID of an outbox message: the same key always gives the same id (the key itself, which
    may name records, is hashed)."""
    digest = hashlib.sha256(("perisai-outbox:" + idempotency_key).encode()).hexdigest()[:40]
    return f"<perisai.{digest}@{domain}>"


def flag(value: object) -> bool:
    """An option that is on: true in JSON, or "1", "true", "yes", "on"."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _address(value: str) -> str:
    """A bare address (local@domain) or "": no display name, no whitespace, no line breaks."""
    _name, address = parseaddr(value.strip())
    if (
        not address
        or address != value.strip()
        or address.count("@") != 1
        or any(c.isspace() or ord(c) < 32 for c in address)
        or len(address) > 254
    ):
        return ""
    local, domain = address.split("@")
    return address if local and "." in domain and not domain.startswith(".") else ""


class EmailType(ChannelType):
    code = "email"
    name = "E-mail (SMTP)"

    def send(self, message: Outgoing) -> str:
        host = str(self.options.get("host") or "")
        sender = _address(str(self.options.get("from") or ""))
        if not host or not sender:
            raise DeliveryError("email: HOST and FROM must be configured")  # configuration: retried
        recipient = _address(message.recipient)
        if not recipient:
            raise DeliveryError("email: the recipient is not an e-mail address", permanent=True)
        domain = str(self.options.get("message_id_domain") or sender.split("@")[1])
        mail = self.compose(message, sender=sender, recipient=recipient, domain=domain)
        try:
            with self._connect(host) as smtp:
                self._start(smtp)
                smtp.send_message(mail, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, _text = next(iter(exc.recipients.values()), (0, b""))
            raise DeliveryError(f"email: recipient refused ({code})", permanent=500 <= code < 600) from exc
        except smtplib.SMTPDataError as exc:  # the message itself was refused after DATA
            raise DeliveryError(
                f"email: message refused ({exc.smtp_code})", permanent=500 <= exc.smtp_code < 600
            ) from exc
        except smtplib.SMTPResponseException as exc:  # sender, authentication, STARTTLS, greeting
            raise DeliveryError(f"email: the server answered {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused connection, timeout, TLS, dropped line
            raise DeliveryError(f"email: the SMTP exchange failed ({type(exc).__name__})") from exc
        return mail["Message-ID"].strip("<>")

    def compose(self, message: Outgoing, *, sender: str, recipient: str, domain: str) -> EmailMessage:
        mail = EmailMessage(policy=SMTP)
        mail["From"] = sender
        mail["To"] = recipient
        mail["Subject"] = message.title(max_length=120) or "Perisai"
        mail["Date"] = format_datetime(timezone.now())
        mail["Message-ID"] = message_id_for(message.idempotency_key, domain)
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to the platform
        mail.set_content(message.body, subtype="plain", charset="utf-8")
        return mail

    def _connect(self, host: str) -> smtplib.SMTP:
        timeout = float(self.options.get("timeout") or DEFAULT_TIMEOUT)
        if flag(self.options.get("use_ssl")):
            port = int(self.options.get("port") or 465)
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        port = int(self.options.get("port") or (587 if flag(self.options.get("use_tls")) else 25))
        return smtplib.SMTP(host, port, timeout=timeout)

    def _start(self, smtp: smtplib.SMTP) -> None:
        if flag(self.options.get("use_tls")) and not flag(self.options.get("use_ssl")):
            smtp.starttls(context=ssl.create_default_context())
        username = str(self.options.get("username") or "")
        password = str(self.options.get("password") or "")
        if username and password:
            smtp.login(username, password)
