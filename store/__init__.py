"""Store: the embedded, versioned Oxigraph store every other stage reads and writes."""

from diplograph.store.dumps import DUMPS, read_manifest, write_dumps
from diplograph.store.versioned import (
    Batch,
    Snapshot,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    VersionedStore,
)

__all__ = [
    "DUMPS",
    "Batch",
    "Snapshot",
    "StoreDamagedError",
    "StoreError",
    "StoreLockedError",
    "VersionedStore",
    "read_manifest",
    "write_dumps",
]
