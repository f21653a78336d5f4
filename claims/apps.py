from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Imported for what loading them does: the system checks register, the workflow gives `may` its table.
        from claims import checks, workflow  # noqa: F401
        from claims.middleware import session_started

        # Connected here, not on import of the middleware: a login can come before the first request.
        user_logged_in.connect(session_started, dispatch_uid="claims.session_started")
