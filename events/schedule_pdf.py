"""The large-print schedule as an A4 PDF, set with reportlab's built-in CID font STSong-Light
(every PDF reader has it, so nothing is downloaded or embedded; as the demo handouts).

Every piece of text is 18 pt or larger, for a notice board read from a step away. The QR code
is drawn from the same modules as the page's (``core.qr``), one square per dark module.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    CondPageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.qr import qr_matrix

from .schedules import Schedule, date_label

FONT = "STSong-Light"
SITE_NAME = "郑州终身学习网"
BODY_SIZE = 18
MARGIN = 15 * mm
QR_SIZE = 48 * mm
# Wide enough for the line under the code, 扫码查看最新安排, at 18 pt (8 × 18 pt ≈ 51 mm).
QR_COLUMN = 56 * mm
INK = colors.black


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles() -> dict[str, ParagraphStyle]:
    # wordWrap="CJK" breaks lines between Han characters (there are no spaces to break at).
    base = {"fontName": FONT, "wordWrap": "CJK", "textColor": INK}
    return {
        "title": ParagraphStyle("title", fontSize=30, leading=40, spaceAfter=2 * mm, **base),
        "subtitle": ParagraphStyle("subtitle", fontSize=22, leading=32, **base),
        "body": ParagraphStyle("body", fontSize=BODY_SIZE, leading=28, **base),
        "day": ParagraphStyle(
            "day",
            fontSize=24,
            leading=34,
            spaceBefore=6 * mm,
            spaceAfter=2 * mm,
            backColor=colors.HexColor("#e4e4e4"),
            borderPadding=(1 * mm, 2 * mm, 1 * mm, 2 * mm),
            **base,
        ),
        "time": ParagraphStyle("time", fontSize=20, leading=30, **base),
        "item": ParagraphStyle("item", fontSize=20, leading=30, **base),
        "caption": ParagraphStyle("caption", fontSize=BODY_SIZE, leading=26, alignment=1, **base),
    }


def qr_drawing(data: str, size: float = QR_SIZE) -> Drawing:
    """The QR code of ``data`` as vector squares (quiet zone included), ``size`` points wide."""
    matrix = qr_matrix(data)
    modules = len(matrix)
    unit = size / modules
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for row_number, row in enumerate(matrix):
        y = size - (row_number + 1) * unit
        column = 0
        while column < modules:
            if not row[column]:
                column += 1
                continue
            run = column
            while run < modules and row[run]:
                run += 1
            # A run of dark modules as one rectangle, a hair wider so no seam shows between rows.
            drawing.add(
                Rect(
                    column * unit,
                    y,
                    (run - column) * unit,
                    unit + 0.01,
                    fillColor=INK,
                    strokeColor=None,
                )
            )
            column = run
    return drawing


def schedule_pdf(schedule: Schedule, place_url: str) -> bytes:
    """The sheet: the place, its address and phone, the QR code, the week's sessions by day."""
    _register_font()
    styles = _styles()
    place = schedule.place
    width = A4[0] - 2 * MARGIN

    heading = [Paragraph(escape(place.title), styles["title"])]
    subtitle = "一周课程和活动安排"
    if schedule.scope_label:
        subtitle += f"（{schedule.scope_label}）"
    heading.append(Paragraph(subtitle, styles["subtitle"]))
    relative = f"{schedule.relative_label}：" if schedule.relative_label else ""
    # The week's two ends on lines of their own: never a date broken in the middle.
    heading.append(
        Paragraph(
            f"{relative}{schedule.week_start_label}<br/>至{schedule.week_end_label}",
            styles["body"],
        )
    )
    if place.address:
        heading.append(Paragraph(f"地址：{escape(place.address)}", styles["body"]))
    if place.phone:
        heading.append(Paragraph(f"电话：{escape(place.phone)}", styles["body"]))
    qr_block = [qr_drawing(place_url), Paragraph("扫码查看最新安排", styles["caption"])]
    header = Table(
        [[heading, qr_block]],
        colWidths=[width - QR_COLUMN, QR_COLUMN],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        ),
    )
    story = [header, Spacer(1, 3 * mm)]

    if not schedule.days:
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(schedule.empty_message, styles["subtitle"]))
        if schedule.next_busy_week is not None:
            story.append(
                Paragraph(
                    f"下一次安排在 {date_label(schedule.next_busy_week)} 开始的那一周，"
                    "可扫码查看。",
                    styles["body"],
                )
            )
    for day in schedule.days:
        rows = []
        for item in day.items:
            lines = []
            title = escape(item.full_title)
            if item.cancelled:
                title = f"【已取消】{title}"
            elif item.status:
                title = f"【{escape(item.status)}】{title}"
            lines.append(f"{title}")
            details = [item.kind]
            if item.where:
                details.append(f"地点：{escape(item.where)}")
            lines.append("　".join(details))
            rows.append(
                [
                    Paragraph(item.time_label, styles["time"]),
                    Paragraph("<br/>".join(lines), styles["item"]),
                ]
            )
        table = Table(
            rows,
            colWidths=[44 * mm, width - 44 * mm],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
                ]
            ),
        )
        # A day's heading never ends a page alone.
        story += [CondPageBreak(40 * mm), Paragraph(day.label, styles["day"])]
        story.append(table)

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, BODY_SIZE)
        canvas.setFillColor(INK)
        canvas.drawString(
            MARGIN, 10 * mm, f"打印日期：{schedule.print_date}　{SITE_NAME}　第{document.page}页"
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{place.title} 一周课程和活动安排",
        author=SITE_NAME,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
