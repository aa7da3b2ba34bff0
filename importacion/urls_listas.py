"""URLs of the filtered lists (issue 7), included from amc/urls.py under listas/."""
from django.urls import path

from importacion import views_listas as views

app_name = "listas"

urlpatterns = [
    path("<slug:clave>/", views.lista, name="lista"),
]
