"""Printable documents (fpdf2): a contingency plan (Indonesian or English), a leg's manifest (bilingual, a QR
code per entry) and the after-action report (Indonesian or English).

Font: DejaVu Sans from Debian's fonts-dejavu-core (/usr/share/fonts/truetype/dejavu) when present (it covers
Indonesian and every accent in foreign names); otherwise fpdf2's core Helvetica, and characters outside
Latin-1 are replaced. ``FONT_NAME`` says which one is in use.

QR codes are drawn as vector rectangles from the code's module matrix (runs of dark modules merged), which
is several times faster than embedding a PNG per entry (docs/benchmarks-evacuation-ops.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .readiness import Check, call_tree
from .sections import SECTIONS, display_value, field_label

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU = DEJAVU_DIR / "DejaVuSans.ttf"
DEJAVU_BOLD = DEJAVU_DIR / "DejaVuSans-Bold.ttf"
FONT_NAME = "DejaVu" if DEJAVU.exists() and DEJAVU_BOLD.exists() else "helvetica"


class Document(FPDF):
    def __init__(self, title: str, *, landscape: bool = False, footer_note: str = "") -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.doc_title = title
        self.footer_note = footer_note
        self.texts: list[str] = []  # everything written, for tests and checks
        self.stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=14)
        if FONT_NAME == "DejaVu":
            self.add_font("DejaVu", "", str(DEJAVU))
            self.add_font("DejaVu", "B", str(DEJAVU_BOLD))
        self.set_title(title)
        self.set_creator("Perisai")

    def safe(self, text: object) -> str:
        value = "" if text is None else str(text)
        self.texts.append(value)
        if FONT_NAME == "DejaVu":
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT_NAME, "", 7)
        self.set_text_color(90)
        parts = ["Perisai", self.doc_title, self.footer_note, self.stamp, str(self.page_no())]
        self.cell(0, 4, self.safe(" · ".join(p for p in parts if p)), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font(FONT_NAME, "B", size)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: int = 9, bold: bool = False) -> None:
        if not text:
            return
        self.set_font(FONT_NAME, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fit(self, text: str, width: float) -> str:
        text = self.safe(text)
        if self.get_string_width(text) <= width - 1:
            return text
        while text and self.get_string_width(text + "…") > width - 1:
            text = text[:-1]
        return text + "…"

    def row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        bold: bool = False,
        size: int = 8,
        height: float | None = None,
    ) -> None:
        self.set_font(FONT_NAME, "B" if bold else "", size)
        h = height or size * 0.55
        if self.get_y() + h > self.page_break_trigger:
            self.add_page()
        for text, width in zip(cells, widths, strict=True):
            self.cell(width, h, self.fit(text, width), border="B")
        self.ln(h)

    def grid_table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        self.row(header, widths, bold=True)
        for r in rows:
            self.row(r, widths)
        self.ln(2)

    def qr(self, data: str, x: float, y: float, size: float) -> None:
        """A QR code as vector rectangles, one per horizontal run of dark modules, written as one path."""
        matrix = qr_matrix(data)
        module = size / len(matrix)
        k, top = self.k, self.h
        parts = []
        for r, line in enumerate(matrix):
            start = None
            for c, dark in enumerate([*line, False]):
                if dark and start is None:
                    start = c
                elif not dark and start is not None:
                    parts.append(
                        f"{(x + start * module) * k:.2f} {(top - y - r * module) * k:.2f} "
                        f"{(c - start) * module * k:.2f} {-module * k:.2f} re"
                    )
                    start = None
        # In its own graphics state, so the black fill does not leak into the text that follows.
        self._out("q 0 g " + " ".join(parts) + " f Q")


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of a QR code (error correction M). The mask is fixed rather than chosen by scoring all
    eight, which is most of the cost of making a code; any mask gives a valid, readable code."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()  # type: ignore[no-any-return]


def _n(value: object) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return "" if value is None else str(value)


def _duration(value: dt.timedelta | None) -> str:
    if value is None:
        return _("not reached")
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return _("%(d)d days %(h)d h") % {"d": hours // 24, "h": hours % 24}


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


# ---- the contingency plan --------------------------------------------------------------------------


def plan_pdf(content: dict[str, Any], **kwargs: Any) -> bytes:
    return bytes(build_plan(content, **kwargs).output())


def build_plan(
    content: dict[str, Any],
    *,
    version: int | None,
    published_at: dt.datetime | None,
    checks: list[Check],
    language: str,
) -> Document:
    with override(language):
        plan = content["plan"]
        from .models import Scenario

        label = _("Version %(n)d") % {"n": version} if version else _("Draft (not published)")
        doc = Document(_("Contingency plan"), footer_note=label)
        doc.add_page()
        doc.heading(_("Contingency plan"), 16)
        doc.para(plan["title"], 12, bold=True)
        doc.para(
            f"{plan['mission_name']} · {dict(Scenario.choices).get(plan['scenario'], plan['scenario'])} · {label}"
            + (f" · {_('published')} {_when(published_at)}" if published_at else ""),
            9,
        )
        doc.para(_("Maximum distance to an assembly point: %(km)s km") % {"km": plan["max_distance_km"]})
        if plan.get("assumptions"):
            doc.ln(2)
            doc.para(_("Scenario and assumptions"), 10, bold=True)
            doc.para(plan["assumptions"])
        doc.ln(3)
        doc.heading(_("Readiness checklist"), 12)
        marks = {"ok": _("ready"), "missing": _("missing"), "stale": _("stale"), "warning": _("check")}
        for c in checks:
            doc.para(f"[{marks.get(c.status, c.status)}] {c.message}")
        for section in SECTIONS:
            items = content.get(section.key, [])
            doc.ln(3)
            doc.heading(str(section.label), 12)
            if not items:
                doc.para(_("Nothing recorded."))
                continue
            if section.key == "roles":
                for depth, role in call_tree(items):
                    line = f"{role['title']}: {role['holder_name']} {role['phone']}"
                    if role.get("deputy_name"):
                        line += f" ({_('deputy')}: {role['deputy_name']} {role.get('deputy_phone', '')})"
                    doc.set_x(doc.l_margin + 6 * depth)
                    doc.para(("↳ " if depth else "") + line)
                continue
            for item in items:
                parts = []
                for name in section.fields:
                    text = display_value(section, name, item.get(name), content)
                    if text:
                        parts.append(f"{field_label(section, name)}: {text}")
                parts.append(f"{_('last checked')}: {item.get('checked_on', '')}")
                doc.para(" · ".join(parts))
                doc.ln(1)
        return doc


# ---- manifests -------------------------------------------------------------------------------------


def both(text: Callable[[], str] | str) -> str:
    """Indonesian / English (once when they are the same)."""
    with override("id"):
        first = text() if callable(text) else _(text)
    with override("en"):
        second = text() if callable(text) else _(text)
    return first if first == second else f"{first} / {second}"


def build_manifest(*, leg: Any, manifest: Any, rows: Sequence[Any], exercise: bool) -> Document:
    """A leg's passenger list, bilingual, landscape, a QR code in each entry (the boarding phone scans it)."""
    title = both(lambda: _("Passenger manifest"))
    note = both(lambda: _("EXERCISE")) if exercise else ""
    doc = Document(title, landscape=True, footer_note=note)
    doc.add_page()
    doc.heading(title + (f" — {note}" if note else ""), 14)
    doc.para(
        f"{leg.label} · {leg.get_mode_display()} · {leg.site.name} → {leg.destination} · "
        f"{both(lambda: _('departs'))} {_when(leg.departs_at)} · {both(lambda: _('seats'))} {leg.seats}",
        9,
        bold=True,
    )
    doc.para(
        f"{both(lambda: _('Issue'))} {manifest.number} · {_when(manifest.issued_at)} · "
        f"{both(lambda: _('people'))} {len(rows)} · {both(lambda: _('added'))} {manifest.added} · "
        f"{both(lambda: _('removed'))} {manifest.removed}",
        8,
    )
    doc.ln(2)
    widths = (8, 15, 52, 8, 19, 9, 30, 44, 26, 34, 9, 10, 9)
    header = [
        "#",
        "QR",
        both(lambda: _("Name")),
        both(lambda: _("Sex")),
        both(lambda: _("Born")),
        both(lambda: _("Nat.")),
        both(lambda: _("Eligibility")),
        both(lambda: _("Travel document")),
        both(lambda: _("Consent")),
        both(lambda: _("Health")),
        "P",
        both(lambda: _("HH")),
        "✓" if FONT_NAME == "DejaVu" else "x",
    ]
    doc.row(header, widths, bold=True, size=7)
    labels = _choice_labels()
    height = 14.0
    for r in rows:
        if doc.get_y() + height > doc.page_break_trigger:
            doc.add_page()
            doc.row(header, widths, bold=True, size=7)
        y = doc.get_y()
        doc.qr(r.token, doc.l_margin + widths[0] + 1, y + 1, 12)
        cells = [
            str(r.number),
            "",
            r.name,
            r.sex,
            r.birth_date.isoformat() if r.birth_date else "",
            r.nationality,
            labels["eligibility"].get(r.evacuee.eligibility, r.eligibility),
            f"{labels['document_type'].get(r.evacuee.document_type, r.document_type)} {r.document_number}".strip(),
            labels["consent"].get(r.evacuee.consent, r.consent),
            labels["health"].get(r.evacuee.health, r.health),
            str(r.priority),
            r.household,
            ("✓" if FONT_NAME == "DejaVu" else "x") if r.boarded else "",
        ]
        doc.set_font(FONT_NAME, "", 7)
        for text, width in zip(cells, widths, strict=True):
            doc.cell(width, height, doc.fit(text, width), border="B")
        doc.ln(height)
    doc.ln(3)
    doc.para(
        both(
            lambda: _(
                "P: priority (4 unaccompanied child, 3 sick or injured, 2 pregnant, 1 elderly or disabled)."
            )
        )
        + " "
        + both(lambda: _("HH: people with the same letter travel together.")),
        7,
    )
    doc.ln(6)
    doc.para(both(lambda: _("Checked by (name, signature)")) + ": ______________________", 8)
    return doc


