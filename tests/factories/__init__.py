"""Factories for every page type and snippet, one module per app."""

from pathlib import Path

# Small real media files the tests upload and play (a 4-second clip, a tone, captions for both).
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
