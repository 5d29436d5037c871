"""The crisis dashboard through HTTP: the share accounted for over time, the counts by area and by
vulnerability, and the unaccounted list, each within the viewer's scope (names only to those who may see
them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent
from perisai.core.roles import Role
from perisai.crisis import actions
from perisai.crisis.models import Crisis, CrisisArea, RosterEntry
from perisai.crisis.tokens import checkin_token
from perisai.places.gazetteer import get_city
from perisai.registry.models import Person

from .conftest import JB, KL, World, circle

DECLARED_HOURS_AGO = 23  # with 24 points, one point an hour from the declaration to now


class _Tables(HTMLParser):
    """The text of each cell of each table with an id: {id: [[cell, ...], ...]} (body rows only)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id"):
            self._table = str(dict(attrs)["id"])
            self.tables[self._table] = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table and not self._in_head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@dataclass
class Flood:
    crisis: Crisis
    declared: dt.datetime
    people: dict[str, Person]


@pytest.fixture
def flood(world: World) -> Flood:
    """A flood declared 23 hours ago with two areas: Kuala Lumpur (Siaga 1, KBRI Kuala Lumpur's people) and
    Johor Bahru (Siaga 3, KJRI Johor Bahru's), someone registered near them, someone far away who checks in
    all the same, and someone since erased. Five check-ins through the personal link, at known times."""
    declared = timezone.now() - dt.timedelta(hours=DECLARED_HOURS_AGO)
    crisis = Crisis.objects.create(
        title="Banjir Semenanjung", type="flood", country_id="MY", status="active", declared_at=declared
    )
    crisis.missions.add(world.kl)
    CrisisArea.objects.create(crisis=crisis, name="Kuala Lumpur", level=1, geometry=circle(*KL, 30))
    CrisisArea.objects.create(crisis=crisis, name="Johor Bahru", level=3, geometry=circle(*JB, 30))
    seremban = get_city(1734810)  # registered by city only, 40 km from the KL area: near it
    assert seremban is not None
    people = {
        "ani": world.make_person(*KL, name="Ani Lestari", vulnerabilities=1),  # pregnant
        "budi": world.make_person(*KL, name="Budi Santoso", vulnerabilities=8),  # elderly
        "citra": world.make_person(*KL, name="Citra Dewi", vulnerabilities=1 | 2, phone="+60123459001"),
        "dewi": world.make_person(*KL, name="Dewi Kartika", phone="", whatsapp="+60115550000"),
        "gita": world.make_person(
            seremban.lat, seremban.lon, name="Gita Pertiwi", city_geonameid=seremban.geonameid,
            city_name=seremban.name,
        ),
        "hana": world.make_person(*KL, name="Hana Erased"),
        "joko": world.make_person(5.41, 100.33, name="Joko Widodo"),  # in Penang: not on the roster
        "eko": world.make_person(*JB, name="Eko Prasetyo", mission=world.jb, vulnerabilities=8),
        "fajar": world.make_person(*JB, name="Fajar Nugroho", mission=world.jb, phone="+60123459008"),
    }  # fmt: skip
    actions.do_refresh_roster(crisis=crisis)
    client = Client()
    for key, status, hours in (("ani", "safe", 2.5), ("gita", "safe", 6.5), ("budi", "need_help", 10.5),
                               ("joko", "not_there", 16.5), ("eko", "not_there", 20.5)):  # fmt: skip
        token = checkin_token(crisis.pk, people[key].pk)
        client.post(reverse("crisis:checkin", kwargs={"token": token}), {"status": status})
        RosterEntry.objects.filter(crisis=crisis, person=people[key]).update(
            first_accounted_at=declared + dt.timedelta(hours=hours)
        )
    from perisai.registry.actions import do_erase_person

    do_erase_person(person=people["hana"], actor=None)
    return Flood(crisis=crisis, declared=declared, people=people)


def _detail(client: Client, crisis: Crisis) -> Any:
    return client.get(reverse("crisis:detail", kwargs={"public_id": crisis.public_id}))


def _unaccounted(client: Client, crisis: Crisis) -> Any:
    return client.get(reverse("crisis:unaccounted", kwargs={"public_id": crisis.public_id}))


