"""sheets-sync: the scheduled worker behind a district's family-school partnership workbook."""

__version__ = "0.1.0"
