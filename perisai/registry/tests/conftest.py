from __future__ import annotations

import pytest

from perisai.places import actions as place_actions
from perisai.places.reference import load_emergency_numbers, load_missions
from perisai.places.regions import RegionRow, do_import_regions


@pytest.fixture
def reference(db: None) -> None:
    """Countries, missions and a few real villages: what registration needs."""
    place_actions.do_load_countries(emergency_numbers=load_emergency_numbers())
    place_actions.do_load_missions(records=load_missions())
    rows = [
        RegionRow("35", None, "Jawa Timur", 1),
        RegionRow("35.07", "35", "Kabupaten Malang", 2),
        RegionRow("35.07.01", "35.07", "Donomulyo", 3),
        RegionRow("35.07.01.2001", "35.07.01", "Tulungrejo", 4),
        RegionRow("33", None, "Jawa Tengah", 1),
        RegionRow("33.01", "33", "Kabupaten Cilacap", 2),
        RegionRow("33.01.01", "33.01", "Dayeuhluhur", 3),
        RegionRow("33.01.01.2001", "33.01.01", "Hanum", 4),
    ]
    do_import_regions(rows=iter(rows), retire_missing=False)
