from django.utils.translation import gettext_lazy

from perisai.core.roles import Cap

ITEMS = [(Cap.CRISIS_VIEW, "evacuation:home", gettext_lazy("Evacuation"))]
