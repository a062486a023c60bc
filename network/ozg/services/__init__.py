"""OZG services, one module per concern; this package re-exports every public name.

catalogue  loading the federal catalogue (idempotent upsert), Themenfelder, service search
statuses   a city's statuses: the status rules, saving one or a Themenfeld's table at once, the city page
csvio      the statuses as CSV: export, import with preview and row errors
matrix     the network matrix (Themenfelder -> services × member cities) and one service's page
"""

from network.ozg.services.catalogue import (
                                            DATA_DIR,
                                            CatalogueUnreadable,
                                            ImportResult,
                                            all_services,
                                            import_catalogue,
                                            search_services,
                                            service_or_404,
                                            services_of_themenfeld,
                                            themenfeld_or_404,
                                            themenfeld_slug,
                                            themenfelder,
)
from network.ozg.services.csvio import (
                                            csv_header,
                                            export_rows,
                                            preview_import,
                                            run_import,
)
from network.ozg.services.matrix import (
                                            CITIES_PER_PAGE,
                                            MatrixFilters,
                                            matrix,
                                            matrix_rows,
                                            service_page,
)
from network.ozg.services.statuses import (
                                            BULK_FIELDS,
                                            DEFAULTS,
                                            FIELDS,
                                            BulkRow,
                                            bulk_rows,
                                            check_values,
                                            city_or_404,
                                            city_page,
                                            format_date_de,
                                            may_edit,
                                            own_projects,
                                            parse_date,
                                            require_edit,
                                            save_bulk,
                                            save_status,
                                            stale_message,
                                            status_of,
                                            visible_practices,
                                            visible_statuses,
)

__all__ = [
                                            "BULK_FIELDS",
                                            "CITIES_PER_PAGE",
                                            "DATA_DIR",
                                            "DEFAULTS",
                                            "FIELDS",
                                            "BulkRow",
                                            "CatalogueUnreadable",
                                            "ImportResult",
                                            "MatrixFilters",
                                            "all_services",
                                            "bulk_rows",
                                            "check_values",
                                            "city_or_404",
                                            "city_page",
                                            "csv_header",
                                            "export_rows",
                                            "format_date_de",
                                            "import_catalogue",
                                            "matrix",
                                            "matrix_rows",
                                            "may_edit",
                                            "own_projects",
                                            "parse_date",
                                            "preview_import",
                                            "require_edit",
                                            "run_import",
                                            "save_bulk",
                                            "save_status",
                                            "search_services",
                                            "service_or_404",
                                            "service_page",
                                            "services_of_themenfeld",
                                            "stale_message",
                                            "status_of",
                                            "themenfeld_or_404",
                                            "themenfeld_slug",
                                            "themenfelder",
                                            "visible_practices",
                                            "visible_statuses",
]
