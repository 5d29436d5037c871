"""Flow editors: texts in both languages as a draft, test mode, publishing a new version."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from perisai.core.models import AuditEvent, OutboxMessage
from perisai.core.roles import Role
from perisai.helpdesk.actions import ensure_published
from perisai.helpdesk.flows.definition import iter_texts
from perisai.helpdesk.models import Conversation, FlowVersion

pytestmark = pytest.mark.usefixtures("places")
EDIT = "/helpdesk/alur/main/"


def form_data(version: FlowVersion, **changes: str) -> dict[str, str]:
    data = {
        f"{path}|{lang}": text
        for path, _l, texts in iter_texts(version.definition)
        for lang, text in texts.items()
    }
    data.update({k.replace("__", "|"): v for k, v in changes.items()})
    return data


def test_edit_try_and_publish_a_new_welcome(client_for: Any, say: Any) -> None:
    v1 = ensure_published()
    before = say("halo", sender="+60100000001").conversation  # started on version 1
    editor = client_for(Role.SUPERVISOR)
    assert "Layanan bantuan Perisai" in editor.get("/helpdesk/alur/").content.decode()
    new_welcome = "Selamat datang di layanan bantuan Perisai. Ketik DARURAT jika Anda dalam bahaya."
    response = editor.post(EDIT, form_data(v1, **{"nodes.welcome.text__id": new_welcome}))
    assert response.status_code == 302
    draft = FlowVersion.objects.get(status="draft")
    assert draft.number == 2 and draft.definition["nodes"]["welcome"]["text"]["id"] == new_welcome
    # Not yet for people: a new conversation still gets version 1.
    assert "Selamat datang di layanan" not in say("halo", sender="+60100000002").replies[0].text
    # Test mode runs the draft, and nothing leaves the platform.
    tried = editor.post("/helpdesk/alur/main/uji/", {"text": "halo"}, HTTP_ACCEPT="application/json").json()
    assert tried["items"][1]["text"] == new_welcome
    assert editor.post("/helpdesk/alur/main/terbitkan/").status_code == 302
    v1.refresh_from_db()
    assert v1.status == "archived" and FlowVersion.objects.get(number=2).status == "published"
    assert say("halo", sender="+60100000003").replies[0].text == new_welcome
    # A conversation already going keeps its version.
    assert Conversation.objects.get(pk=before.pk).flow_version_id == v1.pk
    assert AuditEvent.objects.filter(action="helpdesk.flow_published", actor=editor.user).exists()


def test_a_bad_text_is_refused_with_the_reason_and_kept(client_for: Any) -> None:
    v1 = ensure_published()
    editor = client_for(Role.SUPERVISOR)
    broken = "Hubungi {misi} sekarang."
    response = editor.post(EDIT, form_data(v1, **{"nodes.mission_info.text__en": broken}))
    body = response.content.decode()
    assert response.status_code == 200 and "{misi}" in body and "placeholder" in body
    assert broken in body  # what was typed is still there
    empty = editor.post(EDIT, form_data(v1, **{"nodes.welcome.text__en": ""}))
    assert empty.status_code == 200 and "errorlist" in empty.content.decode()
    assert not FlowVersion.objects.filter(status="draft").exists()


def test_test_mode_opens_no_case_and_sends_nothing(client_for: Any) -> None:
    ensure_published()
    editor = client_for(Role.SUPERVISOR)
    data = editor.post("/helpdesk/alur/main/uji/", {"text": "DARURAT"}, HTTP_ACCEPT="application/json").json()
    editor.post("/helpdesk/alur/main/uji/", {"text": "Malaysia", "token": data["token"]})
    conversation = Conversation.objects.get()
    assert conversation.test_mode and conversation.urgency == "emergency" and conversation.case_code == ""
    assert not OutboxMessage.objects.exists()
    assert client_for(Role.ADMIN).get("/api/v1/helpdesk/handoffs").json() == []


def test_only_flow_editors_may_edit_and_nothing_changes_otherwise(client_for: Any) -> None:
    v1 = ensure_published()
    officer = client_for(Role.MISSION_OFFICER)
    before = (FlowVersion.objects.count(), AuditEvent.objects.count())
    assert officer.get("/helpdesk/alur/").status_code == 403
    assert officer.post(EDIT, form_data(v1, **{"nodes.welcome.text__id": "x"})).status_code == 403
    assert officer.post("/helpdesk/alur/main/terbitkan/").status_code == 403
    assert (FlowVersion.objects.count(), AuditEvent.objects.count()) == before


def test_publishing_without_a_draft_says_so(client_for: Any) -> None:
    ensure_published()
    editor = client_for(Role.SUPERVISOR)
    response = editor.post("/helpdesk/alur/main/terbitkan/", follow=True)
    assert FlowVersion.objects.get().status == "published"
    assert "errorlist" in response.content.decode() or "messages" in response.content.decode()


def test_load_and_export_a_whole_flow_from_the_command_line(tmp_path: Path) -> None:
    ensure_published()
    out = io.StringIO()
    call_command("helpdesk", "export-flow", stdout=out)
    definition = json.loads(out.getvalue())
    definition["nodes"]["welcome"]["text"]["en"] = "Hello from the command line."
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(definition))
    call_command("helpdesk", "load-flow", str(path), "--publish", stdout=io.StringIO())
    assert (
        FlowVersion.objects.get(status="published")
        .definition["nodes"]["welcome"]["text"]["en"]
        .startswith("Hello from")
    )
    definition["nodes"]["welcome"]["next"] = "nowhere"
    path.write_text(json.dumps(definition))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("helpdesk", "load-flow", str(path), stdout=io.StringIO())
