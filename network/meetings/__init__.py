"""Meetings: bodies, date polls, rotating hosts, agenda, RSVPs, minutes, calendar feeds, reminders."""
