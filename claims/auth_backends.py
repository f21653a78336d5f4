"""How a signed-in user is read on each request."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from claims.models import User

# The user and the names of their role groups, in one row.
USER_WITH_ROLES_SQL = """
SELECT u.*, ARRAY(SELECT g.name FROM {group} g JOIN {user_group} r ON r.group_id = g.id WHERE r.user_id = u.id)
       AS role_names
FROM {user} u WHERE u.id = %s
"""
_TABLES = {"group": Group._meta.db_table, "user_group": User.groups.through._meta.db_table, "user": User._meta.db_table}
USER_WITH_ROLES_QUERY = USER_WITH_ROLES_SQL.format(**_TABLES)


class UserWithRolesBackend(ModelBackend):
    """Django's ModelBackend, whose signed-in user comes with their role names (claims.permissions.group_names)
    read in the same query: every staff page asks for both, first thing (claims.decorators.staff_view).

    The query is written out: building it with Django's compiler cost more than running it, on every
    signed-in request (docs/performance.md)."""

    def get_user(self, user_id):
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = next(iter(User._default_manager.raw(USER_WITH_ROLES_QUERY, [user_id])), None)
        if user is None:
            return None
        user._role_groups = frozenset(user.role_names)
        return user if self.user_can_authenticate(user) else None
