"""Inventory: a city's digital projects (Vorhaben), roadmap, yearly status reports, CSV import and export."""
