"""Printable documents (fpdf2): an assessment profile, a one-page local migration profile, certificates.

Font: DejaVu Sans from Debian's fonts-dejavu-core (/usr/share/fonts/truetype/dejavu), which covers
Indonesian and every Latin accent; without it, fpdf2's core Helvetica is used and characters outside
Latin-1 are replaced (`FONT_NAME` says which one a document used).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Participant, Training
from .selectors import AssessmentResult, RegionProfile, TableView

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU = DEJAVU_DIR / "DejaVuSans.ttf"
DEJAVU_BOLD = DEJAVU_DIR / "DejaVuSans-Bold.ttf"
DASH = "\u2013"
HIDDEN = "\u00d7"
FONT_NAME = "DejaVu" if DEJAVU.exists() and DEJAVU_BOLD.exists() else "helvetica"


class Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        if FONT_NAME == "DejaVu":
            self.add_font("DejaVu", "", str(DEJAVU))
            self.add_font("DejaVu", "B", str(DEJAVU_BOLD))
        self.set_title(title)
        self.set_creator("Perisai")

    def text_safe(self, text: str) -> str:
        if FONT_NAME == "DejaVu":
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_NAME, "", 7)
        self.set_text_color(90)
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        self.cell(0, 5, self.text_safe(f"Perisai · {self.doc_title} · {stamp} · {self.page_no()}"), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font(FONT_NAME, "B", size)
        self.multi_cell(0, size * 0.5, self.text_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, size: int = 9, bold: bool = False) -> None:
        self.set_font(FONT_NAME, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.text_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(
        self, cells: Sequence[str], widths: Sequence[float], *, bold: bool = False, size: int = 8
    ) -> None:
        self.set_font(FONT_NAME, "B" if bold else "", size)
        height = size * 0.55
        for text, width in zip(cells, widths, strict=True):
            self.cell(width, height, self.text_safe(text)[:90], border="B")
        self.ln(height)


def _n(value: int | None) -> str:
    """A published count; \u00d7 when not published (hidden, or fewer than 5 including none)."""
    return HIDDEN if not value else f"{value:,}".replace(",", ".")


def assessment_pdf(result: AssessmentResult, place: str) -> bytes:
    a = result.assessment
    doc = Document(_("Assessment profile"))
    doc.add_page()
    doc.heading(str(a.framework))
    doc.para(f"{place} · {a.as_of:%Y-%m-%d} · {a.get_status_display()}", size=10, bold=True)
    if a.source:
        doc.para(_("Source: %(source)s") % {"source": a.source})
    doc.ln(2)
    if result.scored:
        doc.row([_("Domain"), _("Score"), _("Band")], [110, 25, 45], bold=True)
        for block in result.blocks:
            doc.row(
                [
                    f"{block.domain.code}. {block.domain.tr('name')}",
                    f"{block.score.percent}%" if block.score.percent is not None else DASH,
                    block.band_label,
                ],
                [110, 25, 45],
            )
        if result.overall_percent is not None:
            doc.row(
                [_("Overall"), f"{result.overall_percent}%", result.overall_band_label],
                [110, 25, 45],
                bold=True,
            )
        doc.ln(3)
    for title, indicators in (
        (_("Well-developed areas"), result.well_developed),
        (_("Areas with potential for development"), result.potential),
        (_("Not yet assessed"), result.not_assessed),
    ):
        doc.para(title, size=11, bold=True)
        if not indicators:
            doc.para("\u2013")
        for indicator in indicators:
            doc.para(f"{indicator.code}  {indicator.tr('question')}")
        doc.ln(2)
    return bytes(doc.output())


def _table_lines(table: TableView, limit: int = 8) -> list[tuple[str, str]]:
    return [(row.label, _n(row.n)) for row in table.rows[:limit]]


def region_profile_pdf(profile: RegionProfile) -> bytes:
    """One page for a regent's office: the figures, the plan lines by GCM objective, trainings."""
    doc = Document(_("Local migration profile"))
    doc.set_auto_page_break(auto=False)
    doc.add_page()
    doc.heading(_("Migration profile: %(place)s") % {"place": profile.label}, size=14)
    if profile.release is None:
        doc.para(_("No statistics have been published yet."))
    else:
        doc.para(
            _(
                "Figures published on %(date)s. Aggregates only: groups under 5 are neither shown nor listed (%(mark)s)."
            )
            % {"date": profile.release.created_at.date().isoformat(), "mark": HIDDEN},
            size=7,
        )
    total = profile.tables["people_abroad"].total
    returned = profile.tables["returnees_by_sex"].total
    doc.ln(1)
    doc.row([_("People abroad"), _("Returned home"), _("Women abroad")], [60, 60, 60], bold=True, size=9)
    women = next((r.n for r in profile.tables["people_abroad_by_sex"].rows if r.category == "F"), None)
    doc.row(
        [_n(total.n if total else None), _n(returned.n if returned else None), _n(women)],
        [60, 60, 60],
        size=11,
    )
    doc.ln(2)
    y = doc.get_y()
    doc.para(_("Where they are"), size=10, bold=True)
    for label, value in _table_lines(profile.tables["people_abroad_by_country"]):
        doc.row([label, value], [60, 25])
    left_end = doc.get_y()
    doc.set_xy(110, y)
    doc.set_font(FONT_NAME, "B", 10)
    doc.cell(0, 5, doc.text_safe(_("Sectors of work")), new_x=XPos.LEFT, new_y=YPos.NEXT)
    for label, value in _table_lines(profile.tables["people_abroad_by_sector"]):
        doc.set_x(110)
        doc.row([label, value], [60, 25])
    doc.set_y(max(left_end, doc.get_y()) + 3)
    cases = profile.tables["cases_by_type"]
    doc.para(_("Cases"), size=10, bold=True)
    if not cases.connected:
        doc.para(_("Not connected yet."), size=8)
    else:
        for label, value in _table_lines(cases, 6):
            doc.row([label, value], [60, 25])
    doc.ln(2)
    doc.para(_("Plan and budget lines tagged to migration"), size=10, bold=True)
    if not profile.plan_by_objective:
        doc.para(_("None recorded."), size=8)
    for objective, amount in profile.plan_by_objective[:8]:
        doc.row(
            [f"GCM {objective.number}. {objective.tr('title')}"[:80], f"Rp {amount:,.0f}".replace(",", ".")],
            [140, 40],
        )
    doc.ln(2)
    doc.para(_("Trainings"), size=10, bold=True)
    if not profile.trainings:
        doc.para(_("None recorded."), size=8)
    for training in profile.trainings[:5]:
        doc.row([f"{training.start_date:%Y-%m-%d}", training.title[:70]], [25, 155])
    return bytes(doc.output())


