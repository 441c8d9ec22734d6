"""The query stage: question + history → a frozen ``Query`` (intent, regions, years, scope, terms).

``understand(question, history, known, today)`` parses once; nothing downstream re-reads the raw
question. ``Known`` is the collection's regions / titles / 文号 as data.
"""

from query.known import Known
from query.types import Intent, Query
from query.understand import understand, user_turns

__all__ = ["Intent", "Known", "Query", "understand", "user_turns"]
