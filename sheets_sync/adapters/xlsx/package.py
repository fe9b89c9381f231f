"""The package structure around the sheets: workbook part, relationships, content types.

These few XML parts are edited with lxml, which keeps every namespace declaration and
prefix as found (mc:Ignorable names prefixes that must stay declared), and each is
serialised again only when this run actually changed it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from sheets_sync.adapters.xlsx.container import PackageError, ZipParts
from sheets_sync.core.grid import tab_named

NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
TYPES_PART = "[Content_Types].xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# A formula element under any prefix: <f>, <f t="shared" ...>, <x:f/>.
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
# CT_Workbook's children that follow calcPr, in schema order.
_AFTER_CALC = (
    *("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes"),
    *("webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"),
)


def parse_xml(data: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"its part {name} is not well-formed XML ({exc})") from exc


def rels_name(part: str) -> str:
    """Where a part's relationships live: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a member name; absolute targets start at the package root."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def kind_of(rel_type: str) -> str:
    """The last word of a relationship type, the same in transitional and strict files."""
    return rel_type.rsplit("/", 1)[-1]


class XmlPart:
    """One XML part parsed for editing; `save` writes it back only when it was changed."""

    def __init__(self, parts: ZipParts, name: str, data: bytes | None = None) -> None:
        self.parts = parts
        self.name = name
        self.root = parse_xml(parts.read(name) if data is None else data, name)
        self.changed = data is not None

    def save(self) -> None:
        if self.changed:
            tree = self.root.getroottree()
            standalone = tree.docinfo.standalone
            if standalone is None:  # keep the declaration as it was: without the attribute
                xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
            else:
                xml = etree.tostring(
                    tree, xml_declaration=True, encoding="UTF-8", standalone=standalone
                )
            self.parts.write(self.name, bytes(xml))
            self.changed = False


@dataclass(frozen=True)
class SheetRef:
    name: str
    part: str | None  # the member holding its cells; None when the workbook points nowhere
    kind: str  # "worksheet", "chartsheet", ...


