"""QR codes of the site's public URLs, made with the ``qrcode`` library (no PIL needed).

One encoding (``qr_matrix``) serves both outputs: an inline SVG for pages (``qr_svg``) and the
modules the printed schedule's PDF draws. Both are kept per process by URL, so a page render
never encodes the same URL twice. The SVG carries no ``style`` attribute (the CSP forbids inline
styles); its size comes from the site's stylesheet, its colours from presentation attributes.
"""

from __future__ import annotations

from functools import lru_cache
from xml.etree import ElementTree

import qrcode
import qrcode.constants
from django.utils.html import escape
from qrcode.image.svg import SvgPathImage

# Medium error correction (15 %): survives a crease or a smudge on a printed notice.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The quiet zone the standard asks for, in modules; scanners fail without it on busy paper.
BORDER = 4


def _code(data: str, box_size: int = 1) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=2048)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of ``data``'s QR code, quiet zone included (True = dark), row by row."""
    return tuple(tuple(row) for row in _code(data).get_matrix())


@lru_cache(maxsize=2048)
def _svg_path(data: str) -> tuple[int, str]:
    """(size in modules, the path's ``d``) as qrcode's own SVG path image draws it."""
    # With box_size 10 SvgPathImage draws one module per unit (its unit is box_size/10 mm).
    svg = ElementTree.fromstring(
        _code(data, box_size=10).make_image(image_factory=SvgPathImage).to_string()
    )
    path = svg.find("{http://www.w3.org/2000/svg}path")
    return len(qr_matrix(data)), path.get("d")


def qr_svg(data: str, label: str, css_class: str = "qr") -> str:
    """Inline SVG of ``data``'s QR code: square, sized by CSS, with a text alternative."""
    size, path = _svg_path(data)
    return (
        f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}" '
        'shape-rendering="crispEdges" focusable="false">'
        f'<rect width="{size}" height="{size}" fill="#ffffff"/>'
        f'<path d="{path}" fill="#000000"/></svg>'
    )
