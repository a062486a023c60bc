"""Practices: write, revise, publish, attach, reuse, ask and answer, search. Services flush, never commit.

One module per concern; this package re-exports every public name, so ``from network.practices import
services; services.create_practice(...)`` reads the same for views, the API, other domains and tests:

* ``access``: who sees which practice (``visible_clause``, ``get_practice_or_404``)
* ``choices``: what the form offers (topics, fields of action, the own city's projects)
* ``writing``: check, create, update, publish, archive
* ``history``: the revisions, restoring, comparing
* ``uploads``: files attached to a practice
* ``reuse`` and ``faq``: what other cities do with a practice (mark its reuse, ask questions)
* ``fulltext``: the search row, search with facets and snippets
* ``facets``: the count, the facets and the ranked page over one evaluation of the match (one statement)
* ``lists``: lists for pages, panels and feeds; following
"""

from network.practices.services._common import MAX_QUESTION, MAX_SECTION, MAX_SUMMARY, VISIBLE_STATUSES
from network.practices.services.access import get_practice_or_404, is_own, may_edit, visible_clause
from network.practices.services.uploads import (add_attachment, attachments, delete_attachment,
                                                    get_attachment_or_404)
from network.practices.services.choices import field_choices, field_groups, project_choices, topic_choices
from network.practices.services.fulltext import (ALL_NETWORKS, COUNT_LIMIT, FACET_TOP, Filters, SearchHit,
                                                 SearchResult, marked_title, reindex, search, snippet)
from network.practices.services.lists import (follow_practice, linkable_practice, practice_choices, open_questions_for_city, own_drafts,
                                              practices_of_city, practices_on_topic, recent_public,
                                              rendered_sections)
from network.practices.services.faq import answer_question, ask_question, get_question_or_404, questions
from network.practices.services.reuse import own_reuse, reuse_reach, reuses, set_reuse
from network.practices.services.history import (DiffRow, FieldDiff, compare, get_revision_or_404,
                                                  restore_revision, revisions)
from network.practices.services.writing import archive_practice, create_practice, publish_practice, update_practice

__all__ = [
    "MAX_QUESTION", "MAX_SECTION", "MAX_SUMMARY", "VISIBLE_STATUSES",
    "get_practice_or_404", "is_own", "may_edit", "visible_clause",
    "add_attachment", "attachments", "delete_attachment", "get_attachment_or_404",
    "field_choices", "field_groups", "project_choices", "topic_choices",
    "ALL_NETWORKS", "COUNT_LIMIT", "FACET_TOP", "Filters", "SearchHit", "SearchResult", "marked_title", "reindex", "search", "snippet",
    "follow_practice", "linkable_practice", "practice_choices", "open_questions_for_city", "own_drafts", "practices_of_city", "practices_on_topic",
    "recent_public", "rendered_sections",
    "answer_question", "ask_question", "get_question_or_404", "questions",
    "own_reuse", "reuse_reach", "reuses", "set_reuse",
    "DiffRow", "FieldDiff", "compare", "get_revision_or_404", "restore_revision", "revisions",
    "archive_practice", "create_practice", "publish_practice", "update_practice",
]
