"""Documents: checked by their bytes and size, stored with random names under MEDIA_ROOT, served only through a
scoped, audited view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from perisai.core.models import AuditEvent

from ..actions import document_path, sniff_document
from ..models import CaseDocument
from .conftest import CaseWorld
from .factories import case as new_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


def _upload(client: object, case: object, name: str, content: bytes, title: str = "Salinan paspor") -> object:
    return client.post(  # type: ignore[attr-defined]
        reverse("cases:document_add", kwargs={"public_id": case.public_id}),  # type: ignore[attr-defined]
        {"title": title, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def test_sniffing_by_content_not_name() -> None:
    assert sniff_document(PDF) == ("application/pdf", ".pdf")
    assert sniff_document(PNG) == ("image/png", ".png")
    assert sniff_document(b"\xff\xd8\xff\xe0" + b"\x00" * 12) == ("image/jpeg", ".jpg")
    assert sniff_document(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == ("image/webp", ".webp")
    assert sniff_document(b"RIFF\x10\x00\x00\x00WAVEfmt ") is None
    assert sniff_document(EXE) is None


def test_a_pdf_is_stored_privately_and_downloaded_only_in_scope_with_an_audit(
    cw: CaseWorld, _media: Path
) -> None:
    case = new_case(mission=cw.kl)
    officer = cw.client(cw.officer)
    _upload(officer, case, "paspor siti aminah.pdf", PDF)
    document = CaseDocument.objects.get()
    path = document_path(document)
    assert path.read_bytes() == PDF and path.is_relative_to(_media)
    assert "siti" not in str(path).lower() and path.suffix == ""
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    download = reverse("cases:document", kwargs={"public_id": case.public_id, "document_id": document.pk})
    response = officer.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert (
        response["Content-Disposition"].startswith("attachment")
        and case.code in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="case.document_open", actor=cw.officer).count() == 1
    assert cw.client(cw.other_officer).get(download).status_code == 404
    assert cw.client(cw.analyst).get(download).status_code == 403
    assert AuditEvent.objects.filter(action="case.document_open").count() == 1


def test_a_disguised_or_oversized_file_is_refused_and_nothing_is_left_on_disk(
    cw: CaseWorld, _media: Path
) -> None:
    case = new_case(mission=cw.kl)
    officer = cw.client(cw.officer)
    refused = _upload(officer, case, "paspor.pdf", EXE)
    assert "Only PDF, JPEG, PNG or WebP files can be added." in refused.content.decode()  # type: ignore[attr-defined]
    with override_settings(PERISAI_CASE_DOCUMENT_MAX_BYTES=1024):
        big = _upload(officer, case, "scan.png", PNG + b"\x00" * 4096)
    assert "too large" in big.content.decode()  # type: ignore[attr-defined]
    assert CaseDocument.objects.count() == 0
    assert not [p for p in _media.rglob("*") if p.is_file()]
