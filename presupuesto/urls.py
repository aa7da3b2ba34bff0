from django.urls import path

from presupuesto import views

urlpatterns = [
    path("planes/<int:plan_id>/presupuesto/", views.presupuesto, name="reporte_presupuesto"),
]
