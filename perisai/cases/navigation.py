from django.utils.translation import gettext_lazy

from perisai.core.roles import Cap

ITEMS = [
    (Cap.CASE_VIEW, "cases:queue", gettext_lazy("Cases")),
    (Cap.CASE_VIEW, "cases:inbox", gettext_lazy("Referrals")),
    (Cap.CASE_SUPERVISE, "cases:supervision", gettext_lazy("Supervision")),
    (Cap.STATS_VIEW, "cases:dashboard", gettext_lazy("Case reports")),
]
