"""The one error base class of every stage, and the Chinese wording of ingest errors.

Every typed error of policyqa is a :class:`PolicyQAError`: ``str(exc)`` is the English detail
(for the log), ``exc.zh`` the message shown to the user, in Chinese, naming the file and what
to do; ``exc.exit_code`` the exit status of the command (each error kind has its own, see
``policyqa.errors.EXIT_CODES``). This module imports nothing of the stages, so ingest, index,
chatbot and the CLI can all import it.

>>> e = CorpusError("corpus directory /tmp/none does not exist", zh="语料目录 /tmp/none 不存在。")
>>> (e.exit_code, e.zh, isinstance(e, PolicyQAError))
(2, '语料目录 /tmp/none 不存在。', True)
"""

from __future__ import annotations

import re
from pathlib import Path


class PolicyQAError(Exception):
    """Base of every expected error: English detail in ``str()``, Chinese ``zh`` for users."""

    exit_code = 10
    kind = "错误"

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or f"{self.kind}：{message}"


class UsageError(PolicyQAError):
    """A command-line argument or setting is wrong."""

    exit_code = 2
    kind = "参数错误"


class CorpusError(PolicyQAError):
    """The corpus folder is missing or holds no document that can be indexed."""

    exit_code = 2
    kind = "语料目录错误"


# (pattern of the English reason, Chinese explanation, what to do)
_REASONS: tuple[tuple[str, str, str], ...] = (
    (r"unsupported file type", "文件类型不受支持", "请另存为 .txt、.md、.html、.docx 或 .pdf 后重新添加"),
    (r"does not exist|not a file", "文件不存在", "请检查文件路径"),
    (r"is empty|no text|only whitespace", "文件是空的", "请补上文件正文后重新添加"),
    (r"larger than|too large|MB", "文件过大", "请拆分文件，或调高 POLICYQA_MAX_FILE_MB"),
    (r"\.docx", "不是可读取的 Word（.docx）文件（可能已损坏，或是旧版 .doc）", "请用 Word 重新另存为 .docx 后重新添加"),
    (r"OCR", "PDF 没有文字层（扫描件）", "请先做文字识别（OCR），或改用 .docx/.txt"),
    (r"PDF", "不是可读取的 PDF 文件（可能已损坏或加密）", "请重新导出为 PDF 或 .docx 后重新添加"),
    (r"binary|decoded|byte-order", "无法识别文件的文字编码", "请另存为 UTF-8 编码的文本后重新添加"),
    (r"no clauses", "没有找到条款（不像是政策文件）", "请确认文件内容是政策文件正文"),
    (r"nested", "条款层级过深，无法解析", "请检查文件的编号层级"),
    (r"could not be read|permission", "文件无法读取", "请检查文件权限"),
    (r"not installed", "缺少读取该格式所需的软件包", "请运行 bash scripts/setup.sh 安装依赖"),
)


def ingest_zh(path: str, reason: str) -> str:
    """The Chinese message for a file that cannot be ingested: the file, what is wrong, what to do.

    >>> ingest_zh("/tmp/扬州市科普方案.docx", "is not a readable .docx (corrupt or not a Word 2007+ file)")
    '文件“扬州市科普方案.docx”无法导入：不是可读取的 Word（.docx）文件（可能已损坏，或是旧版 .doc）。请用 Word 重新另存为 .docx 后重新添加。'
    """
    name = Path(str(path)).name or str(path)
    for pattern, what, todo in _REASONS:
        if re.search(pattern, reason, re.IGNORECASE):
            return f"文件“{name}”无法导入：{what}。{todo}。"
    return f"文件“{name}”无法导入。请检查文件是否完整、格式是否受支持（详情见日志）。"
