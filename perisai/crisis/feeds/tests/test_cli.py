import io
import json
from pathlib import Path

from perisai.crisis.feeds import JSON_KEYS, main

from .helpers import FIXTURES, shared_path


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_prints_json_lines() -> None:
    code, out, err = run(str(shared_path("usgs", "significant_month_2023-10.geojson")))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 18
    first = json.loads(lines[0])
    assert tuple(first) == JSON_KEYS
    assert first["event_id"] == "us6000len8" and first["sent"] == "2023-10-11T00:41:56.160Z"


def test_own_fixture_without_shared_data() -> None:
    code, out, _ = run(str(FIXTURES / "cap12_multilang.xml"))
    assert code == 0
    assert [json.loads(line)["countries"] for line in out.splitlines()] == [["SA"], ["SA"]]


def test_malformed_input_exits_2() -> None:
    code, out, err = run(str(shared_path("cap", "invalid.cap")))
    assert (code, out) == (2, "")
    assert err == "error: CAP alert is missing required element <scope>\n"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "nope.xml"))
    assert (code, out) == (2, "")
    assert err == f"error: file not found: {tmp_path / 'nope.xml'}\n"
    code, _, err = run(str(tmp_path))
    assert code == 2 and err.startswith("error: not a file")


def test_size_limit_and_usage(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 2 * 1024 * 1024)
    code, _, err = run(str(big), "--max-mb", "1")
    assert (code, err) == (2, "error: feed larger than 1 MB limit\n")
    code, _, err = run()
    assert code == 2 and err.startswith("error: the following arguments are required: file")


def test_area_mode() -> None:
    code, out, _ = run("--area", str(FIXTURES / "area_bekasi.kml"))
    assert code == 0 and json.loads(out)["type"] == "MultiPolygon"
    code, _, err = run("--area", str(FIXTURES / "cap11_gempa.xml"))
    assert code == 2 and err == "error: not a KML document (root element is not <kml>)\n"
