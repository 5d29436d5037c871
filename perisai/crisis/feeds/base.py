"""What every parser shares: the parser protocol, size limit, safe XML/JSON loading, value helpers."""

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from .errors import FeedError
from .events import FeedEvent

#: payloads above this size are refused before any parsing (10 MiB)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: how many bytes ``sniff`` looks at
SNIFF_BYTES = 64 * 1024
MAX_TITLE = 500
MAX_ID = 255


@runtime_checkable
class FeedParser(Protocol):
    """A feed format: a stable short ``code``, a cheap ``sniff`` and a strict ``parse``."""

    code: ClassVar[str]
    name: ClassVar[str]

    def sniff(self, data: bytes) -> bool: ...

    def parse(
        self, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, errors: list[FeedError] | None = None
    ) -> list[FeedEvent]: ...


class BaseParser:
    """Base class: size check, then :meth:`_parse`.

    ``errors``: when a list is given, an item that is bad on its own (one GDACS item, one USGS
    feature) is skipped and its FeedError appended; otherwise the whole payload is rejected.
    Problems with the document itself always raise.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""

    def sniff(self, data: bytes) -> bool:  # pragma: no cover - every parser overrides it
        return False

    def parse(
        self, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, errors: list[FeedError] | None = None
    ) -> list[FeedEvent]:
        check_payload(data, max_bytes)
        return self._parse(data, errors)

    def _parse(self, data: bytes, errors: list[FeedError] | None) -> list[FeedEvent]:
        raise NotImplementedError  # pragma: no cover


def item_failed(exc: FeedError, errors: list[FeedError] | None) -> None:
    """Record a bad item when the caller collects errors, otherwise reject the payload."""
    if errors is None:
        raise exc
    errors.append(exc)


def describe_size(size: int) -> str:
    """10485760 -> "10 MB", 524288 -> "512 KB", 100 -> "100 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


def check_payload(data: object, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "feed") -> None:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FeedError(f"{what} must be bytes, got {type(data).__name__}")
    if len(data) > max_bytes:
        raise FeedError(f"{what} larger than {describe_size(max_bytes)} limit")
    if not bytes(data[:4096]).strip():
        raise FeedError(f"{what} is empty")


# ---------------------------------------------------------------------------------------- sniffing
def head_text(data: bytes, size: int = SNIFF_BYTES) -> str:
    """The start of the payload as text, for sniffing (BOM-aware, never raises)."""
    head = bytes(data[:size])
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore").lstrip()
    return head.decode("utf-8", errors="ignore").lstrip()


def looks_like_json_object(head: str) -> bool:
    return head.startswith("{")


def looks_like_xml(head: str) -> bool:
    return head.startswith("<")


