from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import can_import_roster, can_manage_structure


def navigation(request):
    """The sidebar, by role: a user sees links only to what it may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (_("首页"), reverse("core:home"), "core"),
        (_("代表名册"), reverse("deputies:list"), "deputies"),
    ]
    if can_import_roster(user):
        items.append((_("名册导入"), reverse("deputies:import_start"), "import"))
    if can_manage_structure(user):
        items.append((_("组织结构"), reverse("organizations:index"), "organizations"))
    items.append((_("API 文档"), reverse("api-docs"), "api"))
    return {"nav_items": items}
