"""PDF statements: the HTML statement, chart and all, laid out on A4 by WeasyPrint.

WeasyPrint is the optional extra ``pdf`` (it needs Pango from the system); without it, one line
says how to get it. The fonts are the system's (fontconfig), which carry Cyrillic and ``₽``
wherever DejaVu or a similar family is installed.
"""

from __future__ import annotations

from sla_cli.errors import InputError

__all__ = ["render_pdf"]


def render_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except ImportError:
        raise InputError("PDF statements need WeasyPrint: pip install 'sla-cli[pdf]'") from None
    except OSError as e:  # WeasyPrint found, Pango not
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputError(
            f"WeasyPrint cannot load the system's Pango ({first}); on Debian: "
            "apt install libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    from sla_cli.documents.html import inline_chart_styles

    pdf: bytes = weasyprint.HTML(string=inline_chart_styles(html)).write_pdf()
    return pdf
