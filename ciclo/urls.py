from django.urls import path

from ciclo import views

urlpatterns = [
    path("planes/<int:plan_id>/ciclo/", views.ciclo_plan, name="ciclo_plan"),
    path("planes/<int:plan_id>/ciclo/<str:accion>/", views.ciclo_accion, name="ciclo_accion"),
    path("planes/<int:plan_id>/nuevo-plan/", views.siguiente, name="ciclo_siguiente"),
]
