from django.urls import path

from matrices import views

urlpatterns = [
    path("planes/<int:plan_id>/analisis-causal/", views.analisis_causal, name="reporte_analisis_causal"),
    path("planes/<int:plan_id>/alternativas/", views.alternativas, name="reporte_alternativas"),
    path("planes/<int:plan_id>/alineamiento/", views.alineamiento, name="reporte_alineamiento"),
    path("planes/<int:plan_id>/roles/", views.roles, name="reporte_roles"),
    path("planes/<int:plan_id>/indicadores/", views.indicadores, name="reporte_indicadores"),
    path("planes/<int:plan_id>/matriz-logica/", views.matriz_logica, name="reporte_matriz_logica"),
]
