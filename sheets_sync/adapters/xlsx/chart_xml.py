"""A panel's chart as DrawingML: the drawing that places it on the sheet, and the chart.

Built as text, like the sheets. The chart reads its cells ('Summary'!$V$1:$X$2) and
carries their values as a cache, so a reader that does not recalculate draws it right.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from sheets_sync.adapters.xlsx.sheet_xml import on_tab
from sheets_sync.core.issues import column_letter
from sheets_sync.core.table import BAR_COLOURS, ChartPlace, Table, laid_out

_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def drawing_xml(place: ChartPlace, rel_base: str) -> bytes:
    """The drawing part: the chart between two cells, moving with them."""
    top, left, bottom, right = place.box

    def corner(tag: str, column: int, row: int) -> str:
        return (
            f"<xdr:{tag}><xdr:col>{column}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{tag}>"
        )

    return (
        f'{_HEAD}<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}">'
        f'<xdr:twoCellAnchor editAs="oneCell">{corner("from", left, top)}'
        f"{corner('to', right, bottom)}"
        '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="2" name="{escape(place.chart.title)}"/><xdr:cNvGraphicFramePr/>'
        '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        f'</xdr:xfrm><a:graphic><a:graphicData uri="{_C}">'
        f'<c:chart xmlns:c="{_C}" xmlns:r="{rel_base}" r:id="rId1"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
        "</xdr:twoCellAnchor></xdr:wsDr>"
    ).encode()


def chart_xml(table: Table, place: ChartPlace) -> bytes:
    """The chart part: one series, a coloured bar per panel column, its value on top."""
    chart, first, end = place.chart, place.first, place.end
    columns, rows = laid_out(table)  # a panel's first row is the body's first
    names = [columns[at].title for at in range(first, end)]
    values = [_number(rows[0][at]) for at in range(first, end)]
    names_ref = on_tab(table.name, _span(0, first, end))
    values_ref = on_tab(table.name, _span(1, first, end))
    points = "".join(
        f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{BAR_COLOURS[tone]}"/></a:solidFill></c:spPr>'
        "</c:dPt>"
        for i, tone in enumerate(chart.tones)
    )
    shown = (
        '<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )
    return (
        f'{_HEAD}<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}"><c:roundedCorners val="0"/>'
        "<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r>"
        f"<a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        '<c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
        '<c:tx><c:v>Schools</c:v></c:tx><c:invertIfNegative val="0"/>'
        f"{points}{shown}"
        f"<c:cat><c:strRef><c:f>{escape(names_ref)}</c:f>{_cache('str', names)}</c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{escape(values_ref)}</c:f>{_cache('num', values)}"
        "</c:numRef></c:val></c:ser>"
        '<c:gapWidth val="60"/><c:axId val="10"/><c:axId val="20"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="20"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="20"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode()


def _span(row: int, first: int, end: int) -> str:
    """Cells of one row, from 0-based indexes: (0, 20, 23) -> $U$1:$W$1."""
    return f"${column_letter(first + 1)}${row + 1}:${column_letter(end)}${row + 1}"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _cache(kind: str, values: Sequence[object]) -> str:
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(_shown(v))}</c:v></c:pt>' for i, v in enumerate(values)
    )
    return f'<c:{kind}Cache><c:ptCount val="{len(values)}"/>{points}</c:{kind}Cache>'


def _shown(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
