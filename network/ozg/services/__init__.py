"""OZG services, one module per concern; this package re-exports every public name.

catalogue  loading the federal catalogue (idempotent upsert), Themenfelder, service search
statuses   a city's statuses: the status rules, saving one or a Themenfeld's table at once, the city page, CSV
matrix     the network matrix (Themenfelder -> services × member cities) and one service's page
"""

from network.ozg.services.catalogue import (DATA_DIR, CatalogueUnreadable, ImportResult, import_catalogue,
                                            themenfeld_slug, all_services, themenfelder, themenfeld_or_404,
                                            services_of_themenfeld, service_or_404, search_services)
from network.ozg.services.statuses import (FIELDS, BULK_FIELDS, DEFAULTS, city_or_404, may_edit, require_edit,
                                           parse_date, format_date_de, check_values, stale_message, save_status,
                                           BulkRow, bulk_rows, save_bulk, visible_statuses, status_of, city_page,
                                           own_projects, visible_practices, csv_header, export_rows, preview_import,
                                           run_import)
from network.ozg.services.matrix import (CITIES_PER_PAGE, MatrixFilters, matrix, matrix_rows, service_page)

__all__ = ["DATA_DIR", "CatalogueUnreadable", "ImportResult", "import_catalogue", "themenfeld_slug", "all_services",
           "themenfelder", "themenfeld_or_404", "services_of_themenfeld", "service_or_404", "search_services",
           "FIELDS", "BULK_FIELDS", "DEFAULTS", "city_or_404", "may_edit", "require_edit", "parse_date",
           "format_date_de", "check_values", "stale_message", "save_status", "BulkRow", "bulk_rows", "save_bulk",
           "visible_statuses", "status_of", "city_page", "own_projects", "visible_practices", "csv_header",
           "export_rows", "preview_import", "run_import", "CITIES_PER_PAGE", "MatrixFilters", "matrix",
           "matrix_rows", "service_page"]
