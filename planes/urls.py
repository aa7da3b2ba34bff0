from django.urls import path

from planes import views

urlpatterns = [
    path("", views.home, name="home"),
    path("planes/<int:plan_id>/", views.plan_detail, name="plan_detail"),
]
