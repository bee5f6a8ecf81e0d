"""Refuse an oversized request from its Content-Length, before a byte of the body is read."""
from django.conf import settings
from django.http import HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.WORKBENCH_MAX_REQUEST_BYTES
        if length > limit:
            message = (f"The request is {length:,} bytes, over the limit of {limit:,} bytes "
                       f"(each file may be at most {settings.WORKBENCH_MAX_SOURCE_BYTES:,} bytes).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "field": None}, status=413)  # the API's error body
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
