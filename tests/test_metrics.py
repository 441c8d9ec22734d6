"""Each benchmark metric on small hand-made cases, including cases that must score low."""

from __future__ import annotations

import doctest
import importlib

import pytest

from eval import metrics as m
from eval.matching import covers, longest_common_substring, normalize, passage_covers

YZ = "002_yangzhou.txt"
AH = "000_anhui.txt"

# A clause as ingest would give it, and gold evidences about it.
CLAUSE_TARGET = "一、主要目标。到2025年，全市公民具备科学素质的比例超过15%，各区域、各人群科学素质发展不平衡明显改善。"
CLAUSE_FARMERS = "（二）农民科学素质提升行动。每年培训高素质农民500人次以上。（牵头单位：市农业农村局；配合单位：市科协）"
CLAUSE_FUNDS = "（二）加大经费投入。市财政将科普经费列入年度预算，逐步提高人均科普经费标准。"
EV_TARGET = {"doc": YZ, "evidence": "全市公民具备科学素质的比例超过15%"}
EV_FARMERS = {"doc": YZ, "evidence": "每年培训高素质农民500人次以上"}


def p(text: str, doc: str = YZ, **kw) -> dict:
    return {"doc": doc, "text": text, **kw}


@pytest.mark.parametrize("name", ["eval.matching", "eval.metrics", "eval.gold_io", "eval.scoring", "eval.report",
                                  "eval.baseline"])
def test_docstring_examples_hold(name):
    assert doctest.testmod(importlib.import_module(name)).failed == 0


# ----------------------------------------------------------------------------- matching rule


def test_normalisation_removes_all_whitespace_and_folds_full_width():
    assert normalize("到 2025 年\n\u3000比例达到１５％") == "到2025年比例达到15%"


def test_clause_containing_evidence_across_a_page_break_covers_it():
    clause = "到2025年，全市公民具备科学素质的比例\n\n超过15%，各区域发展不平衡明显改善。"
    assert covers(clause, "全市公民具备科学素质的比例超过15%")


def test_evidence_crossing_a_clause_boundary_is_covered_by_the_clause_holding_most_of_it():
    # 60% of the evidence lies in this clause, the rest in the next one.
    evidence = "市财政将科普经费列入年度预算，逐步提高人均科普经费标准。（三）强化监测。"
    assert longest_common_substring(normalize(CLAUSE_FUNDS), normalize(evidence)) >= 0.6 * len(normalize(evidence))
    assert covers(CLAUSE_FUNDS, evidence)


def test_clause_sharing_only_a_short_phrase_does_not_cover():
    assert not covers(CLAUSE_FUNDS, "市财政设立科普专项资金，支持基层科普设施建设和科普人才培养")
    assert not covers(CLAUSE_FARMERS, EV_TARGET["evidence"])


def test_coverage_requires_the_same_source_file():
    assert passage_covers(YZ, CLAUSE_TARGET, YZ, EV_TARGET["evidence"])
    assert not passage_covers(AH, CLAUSE_TARGET, YZ, EV_TARGET["evidence"])


def test_longest_common_substring_matches_a_brute_force_count():
    a, b = "加强科普人才队伍建设培育", "建设科普人才队伍"
    brute = max(j - i for i in range(len(b)) for j in range(i, len(b) + 1) if b[i:j] in a)
    assert longest_common_substring(a, b) == brute == 6


# ----------------------------------------------------------------------------- retrieval


def test_recall_at_k_counts_evidence_found_within_the_top_k():
    ranked = [p(CLAUSE_FUNDS), p(CLAUSE_FARMERS), p(CLAUSE_TARGET)]
    assert m.evidence_recall(ranked, [EV_TARGET], 1) == 0.0
    assert m.evidence_recall(ranked, [EV_TARGET], 3) == 1.0


def test_recall_of_a_two_evidence_item_is_the_share_found():
    ranked = [p(CLAUSE_TARGET), p(CLAUSE_FUNDS)]
    assert m.evidence_recall(ranked, [EV_TARGET, EV_FARMERS], 5) == 0.5


