"""Writing the public disclosure table of a period: HTML (a template), Word, Excel and PDF."""

from .docx import export_docx
from .pdf import export_pdf
from .table import DisclosureTable, disclosure_table
from .xlsx import export_xlsx

__all__ = ["DisclosureTable", "disclosure_table", "export_docx", "export_pdf", "export_xlsx"]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
EXPORTERS = {"docx": export_docx, "xlsx": export_xlsx, "pdf": export_pdf}
