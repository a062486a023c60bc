"""Named permissions of the practices domain (merged into core's ROLE_PERMISSIONS)."""

PERMISSIONS = {
    "anonymous": {"practice.view_public"},
    "staff": {"practice.view_public", "practice.view", "practice.write", "practice.reuse", "practice.ask",
              "practice.answer"},
    "lead": {"practice.view_public", "practice.view", "practice.write", "practice.publish", "practice.reuse",
             "practice.ask", "practice.answer"},
    "coordinator": {"practice.view_public", "practice.view"},
}
