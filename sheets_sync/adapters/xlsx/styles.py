"""The handful of cell formats the worker uses, added to styles.xml at most once.

Each run looks for an existing font, fill and cell format with the same content before
adding one, so repeated runs (and Excel re-saving the file in between) do not grow the
stylesheet.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from sheets_sync.core import table as core_table
from sheets_sync.core.table import Tone

# The core's colours, opaque (ARGB) as .xlsx writes them.
HEADER_FILL = "FF" + core_table.HEADER_FILL
TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    tone: ("FF" + fill, "FF" + text) for tone, (fill, text) in core_table.TONE_COLOURS.items()
}
LINK_COLOUR = "FF0563C1"  # Excel's own colour for a hyperlink
DATE_FORMAT = 14  # built-in short date, shown in the reader's locale
DATETIME_FORMAT = 22  # built-in date and time

# Children of styleSheet in schema order, for inserting a collection a file lacks.
_SHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles")
# Excel's order for a font's children; the schema allows any.
_FONT_ORDER = (
    *("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign"),
    *("sz", "color", "name", "family", "charset", "scheme"),
)
_XF_IDS = ("numFmtId", "fontId", "fillId", "borderId", "xfId")
_XF_FLAGS = (
    *("applyNumberFormat", "applyFont", "applyFill", "applyBorder"),
    *("applyAlignment", "applyProtection"),
)


@dataclass(frozen=True)
class Looks:
    """Indexes into cellXfs: the `s` attribute of a cell."""

    header: int
    tones: dict[Tone, int]
    date: int
    datetime: int
    wrapped: int  # long text wrapped within its column's width
    link: int  # a link to another cell: blue, underlined


def blank_styles(ns: str) -> bytes:
    """The smallest stylesheet Excel accepts, for a package that has none."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{ns}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"'
        ' xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0"'
        ' builtinId="0"/></cellStyles></styleSheet>'
    ).encode()


class _Sheet:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.ns = etree.QName(root).namespace or ""
        self.changed = False

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def collection(self, name: str) -> etree._Element:
        found = self.root.find(self.q(name))
        if found is not None:
            return found
        created = etree.Element(self.q(name), {"count": "0"})
        later = _SHEET_ORDER[_SHEET_ORDER.index(name) + 1 :]
        anchor = next((c for c in self.root if etree.QName(c).localname in later), None)
        if anchor is None:
            self.root.append(created)
        else:
            anchor.addprevious(created)
        self.changed = True
        return created

    def index_of(self, collection: str, item: etree._Element) -> int:
        """The index of an equal entry in the collection, appending `item` if none."""
        holder = self.collection(collection)
        entries = holder.findall(item.tag)
        wanted = _signature(item)
        for index, entry in enumerate(entries):
            if _signature(entry) == wanted:
                return index
        holder.append(item)
        holder.set("count", str(len(entries) + 1))
        self.changed = True
        return len(entries)

    def xf_index(self, wanted: dict[str, int], alignment: dict[str, str] | None = None) -> int:
        """A cellXfs entry with these ids (and alignment), honouring them (apply flags on),
        or a new one."""
        holder = self.collection("cellXfs")
        entries = holder.findall(self.q("xf"))
        for index, entry in enumerate(entries):
            if _xf_matches(entry, wanted, alignment or {}):
                return index
        attrs = {key: str(wanted.get(key, 0)) for key in _XF_IDS}
        attrs.update(_flags_for(wanted))
        xf = etree.Element(self.q("xf"), attrs)
        if alignment:
            xf.set("applyAlignment", "1")
            etree.SubElement(xf, self.q("alignment"), alignment)
        holder.append(xf)
        holder.set("count", str(len(entries) + 1))
        self.changed = True
        return len(entries)

    def font(self, bold: bool = False, colour: str = "", underline: bool = False) -> int:
        fonts = self.collection("fonts")
        base = fonts.find(self.q("font"))
        font = copy.deepcopy(base) if base is not None else etree.Element(self.q("font"))
        replaced = {"b"} if bold else set()
        if colour:
            replaced.add("color")
        if underline:
            replaced.add("u")
        for child in list(font):
            if isinstance(child.tag, str) and etree.QName(child).localname in replaced:
                font.remove(child)
        if bold:
            etree.SubElement(font, self.q("b"))
        if underline:
            etree.SubElement(font, self.q("u"))
        if colour:
            etree.SubElement(font, self.q("color"), {"rgb": colour})
        font[:] = sorted(font, key=_font_rank)
        font.tail = None
        return self.index_of("fonts", font)

    def solid_fill(self, colour: str) -> int:
        fill = etree.Element(self.q("fill"))
        pattern = etree.SubElement(fill, self.q("patternFill"), {"patternType": "solid"})
        etree.SubElement(pattern, self.q("fgColor"), {"rgb": colour})
        etree.SubElement(pattern, self.q("bgColor"), {"indexed": "64"})
        return self.index_of("fills", fill)


def ensure_looks(root: etree._Element) -> tuple[Looks, bool]:
    """The formats the worker needs, and whether the stylesheet had to grow for them."""
    sheet = _Sheet(root)
    bold, light = sheet.font(bold=True), sheet.solid_fill(HEADER_FILL)
    header = sheet.xf_index({"fontId": bold, "fillId": light})
    tones: dict[Tone, int] = {}
    for tone, (fill, text) in TONE_COLOURS.items():
        ids = {"fontId": sheet.font(colour=text), "fillId": sheet.solid_fill(fill)}
        tones[tone] = sheet.xf_index(ids)
    date = sheet.xf_index({"numFmtId": DATE_FORMAT})
    stamp = sheet.xf_index({"numFmtId": DATETIME_FORMAT})
    wrapped = sheet.xf_index({}, {"wrapText": "1"})
    link = sheet.xf_index({"fontId": sheet.font(colour=LINK_COLOUR, underline=True)})
    return Looks(header, tones, date, stamp, wrapped, link), sheet.changed


def _signature(element: etree._Element) -> tuple[object, ...]:
    """An element's content, ignoring child order, counts and whitespace."""
    attrs = tuple(sorted((k, v) for k, v in element.attrib.items() if k != "count"))
    children = sorted(_signature(c) for c in element if isinstance(c.tag, str))
    return (etree.QName(element).localname, attrs, tuple(children))


def _flags_for(wanted: dict[str, int]) -> dict[str, str]:
    flags = {"numFmtId": "applyNumberFormat", "fontId": "applyFont", "fillId": "applyFill"}
    return {flags[key]: "1" for key in wanted if key in flags}


def _xf_matches(entry: etree._Element, wanted: dict[str, int], alignment: dict[str, str]) -> bool:
    if set(entry.attrib) - {*_XF_IDS, *_XF_FLAGS}:
        return False  # quotePrefix and the like would change how cells look
    children = [c for c in entry if isinstance(c.tag, str)]
    found = [dict(c.attrib) for c in children if etree.QName(c).localname == "alignment"]
    if len(children) != len(found) or found != ([alignment] if alignment else []):
        return False  # protection, or another alignment, would change how cells look
    if alignment and entry.get("applyAlignment") not in ("1", "true"):
        return False
    if any(entry.get(key, "0") != str(wanted.get(key, 0)) for key in _XF_IDS):
        return False
    return all(entry.get(flag) in ("1", "true") for flag in _flags_for(wanted))


def _font_rank(child: etree._Element) -> int:
    name = etree.QName(child).localname if isinstance(child.tag, str) else ""
    return _FONT_ORDER.index(name) if name in _FONT_ORDER else len(_FONT_ORDER)