def test_retrieval_that_misses_everything_scores_zero_recall_and_mrr():
    ranked = [p(CLAUSE_FUNDS)] * 10
    assert m.evidence_recall(ranked, [EV_TARGET], 10) == 0.0
    assert m.reciprocal_rank(ranked, [EV_TARGET]) == 0.0


def test_the_right_clause_from_the_wrong_document_does_not_count():
    assert m.evidence_recall([p(CLAUSE_TARGET, doc=AH)], [EV_TARGET], 5) == 0.0


def test_mrr_is_one_over_the_rank_of_the_first_covering_passage():
    ranked = [p(CLAUSE_FUNDS), p(CLAUSE_TARGET), p(CLAUSE_FARMERS)]
    assert m.reciprocal_rank(ranked, [EV_TARGET, EV_FARMERS]) == 0.5


def test_relevant_passage_below_rank_ten_gives_no_mrr():
    ranked = [p(CLAUSE_FUNDS)] * 10 + [p(CLAUSE_TARGET)]
    assert m.reciprocal_rank(ranked, [EV_TARGET], k=10) == 0.0


def test_retrieval_metrics_do_not_apply_to_unanswerable_items():
    assert m.evidence_recall([p(CLAUSE_TARGET)], [], 5) is None
    assert m.reciprocal_rank([p(CLAUSE_TARGET)], []) is None


# ----------------------------------------------------------------------------- citations


def test_citation_precision_and_recall_of_an_exact_citation_are_one():
    cites = [p(CLAUSE_TARGET, n=1, clause_id="yz/一、")]
    assert m.citation_precision(cites, [EV_TARGET]) == 1.0
    assert m.citation_recall(cites, [EV_TARGET]) == 1.0


def test_padding_citations_lowers_precision_not_recall():
    cites = [p(CLAUSE_TARGET), p(CLAUSE_FUNDS), p(CLAUSE_FARMERS), p("（一）加强组织领导。")]
    assert m.citation_precision(cites, [EV_TARGET]) == 0.25
    assert m.citation_recall(cites, [EV_TARGET]) == 1.0


def test_citing_only_wrong_clauses_scores_zero():
    cites = [p(CLAUSE_FUNDS)]
    assert m.citation_precision(cites, [EV_TARGET]) == 0.0
    assert m.citation_recall(cites, [EV_TARGET]) == 0.0


def test_an_answer_without_citations_has_zero_recall_and_no_precision():
    assert m.citation_recall([], [EV_TARGET]) == 0.0
    assert m.citation_precision([], [EV_TARGET]) is None


def test_citation_validity_flags_clauses_that_were_never_retrieved():
    cites = [{"clause_id": "yz/一、"}, {"clause_id": "yz/三、（二）"}]
    assert m.citation_validity(cites, ["yz/一、", "yz/三、（二）", "yz/二、"]) == 1.0
    assert m.citation_validity(cites, ["yz/二、"]) == 0.0


# ----------------------------------------------------------------------------- keywords


def test_keywords_match_after_normalisation():
    assert m.keyword_hit("全市公民具备科学素质的比例超过１５％[1]。", ["15%", "科学 素质"])


def test_an_answer_missing_one_keyword_fails_and_names_it():
    answer = "牵头单位：市农业农村局[1]。"
    assert m.keyword_hit(answer, ["市农业农村局", "市科协"]) is False
    assert m.keyword_missing(answer, ["市农业农村局", "市科协"]) == ["市科协"]


def test_a_refusal_fails_keyword_accuracy():
    assert m.keyword_hit("文件中没有找到关于扬州市科普经费的规定。", ["15%"]) is False


# ----------------------------------------------------------------------------- numbers


def test_numbers_copied_from_the_cited_clause_are_faithful():
    cites = [p(CLAUSE_TARGET, n=1, section_path="一、")]
    assert m.number_fidelity("到2025年，全市公民具备科学素质的比例超过15%[1]。", cites) == (2, [])


def test_a_changed_figure_is_caught():
    cites = [p(CLAUSE_TARGET, n=1, section_path="一、")]
    assert m.number_fidelity("到2025年，比例超过18%[1]。", cites) == (2, ["18"])


