from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from perisai.conftest import login
from perisai.core.actions import do_create_api_token, do_revoke_api_token
from perisai.core.models import ApiToken, User
from perisai.core.roles import Cap, Role

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def test_openapi_snapshot() -> None:
    """The published API contract changes only on purpose: PERISAI_UPDATE_SNAPSHOTS=1 rewrites the file."""
    from perisai.api import api

    schema = json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), sort_keys=True, default=str)
    )
    if os.environ.get("PERISAI_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    assert schema == json.loads(SNAPSHOT.read_text()), "API changed: review, then PERISAI_UPDATE_SNAPSHOTS=1"


@pytest.mark.django_db
def test_openapi_is_served() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Perisai API"


@pytest.mark.django_db
def test_errors_have_one_translated_format() -> None:
    client = Client()
    denied = client.get("/api/v1/core/me")
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "unauthorised"
    invalid = client.get("/api/v1/places/nearest-mission", {"lat": 123, "lon": 0}, HTTP_ACCEPT_LANGUAGE="en")
    assert invalid.status_code == 422
    body = invalid.json()["error"]
    assert body["code"] == "invalid" and body["message"] == "Some fields are not valid."
    assert body["details"][0]["field"] == "lat"
    indonesian = client.get(
        "/api/v1/places/nearest-mission", {"lat": 123, "lon": 0}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert indonesian.json()["error"]["message"] == "Beberapa isian tidak valid."
    missing = client.get("/api/v1/places/missions/no-such-mission", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing.json()["error"] == {
        "code": "not_found",
        "message": "Not found.",
    }


@pytest.mark.django_db
def test_session_auth_for_the_browser(make_user: Callable[..., User]) -> None:
    client = login(Client(), make_user(Role.ANALYST, username="ana"))
    me = client.get("/api/v1/core/me")
    assert me.status_code == 200
    assert me.json()["role"] == "analyst"
    assert "registry.view" not in me.json()["capabilities"]


@pytest.mark.django_db
def test_scoped_revocable_tokens(make_user: Callable[..., User]) -> None:
    officer = make_user(Role.MISSION_OFFICER, username="integration")
    token, raw = do_create_api_token(
        actor=officer, owner=officer, name="sync", scopes=[Cap.PERSON_VIEW, Cap.AUDIT_VIEW], days=30
    )
    # A token never exceeds its owner's role: audit.view is dropped for an officer.
    assert token.scopes == [Cap.PERSON_VIEW]
    assert raw not in token.key_hash and ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).exists()
    client = Client()
    me = client.get("/api/v1/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["capabilities"] == [Cap.PERSON_VIEW]
    assert client.get("/api/v1/core/me", HTTP_AUTHORIZATION="Bearer psk_wrong").status_code == 401
    do_revoke_api_token(actor=officer, token=token)
    assert client.get("/api/v1/core/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_token_page_shows_secret_once_and_revokes(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMIN)
    client = login(Client(), admin)
    response = client.post(
        reverse("core:tokens"), {"name": "bp2mi-sync", "scopes": [Cap.STATS_VIEW], "days": 7}
    )
    assert response.status_code == 200
    assert "psk_" in response.content.decode()
    token = ApiToken.objects.get(name="bp2mi-sync")
    assert "psk_" not in client.get(reverse("core:tokens")).content.decode().replace(token.prefix, "")
    client.post(reverse("core:token_revoke", kwargs={"token_id": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
