from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        # Imported for what loading them does: the system checks register, the workflow gives `may` its table.
        from claims import checks, workflow  # noqa: F401
        from claims.middleware import session_started
        from claims.models import User
        from claims.selectors import install_workspace_fingerprint

        # Connected here, not on import of the middleware: a login can come before the first request.
        user_logged_in.connect(session_started, dispatch_uid="claims.session_started")
        # The database function the workspace's kept pages are checked with, as this release writes it.
        post_migrate.connect(install_workspace_fingerprint, sender=self, dispatch_uid="claims.workspace_fingerprint")

        # The people pickers' staff list (claims.selectors.people_to_pick): who is on staff, in which role.
        post_save.connect(_user_saved, sender=User, dispatch_uid="claims.staff_list.user_saved")
        post_delete.connect(_staff_changed, sender=User, dispatch_uid="claims.staff_list.user_deleted")
        m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="claims.staff_list.roles")
        post_save.connect(_staff_changed, sender=Group, dispatch_uid="claims.staff_list.group_saved")
        post_delete.connect(_staff_changed, sender=Group, dispatch_uid="claims.staff_list.group_deleted")


# What a picker shows of a person, or whether it offers them at all.
PICKED_USER_FIELDS = frozenset({"username", "is_active", "is_superuser"})


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or PICKED_USER_FIELDS & set(update_fields):  # not a login's last_login
        _staff_changed()


def _roles_changed(action, **kwargs):
    if action.startswith("post_"):
        _staff_changed()


def _staff_changed(**kwargs):
    from claims.selectors import staff_list_changed

    staff_list_changed()