def manifest_pdf(*, leg: Any, manifest: Any, rows: Sequence[Any], exercise: bool) -> bytes:
    return bytes(build_manifest(leg=leg, manifest=manifest, rows=rows, exercise=exercise).output())


def _choice_labels() -> dict[str, dict[str, str]]:
    from .models import Consent, DocumentType, Eligibility, Health

    out: dict[str, dict[str, str]] = {}
    for key, choices in (
        ("eligibility", Eligibility),
        ("document_type", DocumentType),
        ("consent", Consent),
        ("health", Health),
    ):
        labels: dict[str, str] = {}
        for value, label in choices.choices:
            labels[value] = both(lambda label=label: str(label))  # type: ignore[misc]
        out[key] = labels
    return out


# ---- the after-action report -----------------------------------------------------------------------


def build_after_action(report: Any, *, language: str) -> Document:
    with override(language):
        op = report.operation
        crisis = report.crisis
        title = _("After-action report")
        doc = Document(title, footer_note=_("EXERCISE") if op.exercise else "")
        doc.add_page()
        doc.heading(title + (f" — {_('EXERCISE')}" if op.exercise else ""), 16)
        doc.para(crisis.title, 12, bold=True)
        doc.para(
            f"{op.mission.name} · {crisis.get_type_display()} · {crisis.country} · "
            f"{_('declared')} {_when(crisis.declared_at or crisis.created_at)}"
            + (f" · {_('closed')} {_when(op.closed_at)}" if op.closed_at else ""),
            9,
        )
        doc.ln(2)
        doc.heading(_("Summary"), 12)
        doc.grid_table(
            [_("Measure"), _("Number")],
            [
                [_("People the crisis had to account for"), _n(report.roster)],
                [_("Accounted for"), _n(report.accounted)],
                [_("People considered for evacuation"), _n(report.evacuees)],
                [_("People moved"), _n(report.moved)],
                [_("Legs"), _n(len(report.legs))],
                [_("Reintegration cases opened"), _n(report.cases)],
            ],
            (130, 50),
        )
        doc.heading(_("Time to account for people"), 12)
        doc.para(
            _("From the first approved alert (or the declaration) to the first report on each person."), 8
        )
        doc.grid_table(
            [_("Share of the people"), _("Time")],
            [[f"{int(share * 100)}%", _duration(value)] for share, value in report.time_to_account],
            (90, 90),
        )
        doc.heading(_("People moved per leg"), 12)
        doc.grid_table(
            [_("Leg"), _("Mode"), _("From"), _("To"), _("Departed"), _("Seats"), _("Evacuated")],
            [
                [
                    leg["label"],
                    leg["mode"],
                    leg["from"],
                    leg["to"],
                    _when(leg["departs"]),
                    _n(leg["seats"]),
                    _n(leg["boarded"]),
                ]
                for leg in report.legs
            ],
            (32, 24, 32, 34, 28, 14, 22),
        )
        doc.heading(_("People who stayed, and why"), 12)
        doc.grid_table(
            [_("Reason"), _("People")],
            [[r["reason"], "<5" if r["suppressed"] else _n(r["n"])] for r in report.stayed]
            or [[_("Nobody"), "0"]],
            (130, 50),
        )
        doc.heading(_("Foreign nationals assisted"), 12)
        doc.grid_table(
            [_("Country"), _("People")],
            [[r["country"], "<5" if r["suppressed"] else _n(r["n"])] for r in report.foreign]
            or [[_("None"), "0"]],
            (130, 50),
        )
        doc.heading(_("Handed over to home provinces"), 12)
        doc.grid_table(
            [_("Province"), _("People")],
            [[r["region"], "<5" if r["suppressed"] else _n(r["n"])] for r in report.handed_over]
            or [[_("None"), "0"]],
            (130, 50),
        )
        doc.para(_("Counts under 5 are shown as <5 so that no one can be singled out."), 7)
        doc.ln(2)
        doc.heading(_("Costs"), 12)
        doc.grid_table(
            [_("Category"), _("Description"), _("Amount")],
            [[c["category"], c["description"], f"{c['currency']} {c['amount']:,.2f}"] for c in report.costs]
            + [[_("Total"), "", f"{cur} {total:,.2f}"] for cur, total in report.cost_totals.items()],
            (40, 95, 45),
        )
        doc.heading(_("Lessons learned"), 12)
        if not report.lessons:
            doc.para(_("None recorded."))
        for lesson in report.lessons:
            doc.para(f"{lesson.get_kind_display()}: {lesson.text}", 9, bold=False)
            if lesson.recommendation:
                doc.para(f"{_('Recommendation')}: {lesson.recommendation}", 8)
            doc.ln(1)
        if report.steps:
            doc.ln(2)
            doc.heading(_("Exercise: how long each step took"), 12)
            doc.grid_table(
                [_("Step"), _("At"), _("Took"), _("Since start")],
                [
                    [
                        s.label,
                        _when(s.at),
                        _duration(s.took) if s.at else "—",
                        _duration(s.since_start) if s.at else "—",
                    ]
                    for s in report.steps
                ],
                (70, 40, 35, 35),
            )
        doc.ln(2)
        doc.heading(_("Timeline"), 12)
        doc.grid_table([_("When"), _("What")], [[_when(at), text] for at, text in report.timeline], (35, 145))
        return doc


def after_action_pdf(report: Any, *, language: str) -> bytes:
    return bytes(build_after_action(report, language=language).output())