def certificate_pdf(training: Training, participant: Participant) -> bytes:
    doc = Document(_("Certificate"))
    doc.add_page(orientation="L")
    doc.ln(25)
    doc.set_font(FONT_NAME, "B", 26)
    doc.cell(
        0,
        14,
        doc.text_safe(_("Certificate of participation")),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    doc.ln(6)
    doc.set_font(FONT_NAME, "", 13)
    doc.cell(0, 8, doc.text_safe(_("This certifies that")), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FONT_NAME, "B", 22)
    doc.cell(0, 14, doc.text_safe(participant.full_name), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FONT_NAME, "", 13)
    institution = str(participant.institution) if participant.institution else participant.institution_name
    if institution:
        doc.cell(0, 8, doc.text_safe(institution), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(4)
    doc.cell(0, 8, doc.text_safe(_("took part in")), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FONT_NAME, "B", 16)
    doc.multi_cell(0, 9, doc.text_safe(training.title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FONT_NAME, "", 12)
    dates = (
        f"{training.start_date:%Y-%m-%d}"
        if training.start_date == training.end_date
        else f"{training.start_date:%Y-%m-%d} \u2013 {training.end_date:%Y-%m-%d}"
    )
    where = training.region.name if training.region else training.get_mode_display()
    doc.cell(0, 8, doc.text_safe(f"{dates} · {where}"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(10)
    doc.set_font(FONT_NAME, "", 9)
    doc.cell(
        0,
        6,
        doc.text_safe(_("Certificate number: %(number)s") % {"number": participant.certificate_number}),
        align="C",
    )
    return bytes(doc.output())
