"""Moving one trajectory between installations: a JSON document declared once in schema.py,
written by export.py and read back by load.py."""

from tracker.transfer.export import export_trajectory
from tracker.transfer.load import ImportError_, import_trajectory
from tracker.transfer.schema import FORMAT, FORMAT_VERSION
from tracker.transfer.stream import stream_trajectory

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportError_",
    "export_trajectory",
    "import_trajectory",
    "stream_trajectory",
]
