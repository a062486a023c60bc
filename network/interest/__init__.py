"""Interest registrations, following, notifications and digests, privacy tools."""
