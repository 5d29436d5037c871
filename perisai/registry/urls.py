from .views_citizen import urlpatterns as citizen_urlpatterns
from .views_officer import urlpatterns as officer_urlpatterns

app_name = "registry"

urlpatterns = [*officer_urlpatterns, *citizen_urlpatterns]
