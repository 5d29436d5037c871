from django.utils.translation import gettext_lazy as _

from perisai.core.roles import Cap

ITEMS = [(Cap.CRISIS_VIEW, "crisis:index", _("Crises"))]
