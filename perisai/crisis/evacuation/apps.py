from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvacuationConfig(AppConfig):
    """Preparedness, evacuation and after: part of the crisis module, with its own tables."""

    name = "perisai.crisis.evacuation"
    label = "evacuation"
    verbose_name = _("Preparedness and evacuation")
