from django.urls import path

from documento import views

urlpatterns = [
    path("planes/<int:plan_id>/documento/", views.documento, name="reporte_documento"),
]