def test_a_number_only_inside_a_longer_number_does_not_count():
    cites = [p("2015年以来，人均科普经费达到3元。", n=1)]
    assert m.number_fidelity("人均科普经费达到15元[1]。", cites) == (1, ["15"])


def test_markers_titles_doc_numbers_and_section_paths_are_not_numbers_of_the_answer():
    cites = [p(CLAUSE_FARMERS, n=3, section_path="二、（二）1.", doc_number="扬府办发〔2022〕37号")]
    text = "根据《扬州市全民科学素质行动实施方案（2021—2025年）》（扬府办发〔2022〕37号）二、（二）1.，每年培训高素质农民500人次以上[3]。"
    assert m.number_fidelity(text, cites) == (1, [])


def test_numbers_without_any_citation_are_all_unfaithful():
    assert m.number_fidelity("比例超过15%。", []) == (1, ["15"])


# ----------------------------------------------------------------------------- lexical support


def test_verbatim_cited_sentences_are_supported():
    cites = [p(CLAUSE_TARGET, n=1, section_path="一、"), p(CLAUSE_FARMERS, n=2, section_path="（二）")]
    sentences = [
        {"text": "到2025年，全市公民具备科学素质的比例超过15%[1]。", "citations": [1]},
        {"text": "每年培训高素质农民500人次以上[2]。", "citations": [2]},
    ]
    assert m.lexical_support(sentences, cites, tau=0.8) == (2, 2)


def test_a_sentence_citing_the_wrong_clause_is_unsupported():
    cites = [p(CLAUSE_TARGET, n=1), p(CLAUSE_FARMERS, n=2)]
    sentences = [{"text": "每年培训高素质农民500人次以上[1]。", "citations": [1]}]
    assert m.lexical_support(sentences, cites) == (1, 0)


def test_paraphrase_below_tau_is_unsupported_and_uncited_sentences_count_against():
    cites = [p(CLAUSE_FUNDS, n=1)]
    sentences = [
        {"text": "政府会想办法多给科普拨钱[1]。", "citations": [1]},
        {"text": "市财政将科普经费列入年度预算。", "citations": []},
    ]
    assert m.lexical_support(sentences, cites) == (2, 0)


def test_tau_decides_support():
    cites = [p(CLAUSE_FUNDS, n=1)]
    sentences = [{"text": "市财政将科普经费列入年度预算并设立奖励[1]。", "citations": [1]}]
    share = m.bigram_support("市财政将科普经费列入年度预算并设立奖励", [CLAUSE_FUNDS])
    assert 0.5 < share < 0.8
    assert m.lexical_support(sentences, cites, tau=0.8) == (1, 0)
    assert m.lexical_support(sentences, cites, tau=0.5) == (1, 1)


# ----------------------------------------------------------------------------- aggregation


def test_latency_percentiles():
    lat = list(range(1, 101))
    assert m.percentile(lat, 50) == 50.5
    assert m.percentile(lat, 95) == pytest.approx(95.05)
    assert m.percentile([], 50) is None


def test_mean_skips_items_the_metric_does_not_apply_to():
    assert m.mean([True, False, None, None]) == 0.5


def test_attribution_framing_does_not_count_against_a_quoted_sentence():
    cites = [{"n": 1, "text": CLAUSE_FARMERS, "section_path": "二、（二）", "doc_number": "扬府办发〔2022〕37号"}]
    sentence = ("《关于贯彻落实《全民科学素质行动规划纲要（2021—2035年）》的实施方案》（扬府办发〔2022〕37号）二、（二）："
                "每年培训高素质农民500人次以上[1]。")
    assert m.lexical_support([{"text": sentence, "citations": [1]}], cites) == (1, 1)


def test_fragments_joined_across_punctuation_are_still_supported():
    cites = [p(CLAUSE_FUNDS, n=1)]
    sentences = [{"text": "加大经费投入；逐步提高人均科普经费标准[1]。", "citations": [1]}]
    assert m.lexical_support(sentences, cites) == (1, 1)


def test_a_section_path_inside_a_number_is_not_stripped():
    cites = [p("人均科普经费不低于1.5元。", n=1, section_path="1.")]
    assert m.number_fidelity("1.人均科普经费不低于1.5元[1]。", cites) == (1, [])
