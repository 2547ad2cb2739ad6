"""Compile the project's translation catalogs (locale/*/LC_MESSAGES/*.po) into .mo files.

Pure Python (polib, a test dependency), so no GNU gettext is needed. The compiled .mo files are
committed, so a fresh clone serves the Chinese admin with the runtime requirements only;
tests/home/test_admin_chinese.py fails when a .mo is older than its .po. Run after editing a .po:

    .venv/bin/python scripts/compile_translations.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compiled_bytes(po_path: Path) -> bytes:
    """The .mo file ``po_path`` compiles to (fuzzy and untranslated entries left out)."""
    catalog = polib.pofile(str(po_path))
    for entry in list(catalog):
        if "fuzzy" in entry.flags:
            catalog.remove(entry)
    mo_path = po_path.with_suffix(".tmp.mo")
    catalog.save_as_mofile(str(mo_path))
    try:
        return mo_path.read_bytes()
    finally:
        mo_path.unlink()


def main() -> int:
    for po_path in catalogs():
        po_path.with_suffix(".mo").write_bytes(compiled_bytes(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
