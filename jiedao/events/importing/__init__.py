"""Importing 12345 hotline work orders in bulk (``jiedao events import FILE``, the upload page
``/events/import/`` and its task).

* :mod:`.columns` — which column holds what (default Chinese headers, a JSON mapping file);
* :mod:`.reader` — CSV or .xlsx rows;
* :mod:`.rows` — the thorough check of a row, naming every problem (where each order is:
  coordinates, grid code or a grid or community named in the address; else rejected);
* :mod:`.check` — the quick check of a batch's rows of the usual shape (any other row goes to
  the thorough one), its points placed in their grids at once;
* :mod:`.writer` — ``COPY`` (PostgreSQL) or multi-row INSERTs of events and steps, one audit
  entry per batch, deadlines on a memoised working clock;
* :mod:`.pipeline` — batches written on connections of their own while the next are checked;
* :mod:`.service` — :func:`work_orders_import`, the one door: idempotent by work-order number,
  all or nothing per batch, a report of every rejected row;
* :mod:`.jobs` — the upload page's task and its progress.
"""

from .columns import Mapping, mapping_from, mapping_load
from .rows import NUMBER_PREFIX, Rejection
from .service import DEFAULT_BATCH_SIZE, ImportReport, work_orders_import

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "NUMBER_PREFIX",
    "ImportReport",
    "Mapping",
    "Rejection",
    "mapping_from",
    "mapping_load",
    "work_orders_import",
]
