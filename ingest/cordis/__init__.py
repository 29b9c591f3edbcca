"""The CORDIS adapter (issue 7): official CORDIS project exports → initiative records.

`export` reads the CSV or JSON tables (zip or folder), `rows` parses them, `load` selects
projects, `mapping` turns them into RDF and `pipeline` writes them to the store.
"""

from ingest.cordis.load import Selection, load_export
from ingest.cordis.pipeline import CordisReport, ingest_cordis

__all__ = ["CordisReport", "Selection", "ingest_cordis", "load_export"]
