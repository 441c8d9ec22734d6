"""Read and validate a gold Q&A set (JSONL, UTF-8). The format, one object per line:

    {"id": str, "question": str,
     "type": "fact"|"number"|"responsible"|"compare"|"precedent"|"unanswerable"|"followup",
     "history": [{"role": "user"|"assistant", "content": str}]   (optional),
     "gold": [{"doc": <source file name>, "evidence": <verbatim substring of that file>}],
     "answer": <reference answer>, "keywords": [<strings a correct answer must contain>],
     "absent": [<names of documents whose absence makes the item unanswerable>]   (optional)}

Unanswerable items have ``"gold": []``. ``absent`` (unanswerable items only) names the documents the
question needs that the set's corpus lacks ("职工带薪年休假条例"): a distractor run that mixes such a
document in sets the item aside from the refusal rate, since answering it is then right. A malformed line raises ``GoldFormatError`` naming
``file:line`` and what is wrong. Blank lines and lines starting with ``//`` are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.matching import normalize

TYPES = ("fact", "number", "responsible", "compare", "precedent", "unanswerable", "followup")
ROLES = ("user", "assistant")


class GoldFormatError(ValueError):
    """A gold line does not follow the format; the message is ``file:line: what is wrong``."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{self.path}:{line}: {reason}")


@dataclass
class GoldItem:
    id: str
    question: str
    type: str
    gold: list[dict[str, str]]
    answer: str = ""
    keywords: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        """Items with gold evidence should be answered; ``"gold": []`` items should be refused."""
        return bool(self.gold)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _str_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return list(value)


def parse_item(obj: Any) -> GoldItem:
    """One gold object → ``GoldItem``; raises ``ValueError`` saying what is wrong.

    >>> parse_item({"id": "n1", "question": "扬州市到2025年公民具备科学素质的比例要达到多少？", "type": "number",
    ...             "gold": [{"doc": "002.txt", "evidence": "公民具备科学素质的比例超过15%"}],
    ...             "answer": "超过15%", "keywords": ["15%"]}).answerable
    True
    >>> parse_item({"id": "u1", "question": "浙江省的科普经费是多少？", "type": "其他", "gold": []})
    Traceback (most recent call last):
    ...
    ValueError: "type" must be one of fact, number, responsible, compare, precedent, unanswerable, followup, not '其他'
    """
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    for key in ("id", "question", "type"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise ValueError(f'"{key}" is missing or not a non-empty string')
    if obj["type"] not in TYPES:
        raise ValueError(f'"type" must be one of {", ".join(TYPES)}, not {obj["type"]!r}')
    gold = obj.get("gold")
    if not isinstance(gold, list):
        raise ValueError('"gold" must be a list (empty for unanswerable items)')
    for i, g in enumerate(gold):
        if not isinstance(g, dict) or not isinstance(g.get("doc"), str) or not isinstance(g.get("evidence"), str):
            raise ValueError(f'"gold"[{i}] must be {{"doc": str, "evidence": str}}')
        if not g["doc"].strip() or not normalize(g["evidence"]):
            raise ValueError(f'"gold"[{i}] has an empty doc or evidence')
    if obj["type"] == "unanswerable" and gold:
        raise ValueError('unanswerable items must have "gold": []')
    if obj["type"] != "unanswerable" and not gold:
        raise ValueError(f'"gold" is empty but the type is {obj["type"]!r} (only unanswerable items have no gold)')
    answer = obj.get("answer", "")
    if not isinstance(answer, str):
        raise ValueError('"answer" must be a string')
    keywords = _str_list(obj.get("keywords", []), '"keywords"')
    absent = _str_list(obj.get("absent", []), '"absent"')
    if absent and obj["type"] != "unanswerable":
        raise ValueError('"absent" is for unanswerable items only (the documents whose absence makes them so)')
    history = obj.get("history") or []
    if not isinstance(history, list):
        raise ValueError('"history" must be a list of {"role", "content"} messages')
    for i, m in enumerate(history):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise ValueError(f'"history"[{i}] must be {{"role": "user"|"assistant", "content": str}}')
    return GoldItem(
        id=obj["id"],
        question=obj["question"],
        type=obj["type"],
        gold=[{"doc": g["doc"], "evidence": g["evidence"]} for g in gold],
        answer=answer,
        keywords=keywords,
        history=[{"role": m["role"], "content": m["content"]} for m in history],
        absent=absent,
    )


def parse_lines(lines: Iterable[str], path: str = "<gold>") -> list[GoldItem]:
    """Parse JSONL lines; errors name ``path:line``. Duplicate ids are an error too."""
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(path, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        try:
            item = parse_item(obj)
        except ValueError as exc:
            raise GoldFormatError(path, lineno, str(exc)) from None
        if item.id in seen:
            raise GoldFormatError(path, lineno, f"duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = lineno
        items.append(item)
    return items


def load_gold(path: Path) -> list[GoldItem]:
    """Read a gold JSONL file (UTF-8)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GoldFormatError(str(path), 0, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    items = parse_lines(text.splitlines(), str(path))
    if not items:
        raise GoldFormatError(str(path), 0, "no gold items")
    return items


def corpus_sources(corpus_dir: Path) -> dict[str, Path]:
    """Every file of a corpus folder, subfolders included (hidden ones skipped, as indexing does),
    by relative path and by file name (the first in sorted order when two share a name).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "省级").mkdir()
    >>> _ = (d / "省级" / "zj.txt").write_text("浙江省科学技术普及条例", encoding="utf-8")
    >>> sorted(corpus_sources(d))
    ['zj.txt', '省级/zj.txt']
    """
    corpus_dir = Path(corpus_dir)
    out: dict[str, Path] = {}
    if not corpus_dir.is_dir():
        return out
    for p in sorted(corpus_dir.rglob("*")):
        rel = p.relative_to(corpus_dir)
        if not p.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        out.setdefault(rel.as_posix(), p)
        out.setdefault(p.name, p)
    return out


def check_evidence(
    items: Iterable[GoldItem], corpus_dir: Path, load_text: Callable[[Path], str] | None = None
) -> list[str]:
    """Problems with evidences against the corpus: missing source files, evidence not found
    (after normalisation) in its source file. A gold ``doc`` is found by its path relative to
    the corpus folder or by its file name in any subfolder (the index reads subfolders too).
    Returned as messages, not raised, so a run still happens and the report lists them.
    """
    read = load_text or (lambda p: p.read_text(encoding="utf-8"))
    sources = corpus_sources(Path(corpus_dir))
    cache: dict[str, str | None] = {}
    problems: list[str] = []
    for item in items:
        for g in item.gold:
            name = g["doc"]
            if name not in cache:
                p = sources.get(Path(name).as_posix()) or sources.get(Path(name).name)
                try:
                    cache[name] = normalize(read(p)) if p is not None else None
                except Exception as exc:  # noqa: BLE001 - reported, never fatal
                    problems.append(f"{item.id}: cannot read {name}: {exc}")
                    cache[name] = None
                    continue
            if cache[name] is None:
                problems.append(f"{item.id}: source file {name} not in {corpus_dir}")
            elif normalize(g["evidence"]) not in cache[name]:
                problems.append(f"{item.id}: evidence not found verbatim in {name}: {g['evidence'][:40]}")
    return problems
