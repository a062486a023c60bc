"""Inventory permissions, merged into core's ROLE_PERMISSIONS by create_app.

project.view      see the inventories (what scope() lets through)
project.draft     record projects for the own city; staff records drafts and may change only their own drafts
project.manage    a lead: edit, release and delete every project of the own city, import CSV
report.freeze     a lead: freeze the inventory into the yearly status report
"""

PERMISSIONS = {
    "staff": {"project.view", "project.draft"},
    "lead": {"project.view", "project.draft", "project.manage", "report.freeze"},
    "coordinator": {"project.view"},
    "anonymous": set(),
}
