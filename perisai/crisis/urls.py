from django.urls import path

from . import views, views_public

app_name = "crisis"

urlpatterns = [
    # The check-in link first: in a surge it is nearly every request, and URLs resolve in order.
    path("k/<str:token>/", views_public.checkin, name="checkin"),
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("feeds/", views.feeds, name="feeds"),
    path("wardens/", views.wardens, name="wardens"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/status/", views.set_status, name="set_status"),
    path("<uuid:public_id>/areas/new/", views.area_add, name="area_add"),
    path("areas/<uuid:public_id>/level/", views.area_level, name="area_level"),
    path("<uuid:public_id>/people/", views.population, name="population"),
    path("<uuid:public_id>/people/export/", views.population_export, name="population_export"),
    path("<uuid:public_id>/counts/export/", views.counts_export, name="counts_export"),
    path("<uuid:public_id>/unaccounted/", views.unaccounted, name="unaccounted"),
    path("<uuid:public_id>/people/<uuid:person_id>/", views.person, name="person"),
    path("<uuid:public_id>/people/<uuid:person_id>/report/", views.report, name="report"),
    path("<uuid:public_id>/people/<uuid:person_id>/note/", views.note, name="note"),
    path("<uuid:public_id>/alerts/new/", views.alert_new, name="alert_new"),
    path("<uuid:public_id>/call-down/", views.call_down, name="call_down"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:public_id>/approve/", views.alert_approve, name="alert_approve"),
    path("alerts/<uuid:public_id>/cancel/", views.alert_cancel, name="alert_cancel"),
    # Without sign-in: a warden's list, family enquiries (and the check-in link, above).
    path("w/<str:token>/", views_public.warden_list, name="warden_list"),
    path("family/", views_public.family, name="family"),
    path("family/code/", views_public.family_code, name="family_code"),
]