def test_the_share_accounted_for_over_time(world: World, flood: Flood) -> None:
    response = _detail(world.client(world.officer), flood.crisis)
    page = response.content.decode()
    # KBRI Kuala Lumpur's six people: Ani after 2.5 h, Gita after 6.5 h, Budi after 10.5 h, Joko after
    # 16.5 h; Citra and Dewi not yet (Hana was erased; the Johor Bahru people are another mission's).
    series = tables(page)["accounted-over-time"]
    assert [share for _at, share in series] == (
        ["0%"] * 3 + ["17%"] * 4 + ["33%"] * 4 + ["50%"] * 6 + ["67%"] * 7
    )
    assert series[0][0] == flood.declared.astimezone(dt.UTC).strftime("%d/%m %H:%M")
    assert 'id="accounted-share">67%<' in page  # the last point is the share now
    assert "<polyline" in page  # the chart of the same series
    board = response.context["dashboard"]
    assert (board.total, board.accounted, board.safe, board.need_help, board.not_there, board.unknown) == (
        6, 4, 2, 1, 1, 2,
    )  # fmt: skip
    assert [round(share, 2) for _at, share in board.series][::6] == [0.0, 0.17, 0.5, 0.67]


def test_counts_by_area_and_by_vulnerability(world: World, flood: Flood) -> None:
    kl_page = _detail(world.client(world.officer), flood.crisis).content.decode()
    kl = tables(kl_page)
    # Areas by level: Kuala Lumpur holds five of the officer's people (Gita, registered near it, too),
    # three accounted for; Johor Bahru none of hers; Joko checked in from outside the areas.
    assert [row[:3] for row in kl["areas"]] == [
        ["Kuala Lumpur", "Siaga 1", "3 / 5 accounted"],
        ["Johor Bahru", "Siaga 3", "0 / 0 accounted"],
        ["Outside the areas (checked in from elsewhere)", "—", "1 / 1 accounted"],
    ]
    assert kl["by-vulnerability"] == [["Pregnant", "2", "1"], ["Disability", "1", "0"], ["Elderly", "1", "1"]]
    # The Johor Bahru officer sees the same crisis (same country) with his own mission's people only.
    jb_page = _detail(world.client(world.jb_officer), flood.crisis).content.decode()
    jb = tables(jb_page)
    assert [row[:3] for row in jb["areas"]] == [
        ["Kuala Lumpur", "Siaga 1", "0 / 0 accounted"],
        ["Johor Bahru", "Siaga 3", "1 / 2 accounted"],
    ]
    assert jb["by-vulnerability"] == [["Elderly", "1", "1"]]
    assert [share for _at, share in jb["accounted-over-time"]][-1] == "50%"
    # The "need help" queue names Budi to his own mission's officer only.
    assert "Budi Santoso" in kl_page
    kl_names = [p.full_name for key, p in flood.people.items() if key not in ("eko", "fajar")]
    assert not any(name in jb_page for name in kl_names)


def test_the_unaccounted_list_shows_her_own_missions_people_first_the_vulnerable(
    world: World, flood: Flood
) -> None:
    response = _unaccounted(world.client(world.officer), flood.crisis)
    rows = tables(response.content.decode())["unaccounted"]
    assert rows == [
        ["Citra Dewi", "+60123459001", "Kuala Lumpur", "0", "Pregnant, Disability"],
        ["Dewi Kartika", "+60115550000", "Kuala Lumpur", "0", ""],
    ]
    opened = AuditEvent.objects.get(action="crisis.unaccounted_view", actor=world.officer)
    assert opened.sensitive and opened.details["shown"] == 2 and opened.details["total"] == 2
    jb_rows = tables(_unaccounted(world.client(world.jb_officer), flood.crisis).content.decode())
    assert jb_rows["unaccounted"] == [["Fajar Nugroho", "+60123459008", "Johor Bahru", "0", ""]]


def test_an_erased_person_is_in_no_list_and_no_count(world: World, flood: Flood, make_user: Any) -> None:
    admin = world.client(make_user(Role.ADMIN, username="admin-1"))
    names = [row[0] for row in tables(_unaccounted(admin, flood.crisis).content.decode())["unaccounted"]]
    assert names == ["Citra Dewi", "Dewi Kartika", "Fajar Nugroho"]  # not Hana, nor her tombstone
    board = _detail(admin, flood.crisis).context["dashboard"]
    assert (board.total, board.accounted, board.unknown) == (8, 5, 3)


@pytest.mark.parametrize("who", ["far_officer", "case_worker", "analyst"])
def test_others_see_no_count_and_no_name(world: World, flood: Flood, make_user: Any, who: str) -> None:
    user = (
        world.far_officer
        if who == "far_officer"
        else make_user(Role.CASE_WORKER if who == "case_worker" else Role.ANALYST, username=who)
    )
    client = world.client(user)
    before = AuditEvent.objects.count()
    for response in (_detail(client, flood.crisis), _unaccounted(client, flood.crisis)):
        # Another mission's officer is told the crisis does not exist; the others may not open crises at all.
        assert response.status_code == (404 if who == "far_officer" else 403)
        body = response.content.decode()
        assert not any(person.full_name in body for person in flood.people.values())
        assert "Banjir Semenanjung" not in body
    assert AuditEvent.objects.count() == before  # nothing was opened, so nothing is recorded as opened
