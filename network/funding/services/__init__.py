"""Funding services: calls and their deadlines, the radar, interest marks, joint applications, documents.

One module per part (see each docstring); this package re-exports every public name, so
``from network.funding import services; services.create_call(...)`` works. The reminder job is in
``network.funding.tasks``.
"""

from network.funding.services._common import (MAX_DEADLINES, MAX_TEXT, MAX_AMOUNT, PAGE_SIZE, RADAR_PAGE_SIZE,
                                              ACTIVE_APPLICATION, SEEING, _bool)
from network.funding.services.parsing import (parse_amount, parse_rate, parse_date)
from network.funding.services.radar import (fields_of_action, active_topics, filter_choices, get_call_or_404, calls_query,
                                            STATUS_FILTERS, radar, interests_by_call, own_applications_by_call,
                                            matching_projects, own_interest)
from network.funding.services.calls import (CALL_KEYS, call_values, create_call, update_call, mark_checked,
                                            set_interest)
from network.funding.services.applications import (get_application_or_404, may_see_application, membership,
                                                   applications_for, application_workspace, invitable_cities,
                                                   pending_invitations)
from network.funding.services.application_edits import (create_application, update_application, invite_partner,
                                                        answer_invitation)
from network.funding.services.workspace import (set_share, add_checklist_item, get_item_or_404, set_item_done,
                                                add_note)
from network.funding.services.documents import (documents, get_document_or_404, upload_document, delete_document)
from network.funding.services.panels import (relevant_call_ids_stmt, upcoming_deadlines, open_calls_on_topic)

__all__ = [
    'MAX_DEADLINES', 'MAX_TEXT', 'MAX_AMOUNT', 'PAGE_SIZE', 'RADAR_PAGE_SIZE', 'ACTIVE_APPLICATION', 'SEEING',
    'parse_amount',
    'parse_rate', 'parse_date', 'fields_of_action', 'active_topics', 'filter_choices', 'get_call_or_404', 'calls_query',
    'STATUS_FILTERS', 'radar', 'interests_by_call', 'own_applications_by_call', 'matching_projects', 'own_interest',
    'CALL_KEYS', 'call_values', 'create_call', 'update_call', 'mark_checked', 'set_interest',
    'get_application_or_404', 'may_see_application', 'membership', 'applications_for', 'application_workspace',
    'invitable_cities', 'pending_invitations', 'create_application', 'update_application', 'invite_partner',
    'answer_invitation', 'set_share', 'add_checklist_item', 'get_item_or_404', 'set_item_done', 'add_note',
    'documents', 'get_document_or_404', 'upload_document', 'delete_document', 'relevant_call_ids_stmt',
    'upcoming_deadlines', 'open_calls_on_topic'
]
