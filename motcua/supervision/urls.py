from django.urls import path

from . import feedback, jobs, queue, views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("ii06a/", views.ii06a_page, name="ii06a"),
    path("ii07b/", views.ii07b_page, name="ii07b"),
    path("chi-so-766/", views.index_766_page, name="index_766"),
    path("ho-so/", views.dossiers_page, name="dossiers"),
    path("phan-anh-kien-nghi/", feedback.petitions_page, name="petitions"),
    path("ton-dong/", views.idle_page, name="idle"),
    path("hang-cho/", queue.queue_page, name="queue"),
    path("bao-cao-nen/", jobs.jobs_page, name="jobs"),
    path("bao-cao-nen/<str:job_id>/", jobs.job_page, name="job"),
    path("bao-cao-nen/<str:job_id>/tai-ve/", jobs.job_download, name="job_download"),
]
