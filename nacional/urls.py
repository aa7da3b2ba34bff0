from django.urls import path

from nacional import views

app_name = "nacional"

urlpatterns = [
    path("", views.vista_nacional, name="vista"),
    path("tendencias/", views.tendencias, name="tendencias"),
]
