from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


roster_import_start_view = roster_template_view = roster_import_detail_view = roster_import_apply_view = _todo
