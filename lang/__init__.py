"""One lexicon of Chinese policy text, shared by ingest and question understanding.

- ``lang.text``: width folding (``（一）`` and ``(一)`` are one mark);
- ``lang.numerals``: Chinese numerals ↔ ints (二十八 ↔ 28, 二〇二三 → 2023);
- ``lang.numbering``: the numbering ladder (一、 （一） 1. （1） ① 第X编/章/节/条/款/项);
- ``lang.units``: responsible-unit labels (牵头单位 / 责任单位 / 配合单位 …) and body suffixes;
- ``lang.dates``: years and periods (2025年, 2021—2025年, “十四五”, 今年/明年 against a given today);
- ``lang.divisions``: China's provincial- and prefecture-level divisions (``divisions.tsv``), so that
  新疆, 新疆维吾尔自治区 and 新疆自治区 are one region and a city knows its province;
- ``lang.figures``: figures in digits or Chinese numerals with their unit (16%, 六十日, 三分之一,
  百分之四), not years, periods or ordinals; sums of money (三千元);
- ``lang.wording``: how questions are said and how the texts say it (padding such as 能不能告诉我;
  免税 → 免征, 几号前 → 日前, 交钱 → 收取费用, 研发 + 研究开发).

This package imports no stage.
"""
