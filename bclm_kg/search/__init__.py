"""Search the evidence without SPARQL: facets, questions in English and Chinese, results.

No web framework here: ``bclm_kg.web.api`` and the evidence view translate HTTP to these calls.
"""

from .engine import SORTS, Search
from .errors import SearchError
from .facets import FACETS, KINDS
from .selection import Paging, Selection

__all__ = ["FACETS", "KINDS", "SORTS", "Paging", "Search", "SearchError", "Selection"]