# ----------------------------------------------------------------------------------------- loading
def load_xml(data: bytes) -> ET.Element:
    """Parse XML refusing entity declarations, external references and DTD tricks."""
    try:
        return SafeET.fromstring(bytes(data), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        raise FeedError("XML entity declarations are not allowed") from exc
    except ExternalReferenceForbidden as exc:
        raise FeedError("XML external references are not allowed") from exc
    except DTDForbidden as exc:  # pragma: no cover - forbid_dtd is off
        raise FeedError("XML DTDs are not allowed") from exc
    except DefusedXmlException as exc:
        raise FeedError(f"unsafe XML refused: {exc}") from exc
    except ET.ParseError as exc:
        raise FeedError(f"malformed XML: {exc}") from exc
    except (ValueError, LookupError, RecursionError) as exc:  # odd encodings, absurd nesting
        raise FeedError(f"malformed XML: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise FeedError(f"JSON value {name} is not allowed")


def load_json(data: bytes) -> Any:
    """Parse JSON; NaN/Infinity, bad encodings and absurd nesting become FeedError."""
    try:
        return json.loads(bytes(data), parse_constant=_reject_constant)
    except FeedError:
        raise
    except RecursionError as exc:
        raise FeedError("malformed JSON: nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, int digit limit
        raise FeedError(f"malformed JSON: {str(exc)[:200]}") from exc


# ------------------------------------------------------------------------------------- XML helpers
def local(tag: object) -> str:
    """Tag name without its namespace (comments and processing instructions give "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def children(elem: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children with this local name, whatever their namespace."""
    for child in elem:
        if local(child.tag) == name:
            yield child


def child(elem: ET.Element, name: str) -> ET.Element | None:
    return next(children(elem, name), None)


def child_text(elem: ET.Element, name: str) -> str | None:
    """Cleaned text of the first such child; None when absent or blank."""
    found = child(elem, name)
    if found is None:
        return None
    return clean_text(found.text or "") or None


# ------------------------------------------------------------------------------------ value helpers
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def clean_text(value: str, *, keep_newlines: bool = False) -> str:
    """Strip control characters and lone surrogates (a database would refuse them)."""
    value = _CONTROL.sub("", value)
    value = value.encode("utf-8", "replace").decode("utf-8")
    if not keep_newlines:
        value = _SPACES.sub(" ", value)
    return value.strip()


def clean_title(value: str) -> str:
    value = clean_text(value)
    return value if len(value) <= MAX_TITLE else value[: MAX_TITLE - 1].rstrip() + "…"


def clean_id(value: str, what: str) -> str:
    value = clean_text(value)
    if not value:
        raise FeedError(f"{what} is empty")
    if len(value) > MAX_ID:
        raise FeedError(f"{what} is longer than {MAX_ID} characters")
    return value


def parse_float(text: str, what: str) -> float:
    """A finite decimal number; "nan", "inf", "1_0" and friends are refused."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise FeedError(f"{what}: {text[:40]!r} is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise FeedError(f"{what}: {text[:40]!r} is not a finite number")
    return value


def leading_float(text: str) -> float | None:
    """The number at the start of "3.4 Ml" / "5.5M"; None if there is none."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    value = float(match.group(0))
    return value if math.isfinite(value) else None


def json_number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FeedError(f"{what} must be a number, got {type(value).__name__}")
    try:
        result = float(value)
    except OverflowError as exc:
        raise FeedError(f"{what} is out of range") from exc
    if not math.isfinite(result):
        raise FeedError(f"{what} must be a finite number")
    return result


def json_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise FeedError(f"{what} must be a string, got {type(value).__name__}")
    return value


def json_obj(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FeedError(f"{what} must be an object, got {type(value).__name__}")
    return value


def json_list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise FeedError(f"{what} must be a list, got {type(value).__name__}")
    return value


_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|z|[+-]\d{2}:?\d{2})?"
)


def parse_iso_datetime(text: str, what: str, *, require_tz: bool = True) -> datetime:
    """ISO 8601 / CAP date-time -> aware UTC datetime."""
    text = text.strip()
    if not _ISO_DATETIME.fullmatch(text):
        raise FeedError(f"{what}: {text[:40]!r} is not an ISO 8601 date-time")
    # Python 3.11 takes "Z" and offsets, but at most 6 fraction digits
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise FeedError(f"{what}: {text[:40]!r} is not a valid date-time") from exc
    if value.tzinfo is None:
        if require_tz:
            raise FeedError(f"{what}: {text[:40]!r} has no time zone")
        value = value.replace(tzinfo=UTC)
    return to_utc(value, what)


def parse_rfc822_datetime(text: str, what: str) -> datetime:
    """RSS pubDate ("Sun, 29 Dec 2019 12:00:00 GMT") -> aware UTC datetime."""
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        raise FeedError(f"{what}: {text.strip()[:40]!r} is not an RFC 822 date") from exc
    if value.tzinfo is None:  # "-0000": UTC, local zone unknown
        value = value.replace(tzinfo=UTC)
    return to_utc(value, what)


def to_utc(value: datetime, what: str) -> datetime:
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise FeedError(f"{what}: date-time out of range") from exc


def datetime_from_epoch_ms(value: object, what: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FeedError(f"{what} must be epoch milliseconds, got {type(value).__name__}")
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise FeedError(f"{what}: {value!r} is out of range") from exc


def dedupe(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
