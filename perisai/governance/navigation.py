from django.utils.translation import gettext_lazy as _

from perisai.core.roles import Cap

ITEMS = [
    (Cap.STATS_VIEW, "governance:home", _("Governance")),
    (Cap.STATS_VIEW, "governance:stats_dashboard", _("Migration statistics")),
]
