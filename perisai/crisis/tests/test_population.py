"""The in-memory population columns stay equal to the database as people register, move and leave."""

from __future__ import annotations

import numpy as np
from django.utils import timezone

from perisai.crisis.exposure import expose
from perisai.crisis.population import INDEX
from perisai.registry.models import Person, PersonStatus

from .conftest import JB, KL, World, circle


def _inside_ids(area: dict) -> set[int]:
    columns = INDEX.snapshot()
    return set(columns.ids[expose(columns, area, near_km=0).inside].tolist())


def test_the_columns_follow_the_registry(world: World) -> None:
    area = circle(*KL, 20)
    a = world.make_person(*KL)
    assert _inside_ids(area) == {a.pk}
    b = world.make_person(KL[0] + 0.01, KL[1])  # a new registration is seen at once
    assert _inside_ids(area) == {a.pk, b.pk}
    # A person moves away (every write bumps updated_at): she leaves the area.
    Person.objects.filter(pk=a.pk).update(lat=JB[0], lon=JB[1], updated_at=timezone.now())
    assert _inside_ids(area) == {b.pk}
    # Going home takes a person out of every count.
    Person.objects.filter(pk=b.pk).update(status=PersonStatus.RETURNED, updated_at=timezone.now())
    assert _inside_ids(area) == set()
    columns = INDEX.snapshot()
    assert a.pk in columns.ids.tolist() and b.pk not in columns.ids.tolist()


def test_a_person_located_at_their_city_centre_is_not_precise(world: World) -> None:
    from perisai.places.gazetteer import get_city

    city = get_city(1735161)  # Kuala Lumpur
    assert city is not None
    at_centre = world.make_person(city.lat, city.lon, city_geonameid=city.geonameid, city_name=city.name)
    pinned = world.make_person(city.lat + 0.02, city.lon, city_geonameid=city.geonameid, city_name=city.name)
    columns = INDEX.snapshot()
    precise = dict(zip(columns.ids.tolist(), columns.precise.tolist(), strict=True))
    assert precise[at_centre.pk] is False and precise[pinned.pk] is True
    assert np.isnan(INDEX.snapshot().lat).sum() == 0
