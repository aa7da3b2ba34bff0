from django.conf import settings


def demo(request):
    """Whether the interface must show the demonstration-data banner."""
    return {"AMC_DEMO": settings.AMC_DEMO}
