"""Render a Django template to PDF bytes (WeasyPrint) with the Noto CJK fonts, so Chinese prints
as Chinese rather than boxes. Templates set ``font-family: "Noto Sans CJK SC"`` (see BASE_CSS)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

BASE_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm;
        @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                         font-family: "Noto Sans CJK SC"; font-size: 9pt; color: #555; } }
html { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 10.5pt; }
"""


def _local_only(url: str, *args: Any, **kwargs: Any) -> Any:
    """Resources (images, stylesheets) come from the project directory only, never the network."""
    from weasyprint import default_url_fetcher  # noqa: PLC0415 - WeasyPrint is loaded only when a PDF is made

    if not url.startswith(f"file://{settings.BASE_DIR}/"):
        raise ValueError(f"PDF templates may not load {url}")
    return default_url_fetcher(url, *args, **kwargs)


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """The template's HTML as a PDF."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - WeasyPrint is loaded only when a PDF is made

    html = render_to_string(template_name, {"pdf_base_css": BASE_CSS, **(context or {})})
    document = HTML(string=html, base_url=str(settings.BASE_DIR) + "/", url_fetcher=_local_only)
    return document.write_pdf(stylesheets=[CSS(string=BASE_CSS)]) or b""
