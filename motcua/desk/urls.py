from django.contrib.auth.views import LogoutView
from django.urls import path

from . import auth, counter, dossier, home, petitions, printing, receive

app_name = "desk"
urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth.login_view, name="login"),
    path("dang-xuat/", LogoutView.as_view(next_page="/desk/dang-nhap/"), name="logout"),
    path("tim/", home.search, name="search"),
    path("giam-sat/", home.supervisor, name="supervisor"),
    path("so-theo-doi/", printing.book, name="book"),
    path("tiep-nhan/", receive.pick_procedure, name="receive_pick"),
    path("tiep-nhan/<str:code>/", receive.receive, name="receive"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/bien-nhan/", receive.receipt, name="receipt"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.act, name="act"),
    path("ho-so/<str:code>/tai-len/", dossier.upload, name="upload"),
    path("ho-so/<str:code>/ket-qua/", dossier.upload_result, name="upload_result"),
    path("ho-so/<str:code>/tep/<str:attachment_id>/", dossier.download, name="download"),
    path("ho-so/<str:code>/du-thao/", dossier.draft_download, name="draft"),
    path("ho-so/<str:code>/dung-lai/", dossier.reuse, name="reuse"),
    path("ho-so/<str:code>/mau/<str:form>/", printing.form_pdf, name="form"),
    path("quay/", counter.counter_page, name="counter"),
    path("quay/<int:counter_id>/goi-tiep/", counter.call_next, name="counter_next"),
    path("quay/<int:counter_id>/so/<int:ticket_id>/<str:action>/", counter.ticket_action, name="counter_act"),
    path("phan-anh-kien-nghi/", petitions.petitions_home, name="petitions"),
    path("phan-anh-kien-nghi/<int:petition_id>/", petitions.petition_page, name="petition"),
    path("phan-anh-kien-nghi/<int:petition_id>/thao-tac/<str:action>/", petitions.petition_act, name="petition_act"),
    path("phan-anh-kien-nghi/<int:petition_id>/tep/<str:attachment_id>/", petitions.petition_download,
         name="petition_download"),
]
