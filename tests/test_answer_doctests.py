"""The docstring examples of the chatbot modules are tests too."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["chatbot.sentences", "chatbot.qtype", "chatbot.cite", "chatbot.compose", "chatbot.followup",
           "chatbot.llm", "chatbot.answer"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
