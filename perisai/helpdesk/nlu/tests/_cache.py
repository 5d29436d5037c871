"""Point the model cache at a private temp dir for the tests of this package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module", autouse=False)
def nlu_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("nlu-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PERISAI_CACHE_DIR", str(path))
        yield path
