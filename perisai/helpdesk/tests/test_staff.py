"""Staff on duty: the queue by topic and urgency, scoped and audited; answering; closing; the follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from perisai.core.models import AuditEvent, OutboxMessage
from perisai.core.roles import Role
from perisai.helpdesk.actions import do_send_followup
from perisai.helpdesk.models import Conversation, Message
from perisai.helpdesk.tasks import send_due_followups
from perisai.places.models import Mission

pytestmark = pytest.mark.usefixtures("places")


def wages_handoff(say: Any, sender: str, *, followup: str = "1") -> Conversation:
    say("gaji saya sudah 3 bulan belum dibayar majikan", sender=sender)
    say("1", sender=sender)  # talk to a staff member
    say("1", sender=sender)  # may read the conversation
    received = say(followup, sender=sender)
    assert received.conversation.status == "handoff"
    conversation: Conversation = received.conversation
    return conversation


def located(conversation: Conversation, code: str) -> Conversation:
    mission = Mission.objects.get(code=code)
    Conversation.objects.filter(pk=conversation.pk).update(mission=mission, country=mission.country_id)
    conversation.refresh_from_db()
    return conversation


def test_the_queue_puts_emergencies_first_and_filters(say: Any, client_for: Any) -> None:
    kl = Mission.objects.get(code="kbri-kuala-lumpur")
    wages = located(wages_handoff(say, "+60111111111"), "kbri-kuala-lumpur")
    say("DARURAT", sender="+60122222222")
    emergency = located(Conversation.objects.get(urgency="emergency"), "kbri-kuala-lumpur")
    officer = client_for(Role.MISSION_OFFICER, missions=[kl])
    page = officer.get("/helpdesk/antrean/").content.decode()
    assert page.index(emergency.short_code) < page.index(wages.short_code)
    only_wages = officer.get("/helpdesk/antrean/", {"topic": "wages"}).content.decode()
    assert wages.short_code in only_wages and emergency.short_code not in only_wages
    api = officer.get("/api/v1/helpdesk/handoffs").json()
    assert [item["code"] for item in api] == [emergency.short_code, wages.short_code]
    assert "gaji" not in str(api)  # the queue never shows what she wrote


def test_officers_see_only_their_missions_and_supervisors_the_unlocated(say: Any, client_for: Any) -> None:
    conversation = located(wages_handoff(say, "+60133333333"), "kbri-kuala-lumpur")
    unlocated = wages_handoff(say, "+60144444444")
    jeddah = Mission.objects.get(code="kjri-jeddah")
    stranger = client_for(Role.MISSION_OFFICER, missions=[jeddah])
    before = AuditEvent.objects.filter(action="view").count()
    assert stranger.get(f"/helpdesk/percakapan/{conversation.public_id}/").status_code == 404
    assert conversation.short_code not in stranger.get("/helpdesk/antrean/").content.decode()
    assert AuditEvent.objects.filter(action="view").count() == before
    supervisor = client_for(Role.SUPERVISOR)
    assert unlocated.short_code in supervisor.get("/helpdesk/antrean/").content.decode()
    assert supervisor.get(f"/helpdesk/percakapan/{conversation.public_id}/").status_code == 404


def test_opening_a_conversation_is_audited_and_shows_the_consented_transcript(
    say: Any, client_for: Any
) -> None:
    conversation = located(wages_handoff(say, "+60155555555"), "kbri-kuala-lumpur")
    officer = client_for(Role.MISSION_OFFICER, missions=[conversation.mission])
    page = officer.get(f"/helpdesk/percakapan/{conversation.public_id}/")
    assert page.status_code == 200 and "gaji saya sudah 3 bulan" in page.content.decode()
    event = AuditEvent.objects.filter(action="view").latest("at")
    assert event.object_id == str(conversation.pk) and event.sensitive and event.actor == officer.user


def test_without_consent_staff_see_only_what_came_after_the_hand_off(say: Any, client_for: Any) -> None:
    say("majikan saya tidak bayar gaji", sender="+60166666666")
    say("1", sender="+60166666666")
    say("2", sender="+60166666666")  # no, they may not read it
    conversation = say("4", sender="+60166666666").conversation
    say("saya takut dipecat", sender="+60166666666")
    officer = client_for(Role.ADMIN)
    page = officer.get(f"/helpdesk/percakapan/{conversation.public_id}/").content.decode()
    assert "saya takut dipecat" in page and "tidak bayar gaji" not in page


def test_an_answer_goes_out_over_her_channel_and_clears_the_waiting_flag(
    say: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = located(wages_handoff(say, "+60177777777"), "kbri-kuala-lumpur")
    say("halo? ada orang?", sender="+60177777777")
    conversation.refresh_from_db()
    assert conversation.needs_reply
    officer = client_for(Role.MISSION_OFFICER, missions=[conversation.mission])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            f"/helpdesk/percakapan/{conversation.public_id}/balas/", {"text": "Halo Bu, saya petugas KBRI."}
        )
    assert response.status_code == 302
    outbox = OutboxMessage.objects.filter(channel="whatsapp").latest("created_at")
    assert outbox.recipient == "+60177777777" and outbox.body == "Halo Bu, saya petugas KBRI."
    conversation.refresh_from_db()
    assert not conversation.needs_reply and conversation.assigned_to == officer.user
    assert conversation.first_response_at is not None
    event = AuditEvent.objects.get(action="helpdesk.reply")
    assert "Halo Bu" not in str(event.details)


def test_the_api_reply_shares_the_action(say: Any, client_for: Any) -> None:
    conversation = located(wages_handoff(say, "+60188888888"), "kbri-kuala-lumpur")
    officer = client_for(Role.MISSION_OFFICER, missions=[conversation.mission])
    url = f"/api/v1/helpdesk/conversations/{conversation.public_id}/replies"
    created = officer.post(
        url, {"text": "Kami sudah menerima laporan Anda."}, content_type="application/json"
    )
    assert created.status_code == 201
    assert Message.objects.get(pk=created.json()["id"]).author == "staff"
    say("STOP", sender="+60188888888")
    refused = officer.post(url, {"text": "Halo?"}, content_type="application/json")
    assert refused.status_code == 409 and "STOP" in refused.json()["error"]["message"]


def test_a_role_without_the_capability_is_refused_and_nothing_changes(say: Any, client_for: Any) -> None:
    conversation = located(wages_handoff(say, "+60199999999"), "kbri-kuala-lumpur")
    analyst = client_for(Role.ANALYST)
    before = (Message.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    assert analyst.get("/helpdesk/antrean/").status_code == 403
    assert (
        analyst.post(f"/helpdesk/percakapan/{conversation.public_id}/balas/", {"text": "x"}).status_code
        == 403
    )
    assert analyst.post(f"/helpdesk/percakapan/{conversation.public_id}/tutup/").status_code == 403
    assert analyst.get("/api/v1/helpdesk/handoffs").status_code == 403
    assert (Message.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == before
    conversation.refresh_from_db()
    assert conversation.status == "handoff"


def test_closing_plans_the_follow_up_she_agreed_to_at_her_hours(
    say: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = located(wages_handoff(say, "+60121212121", followup="2"), "kbri-kuala-lumpur")  # mornings
    assert conversation.followup == "morning"
    officer = client_for(Role.MISSION_OFFICER, missions=[conversation.mission])
    officer.post(f"/helpdesk/percakapan/{conversation.public_id}/tutup/")
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.followup_due_at is not None
    # Malaysia is UTC+8: 15:00 UTC is 23:00 there, not a morning; 01:00 UTC is 09:00 there.
    night = conversation.followup_due_at.replace(hour=15, minute=0) + dt.timedelta(days=1)
    assert do_send_followup(conversation=conversation, now=night) == "later"
    morning = night + dt.timedelta(hours=10)
    Conversation.objects.filter(pk=conversation.pk).update(followup_due_at=morning - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert do_send_followup(conversation=conversation, now=morning) == "sent"
    outbox = OutboxMessage.objects.filter(channel="whatsapp").latest("created_at")
    assert "Apakah Anda perlu bantuan lagi?" in outbox.body
    conversation.refresh_from_db()
    assert conversation.status == "bot" and conversation.node == "followup"
    # Her answer continues the follow-up (2: "I am fine"), not a new conversation.
    answer = say("2", sender="+60121212121")
    assert answer.conversation.pk == conversation.pk and "senang mendengarnya" in answer.replies[0].text
    conversation.refresh_from_db()
    assert conversation.status == "closed"


def test_no_follow_up_without_her_agreement_or_after_stop(say: Any, client_for: Any) -> None:
    declined = located(wages_handoff(say, "+60131313131", followup="4"), "kbri-kuala-lumpur")
    stopped = located(wages_handoff(say, "+60141414141", followup="1"), "kbri-kuala-lumpur")
    admin = client_for(Role.ADMIN)
    admin.post(f"/helpdesk/percakapan/{declined.public_id}/tutup/")
    admin.post(f"/helpdesk/percakapan/{stopped.public_id}/tutup/")
    say("STOP", sender="+60141414141")
    before = OutboxMessage.objects.count()
    # 23:00 in Malaysia, outside every hour she could have chosen: a STOP is recorded at once all the same.
    later = (timezone.now() + dt.timedelta(days=30)).replace(hour=15, minute=0)
    Conversation.objects.update(followup_due_at=later - dt.timedelta(days=1))
    assert send_due_followups.call(now=later.isoformat()) == 0
    assert OutboxMessage.objects.count() == before
    declined.refresh_from_db()
    stopped.refresh_from_db()
    assert declined.followup == "" and declined.followup_sent_at is None
    assert stopped.followup_note == "stopped"


def test_a_whatsapp_follow_up_outside_the_window_is_not_sent(
    say: Any, client_for: Any, settings: Any
) -> None:
    settings.PERISAI_CHANNELS = {**settings.PERISAI_CHANNELS, "whatsapp": {"TYPE": "whatsapp"}}
    conversation = located(wages_handoff(say, "+60151515151", followup="1"), "kbri-kuala-lumpur")
    client_for(Role.ADMIN).post(f"/helpdesk/percakapan/{conversation.public_id}/tutup/")
    noon_in_kl = (timezone.now() + dt.timedelta(days=5)).replace(hour=4, minute=0)
    before = OutboxMessage.objects.count()
    assert do_send_followup(conversation=conversation, now=noon_in_kl) == "whatsapp_window"
    assert OutboxMessage.objects.count() == before
    conversation.refresh_from_db()
    assert conversation.followup_note == "whatsapp_window"


def test_staff_can_open_a_case_for_a_topic_that_opens_none(say: Any, client_for: Any) -> None:
    pytest.importorskip("perisai.cases.intake")
    say("paspor saya hilang di bus", sender="+60161616161")
    say("1", sender="+60161616161")
    say("1", sender="+60161616161")
    conversation = say("4", sender="+60161616161").conversation
    assert conversation.topic == "documents" and conversation.case_code == ""
    admin = client_for(Role.ADMIN)
    admin.post(f"/helpdesk/percakapan/{conversation.public_id}/kasus/", {"case_type": "detention"})
    conversation.refresh_from_db()
    assert conversation.case_code.startswith("C-")


def test_closing_her_case_in_case_management_plans_the_follow_up(
    say: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The hand-off opened a case; when a supervisor approves its closure, the bot's follow-up is planned."""
    from perisai.cases.actions import do_decide_approval, do_request_closure
    from perisai.cases.models import Case

    conversation = located(wages_handoff(say, "+60171717171", followup="1"), "kbri-kuala-lumpur")
    assert conversation.case_public_id is not None and conversation.followup_due_at is None
    case = Case.objects.get(public_id=conversation.case_public_id)
    worker = make_user(Role.MISSION_OFFICER, missions=[conversation.mission])
    head = make_user(Role.SUPERVISOR, missions=[conversation.mission])
    approval = do_request_closure(case=case, actor=worker, outcome="wages_recovered", reason="Gaji dibayar")
    conversation.refresh_from_db()
    assert conversation.followup_due_at is None  # a request is not a closure
    with django_capture_on_commit_callbacks(execute=True):
        do_decide_approval(approval=approval, actor=head, approve=True)
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.followup_due_at is not None
    assert AuditEvent.objects.filter(action="helpdesk.case_closed", object_id=str(conversation.pk)).exists()
