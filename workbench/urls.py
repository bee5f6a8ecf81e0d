from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .forms import LoginForm
from .api import api_urls

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="source-list", permanent=False)),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls()),
    path("sources/", views.source_list, name="source-list"),
    path("sources/upload/", views.source_upload, name="source-upload"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import-retry"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source-edit"),
    path("sources/<int:pk>/text/", views.source_text, name="source-text"),
    path("sources/<int:pk>/reimport/", views.source_reimport, name="source-reimport"),
    path("sources/<int:pk>/revise/", views.source_revise, name="source-revise"),
    path("sources/<int:pk>/changes/", views.revision_detail, name="revision-detail"),
    path("reanchorings/<int:pk>/place/", views.reanchoring_place, name="reanchoring-place"),
    path("sources/<int:pk>/column/", views.source_column, name="source-column"),
    path("sources/<int:pk>/claims/", views.source_claims, name="source-claims"),
    path("claims/new/", views.claim_create, name="claim-create"),
    path("compare/", views.compare, name="compare"),
    path("search/", views.search, name="search"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/delete/", views.claim_delete, name="claim-delete"),
    path("claims/<int:pk>/status/", views.claim_status, name="claim-status"),
    path("claims/<int:pk>/property/", views.claim_property, name="claim-property"),
    path("review/", views.review_queue, name="review"),
    path("contradictions/", views.contradiction_list, name="contradiction-list"),
    path("contradictions/flag/", views.contradiction_flag, name="contradiction-flag"),
    path("contradictions/<int:pk>/", views.contradiction_detail, name="contradiction-detail"),
    path("contradictions/<int:pk>/status/", views.contradiction_status, name="contradiction-status"),
    path("contradictions/<int:pk>/reconcile/", views.contradiction_reconcile, name="contradiction-reconcile"),
    path("contradictions/<int:pk>/attach/", views.contradiction_attach, name="contradiction-attach"),
    path("facts/", views.fact_list, name="fact-list"),
    path("facts/<int:pk>/", views.fact_detail, name="fact-detail"),
    path("facts/<int:pk>/edit/", views.fact_edit, name="fact-edit"),
    path("facts/<int:pk>/evidence/", views.fact_evidence, name="fact-evidence"),
    path("export/<str:what>.<str:fmt>", views.export, name="export"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/export.<str:fmt>", views.matrix_export, name="matrix-export"),
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/timeline.<str:fmt>", views.timeline_download, name="timeline-download"),
    path("undo/", views.undo, name="undo"),
    path("changes/", views.changes, name="changes"),
]
