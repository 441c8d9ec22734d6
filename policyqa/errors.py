"""The typed errors of all stages that the CLI reports as one clean line (exit code 2)."""

from __future__ import annotations

from index.model_files import ModelError
from index.types import IndexError_
from ingest.types import IngestError

USER_ERRORS: tuple[type[BaseException], ...] = (IngestError, IndexError_, ModelError, FileNotFoundError,
                                                  ValueError)
