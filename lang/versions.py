"""How a question picks one version of an amended instrument: a year written as a version
("2017年版", "2023年修订后的", "2010年那版", "2024年新条例"), or words for the newest / the earlier
text ("新修订的", "现行", "修订前", "原条例").

>>> version_years("按2017年版的行政复议法，谁是被申请人？"), version_years("上海2024年新条例要求多少？")
(['2017'], ['2024'])
>>> version_years("2010年那版呢？"), version_years("2024年版上海科技进步条例第四十八条"), version_years("到2025年达到多少？")
(['2010'], ['2024'], [])
>>> version_words("新修订的行政复议法从哪天开始施行？"), version_words("修订前的条例怎么写？"), version_words("创新体系")
('new', 'old', '')
"""

from __future__ import annotations

import re

# a year followed by a word that makes it a version: 版, 修订, 那版, 新条例, 的法 …
_MARK = (r"(?:年版|年的?版本|年文本|年那版|年这版|年那个版本|年修订|年修正|年修改|年新|年旧|年通过|年颁布|年施行|"
         r"年的?新|版|修订|修正)")
_INSTRUMENT = r"(?:条例|法|办法|规定|细则)"
VERSION_YEAR = re.compile(
    r"((?:19|20)\d{2})\s*(?:" + _MARK + r"|年(?:的)?(?:[\u4e00-\u9fff]{1,4}[省市])?[\u4e00-\u9fff]{0,12}?" + _INSTRUMENT
    + r"(?![\u4e00-\u9fff]{0,2}(?:目标|达到)))"
)
# the version suffix a follow-up writes after a year ("那2023年修订后的呢？"): part of the year mention
VERSION_SUFFIX = re.compile(r"(?:版本|版|修订后|修订前|修正后|修改后|修订|修正|修改|那版|这版|那个版本|新版|文本)(?:的)?")
NEW_WORDS = re.compile(r"新修订|新修正|新修改|最新|新版|新条例|新法|新的条例|现行|修订后|修正后|修改后|修订之后|目前施行")
OLD_WORDS = re.compile(r"修订前|修改前|修正前|旧版|老版|原版|上一版|上一次|之前的版本|以前的版本|原来的|原条例|原法|原规定|旧条例|旧法")


_JOINED = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:和|与|及|以及|、|跟|同)\s*(?=((?:19|20)\d{2}))")


def version_years(text: str) -> list[str]:
    """Years the text writes as versions of an instrument (see the module docstring); a year joined
    to one ("2017年和2023年的行政复议法") is a version too.

    >>> version_years("2017年和2023年的行政复议法写法有什么变化？")
    ['2017', '2023']
    """
    found = [m.group(1) for m in VERSION_YEAR.finditer(text)]
    joined = [m.group(1) for m in _JOINED.finditer(text) if m.group(2) in found]
    return sorted(dict.fromkeys(found + joined), key=text.find)


# the versions set side by side (旧法和新法各…, 新旧两版, 修订前后): every version, not one
BOTH_VERSIONS = re.compile(r"两个版本|两版|新旧(?:两|版|条例|法|文本)|新法.{0,4}旧法|旧法.{0,4}新法|新.{0,2}条例.{0,4}旧.{0,2}条例|"
                           r"旧.{0,2}条例.{0,4}新.{0,2}条例|修订前后|前后两个?版|历次版本|各个?版本")


def version_words(text: str) -> str:
    """"new" when the text asks for the newest text, "old" for the earlier one, "both" when it sets
    them side by side, else "".

    >>> version_words("行政复议决定的期限，旧法和新法各是怎么规定的？")
    'both'
    """
    if BOTH_VERSIONS.search(text):
        return "both"
    if OLD_WORDS.search(text):
        return "old"
    return "new" if NEW_WORDS.search(text) else ""
