"""The case documents (文书): what each says (``content``) and its two renderings, Word
(``docx``) and PDF (``pdf``), both laid out from the same content."""

from .content import DocumentContent, available, build
from .docx import render_docx
from .pdf import render_pdf

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
RENDERERS = {"docx": render_docx, "pdf": render_pdf}

__all__ = ["CONTENT_TYPES", "RENDERERS", "DocumentContent", "available", "build"]
