from django.urls import path

from cronograma import views

urlpatterns = [
    path("planes/<int:plan_id>/cronograma/", views.cronograma, name="reporte_cronograma"),
]
