from django.urls import include, path

from avisos import views

avisos_urls = ([
    path("", views.lista, name="lista"),
    path("<int:pk>/leido/", views.marcar_leido, name="leido"),
    path("leidos/", views.marcar_todos, name="leidos"),
], "avisos")

urlpatterns = [
    path("", views.inicio, name="home"),  # the home page: the user's plans and what waits for the user
    path("avisos/", include(avisos_urls)),
]
