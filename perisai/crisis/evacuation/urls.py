from django.urls import path

from . import views_legs, views_ops, views_plans

app_name = "evacuation"

urlpatterns = [
    path("", views_plans.home, name="home"),
    path("sw.js", views_legs.service_worker, name="service_worker"),
    # Preparedness
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path("plans/<uuid:plan_id>/", views_plans.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("plans/<uuid:plan_id>/publish/", views_plans.plan_publish, name="plan_publish"),
    path("plans/<uuid:plan_id>/draft.pdf", views_plans.plan_draft_pdf, name="plan_draft_pdf"),
    path("plans/<uuid:plan_id>/v/<int:number>/", views_plans.plan_version, name="plan_version"),
    path("plans/<uuid:plan_id>/v/<int:number>/pdf/", views_plans.plan_version_pdf, name="plan_version_pdf"),
    path("plans/<uuid:plan_id>/drill/", views_plans.drill_start, name="drill_start"),
    path("plans/<uuid:plan_id>/<slug:section>/add/", views_plans.plan_item_add, name="plan_item_add"),
    path(
        "plans/<uuid:plan_id>/<slug:section>/<int:item_id>/",
        views_plans.plan_item_edit,
        name="plan_item_edit",
    ),
    path(
        "plans/<uuid:plan_id>/<slug:section>/<int:item_id>/delete/",
        views_plans.plan_item_delete,
        name="plan_item_delete",
    ),
    path("drills/<uuid:drill_id>/", views_plans.drill_detail, name="drill_detail"),
    path("drills/<uuid:drill_id>/level/", views_plans.drill_level, name="drill_level"),
    path("drills/<uuid:drill_id>/alert/", views_plans.drill_alert, name="drill_alert"),
    path(
        "drills/<uuid:drill_id>/alert/<uuid:alert_id>/approve/",
        views_plans.drill_alert_approve,
        name="drill_alert_approve",
    ),
    path("drills/<uuid:drill_id>/call-down/", views_plans.drill_call_down, name="drill_call_down"),
    path("drills/<uuid:drill_id>/finish/", views_plans.drill_finish, name="drill_finish"),
    # Evacuations
    path("new/", views_ops.operation_start, name="operation_start"),
    path("ops/<uuid:op_id>/", views_ops.operation_detail, name="operation_detail"),
    path("ops/<uuid:op_id>/sync/", views_ops.operation_sync, name="operation_sync"),
    path("ops/<uuid:op_id>/plan/", views_ops.operation_plan, name="operation_plan"),
    path("ops/<uuid:op_id>/people/", views_ops.operation_people, name="operation_people"),
    path("ops/<uuid:op_id>/people/add/", views_ops.operation_add_person, name="operation_add_person"),
    path("ops/<uuid:op_id>/foreign/", views_ops.operation_foreign, name="operation_foreign"),
    path("ops/<uuid:op_id>/foreign/add/", views_ops.operation_add_foreign, name="operation_add_foreign"),
    path("ops/<uuid:op_id>/legs/add/", views_ops.operation_add_leg, name="operation_add_leg"),
    path("ops/<uuid:op_id>/sites/add/", views_ops.operation_add_site, name="operation_add_site"),
    path("ops/<uuid:op_id>/close/", views_ops.operation_close, name="operation_close"),
    path("ops/<uuid:op_id>/after/", views_ops.operation_after, name="operation_after"),
    path("ops/<uuid:op_id>/after/cost/", views_ops.operation_cost, name="operation_cost"),
    path("ops/<uuid:op_id>/after/lesson/", views_ops.operation_lesson, name="operation_lesson"),
    path("ops/<uuid:op_id>/after/report.pdf", views_ops.operation_after_pdf, name="operation_after_pdf"),
    path("people/<uuid:evacuee_id>/", views_ops.evacuee_detail, name="evacuee_detail"),
    path("people/<uuid:evacuee_id>/update/", views_ops.evacuee_update, name="evacuee_update"),
    path("people/<uuid:evacuee_id>/confirm/", views_ops.evacuee_confirm, name="evacuee_confirm"),
    path("people/<uuid:evacuee_id>/stay/", views_ops.evacuee_stay, name="evacuee_stay"),
    path("people/<uuid:evacuee_id>/remove/", views_ops.evacuee_remove, name="evacuee_remove"),
    path("people/<uuid:evacuee_id>/family/", views_ops.evacuee_family, name="evacuee_family"),
    # Legs, manifests, boarding
    path("legs/<uuid:leg_id>/", views_legs.leg_detail, name="leg_detail"),
    path("legs/<uuid:leg_id>/manifest/", views_legs.leg_issue_manifest, name="leg_issue_manifest"),
    path(
        "legs/<uuid:leg_id>/manifest/<int:number>.pdf", views_legs.leg_manifest_pdf, name="leg_manifest_pdf"
    ),
    path(
        "legs/<uuid:leg_id>/manifest/<int:number>.csv", views_legs.leg_manifest_csv, name="leg_manifest_csv"
    ),
    path("legs/<uuid:leg_id>/board/", views_legs.leg_board, name="leg_board"),
    path("legs/<uuid:leg_id>/board/sync/", views_legs.leg_board_sync, name="leg_board_sync"),
    path(
        "legs/<uuid:leg_id>/scans/<int:scan_id>/resolve/",
        views_legs.leg_scan_resolve,
        name="leg_scan_resolve",
    ),
    path("legs/<uuid:leg_id>/status/", views_legs.leg_status, name="leg_status"),
    path("legs/<uuid:leg_id>/handover/", views_legs.leg_hand_over, name="leg_hand_over"),
]
