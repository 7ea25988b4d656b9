"""Atlas of Surveillance CSV import: parsing, name normalisation and the upsert service."""

from .parsing import HEADER_ALIASES, NotAtlasCsv, RowError, read_atlas
from .services import ImportReport, atlas_import

__all__ = [
    "HEADER_ALIASES",
    "ImportReport",
    "NotAtlasCsv",
    "RowError",
    "atlas_import",
    "read_atlas",
]
