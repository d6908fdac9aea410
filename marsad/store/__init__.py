"""marsad.store: the observatory's database (SQLite file or PostgreSQL) and its queries.

``open_store`` opens it; ``marsad.store.queries`` holds the read functions every front end uses.
"""

from marsad.store.db import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
