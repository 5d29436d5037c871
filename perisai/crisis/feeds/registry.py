"""The configured parser family: import by dotted path, pick by sniffing, parse."""

import importlib
from collections.abc import Sequence

from .base import DEFAULT_MAX_BYTES, FeedParser, check_payload
from .errors import FeedConfigError, FeedError
from .events import FeedEvent

#: what settings list by default (``PERISAI_FEED_PARSERS``, say); order is sniffing order
DEFAULT_PARSERS: tuple[str, ...] = (
    "perisai.crisis.feeds.cap.CapParser",
    "perisai.crisis.feeds.gdacs.GdacsParser",
    "perisai.crisis.feeds.usgs.UsgsParser",
    "perisai.crisis.feeds.reliefweb.ReliefWebParser",
)


def _import(path: str) -> type:
    module_name, _, class_name = path.rpartition(".")
    if not module_name or not class_name:
        raise FeedConfigError(f"feed parser {path!r} is not a dotted path 'package.module.ClassName'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise FeedConfigError(f"feed parser {path!r}: cannot import {module_name!r} ({exc})") from exc
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise FeedConfigError(f"feed parser {path!r}: {module_name!r} has no class {class_name!r}")
    return cls


def get_parsers(dotted_paths: Sequence[str] = DEFAULT_PARSERS) -> list[FeedParser]:
    """Instances of the configured parser classes, in order. Raises FeedConfigError on a bad
    path, a class whose name does not end in "Parser", a missing/duplicate ``code``."""
    if isinstance(dotted_paths, str):
        raise FeedConfigError("feed parsers must be a list of dotted paths, not one string")
    parsers: list[FeedParser] = []
    seen: dict[str, str] = {}
    for path in dotted_paths:
        cls = _import(path)
        if not cls.__name__.endswith("Parser"):
            raise FeedConfigError(f"feed parser {path!r}: class name must end in 'Parser'")
        code = getattr(cls, "code", None)
        if not isinstance(code, str) or not code:
            raise FeedConfigError(f"feed parser {path!r} has no 'code'")
        if code in seen:
            raise FeedConfigError(f"feed parsers {seen[code]!r} and {path!r} share the code {code!r}")
        seen[code] = path
        instance = cls()
        if not isinstance(instance, FeedParser):
            raise FeedConfigError(f"feed parser {path!r} lacks sniff() or parse()")
        parsers.append(instance)
    return parsers


def get_parser(code: str, parsers: Sequence[FeedParser] | None = None) -> FeedParser:
    """The parser with this code (to parse a source whose format is known)."""
    for parser in parsers if parsers is not None else get_parsers():
        if parser.code == code:
            return parser
    raise FeedError(f"no feed parser with code {code!r}")


def detect_parser(data: bytes, parsers: Sequence[FeedParser]) -> FeedParser:
    """The first parser whose ``sniff`` accepts the payload."""
    for parser in parsers:
        if parser.sniff(data):
            return parser
    raise FeedError("not a recognised feed format")


def parse_feed(
    data: bytes,
    parsers: Sequence[FeedParser] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    errors: list[FeedError] | None = None,
) -> list[FeedEvent]:
    """Normalised events of a CAP / GDACS / USGS / ReliefWeb payload.

    The size is checked before anything else (default 10 MB). Raises FeedError for anything it
    cannot accept. With ``errors`` (a list), a bad item inside a good document is skipped and its
    error appended instead of rejecting the whole feed.
    """
    check_payload(data, max_bytes)
    chosen = detect_parser(data, parsers if parsers is not None else get_parsers())
    return chosen.parse(data, max_bytes=max_bytes, errors=errors)
