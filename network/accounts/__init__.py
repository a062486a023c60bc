"""Accounts, sessions, invitations, API tokens."""
