"""Strategy services; this package re-exports every public name.

reading  the strategy page: the strategy as far as the reader may see it, fields with projects, roadmap, reports
writing  the lead's changes: vision and visibility, council decisions, documents, the city's own fields of action
"""

from network.strategy.services.reading import (
                                               document_or_404,
                                               may_edit,
                                               strategy_or_404,
                                               strategy_page,
)
from network.strategy.services.writing import (
                                               add_decision,
                                               add_document,
                                               add_field,
                                               delete_decision,
                                               delete_document,
                                               delete_field,
                                               field_or_404,
                                               parse_day,
                                               save_strategy,
                                               update_field,
)

__all__ = ["add_decision", "add_document", "add_field", "delete_decision", "delete_document", "delete_field",
           "document_or_404", "field_or_404", "may_edit", "parse_day", "save_strategy", "strategy_or_404",
           "strategy_page", "update_field"]
