"""Three-way merge of a record edited on a field worker's device while offline (pure Python, no Django).

`base` is the record as the device last received it from the server, `device` what the worker has now,
`server` what the server has now. A field changed only on the device is applied; changed only on the server,
it is kept; changed on both sides to different values, it is a conflict: the server's value stays, the
device's is kept beside it and shown to a person, who chooses. Nothing is silently overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Conflict:
    field: str
    device: str
    server: str


@dataclass
class MergeResult:
    apply: dict[str, object] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)


def normalise(value: object) -> str:
    """Compare as text: None and "" are the same; surrounding and repeated spaces do not count."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def merge3(
    *,
    base: Mapping[str, object],
    device: Mapping[str, object],
    server: Mapping[str, object],
    fields: Iterable[str],
) -> MergeResult:
    result = MergeResult()
    for name in fields:
        if name not in device:
            continue
        b, d, s = normalise(base.get(name)), normalise(device[name]), normalise(server.get(name))
        if d in (b, s):
            continue  # not changed on the device, or both sides agree
        if s == b:
            result.apply[name] = device[name]
        else:
            result.conflicts.append(Conflict(field=name, device=d, server=s))
    return result
