from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "perisai.helpdesk"
    label = "helpdesk"
    verbose_name = _("Help desk")

    def ready(self) -> None:
        from perisai.cases.signals import case_closed

        from . import checks  # noqa: F401 (registers the system checks)
        from .actions import on_case_closed

        # The case of a conversation was closed in case management: plan the follow-up she agreed to.
        case_closed.connect(on_case_closed, dispatch_uid="helpdesk.case_closed")
