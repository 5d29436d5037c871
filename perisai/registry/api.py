"""The registry's JSON API (people search, person, import, export), mounted at /api/v1/registry.

Each operation declares its capability and calls the same selector or action as the officers' pages, so the
two cannot disagree; each is audited the same way (search, view, export, import).

No `from __future__ import annotations` here: django-ninja reads the annotations (Query[...], uuid.UUID) at
import time to build the operations and the OpenAPI schema.
"""

import datetime as dt
import tempfile
import uuid
from pathlib import Path
from typing import Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError

from perisai.core import crypto
from perisai.core.api_auth import capability
from perisai.core.models import User
from perisai.core.roles import Cap

from . import exports, imports, search
from .models import VULNERABILITY_LABELS, Person, PersonStatus
from .selectors import access_person_by_id

router = Router(tags=["registry"])


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class PersonSummaryOut(Schema):
    public_id: uuid.UUID
    full_name: str
    birth_year: int | None
    country: str
    city: str
    mission: str | None = Field(description="Code of the responsible mission")
    status: str
    score: int = Field(description="100 for an exact NIK, passport or phone match; else name similarity")


class SearchOut(Schema):
    kind: Literal["empty", "nik", "passport", "phone", "name"]
    results: list[PersonSummaryOut]


class SearchQuery(Schema):
    q: str = Field("", max_length=100, description="A name (misspellings welcome), NIK, passport or phone")
    limit: int = Field(25, ge=1, le=100)


@router.get(
    "/people",
    response=SearchOut,
    operation_id="person_search",
    summary="Find people in your jurisdiction by name, NIK, passport or phone",
)
@capability(Cap.PERSON_VIEW)
def person_search(request: HttpRequest, filters: Query[SearchQuery]) -> SearchOut:
    result = search.search_people(user=_user(request), text=filters.q, limit=filters.limit)
    return SearchOut(
        kind=result.kind,
        results=[
            PersonSummaryOut(
                public_id=hit.person.public_id,
                full_name=hit.person.full_name,
                birth_year=hit.person.birth_date.year if hit.person.birth_date else None,
                country=hit.person.country_id,
                city=hit.person.city_name,
                mission=hit.person.mission.code if hit.person.mission else None,
                status=hit.person.status,
                score=hit.score,
            )
            for hit in result.hits
        ],
    )


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "hxl"] = "csv"
    status: str = Field(PersonStatus.ACTIVE.value, max_length=16, description='A status, or "" for any')
    country: str = Field("", max_length=2)
    mission: str = Field("", max_length=64, description="Mission code")
    sector: str = Field("", max_length=24)


@router.get(
    "/people/export",
    operation_id="person_export",
    summary="Export the people in your jurisdiction (CSV, XLSX or HXL); never NIK, passport or immigration status",
)
@capability(Cap.PERSON_EXPORT)
def person_export(request: HttpRequest, filters: Query[ExportQuery]) -> HttpResponseBase:
    if filters.status and filters.status not in PersonStatus.values:
        raise HttpError(422, "unknown status")
    export = exports.do_export_people(
        user=_user(request),
        filters=exports.ExportFilters(
            status=filters.status, country=filters.country, mission=filters.mission, sector=filters.sector
        ),
        fmt=filters.format,
    )
    return exports.http_response(export)


class ConsentOut(Schema):
    purpose: str
    granted: bool
    granted_at: dt.datetime
    revoked_at: dt.datetime | None


class PersonOut(Schema):
    public_id: uuid.UUID
    full_name: str
    sex: str
    birth_date: dt.date | None
    nik: str
    passport_number: str
    passport_expiry: dt.date | None
    phone: str
    whatsapp: str
    telegram: str
    email: str
    country: str
    city: str
    address: str
    lat: float | None
    lon: float | None
    status: str
    mission: str | None
    purpose: str
    sector: str
    employer: str
    agency: str
    home_village: str | None = Field(description="Kemendagri village code")
    vulnerabilities: list[str]
    household: uuid.UUID | None
    consents: list[ConsentOut]
    merged_into: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime


@router.get(
    "/people/{uuid:public_id}",
    response=PersonOut,
    operation_id="person_get",
    summary="One person's record (the opening is audited); immigration status is never included",
)
@capability(Cap.PERSON_VIEW)
def person_get(request: HttpRequest, public_id: uuid.UUID) -> PersonOut:
    person = access_person_by_id(user=_user(request), public_id=public_id)
    merged_into = (
        Person.objects.filter(pk=person.merged_into_id).values_list("public_id", flat=True).first()
        if person.merged_into_id
        else None
    )
    return PersonOut(
        public_id=person.public_id,
        full_name=person.full_name,
        sex=person.sex,
        birth_date=person.birth_date,
        nik=crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else "",
        passport_number=crypto.decrypt(person.passport_encrypted) if person.passport_encrypted else "",
        passport_expiry=person.passport_expiry,
        phone=person.phone,
        whatsapp=person.whatsapp,
        telegram=person.telegram,
        email=person.email,
        country=person.country_id,
        city=person.city_name,
        address=person.address,
        lat=person.lat,
        lon=person.lon,
        status=person.status,
        mission=person.mission.code if person.mission else None,
        purpose=person.purpose,
        sector=person.sector,
        employer=person.employer,
        agency=person.agency,
        home_village=person.home_village_id,
        vulnerabilities=[
            flag.name.lower() for flag in VULNERABILITY_LABELS if person.has(flag) and flag.name
        ],
        household=person.household.public_id if person.household else None,
        consents=[
            ConsentOut(purpose=c.purpose, granted=c.granted, granted_at=c.granted_at, revoked_at=c.revoked_at)
            for c in person.consents.order_by("purpose")
        ],
        merged_into=merged_into,
        created_at=person.created_at,
        updated_at=person.updated_at,
    )


class ImportRowOut(Schema):
    line: int
    outcome: Literal["created", "updated", "unchanged", "skipped"]
    person: str
    fields: list[str]
    messages: list[str]


class ImportOut(Schema):
    import_id: str
    dry_run: bool
    header_line: int
    columns: dict[str, str] = Field(description="Column header -> field imported (empty when ignored)")
    counts: dict[str, int]
    total: int
    summary: str
    rows: list[ImportRowOut]


@router.post(
    "/people/import",
    response=ImportOut,
    operation_id="person_import",
    summary="Import people from a CSV or XLSX file (dry_run=true previews without saving)",
)
@capability(Cap.PERSON_IMPORT)
def person_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    country: Form[str] = "",
    encoding: Form[str] = "",
    mapping: Form[str] = "",
) -> ImportOut:
    """Runs in the request: for very large files use the officers' page (task queue) or the command."""
    import json

    if encoding not in imports.ENCODINGS:
        raise HttpError(422, "unknown encoding")
    suffix = Path(file.name or "").suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="perisai-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            table = imports.open_table(path, encoding=encoding)
            columns = imports.guess_mapping(table.header)
            if mapping:
                try:
                    overrides = json.loads(mapping)
                except ValueError as exc:
                    raise imports.ImportFileError("mapping is not valid JSON") from exc
                if not isinstance(overrides, dict):
                    raise imports.ImportFileError("mapping must be a JSON object")
                columns = imports.apply_mapping_overrides(table.header, columns, overrides)
            report = imports.do_import_people(
                table=table, actor=_user(request), mapping=columns, default_country=country, dry_run=dry_run
            )
        except imports.ImportFileError as exc:
            raise HttpError(400, str(exc)) from exc
    return ImportOut(**report.as_dict())
