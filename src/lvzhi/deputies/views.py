from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


mandate_list_view = deputy_create_view = mandate_detail_view = mandate_edit_view = _todo
mandate_event_create_view = _todo
