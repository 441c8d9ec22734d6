"""Exit codes of the ``policyqa`` command, and how a typed error is reported (once, in Chinese).

Every expected error is an ``ingest.errors.PolicyQAError`` (``IngestError``, ``IndexError_``,
``ModelError``, ``TokenizerError``, ``StoreError``, ``CorpusError``, ``UsageError``); the CLI
prints its Chinese message ``exc.zh`` once on stderr, logs the English detail (shown with
``policyqa -v``), never a traceback, and exits with the kind's code:

====  ==============================================================================
code  meaning
====  ==============================================================================
0     success
1     some files failed (index / add / remove print a per-file summary); the rest done
2     bad arguments or settings; corpus folder missing or empty (the index is untouched)
3     a file cannot be read or parsed (IngestError)
4     the index is missing, corrupt or built with another model (IndexError_)
5     the embedding model cannot be loaded (ModelError)
6     the tokenizer files cannot be loaded (TokenizerError)
7     a change could not be written (disk full, permissions); rolled back (StoreError)
130   interrupted (Ctrl-C)
====  ==============================================================================

>>> from ingest.errors import CorpusError
>>> exit_code(CorpusError("empty", zh="语料目录为空。")), message(CorpusError("empty", zh="语料目录为空。"))
(2, '语料目录为空。')
"""

from __future__ import annotations

from ingest.errors import PolicyQAError, UsageError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130

USER_ERRORS: tuple[type[BaseException], ...] = (PolicyQAError, FileNotFoundError, ValueError)


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, PolicyQAError):
        return int(exc.exit_code)
    return UsageError.exit_code


def message(exc: BaseException) -> str:
    """The Chinese line shown to the user."""
    if isinstance(exc, PolicyQAError):
        return exc.zh
    return f"参数或输入有误：{exc}。请检查命令参数（policyqa COMMAND --help）。"
