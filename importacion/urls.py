"""URLs of the Excel import (issue 7), included from amc/urls.py under importar/."""
from django.urls import path

from importacion import views

app_name = "importacion"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("plantilla/", views.plantilla, name="plantilla"),
    path("subir/", views.subir, name="subir"),
    path("<str:token>/", views.vista, name="vista"),
    path("<str:token>/aplicar/", views.aplicar, name="aplicar"),
    path("<str:token>/errores.xlsx", views.errores, name="errores"),
]
