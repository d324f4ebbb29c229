from django.contrib.auth.views import LogoutView
from django.urls import path

from . import accounts, catalogue, dossiers, kiosk, lookup, petitions, ratings, submit

app_name = "portal"
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("thu-tuc/", catalogue.procedures, name="procedures"),
    path("thu-tuc/<str:code>/", catalogue.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop/", submit.applicant_step, name="submit"),
    path("thu-tuc/<str:code>/nop/giay-to/", submit.documents_step, name="submit_documents"),
    path("thu-tuc/<str:code>/nop/xem-lai/", submit.review_step, name="submit_review"),
    path("dang-ky/", accounts.register, name="register"),
    path("dang-nhap/", accounts.login_view, name="login"),
    path("dang-xuat/", LogoutView.as_view(next_page="/"), name="logout"),
    path("tai-khoan/", accounts.profile, name="profile"),
    path("ho-so/", dossiers.my_dossiers, name="my_dossiers"),
    path("ho-so/<str:code>/", dossiers.dossier_page, name="dossier"),
    path("ho-so/<str:code>/da-nop/", dossiers.submitted, name="submitted"),
    path("ho-so/<str:code>/bo-sung/", dossiers.supplement, name="supplement"),
    path("ho-so/<str:code>/rut/", dossiers.withdraw, name="withdraw"),
    path("ho-so/<str:code>/tep/<str:attachment_id>/", dossiers.download, name="download"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("danh-gia/", ratings.rate, name="rate"),
    path("phan-anh-kien-nghi/", petitions.public_list, name="petitions"),
    path("phan-anh-kien-nghi/gui/", petitions.petition_new, name="petition_new"),
    path("phan-anh-kien-nghi/da-gui/", petitions.petition_sent, name="petition_sent"),
    path("phan-anh-kien-nghi/tra-cuu/", petitions.petition_follow, name="petition_follow"),
    path("phan-anh-kien-nghi/cua-toi/", petitions.my_petitions, name="my_petitions"),
    path("phan-anh-kien-nghi/cua-toi/<int:petition_id>/", petitions.my_petition, name="my_petition"),
    path("phan-anh-kien-nghi/cong-khai/<str:code>/", petitions.public_detail, name="petition_public"),
    path("kiosk/<str:centre>/", kiosk.kiosk_home, name="kiosk"),
    path("kiosk/<str:centre>/lay-so/", kiosk.kiosk_take, name="kiosk_take"),
    path("kiosk/<str:centre>/so/<str:token>/", kiosk.kiosk_ticket, name="kiosk_ticket"),
    path("kiosk/<str:centre>/tra-cuu/", kiosk.kiosk_lookup, name="kiosk_lookup"),
    path("kiosk/<str:centre>/thu-tuc/", kiosk.kiosk_procedures, name="kiosk_procedures"),
    path("kiosk/<str:centre>/thu-tuc/<str:code>/", kiosk.kiosk_procedure, name="kiosk_procedure"),
    path("so-thu-tu/<str:token>/", kiosk.ticket_follow, name="ticket_follow"),
    path("so-thu-tu/<str:token>/in.pdf", kiosk.ticket_print_pdf, name="ticket_pdf"),
    path("bang-goi-so/<str:centre>/", kiosk.board_page, name="board"),
]
