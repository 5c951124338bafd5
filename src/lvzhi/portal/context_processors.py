from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import (
    can_import_roster,
    can_manage_structure,
    is_office,
    may_see_motions,
    may_see_suggestions,
    may_work_on_assignments,
)
from lvzhi.supervision.selectors import may_see_supervision


def navigation(request):
    """The top navigation, by role: a user sees links only to what it may open. The active item
    is the one whose address is the longest prefix of the current page's."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("首页"), reverse("portal:home")), (_("代表名册"), reverse("deputies:list"))]
    if may_see_suggestions(user):
        items.append((_("代表建议"), reverse("suggestions:list")))
    if may_work_on_assignments(user):
        items.append((_("办理工作"), reverse("suggestions:work")))
    if may_see_supervision(user):
        items.append((_("建议督办"), reverse("supervision:list")))
    if may_see_motions(user):
        items.append((_("代表议案"), reverse("motions:list")))
    if can_import_roster(user):
        items.append((_("名册导入"), reverse("deputies:import_start")))
    if can_manage_structure(user):
        items.append((_("组织结构"), reverse("organizations:index")))
    if is_office(user):
        items.append((_("工作日历"), reverse("core:calendar")))
    items.append((_("API 文档"), reverse("api-docs")))
    matches = [href for _label, href in items if request.path.startswith(href)]
    active = max(matches, key=len, default=None)
    return {"nav_items": [(label, href, href == active) for label, href in items]}
