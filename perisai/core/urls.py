from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.perisai_login, name="login"),
    path("accounts/logout/", views.perisai_logout, name="logout"),
    path("accounts/two-factor/", views.otp_verify, name="otp"),
    path("statistics/", views.statistics, name="statistics"),
    path("audit/", views.audit_log, name="audit_log"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/<uuid:public_id>/", views.inbox_message, name="inbox_message"),
    path("healthz", views.healthz, name="healthz"),
]
