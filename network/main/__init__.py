"""Start page, dashboard, audit log, language switch, health check."""
