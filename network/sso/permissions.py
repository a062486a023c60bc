"""Who registers a city's identity provider: the city's lead, or the platform administration (issue #18)."""

PERMISSIONS = {
    "lead": {"sso.manage"},
    "platform_admin": {"sso.manage"},
}
