from django.http import JsonResponse


def ping(request):
    """A bare JSON view: the throughput ceiling of this stack, measured by bench/run."""
    return JsonResponse({"status": "ok"})
