from django.utils.translation import gettext_lazy as _

from perisai.core.roles import Cap

ITEMS = [
    (Cap.SELF_SERVICE, "helpdesk:chat", _("Get help")),
    (Cap.HELPDESK_ANSWER, "helpdesk:queue", _("Help desk")),
    (Cap.HELPDESK_EDIT_FLOWS, "helpdesk:flows", _("Bot flows")),
]
