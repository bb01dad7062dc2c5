"""The newsroom's roles and exactly the permissions each one has.

A migration creates the groups from this table; ``sync_roles`` makes the
groups match it again whenever the table changes.
"""

CONTRIBUTOR = "通讯员/记者"
EDITOR = "编辑"
CHIEF_EDITOR = "总编"
IMPORTER = "导入员"

_READ_REFERENCE = ["view_region", "view_bureau", "view_correspondent", "view_issue", "view_page"]
_STORY_PARTS = [f"{verb}_{model}" for model in ("credit", "photo") for verb in ("add", "change", "delete", "view")]

ROLES = {
    CONTRIBUTOR: ["add_story", "change_story", "view_story", "submit_story", *_STORY_PARTS, *_READ_REFERENCE],
    EDITOR: [
        "add_story",
        "change_story",
        "view_story",
        "submit_story",
        "review_story",
        "view_transition",
        *_STORY_PARTS,
        *_READ_REFERENCE,
        "add_issue",
        "change_issue",
        "add_page",
        "change_page",
        # Topics (专题) are the desk's: which subject a story belongs to is an editorial call.
        "add_topic",
        "change_topic",
        "delete_topic",
        "view_topic",
    ],
    IMPORTER: [
        "import_bulletin",
        "view_importbatch",
        "view_importedstory",
        "add_story",
        "change_story",
        "view_story",
        *_STORY_PARTS,
        *_READ_REFERENCE,
        "add_issue",
        "change_issue",
        "add_page",
        "change_page",
        "add_correspondent",
        "change_correspondent",
        "add_bureau",
        "change_bureau",
    ],
}
ROLES[CHIEF_EDITOR] = [*ROLES[EDITOR], "publish_story"]


def sync_roles(group_model, permission_model, *, strict=True):
    """Make each role's group hold exactly the permissions in ``ROLES``.

    Not ``strict`` inside migrations: an early migration does not yet know the
    permissions of models a later one adds, and that later one syncs again.
    """
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = list(permission_model.objects.filter(content_type__app_label="newsroom", codename__in=codenames))
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing and strict:
            raise LookupError(f"Role {name}: unknown permissions {sorted(missing)}")
        group.permissions.set(permissions)


def install_roles(apps, schema_editor):
    """For migrations: create the permissions now (Django makes them only after all
    migrations) and make the groups match ``ROLES``."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), strict=False)
