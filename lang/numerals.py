"""Chinese numerals ↔ ints, as numbering and dates write them.

>>> cn_to_int("二十八"), cn_to_int("十"), cn_to_int("一百零五"), cn_to_int("二〇二三"), cn_to_int("12")
(28, 10, 105, 2023, 12)
>>> int_to_cn(28), int_to_cn(105), int_to_cn(10)
('二十八', '一百零五', '十')
"""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "零〇一二三四五六七八九十百千两"
_NAMES = "零一二三四五六七八九"


def cn_to_int(s: str) -> int:
    """Value of a Chinese numeral (or a digit string); -1 when ``s`` is not a numeral."""
    s = s.strip()
    if not s:
        return -1
    if s.isdigit():
        return int(s)
    if len(s) >= 2 and all(c in DIGITS for c in s):  # 二〇二三: digit by digit
        return int("".join(str(DIGITS[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in DIGITS:
            cur = DIGITS[c]
        elif c in UNITS:
            total += (cur or 1) * UNITS[c]
            cur = 0
        else:
            return -1
    return total + cur


def int_to_cn(n: int) -> str:
    """The Chinese numeral of 0 ≤ n < 10000 as numbering writes it (10 → 十, 15 → 十五, 105 → 一百零五)."""
    if not 0 <= n < 10000:
        raise ValueError(f"int_to_cn: {n} is outside 0..9999")
    if n < 10:
        return _NAMES[n]
    if n < 20:
        return "十" + (_NAMES[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d:
            if zero and out:
                out += "零"
            out += _NAMES[d] + name
            zero = False
        elif out:
            zero = True
    return out
