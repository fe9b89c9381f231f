"""The .xlsx backend: reads with python-calamine, writes the worker's tabs part by part.

Only the parts a run has reason to touch change (the owned sheets, and on the first run
the workbook's sheet list, relationships, content types and styles); every other member
of the zip is copied byte for byte, so charts, images, comments, formulas, validation
and names survive exactly.
"""

from sheets_sync.adapters.xlsx.files import lock_files
from sheets_sync.adapters.xlsx.workbook import XlsxWorkbook, create_workbook

__all__ = ["XlsxWorkbook", "create_workbook", "lock_files"]
