from django.urls import path

from . import procedures

app_name = "administration"
urlpatterns = [
    path("thu-tuc/moi/", procedures.editor, name="procedure_new"),
    path("thu-tuc/<str:code>/phien-ban-moi/", procedures.editor, name="procedure_editor"),
    path("thu-tuc/<str:code>/tai-ve/", procedures.export, name="procedure_export"),
]
