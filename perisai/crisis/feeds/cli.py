"""``perisai crisis parse-feed FILE``: print a feed's normalised events as JSON lines."""

import argparse
import json
import os
from typing import NoReturn, TextIO

from .area import parse_area_upload
from .base import DEFAULT_MAX_BYTES, describe_size
from .errors import FeedError
from .events import event_to_json
from .registry import parse_feed

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _UsageError(Exception):
    pass


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _read_limited(path: str, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes, so an enormous file is refused without loading it."""
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FeedError(f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise FeedError(f"not a file: {path}") from exc
    except OSError as exc:
        raise FeedError(f"cannot read {path}: {exc.strerror or exc}") from exc


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Exit 0 with one JSON object per line on stdout; 2 with "error: <message>" on stderr."""
    parser = _ArgumentParser(prog="perisai crisis parse-feed", description=__doc__)
    parser.add_argument("file", help="a CAP, GDACS RSS, USGS GeoJSON or ReliefWeb JSON file")
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / (1024 * 1024),
        help="refuse files larger than this (default 10)",
    )
    parser.add_argument(
        "--area",
        action="store_true",
        help="read the file as an uploaded crisis area (KML, KMZ, GeoJSON) instead",
    )
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        stderr.write(f"error: {exc}\n{parser.format_usage()}")
        return EXIT_BAD_INPUT
    max_bytes = int(args.max_mb * 1024 * 1024)
    if max_bytes <= 0:
        stderr.write("error: --max-mb must be positive\n")
        return EXIT_BAD_INPUT
    try:
        if os.path.isfile(args.file) and os.path.getsize(args.file) > max_bytes:
            what = "area file" if args.area else "feed"
            raise FeedError(f"{what} larger than {describe_size(max_bytes)} limit")
        data = _read_limited(args.file, max_bytes)
        if args.area:
            stdout.write(json.dumps(parse_area_upload(data, args.file, max_bytes=max_bytes)) + "\n")
            return EXIT_OK
        events = parse_feed(data, max_bytes=max_bytes)
    except FeedError as exc:
        stderr.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    for event in events:
        stdout.write(json.dumps(event_to_json(event)) + "\n")
    return EXIT_OK
