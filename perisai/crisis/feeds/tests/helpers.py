"""Shared test helpers: where the samples are, and the "events or FeedError" check."""

import json
from pathlib import Path
from typing import Any

import pytest

from perisai.crisis.feeds import JSON_KEYS, FeedError, FeedEvent, event_to_json, parse_feed

REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED = REPO_ROOT / "../shared/data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath("feeds", *parts)
    if not path.exists():
        pytest.skip(f"../shared/data is absent: {path} not found (real feed samples for these tests)")
    return path


def shared(*parts: str) -> bytes:
    return shared_path(*parts).read_bytes()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def shared_samples() -> list[Path]:
    """Every shared feed sample, or [] when ../shared/data is absent (callers decide to skip)."""
    root = SHARED / "feeds"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def own_samples() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in {".xml", ".json"})


def area_of(event: FeedEvent) -> dict[str, Any]:
    assert event.area is not None
    return event.area


def check_events_or_feed_error(data: bytes) -> list[FeedEvent] | None:
    """The fuzzing contract: a list of well-formed FeedEvents, or FeedError; nothing else."""
    try:
        events = parse_feed(data)
    except FeedError as exc:
        assert str(exc).strip()
        return None
    for event in events:
        assert isinstance(event, FeedEvent)
        document = event_to_json(event)
        assert tuple(document) == JSON_KEYS
        json.dumps(document, allow_nan=False)
        assert document["sent"].endswith("Z")
    return events
