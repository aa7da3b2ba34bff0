from django.shortcuts import render


def permission_denied(request, exception=None):
    """403 page in Spanish that says why (the message of the PermissionDenied raised)."""
    message = str(exception) if exception and str(exception) else "No tiene permiso para ver esta página."
    return render(request, "403.html", {"mensaje": message}, status=403)
