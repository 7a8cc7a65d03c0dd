"""The house layout of the unit's printed documents: A4, a letterhead on the first page, a
running header after it, and on every page the footer "Prepared by the delivery unit on <date>"
with "Page n of N". Styles and small building blocks shared by the memo and the follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from delivery.i18n import _
from delivery.palette import GRID, INK, MUTED, STATUS_COLOURS, TEXT
from delivery.status import format_date
from delivery.vocabulary import Status

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 22 * mm, 20 * mm
FRAME_PADDING = 6  # reportlab's default frame padding, each side
WIDTH = PAGE_W - 2 * MARGIN_X - 2 * FRAME_PADDING  # the text column
RULE = HexColor("#d0d7de")
SHADE = HexColor("#f6f8fa")


def _style(name: str, **kw: object) -> ParagraphStyle:
    base = {"fontName": "Helvetica", "fontSize": 9.5, "leading": 13.5,
            "textColor": HexColor(TEXT)}
    base.update(kw)
    return ParagraphStyle(name, **base)  # type: ignore[arg-type]


STYLES = {
    "body": _style("body", spaceAfter=5),
    "issuer": _style("issuer", fontName="Helvetica-Bold", fontSize=8.5, leading=11,
                     textColor=HexColor(INK)),
    "kind": _style("kind", fontSize=9, leading=12, textColor=HexColor(MUTED), spaceBefore=10),
    "title": _style("title", fontName="Helvetica-Bold", fontSize=19, leading=23,
                    textColor=HexColor(INK), spaceAfter=8),
    "h1": _style("h1", fontName="Helvetica-Bold", fontSize=12.5, leading=16,
                 textColor=HexColor(INK), spaceBefore=14, spaceAfter=4),
    "h2": _style("h2", fontName="Helvetica-Bold", fontSize=10.5, leading=14,
                 textColor=HexColor(INK)),
    "label": _style("label", fontName="Helvetica-Bold", fontSize=7.2, leading=9,
                    textColor=HexColor(MUTED)),
    "label_right": _style("label_right", fontName="Helvetica-Bold", fontSize=7.2, leading=9,
                          textColor=HexColor(MUTED), alignment=TA_RIGHT),
    "tile": _style("tile", fontName="Helvetica-Bold", fontSize=18, leading=21),
    "small": _style("small", fontSize=8, leading=10.5, textColor=HexColor(MUTED)),
    "cell": _style("cell", fontSize=8.5, leading=11),
    "cell_right": _style("cell_right", fontSize=8.5, leading=11, alignment=TA_RIGHT),
    "figure": _style("figure", fontName="Helvetica-Bold", fontSize=13, leading=16),
    "note": _style("note", fontName="Helvetica-Oblique", fontSize=9, leading=12.5,
                   textColor=HexColor(MUTED)),
}


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: titles and notes are typed by people)."""
    return Paragraph(escape(text), STYLES[style])


def markup(text: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup built here (callers escape what they interpolate)."""
    return Paragraph(text, STYLES[style])


def section(title: str) -> list[Flowable]:
    """A section heading with its rule, kept on the page of what follows it."""
    heading = markup(escape(title), "h1")
    rule = HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=0, spaceAfter=6)
    heading.keepWithNext = rule.keepWithNext = True  # type: ignore[attr-defined]
    return [heading, rule]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 commitment``, ``3 commitments``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def status_pill(status: str, width: float = 26 * mm) -> Table:
    """The status word on its colour, as on the screens."""
    value = Status(status)
    label = _style("pill", fontName="Helvetica-Bold", fontSize=7.5, leading=9,
                   textColor=white, alignment=1)
    pill = Table([[Paragraph(value.label.upper(), label)]], colWidths=[width])
    pill.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(STATUS_COLOURS[value])),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ROUNDEDCORNERS", [2, 2, 2, 2])]))
    return pill


def status_text(status: str) -> str:
    """Markup: the status word in its colour (colour never carries meaning alone)."""
    value = Status(status)
    return f'<font color="{STATUS_COLOURS[value]}"><b>{value.label}</b></font>'


def facts(rows: Sequence[tuple[str, str]], label_width: float = 30 * mm) -> Table:
    """Label and value lines (the meeting's particulars); values are plain text."""
    table = Table([[para(label.upper(), "label"), para(value, "cell")] for label, value in rows],
                  colWidths=[label_width, WIDTH - label_width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (0, -1), 3.5)]))
    return table


def grid(header: Sequence[str], rows: Sequence[Sequence[Flowable | str]],
         widths: Sequence[float], *, right: Sequence[int] = ()) -> Table:
    """A ruled table: a small bold header, hairlines between rows, no boxes."""
    head = [para(h.upper(), "label") for h in header]
    body = [[cell if isinstance(cell, Flowable) else
             para(str(cell), "cell_right" if i in right else "cell")
             for i, cell in enumerate(row)] for row in rows]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(INK)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, HexColor(GRID)),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return table


def letterhead(issuer: str, kind: str, title: str, particulars: Sequence[tuple[str, str]]
               ) -> list[Flowable]:
    return [para(issuer.upper(), "issuer"),
            HRFlowable(width="100%", thickness=2, color=HexColor(INK), spaceBefore=3,
                       spaceAfter=0),
            para(kind.upper(), "kind"), para(title, "title"), facts(particulars),
            Spacer(1, 4)]


def render(story: list[Flowable], *, kind: str, title: str, held_on: date,
           prepared_on: date) -> bytes:
    """The story as an A4 PDF with the running header and the footer on every page."""
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=f"{kind}: {title}", author=_("Delivery unit"),
                            subject=f"{title}, {format_date(held_on)}")
    header = f"{kind}  ·  {title}  ·  {format_date(held_on)}"
    footer = _("Prepared by the delivery unit on {date}").format(date=format_date(prepared_on))

    def canvas(*args: object, **kwargs: object) -> _NumberedCanvas:
        return _NumberedCanvas(*args, header=header, footer=footer, **kwargs)

    doc.build(story, canvasmaker=canvas)
    return out.getvalue()


class _NumberedCanvas(Canvas):
    """Draws header and footer once the page count is known ("Page n of N")."""

    def __init__(self, *args: object, header: str, footer: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: list[dict[str, object]] = []
        self._header, self._footer = header, footer

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(len(self._pages))
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        self.saveState()
        self.setFont("Helvetica", 7.5)
        self.setFillColor(HexColor(MUTED))
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        left, right = MARGIN_X + FRAME_PADDING, PAGE_W - MARGIN_X - FRAME_PADDING
        if self._pageNumber > 1:
            top = PAGE_H - MARGIN_TOP + 8 * mm
            self.drawString(left, top, _fit(self._header, WIDTH - 20 * mm))
            self.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        bottom = MARGIN_BOTTOM - 9 * mm
        self.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        self.drawString(left, bottom, self._footer)
        self.drawRightString(right, bottom, _("Page {page} of {total}").format(
            page=self._pageNumber, total=total))
        self.restoreState()


def _fit(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the header's font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, "Helvetica", 7.5) <= width:
        return text
    while text and stringWidth(text + "…", "Helvetica", 7.5) > width:
        text = text[:-1]
    return text.rstrip() + "…"
