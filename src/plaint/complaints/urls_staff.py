"""Staff console URLs of complaints: sign-in, the queue, a complaint's pages and the categories
(``plaint.urls`` mounts them in the ``staff`` namespace with the organisation's pages)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from plaint.accounts import views as accounts_views
from plaint.accounts.views import login_page
from plaint.complaints import (
    views_exports,
    views_imports,
    views_queue,
    views_reads,
    views_steps,
    views_templates,
)
from plaint.complaints import views_staff as views

urlpatterns = [
    path("login/", login_page, name="login"),
    path("login/verify/", accounts_views.login_verify, name="login_verify"),
    path("account/two-step/", accounts_views.two_factor, name="two_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views_queue.queue, name="queue"),
    path("bulk/", views_queue.bulk, name="bulk"),
    path("export/", views_exports.register_export, name="register_export"),
    path("views/", views_queue.saved_views, name="saved_views"),
    path("views/new/", views_queue.saved_view_create, name="saved_view_create"),
    path("views/<int:view_id>/", views_queue.saved_view_rename, name="saved_view_rename"),
    path("views/<int:view_id>/delete/", views_queue.saved_view_delete, name="saved_view_delete"),
    path("complaints/new/", views.new, name="new"),
    path("history/import/", views_imports.history_upload, name="history_upload"),
    path("history/import/<str:upload_id>/", views_imports.history_mapping, name="history_mapping"),
    path("history/imports/<int:import_id>/", views_imports.history_import, name="history_import"),
    path("complaints/<str:reference>/", views.detail, name="detail"),
    path(
        "complaints/<str:reference>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("complaints/<str:reference>/step/<str:step>/", views_steps.step, name="step"),
    path("complaints/<str:reference>/message/", views.message, name="message"),
    path("complaints/<str:reference>/assign/", views_steps.assign, name="assign"),
    path("audit/reads/", views_reads.read_log, name="read_log"),
    path("audit/reads/export/", views_reads.read_log_export, name="read_log_export"),
    path("settings/categories/", views.categories, name="categories"),
    path(
        "settings/categories/<int:category_id>/",
        views.category_access,
        name="category_access",
    ),
    path("settings/templates/", views_templates.reply_templates, name="reply_templates"),
    path(
        "settings/templates/<int:template_id>/",
        views_templates.reply_template_edit,
        name="reply_template_edit",
    ),
]
