"""Time-aware answers: relative dates against the answer's today, and notes on periods that ended.

``today`` is an ISO date passed in through ``AnswerConfig.today`` (never read from the clock here).

>>> absolute_years("今年扬州的科普工作目标是什么？", "2026-12-03")
'2026年扬州的科普工作目标是什么？'
>>> absolute_years("去年和明年呢", "2026-12-03")
'2025年和2027年呢'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chatbot.compose import Draft
from ingest.status import EXPIRED, NOT_YET, PLAN_ENDED, REPEALED, DocStatus

_RELATIVE = {"前年": -2, "去年": -1, "今年": 0, "本年度": 0, "本年": 0, "当年": 0, "明年": 1, "后年": 2}
_RELATIVE_RX = re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True)))
NOW_WORDS = re.compile(r"(目前|现在|当前|现阶段|如今|眼下|现行)")
_TIMED = (PLAN_ENDED, EXPIRED, NOT_YET, REPEALED)


def absolute_years(question: str, today: str) -> str:
    """今年 / 去年 / 明年 … replaced by the year they mean on ``today`` (unchanged without a today)."""
    if not today:
        return question
    year = int(today[:4])
    return _RELATIVE_RX.sub(lambda m: f"{year + _RELATIVE[m.group(0)]}年", question)


def time_notes(draft: Draft, statuses: Mapping[str, DocStatus], today: str, question: str = "") -> list[str]:
    """One note per cited document whose period has ended / not begun / was repealed, e.g.
    ``《扬州市…方案（2021—2025年）》规划期2021—2025年已结束，截至2026-12-03``.

    A question about "目前 / 现在" adds that no document in force states it, when every cited one has ended.
    """
    if not today:
        return []
    notes: list[str] = []
    seen: set[str] = set()
    cited: list[DocStatus] = []
    for p in draft.pieces:
        for h in p.hits:
            d = h.meta.doc_id
            if d in seen or d not in statuses:
                continue
            seen.add(d)
            st = statuses[d]
            cited.append(st)
            if st.status in _TIMED and st.note:
                notes.append(f"《{h.meta.title}》{st.note}，截至{today}")
    if notes and NOW_WORDS.search(question) and cited and all(s.status in _TIMED for s in cited):
        notes.append("所引文件均已过有效期或规划期，以上为其中的规定，现行规定请以有效文件为准")
    return notes
