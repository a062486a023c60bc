"""Inventory services, one module per concern; this package re-exports every public name, so
``from network.inventory import services; services.create_project(...)`` keeps working.

parsers    months, amounts (0 – 10^12 €), yes/no, shared by forms, API and CSV import
queries    reading: inventory, filters, roadmap, network overview, CSV export (tenancy via scope())
projects   writing: check, create, update (optimistic locking), release, delete
reports    status reports: freeze, report page, changes against the previous report
bulk       Sammelpflege: status, priority and end of a page of projects saved together (all or nothing)
providers  panels, the funding radar, the practices form, the weekly digest
"""

from network.inventory.services._common import MAX_SUMMARY, OPEN_STATUSES, SNAPSHOT_FIELDS
from network.inventory.services.parsers import (MAX_BUDGET_EUR, AmountOutOfRange, parse_month, format_month,
                                                parse_budget, parse_bool, format_eur)
from network.inventory.services.queries import (city_or_404, fields_of_action, active_topics, city_fields,
                                                field_choices, OVERVIEW_PAGE_SIZE, visible,
                                                get_project_or_404, may_edit, require_edit, Filters, status_counts,
                                                group_by_field, inventory, roadmap, overview, export_rows,
                                                city_field_list, group_by_city_field, own_grouping, NoCityField)
from network.inventory.services.projects import (check_project, create_project, budget_range_message, stale_message,
                                                 update_project, project_values, release_project, delete_project)
from network.inventory.services.reports import (list_reports, get_report_or_404, report_entries, previous_report,
                                                Changes, compare, field_status_counts, report_view, pending_changes,
                                                freeze_report, report_rows)
from network.inventory.services.bulk import (PAGE_SIZE, BULK_FIELDS, BulkFilters, BulkRow, bulk_page, latest_report,
                                             save_bulk, conflict_message)
from network.inventory.services.providers import (topic_projects, city_summary, matching_projects, city_projects,
                                                  reports_digest_section)

__all__ = ['MAX_SUMMARY', 'OPEN_STATUSES', 'SNAPSHOT_FIELDS', 'MAX_BUDGET_EUR', 'AmountOutOfRange', 'parse_month',
           'format_month', 'parse_budget', 'parse_bool', 'format_eur', 'city_or_404', 'fields_of_action',
           'active_topics', 'city_fields', 'field_choices', 'OVERVIEW_PAGE_SIZE', 'visible', 'get_project_or_404',
           'may_edit', 'require_edit', 'Filters', 'status_counts',
           'group_by_field', 'city_field_list', 'group_by_city_field', 'own_grouping', 'NoCityField', 'inventory', 'roadmap', 'overview', 'export_rows', 'check_project', 'create_project',
           'budget_range_message', 'stale_message', 'update_project', 'project_values', 'release_project',
           'delete_project', 'list_reports', 'get_report_or_404', 'report_entries', 'previous_report', 'Changes',
           'compare', 'field_status_counts', 'report_view', 'pending_changes', 'freeze_report', 'report_rows',
           'topic_projects', 'city_summary', 'matching_projects', 'city_projects', 'reports_digest_section',
           'PAGE_SIZE', 'BULK_FIELDS', 'BulkFilters', 'BulkRow', 'bulk_page', 'latest_report', 'save_bulk',
           'conflict_message']
