"""How a signed-in user is read on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q, Value


class UserWithRolesBackend(ModelBackend):
    """Django's ModelBackend, whose signed-in user comes with their role names (claims.permissions.group_names)
    read in the same query: every staff page asks for both, first thing (claims.decorators.staff_view)."""

    def get_user(self, user_id):
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        users = get_user_model()._default_manager.annotate(
            role_names=ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=Value([]))
        )
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        user._role_groups = frozenset(user.role_names)
        return user if self.user_can_authenticate(user) else None
