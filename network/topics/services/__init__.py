"""Topics: fields of action, topics and proposals, lead claims with history, participation, the matrix.

One module per part (``reading``, ``matrix``, ``fields``, ``catalogue``, ``claims``, ``handover``,
``participation``, ``leaving``, ``city``); this package re-exports every public name, so callers keep writing
``from network.topics import services; services.claim_lead(...)``. To replace a function in a test, patch it
in the module that calls it (e.g. ``services.claims.current_lead``).
"""

from network.topics.services._common import DECISIONS, MAX_TEXT, RESERVED_SLUGS
from network.topics.services.catalogue import (
                                            create_topic,
                                            decide_proposal,
                                            propose_topic,
                                            update_topic,
)
from network.topics.services.city import CITY_TOPICS_LIMIT, city_topics
from network.topics.services.claims import (
                                            claim_lead,
                                            current_lead,
                                            decide_claim,
                                            get_claim_or_404,
                                            own_open_claim,
                                            withdraw_lead,
)
from network.topics.services.fields import create_field, update_field
from network.topics.services.handover import (
                                            accept_handover,
                                            get_handover_or_404,
                                            hand_over_lead,
)
from network.topics.services.leaving import on_city_left, release_city
from network.topics.services.matrix import MATRIX_PAGE_SIZE, matrix, matrix_export
from network.topics.services.participation import (
                                            join_topic,
                                            leave_topic,
                                            own_participation,
)
from network.topics.services.reading import (
                                            HANDOVER_SELECT_LIMIT,
                                            TOPIC_SECTION_SIZE,
                                            city_users,
                                            fields_of_action,
                                            get_field_or_404,
                                            get_topic_or_404,
                                            handover_choices,
                                            list_topics,
                                            member_cities_except,
                                            page_choices,
                                            pending_decisions,
                                            proposals,
                                            topic_overview,
                                            topic_page,
                                            topic_summaries,
)

__all__ = [
                                            "CITY_TOPICS_LIMIT",
                                            "DECISIONS",
                                            "HANDOVER_SELECT_LIMIT",
                                            "MATRIX_PAGE_SIZE",
                                            "MAX_TEXT",
                                            "RESERVED_SLUGS",
                                            "TOPIC_SECTION_SIZE",
                                            "accept_handover",
                                            "city_topics",
                                            "city_users",
                                            "claim_lead",
                                            "create_field",
                                            "create_topic",
                                            "current_lead",
                                            "decide_claim",
                                            "decide_proposal",
                                            "fields_of_action",
                                            "get_claim_or_404",
                                            "get_field_or_404",
                                            "get_handover_or_404",
                                            "get_topic_or_404",
                                            "hand_over_lead",
                                            "handover_choices",
                                            "join_topic",
                                            "leave_topic",
                                            "list_topics",
                                            "matrix",
                                            "matrix_export",
                                            "member_cities_except",
                                            "on_city_left",
                                            "own_open_claim",
                                            "own_participation",
                                            "page_choices",
                                            "pending_decisions",
                                            "proposals",
                                            "propose_topic",
                                            "release_city",
                                            "topic_overview",
                                            "topic_page",
                                            "topic_summaries",
                                            "update_field",
                                            "update_topic",
                                            "withdraw_lead",
]
