"""Suggestion pages. Notifications link to ``/suggestions/<id>/`` and ``/suggestions/work/``."""

from django.urls import path

from . import report_views, views

app_name = "suggestions"

# One POST-only view per action of the detail page (``views.ACTION_SPECS``).
SUGGESTION_ACTIONS = [
    ("attachments/", views.attach_view, "attach"),
    ("invite/", views.invite_view, "invite"),
    ("respond/", views.respond_view, "respond"),
    ("submit/", views.submit_view, "submit"),
    ("withdraw/", views.withdraw_view, "withdraw"),
    ("accept/", views.accept_view, "accept"),
    ("return/", views.return_view, "return"),
    ("reject/", views.reject_view, "reject"),
    ("convert/", views.convert_view, "convert"),
    ("assign/", views.assign_view, "assign"),
    ("close/", views.close_view, "close"),
]
ASSIGNMENT_ACTIONS = [
    ("acknowledge/", views.acknowledge_view, "acknowledge"),
    ("object/", views.object_view, "object"),
    ("objection/uphold/", views.uphold_objection_view, "uphold_objection"),
    ("objection/reject/", views.reject_objection_view, "reject_objection"),
    ("reassign/", views.reassign_view, "reassign"),
    ("input/", views.submit_input_view, "submit_input"),
    ("contacts/", views.log_contact_view, "log_contact"),
    ("commitments/", views.record_commitment_view, "record_commitment"),
    ("commitments/kept/", views.keep_commitment_view, "keep_commitment"),
    ("reply/", views.draft_reply_view, "draft_reply"),
    ("reply/submit/", views.submit_reply_view, "submit_reply"),
    ("reply/release/", views.release_reply_view, "release_reply"),
    ("reply/return/", views.return_reply_view, "return_reply"),
    ("evaluate/", views.evaluate_view, "evaluate"),
    ("follow-up/", views.follow_up_reply_view, "follow_up_reply"),
]

urlpatterns = [
    path("", views.suggestion_list_view, name="list"),
    path("new/", views.suggestion_create_view, name="create"),
    path("work/", views.unit_work_list_view, name="work"),
    path("reports/<int:year>/", report_views.handling_report_view, name="report_handling"),
    path("ratings/<int:year>/", report_views.unit_ratings_view, name="report_ratings"),
    path("public/<int:year>/", report_views.public_replies_view, name="report_public"),
    path("assign/", views.bulk_assign_view, name="assign_bulk"),
    path("assign/print/", views.assign_print_view, name="assign_print"),
    path("<int:pk>/", views.suggestion_detail_view, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit_view, name="edit"),
    path("<int:pk>/print/", views.suggestion_print_view, name="print"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download_view, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
    path("<int:pk>/replies/<int:reply_pk>/letter/", views.reply_letter_view, name="reply_letter"),
    *(path(f"<int:pk>/{route}", view, name=name) for route, view, name in SUGGESTION_ACTIONS),
    *(
        path(f"<int:pk>/assignments/<int:assignment_pk>/{route}", view, name=name)
        for route, view, name in ASSIGNMENT_ACTIONS
    ),
]
