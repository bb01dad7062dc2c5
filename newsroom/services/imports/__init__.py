"""Importing bulletin batches: page texts, tables and issue bundles, all or nothing.

The stages, one module each:

- ``reading``: the files turned into story items, table rows and images;
- ``resolving``: names matched against the database (``directory``) and every
  story planned (``plan_import``, the dry run and the preview; writes nothing);
- ``writing``: a plan written in one transaction and recorded as a batch
  (``apply_import``; ``import_bulletin`` plans and writes);
- ``undo``: a batch taken back, but for what was worked on since (``undo_batch``).

``plan`` holds the types they pass along, and the batch's problems, each naming
its file, line or row and field. A batch with any error writes nothing.
"""

from newsroom.bulletin.items import PhotoItem

from .plan import Action, Location, Plan, Planned, Problems, Upload, effective_credits, effective_values
from .reading import max_bundle_bytes, max_file_bytes, read_uploads
from .resolving import plan_import
from .undo import changed_since_import, undo_batch, undo_preview
from .writing import apply_import, batch_of_upload, draw_pages, import_bulletin

__all__ = [
    "Action",
    "Location",
    "PhotoItem",
    "Plan",
    "Planned",
    "Problems",
    "Upload",
    "apply_import",
    "batch_of_upload",
    "changed_since_import",
    "draw_pages",
    "effective_credits",
    "effective_values",
    "import_bulletin",
    "max_bundle_bytes",
    "max_file_bytes",
    "plan_import",
    "read_uploads",
    "undo_batch",
    "undo_preview",
]
