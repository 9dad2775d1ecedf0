from django.urls import path

from . import views, views_cases, views_disclosure, views_photos, views_reviewers

app_name = "enforcement"
urlpatterns = [
    path("", views.home, name="home"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/import/", views.target_import, name="target_import"),
    path("matters/", views.matter_list, name="matters"),
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/draw/", views.action_draw, name="action_draw"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/plan/", views.inspection_plan, name="plan"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path(
        "inspections/<int:inspection_id>/transition/",
        views.inspection_transition,
        name="transition",
    ),
    path("inspections/<int:inspection_id>/finding/", views.finding_new, name="finding"),
    path("items/<int:item_id>/", views.item_record, name="item"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/recheck/",
        views.rectification_recheck,
        name="recheck",
    ),
    path(
        "rectifications/<int:rectification_id>/photos/",
        views.finding_photos,
        name="finding_photos",
    ),
    path("photos/<int:photo_id>/", views_photos.photo, name="photo"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/new/", views_cases.case_new, name="case_new"),
    path("cases/simple/", views_cases.case_simple, name="case_simple"),
    path("cases/<int:case_id>/", views_cases.case_detail, name="case"),
    path("cases/<int:case_id>/step/", views_cases.case_step, name="case_step"),
    path("cases/<int:case_id>/publish/", views_disclosure.case_publish, name="case_publish"),
    path(
        "cases/<int:case_id>/disclosures/<int:disclosure_id>/withdraw/",
        views_disclosure.disclosure_withdraw,
        name="disclosure_withdraw",
    ),
    # 双公示: the published penalty decisions, public (no sign-in), and their files.
    path("public/", views_disclosure.public_list, name="disclosures"),
    path("public/file/<str:file_format>/", views_disclosure.public_file, name="disclosures_file"),
    path(
        "cases/<int:case_id>/documents/<slug:kind>.<slug:file_format>",
        views_cases.case_document,
        name="case_document",
    ),
    path("reviewers/", views_reviewers.reviewer_list, name="reviewers"),
    path(
        "reviewers/<int:user_id>/withdraw/",
        views_reviewers.reviewer_withdraw,
        name="reviewer_withdraw",
    ),
    # The public page the 行政检查码 opens: no sign-in, no personal data.
    path("code/<str:code>/", views.public_record, name="public"),
]
