"""Helpers for data migrations that grant permissions to the role groups.

Model permissions are normally created after all migrations have run (by the
``post_migrate`` signal), so a data migration that grants them must create
them first. These functions only use the historical ``apps`` they are given.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, grants: dict[str, list[str]]) -> None:
    """Add permissions (``"app_label.codename"``) to groups named by role label."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in grants.items():
        group = Group.objects.get(name=group_name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, grants: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in grants.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
