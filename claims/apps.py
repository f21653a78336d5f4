from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from claims import checks  # noqa: F401 - registers the system checks
        from claims.middleware import session_started

        # Connected here, not on import of the middleware: a login can come before the first request.
        user_logged_in.connect(session_started, dispatch_uid="claims.session_started")
