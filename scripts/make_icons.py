"""Draw the site icons (favicon.ico, apple-touch-icon.png, icon-192/512.png) into static/img/.

Run once when the mark changes: ``.venv/bin/python scripts/make_icons.py``. The icons are
committed; this script records how they were made. It needs a CJK font (Debian's fonts-noto-cjk).
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

THEME = (11, 92, 138)  # the site's theme colour, #0b5c8a
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def draw(size: int) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    canvas.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=THEME)
    font = ImageFont.truetype(FONT, int(size * 0.72), index=2)  # SC face
    canvas.text((size / 2, size / 2), "学", font=font, fill="white", anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = Image.new("RGB", (180, 180), THEME)
    touch.paste(draw(180), mask=draw(180))
    touch.save(OUT / "apple-touch-icon.png", optimize=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
