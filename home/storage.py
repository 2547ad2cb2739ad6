"""Kept only because migration home/0006 imports ``move_documents_out_of_public_media`` from this
path. The code is core's."""

from core.storage import move_documents_out_of_public_media  # noqa: F401
