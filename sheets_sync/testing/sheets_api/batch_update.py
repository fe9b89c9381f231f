"""``POST /v4/spreadsheets/{id}:batchUpdate``: applies the requests in order, all or none.

The requests run on a copy of the spreadsheet that replaces the stored one only when all
of them succeeded, as Google applies a batch atomically. Replies come one per request:
``{}`` for most, ``{"addSheet": {"properties": ...}}`` and the like for the rest. A request
kind the API does not have answers Google's 400 "Unknown name"; one it has but the
stand-in does not model answers a 400 that says so.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sheets_sync.testing.sheets_api import cell_requests as cells
from sheets_sync.testing.sheets_api import metadata
from sheets_sync.testing.sheets_api import sheet_requests as sheets
from sheets_sync.testing.sheets_api.errors import ApiError, bad_request, unknown_field
from sheets_sync.testing.sheets_api.model import Spreadsheet, Store

Handler = Callable[[sheets.Context, dict[str, Any]], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {
    "addSheet": sheets.add_sheet,
    "deleteSheet": sheets.delete_sheet,
    "duplicateSheet": sheets.duplicate_sheet,
    "updateSheetProperties": sheets.update_sheet_properties,
    "updateSpreadsheetProperties": sheets.update_spreadsheet_properties,
    "appendDimension": sheets.append_dimension,
    "insertDimension": sheets.insert_dimension,
    "deleteDimension": sheets.delete_dimension,
    "updateDimensionProperties": sheets.update_dimension_properties,
    "autoResizeDimensions": sheets.auto_resize_dimensions,
    "addDimensionGroup": sheets.add_dimension_group,
    "deleteDimensionGroup": sheets.delete_dimension_group,
    "updateDimensionGroup": sheets.update_dimension_group,
    "setBasicFilter": sheets.set_basic_filter,
    "addChart": sheets.add_chart,
    "deleteEmbeddedObject": sheets.delete_embedded_object,
    "clearBasicFilter": sheets.clear_basic_filter,
    "addNamedRange": sheets.add_named_range,
    "updateNamedRange": sheets.update_named_range,
    "deleteNamedRange": sheets.delete_named_range,
    "addProtectedRange": sheets.add_protected_range,
    "updateProtectedRange": sheets.update_protected_range,
    "deleteProtectedRange": sheets.delete_protected_range,
    "repeatCell": cells.repeat_cell,
    "updateCells": cells.update_cells,
    "mergeCells": cells.merge_cells,
    "unmergeCells": cells.unmerge_cells,
    "setDataValidation": cells.set_data_validation,
    "addConditionalFormatRule": cells.add_conditional_format_rule,
    "updateConditionalFormatRule": cells.update_conditional_format_rule,
    "deleteConditionalFormatRule": cells.delete_conditional_format_rule,
    "sortRange": cells.sort_range,
    "copyPaste": cells.copy_paste,
    "cutPaste": cells.cut_paste,
}

_GROWING = frozenset(
    {"addSheet", "duplicateSheet", "updateSheetProperties", "appendDimension", "insertDimension"}
)

# Request kinds of the real API that the stand-in does not model.
NOT_MODELLED = frozenset(
    {
        "updateBorders",
        "findReplace",
        "pasteData",
        "textToColumns",
        "moveDimension",
        "updateChartSpec",
        "updateEmbeddedObjectPosition",
        "addFilterView",
        "updateFilterView",
        "deleteFilterView",
        "duplicateFilterView",
        "addBanding",
        "updateBanding",
        "deleteBanding",
        "createDeveloperMetadata",
        "updateDeveloperMetadata",
        "deleteDeveloperMetadata",
        "randomizeRange",
        "addSlicer",
        "updateSlicer",
        "autoFill",
        "insertRange",
        "deleteRange",
        "deleteDuplicates",
        "trimWhitespace",
        "addDataSource",
        "updateDataSource",
        "deleteDataSource",
        "refreshDataSource",
        "cancelDataSourceRefresh",
        "addTable",
        "updateTable",
        "deleteTable",
        "appendCells",
        "setBasicFilterRequest",
        "updateEmbeddedObjectBorder",
        "addProtectedRangeRequest",
    }
)


def batch_update(
    store: Store, spreadsheet: Spreadsheet, body: Any, caller: str | None
) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Invalid JSON payload received.")
    requests = body.get("requests") or []
    if not isinstance(requests, list):
        raise bad_request("Invalid JSON payload received. 'requests' must be a list.")
    work = copy.deepcopy(spreadsheet)
    replies = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise bad_request(f"Invalid requests[{i}]: exactly one kind of request must be set.")
        ((kind, payload),) = request.items()
        handler = HANDLERS.get(kind)
        if handler is None:
            if kind in NOT_MODELLED:
                message = "the Sheets API stand-in does not model this request."
                raise ApiError(400, f"Invalid requests[{i}].{kind}: {message}")
            raise unknown_field(kind, f"requests[{i}]")
        context = sheets.Context(store, work, caller, f"requests[{i}].{kind}")
        reply = handler(context, payload if isinstance(payload, dict) else {})
        if kind in _GROWING:
            work.check_cell_limit(context.where)
        replies.append({} if reply is None else {kind: reply})
    store.spreadsheets[spreadsheet.spreadsheet_id] = work
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = metadata.render(
            work, include_grid=bool(body.get("responseIncludeGridData"))
        )
    return out
