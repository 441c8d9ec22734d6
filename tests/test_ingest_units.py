"""Responsible units: the written forms of 责任单位 and a hand count on a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.config import IngestConfig
from ingest.parse import parse_text
from ingest.units import responsible_units

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.mark.parametrize("text, units", [
    ("开展活动。（责任单位：省科协；配合单位：省教育厅、省科技厅，各市人民政府）",
     ["省科协", "省教育厅", "省科技厅", "各市人民政府"]),
    ("加强培训。〔责任单位：市教育局、市人社局、团市委等，各县（市、区）政府、功能区管委会〕",
     ["市教育局", "市人社局", "团市委", "各县（市、区）政府", "功能区管委会"]),
    ("加强培训。〔责任单位:市委组织部等,各县(市、区)政府、功能区管委会〕",
     ["市委组织部", "各县(市、区)政府", "功能区管委会"]),
    ("实施馆校合作行动。[牵头单位：县教育局、县科协、各镇（园区）]", ["县教育局", "县科协", "各镇（园区）"]),
    ("推动科研成果科普化。（责任部门：省科协、省总工会、团省委、省妇联）", ["省科协", "省总工会", "团省委", "省妇联"]),
    ("推动科研成果科普化。(责任部门:省委宣传部、省科技厅)", ["省委宣传部", "省科技厅"]),
    ("激发求知欲。（县教育局、团县委、县科协按职责分工负责）", ["县教育局", "团县委", "县科协"]),
    ("提高科学履职水平。（县委组织部负责）", ["县委组织部"]),
    ("召开调度会。（县全民科学素质工作领导小组办公室）", ["县全民科学素质工作领导小组办公室"]),
    ("形成良性机制。（县全民科学素质工作领导小组办公室、各镇（园区））",
     ["县全民科学素质工作领导小组办公室", "各镇（园区）"]),
    ("开展普及。（责任单位：县自然资源和规划局（林业局）、县科协）", ["县自然资源和规划局（林业局）", "县科协"]),
    ("开展科普工作。（责任单位：省科学技术厅、省地震局、省科学技术协会等按职责分工负责）",
     ["省科学技术厅", "省地震局", "省科学技术协会"]),
])
def test_written_forms(text, units):
    assert responsible_units(text) == units


@pytest.mark.parametrize("text", [
    "加强我省科学技术普及（以下简称科普）工作。",
    "建设新时代文明实践中心（所、站）等阵地，推动科普资源下沉。",
    "依托老年大学（学校、学习点）开展活动。",
    "围绕“四个面向”（面向世界科技前沿）开展创作。",
])
def test_parentheses_that_are_not_units(text):
    assert responsible_units(text) == []


def test_hand_counted_fixture_all_found():
    [doc] = parse_text((FIX / "county_plan.txt").read_text(encoding="utf-8"), "county_plan.txt", IngestConfig())
    found = {c.section_path: c.responsible for c in doc.clauses if c.responsible}
    # counted by hand: 9 clauses of county_plan.txt state responsible units
    assert found == {
        "一、1.": ["县科协"],
        "一、2.": ["县科技局", "县财政局", "各乡镇人民政府"],
        "二、（一）1.（1）": ["县教育局"],
        "二、（一）1.（2）②": ["县教育局", "团县委", "县科协"],
        "二、（一）2.": ["县科协", "县教育局"],
        "二、（二）1.": ["县农业农村局", "县人社局"],
        "二、（二）2.": ["县农业农村局", "县科技局", "县科协"],
        "二、（二）3.": ["县委宣传部"],
        "三、（一）": ["县科普示范县创建工作领导小组办公室"],
    }
