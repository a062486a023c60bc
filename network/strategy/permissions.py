"""Strategy permissions, merged into core's ROLE_PERMISSIONS by create_app.

strategy.edit   a city's lead records the own city's Digitalstrategie: vision, council decisions, documents and
                the city's own fields of action (reading follows the strategy's visibility through scope())
"""

PERMISSIONS = {
    "staff": set(),
    "lead": {"strategy.edit"},
    "coordinator": set(),
    "anonymous": set(),
}
