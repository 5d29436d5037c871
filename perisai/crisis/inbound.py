"""Check-in replies on SMS, WhatsApp, Telegram and e-mail (contract 2, called by the channel webhooks).

    handle_checkin_reply(channel="sms", sender="+60123456789", text="AMAN di asrama") -> "Terima kasih..."

The sender must have an open check-in request: they were sent an alert (any channel) of a crisis that is
still open. The reply is recorded as a first-hand check-in and the text to send back is returned; for
anything else (no open request, not a check-in keyword) the answer is None and the help bot takes the
message.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from perisai.registry.models import Person

from .actions import do_record_checkin
from .keywords import NEED_HELP, NOT_THERE, SAFE, parse_reply
from .models import OPEN_STATUSES, Alert, AlertRecipient, CheckInSource

REQUEST_LIFETIME = dt.timedelta(days=30)
CHANNEL_SOURCES = {
    "sms": CheckInSource.SMS,
    "whatsapp": CheckInSource.WHATSAPP,
    "telegram": CheckInSource.TELEGRAM,
    "email": CheckInSource.EMAIL,
    "platform": CheckInSource.PLATFORM,
}


def _address(sender: str) -> str:
    sender = (sender or "").strip()
    if sender.startswith("telegram:"):
        return sender.removeprefix("telegram:")
    if "@" in sender and not sender.startswith("@"):
        return sender.lower()
    return sender


def handle_checkin_reply(
    *, channel: str, sender: str, text: str, location: tuple[float, float] | None = None
) -> str | None:
    reply = parse_reply(text)
    if reply is None:
        return None
    address = _address(sender)
    if not address:
        return None
    since = timezone.now() - REQUEST_LIFETIME
    open_requests = AlertRecipient.objects.filter(
        created_at__gte=since,
        alert__status__in=[Alert.Status.SENDING, Alert.Status.SENT],
        alert__crisis__status__in=OPEN_STATUSES,
    ).select_related("alert__crisis", "person")
    request = open_requests.filter(address=address).order_by("-created_at", "-pk").first()
    if request is None and address.startswith("+"):
        # Asked on WhatsApp, answering by SMS from the registered phone (or the other way round).
        people = Person.objects.filter(Q(phone=address) | Q(whatsapp=address)).values("pk")[:5]
        request = open_requests.filter(person__in=people).order_by("-created_at", "-pk").first()
    if request is None:
        return None
    crisis = request.alert.crisis
    lat, lon = location if location is not None else (None, None)
    do_record_checkin(
        crisis=crisis,
        person_id=request.person_id,
        status=reply.status,
        source=CHANNEL_SOURCES.get(channel, CheckInSource.SMS),
        message=reply.message,
        lat=lat,
        lon=lon,
    )
    language = "en" if request.person.preferred_language == "en" else "id"
    with override(language):
        if reply.status == SAFE:
            text_back = _("Thank you. We have recorded that you are SAFE.")
        elif reply.status == NEED_HELP:
            text_back = _(
                "We have recorded that you NEED HELP. An officer of %(mission)s will contact you. "
                "If your life is in danger, call the local emergency number now."
            ) % {"mission": _mission_name(request)}
        elif reply.status == NOT_THERE:
            text_back = _("Thank you. We have recorded that you are NOT in the affected area.")
        else:  # pragma: no cover - parse_reply gives only these
            return None
        if crisis.exercise:
            text_back = _("EXERCISE") + ": " + text_back
    return text_back


def _mission_name(request: AlertRecipient) -> str:
    mission = request.person.mission or request.alert.crisis.missions.first()
    return mission.name if mission is not None else "KBRI"
