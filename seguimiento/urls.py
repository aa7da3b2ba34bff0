from django.urls import path

from seguimiento import views

app_name = "seguimiento"

urlpatterns = [
    path("planes/<int:plan_id>/periodos/", views.periodos, name="periodos"),
    path("planes/<int:plan_id>/reportar/<int:periodo_id>/", views.reportar, name="reportar"),
    path("planes/<int:plan_id>/revision/", views.revision, name="revision"),
    path("planes/<int:plan_id>/revision/<int:periodo_id>/<int:entidad_id>/", views.revision_entrega, name="revision_entrega"),
    path("planes/<int:plan_id>/seguimiento/", views.seguimiento_report, name="reporte"),
    path("planes/<int:plan_id>/tablero/", views.tablero, name="tablero"),
    path("planes/<int:plan_id>/evaluacion/", views.evaluacion_actual, name="evaluacion_actual"),
    path("planes/<int:plan_id>/evaluacion/<int:periodo_id>/", views.evaluacion, name="evaluacion"),
    path("seguimiento/evidencia/<str:tipo>/<int:pk>/", views.evidencia, name="evidencia"),
]
