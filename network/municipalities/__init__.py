"""Member cities (the tenants)."""
