from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from amc import views

urlpatterns = [
    path("ingresar/", auth_views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("salud/", views.salud, name="salud"),  # health check: database and task worker
    path("exportaciones/", views.exportaciones, name="exportaciones"),  # files made by the task worker
    path("exportaciones/<int:pk>/", views.exportacion, name="exportacion"),
    path("exportaciones/<int:pk>/archivo/", views.exportacion_archivo, name="exportacion_archivo"),
    path("", include("avisos.urls")),  # the home page with the user's work queues; the user's notices (issue 11)
    path("", include("planes.urls")),
    path("importar/", include("importacion.urls")),  # Excel import: templates, preview, apply (issue 7)
    path("listas/", include("importacion.urls_listas")),  # filtered lists and their Excel/CSV export (issue 7)
    path("", include("seguimiento.urls")),  # follow-up: periods, entry, review, tracking report (issue 5)
    path("", include("matrices.urls")),  # reports of sections 7-13.2 (issue 4)
    path("", include("presupuesto.urls")),  # budget report 13.3 (issue 4)
    path("", include("cronograma.urls")),  # schedule: Gantt chart, PDF, Excel (issue 6)
    path("", include("documento.urls")),  # the whole plan as one document
    path("nacional/", include("nacional.urls")),  # regions compared on the indicator catalogue; trends (issue 12)
]

handler403 = "amc.views.permission_denied"
