"""Funding permissions (merged into core's ROLE_PERMISSIONS by create_app).

funding.view      see the radar, calls, who is interested; the own city's applications
funding.record    record and edit funding calls (city leads and the coordination)
funding.apply     mark interest, start joint applications, invite partners, answer invitations, set the own share
funding.contribute  notes and checklist ticks inside the own city's applications
funding.manage    the coordination: sees every application's inside
"""

PERMISSIONS = {
    "staff": {"funding.view", "funding.contribute"},
    "lead": {"funding.view", "funding.contribute", "funding.record", "funding.apply"},
    "coordinator": {"funding.view", "funding.record", "funding.manage"},
    "anonymous": set(),
}