class Book:
    """The workbook part with its relationships and the content types: what sheets change."""

    def __init__(self, parts: ZipParts) -> None:
        self.parts = parts
        office = _first_rel(self._required("_rels/.rels").root, "officeDocument")
        if office is None:
            raise PackageError("it names no workbook part in _rels/.rels")
        self.rel_base = office.get("Type", "").rsplit("/", 1)[0]
        self.workbook = self._required(resolve("", office.get("Target", "")))
        self.main_ns = etree.QName(self.workbook.root).namespace or NS_MAIN
        self.rels = self._required(rels_name(self.workbook.name))
        self.types = self._required(TYPES_PART)
        self._styles: XmlPart | None = None

    def _required(self, name: str) -> XmlPart:
        actual = self.parts.find(name)
        if actual is None:
            raise PackageError(f"its part {name} is missing")
        return XmlPart(self.parts, actual)

    def _q(self, tag: str) -> str:
        return f"{{{self.main_ns}}}{tag}"

    def _targets(self) -> dict[str, tuple[str, str]]:
        """Relationship id -> (kind, member name) for the workbook's internal relationships."""
        return {
            rel.get("Id", ""): (kind_of(rel.get("Type", "")), self._member(rel.get("Target", "")))
            for rel in self._rel_elements()
            if rel.get("TargetMode") != "External"
        }

    def _member(self, target: str) -> str:
        name = resolve(self.workbook.name, target)
        return self.parts.find(name) or name

    def sheets(self) -> list[SheetRef]:
        targets = self._targets()
        result = []
        for sheet in self._sheets_element().iter(self._q("sheet")):
            kind, part = targets.get(sheet.get(f"{{{self.rel_base}}}id", ""), ("", None))
            result.append(SheetRef(sheet.get("name", ""), part, kind))
        return result

    def find_sheet(self, name: str) -> SheetRef | None:
        """The tab called `name` up to case (see `tab_named`)."""
        sheets = self.sheets()
        real = tab_named([s.name for s in sheets], name)
        return next((s for s in sheets if s.name == real), None)

    def _sheets_element(self) -> etree._Element:
        sheets = self.workbook.root.find(self._q("sheets"))
        if sheets is None:
            raise PackageError(f"its part {self.workbook.name} lists no sheets")
        return sheets

    @property
    def date1904(self) -> bool:
        props = self.workbook.root.find(self._q("workbookPr"))
        return props is not None and props.get("date1904", "0") in ("1", "true")

    def recalculate_on_load(self) -> None:
        """Have Excel recalculate on opening, so formulas reading the owned tabs are current.

        Sets `fullCalcOnLoad` on calcPr (adding calcPr after definedNames where there is
        none); the part is left alone when the flag is already set.
        """
        calc = self.workbook.root.find(self._q("calcPr"))
        if calc is not None and calc.get("fullCalcOnLoad") in ("1", "true"):
            return
        if calc is None:
            root = self.workbook.root
            after = {self._q(tag) for tag in _AFTER_CALC}
            later = [child for child in root if child.tag in after]
            calc = etree.SubElement(root, self._q("calcPr"))  # takes the file's own prefix
            if later:
                later[0].addprevious(calc)
        calc.set("fullCalcOnLoad", "1")
        self.workbook.changed = True

    def name_on_sheet(self, sheet_name: str, name: str, formula: str) -> None:
        """A hidden name local to one tab, set to `formula`: Excel's own names for a tab's
        filter (`_xlnm._FilterDatabase`, which LibreOffice needs to show the filter) and
        its print titles. The part is left alone when the name already says so."""
        titles = [s.get("name", "") for s in self._sheets_element().iter(self._q("sheet"))]
        index = str(titles.index(tab_named(titles, sheet_name) or sheet_name))
        root = self.workbook.root
        names = root.find(self._q("definedNames"))
        if names is None:
            names = etree.SubElement(root, self._q("definedNames"))  # the file's own prefix
            later = {self._q(tag) for tag in ("calcPr", *_AFTER_CALC)}
            following = [child for child in root if child.tag in later]
            if following:
                following[0].addprevious(names)
        for element in names.iter(self._q("definedName")):
            same = element.get("name", "").casefold() == name.casefold()
            if same and element.get("localSheetId") == index:
                if element.text != formula:
                    element.text = formula
                    self.workbook.changed = True
                return
        attrs = {"name": name, "localSheetId": index, "hidden": "1"}
        etree.SubElement(names, self._q("definedName"), attrs).text = formula
        self.workbook.changed = True

    def replace_sheet(self, sheet: SheetRef, xml: bytes) -> None:
        """New cells for an existing worksheet; what the old cells hung on goes with them."""
        if sheet.kind != "worksheet" or sheet.part is None:
            raise PackageError(f"its tab {sheet.name!r} is not a worksheet and cannot hold cells")
        if self.parts.find(sheet.part) is None:  # the workbook pointed at a missing part
            self._add_override(sheet.part, WORKSHEET_TYPE)
        elif self._calc_chain() and _FORMULA.search(self.parts.read(sheet.part)):
            self._drop_calc_chain()
        self.parts.write(sheet.part, xml)
        # Comments, drawings or tables people attached to this tab would point at cells
        # that no longer exist; the parts stay in the file but nothing refers to them.
        self.parts.remove(rels_name(sheet.part))

    def attach_chart(self, sheet_part: str, drawing: bytes, chart: bytes) -> None:
        """The worker's chart on one of its sheets: a drawing part (the sheet's relationship
        rId1) holding a chart part, both named after the sheet, so each run rewrites its
        own and leaves any other drawing in the file alone."""
        folder = posixpath.dirname(posixpath.dirname(sheet_part))  # xl
        stem = posixpath.splitext(posixpath.basename(sheet_part))[0]
        drawing_part = f"{folder}/drawings/sheets-sync-{stem}.xml"
        chart_part = f"{folder}/charts/sheets-sync-{stem}.xml"
        self.parts.write(drawing_part, drawing)
        self.parts.write(chart_part, chart)
        self._add_override(drawing_part, DRAWING_TYPE)
        self._add_override(chart_part, CHART_TYPE)
        for source, kind, target in (
            (sheet_part, "drawing", drawing_part),
            (drawing_part, "chart", chart_part),
        ):
            relative = posixpath.relpath(target, posixpath.dirname(source))
            self.parts.write(
                rels_name(source),
                (
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="{NS_RELS}"><Relationship Id="rId1" '
                    f'Type="{self.rel_base}/{kind}" Target="{relative}"/></Relationships>'
                ).encode(),
            )

    def add_sheet(self, name: str, xml: bytes) -> str:
        """A new worksheet after the last tab, so defined names' sheet indices stay valid."""
        folder = posixpath.join(posixpath.dirname(self.workbook.name), "worksheets")
        number = len(self.sheets()) + 1
        while self.parts.find(f"{folder}/sheet{number}.xml") is not None:
            number += 1
        part = f"{folder}/sheet{number}.xml"
        self.parts.write(part, xml)
        rel_id = self._add_rel("worksheet", part)
        sheets = self._sheets_element()
        ids = [s.get("sheetId", "") for s in sheets.iter(self._q("sheet"))]
        next_id = max((int(i) for i in ids if i.isdigit()), default=0) + 1
        attrs = {"name": name, "sheetId": str(next_id)}
        # Declare the usual `r` prefix where the file does not have it in scope (openpyxl
        # declares it on each <sheet>), rather than let lxml invent `ns0`.
        in_scope = self.rel_base in sheets.nsmap.values()
        nsmap = None if in_scope else {"r": self.rel_base}
        element = etree.SubElement(sheets, self._q("sheet"), attrs, nsmap=nsmap)
        element.set(f"{{{self.rel_base}}}id", rel_id)
        self.workbook.changed = True
        self._add_override(part, WORKSHEET_TYPE)
        return part

    def styles(self, blank: bytes) -> XmlPart:
        """The stylesheet part, created from `blank` when the workbook has none.

        A relationship pointing at a missing part is reused and the part made at its
        target: a second styles relationship would make the file corrupt for Excel.
        """
        if self._styles is None:
            part = next((p for k, p in self._targets().values() if k == "styles"), None)
            if part is not None and self.parts.find(part) is not None:
                self._styles = XmlPart(self.parts, part)
                return self._styles
            if part is None:
                part = posixpath.join(posixpath.dirname(self.workbook.name), "styles.xml")
                self._add_rel("styles", part)
            elif part == ".." or part.startswith("../"):
                raise PackageError(f"its styles relationship points outside the package ({part})")
            self._styles = XmlPart(self.parts, part, blank)
            self._add_override(part, STYLES_TYPE)
        return self._styles

    def save(self) -> None:
        for part in (self.workbook, self.rels, self.types, self._styles):
            if part is not None:
                part.save()

    def _add_rel(self, kind: str, part: str) -> str:
        ids = {rel.get("Id") for rel in self._rel_elements()}
        number = len(ids) + 1
        while f"rId{number}" in ids:
            number += 1
        target = posixpath.relpath(part, posixpath.dirname(self.workbook.name) or ".")
        attrs = {"Id": f"rId{number}", "Type": f"{self.rel_base}/{kind}", "Target": target}
        etree.SubElement(self.rels.root, f"{{{NS_RELS}}}Relationship", attrs)
        self.rels.changed = True
        return attrs["Id"]

    def _add_override(self, part: str, content_type: str) -> None:
        """Declare the part's content type, reusing an Override left for the same name."""
        same = self._overrides(part)
        for extra in same[1:]:
            self.types.root.remove(extra)
            self.types.changed = True
        if not same:
            attrs = {"PartName": "/" + part, "ContentType": content_type}
            etree.SubElement(self.types.root, f"{{{NS_TYPES}}}Override", attrs)
            self.types.changed = True
        elif same[0].get("PartName") != "/" + part or same[0].get("ContentType") != content_type:
            same[0].set("PartName", "/" + part)
            same[0].set("ContentType", content_type)
            self.types.changed = True

    def _overrides(self, part: str) -> list[etree._Element]:
        """The Override elements naming `part`; part names ignore ASCII case."""
        name = "/" + part.lower()
        overrides = self.types.root.findall(f"{{{NS_TYPES}}}Override")
        return [o for o in overrides if o.get("PartName", "").lower() == name]

    def _rel_elements(self) -> list[etree._Element]:
        return self.rels.root.findall(f"{{{NS_RELS}}}Relationship")

    def _calc_chain(self) -> list[etree._Element]:
        return [r for r in self._rel_elements() if kind_of(r.get("Type", "")) == "calcChain"]

    def _drop_calc_chain(self) -> None:
        """Excel reports a file corrupt when its calculation chain names formulas now gone."""
        for rel in self._calc_chain():
            part = self._member(rel.get("Target", ""))
            self.parts.remove(part)
            self.rels.root.remove(rel)
            self.rels.changed = True
            for override in self._overrides(part):
                self.types.root.remove(override)
                self.types.changed = True


def _first_rel(root: etree._Element, kind: str) -> etree._Element | None:
    rels = root.iter(f"{{{NS_RELS}}}Relationship")
    return next((r for r in rels if kind_of(r.get("Type", "")) == kind), None)


def blank_package() -> dict[str, bytes]:
    """The parts of an empty workbook, before any sheet or styles are added."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    package_type = "application/vnd.openxmlformats-package.relationships+xml"
    book_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    parts = {
        TYPES_PART: f'<Types xmlns="{NS_TYPES}">'
        f'<Default Extension="rels" ContentType="{package_type}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{NS_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_BASE}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{NS_MAIN}" xmlns:r="{REL_BASE}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets/></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{NS_RELS}"/>',
    }
    return {name: (head + xml).encode() for name, xml in parts.items()}
