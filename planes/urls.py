from django.urls import path

from planes import views

urlpatterns = [
    path("planes/<int:plan_id>/", views.plan_detail, name="plan_detail"),
]
