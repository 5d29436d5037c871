from django.urls import path

from . import views, views_pwa, views_reference

app_name = "finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("catat/", views.quick, name="quick"),
    path("entri/", views.entries, name="entries"),
    path("entri/<uuid:public_id>/", views.entry_edit, name="entry_edit"),
    path("dompet/", views.wallets, name="wallets"),
    path("dompet/<uuid:public_id>/arsip/", views.wallet_archive, name="wallet_archive"),
    path("anggaran/", views.budgets, name="budgets"),
    path("tabungan/", views.goals, name="goals"),
    path("tabungan/<uuid:public_id>/hapus/", views.goal_delete, name="goal_delete"),
    path("utang/", views.debts, name="debts"),
    path("utang/<uuid:public_id>/", views.debt_detail, name="debt_detail"),
    path("utang/<uuid:public_id>/hapus/", views.debt_delete, name="debt_delete"),
    path("kiriman/", views.transfers, name="transfers"),
    path("bulanan/", views.recurrences, name="recurrences"),
    path("bulanan/<uuid:public_id>/berhenti/", views.recurrence_stop, name="recurrence_stop"),
    path("laporan/", views.report, name="report"),
    path("data/", views.data, name="data"),
    path("data/ekspor.csv", views.export, name="export"),
    path("data/impor/", views.import_csv, name="import"),
    path("data/hapus/", views.erase, name="erase"),
    path("sw.js", views_pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_pwa.manifest, name="manifest"),
    path("offline/", views_pwa.offline, name="offline"),
    path("referensi/", views_reference.reference, name="reference"),
    path("referensi/plafon/<int:pk>/", views_reference.ceiling_edit, name="ceiling_edit"),
]
