from django.utils.translation import gettext_lazy

from perisai.core.roles import Cap

from .views_reference import REFERENCE_CAP

ITEMS = [
    (Cap.SELF_SERVICE, "finance:home", gettext_lazy("My money")),
    (REFERENCE_CAP, "finance:reference", gettext_lazy("Rates and fee ceilings")),
]
