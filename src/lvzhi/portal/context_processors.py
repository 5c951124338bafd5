"""The top navigation, by role: a user sees links only to what it may open.

The office has a dozen sections: they are grouped into menus (建议议案, 报告, 系统管理) so that no
label wraps on a 1,366 px screen. A role with few links (a deputy, a handling unit) sees them all
side by side. The most used pages of the office stay one click away (代表名册, 名册导入, 组织结构,
工作日历).
"""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import (
    can_import_roster,
    can_manage_structure,
    is_office,
    may_see_motions,
    may_see_suggestions,
    may_work_on_assignments,
)
from lvzhi.supervision.selectors import may_see_supervision

# At most this many links side by side; more are grouped into menus.
FLAT_LIMIT = 6


@dataclass
class NavEntry:
    """A link of the navigation, or a menu (``children``) of links."""

    label: str | Promise
    href: str = ""
    active: bool = False
    children: list["NavEntry"] = field(default_factory=list)

    @property
    def is_menu(self) -> bool:
        return bool(self.children)


Link = tuple[str | Promise, str]


def optional_url(name: str, *args: Any) -> str | None:
    """The address of ``name``, or None while the page does not exist (an app still to come)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _sections(user: Any) -> list[tuple[str | Promise | None, list[Link]]]:
    """The links ``user`` may open, in sections: a labelled section becomes a menu."""
    office = is_office(user)
    year = timezone.localdate().year
    registry: list[Link] = [(_("代表名册"), reverse("deputies:list"))]
    if can_import_roster(user):
        registry.append((_("名册导入"), reverse("deputies:import_start")))
    work: list[Link] = []
    if may_see_suggestions(user):
        work.append((_("代表建议"), reverse("suggestions:list")))
    if may_work_on_assignments(user):
        work.append((_("办理工作"), reverse("suggestions:work")))
    if may_see_motions(user):
        work.append((_("代表议案"), reverse("motions:list")))
    supervision: list[Link] = []
    if may_see_supervision(user):
        supervision.append((_("建议督办"), reverse("supervision:list")))
    reports: list[Link] = []
    if office or user.role == Role.LEADER:
        reports.append((_("办理情况报告"), reverse("suggestions:report_handling", args=[year])))
        reports.append((_("承办单位绩效考评"), reverse("suggestions:report_ratings", args=[year])))
    reports.append((_("答复公开"), reverse("suggestions:report_public", args=[year])))
    structure: list[Link] = []
    system: list[Link] = []
    if can_manage_structure(user):
        structure.append((_("组织结构"), reverse("organizations:index")))
    if office:
        structure.append((_("工作日历"), reverse("core:calendar")))
    if office:
        accounts = optional_url("access:accounts")
        if accounts:
            system.append((_("账户管理"), accounts))
        system.append((_("API 文档"), reverse("api-docs")))
    return [
        (None, [(_("首页"), reverse("portal:home"))]),
        (None, registry),
        (_("建议议案"), work),
        (None, supervision),
        (_("报告"), reports),
        (None, structure),
        (_("系统管理"), system),
    ]


def _active_href(path: str, links: list[Link]) -> str | None:
    """The link whose address is the longest prefix of the current page's (the home page only
    on itself)."""
    matches = [href for _label, href in links if path.startswith(href) and (href != "/" or path == "/")]
    return max(matches, key=len, default=None)


def _own_account_links() -> list[Link]:
    links = [(_("个人设置"), optional_url("access:me")), (_("修改密码"), optional_url("access:password"))]
    return [(label, href) for label, href in links if href]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_menus``: the entries of the top navigation (links and menus of links);
    ``nav_items``: every link flat, as ``(label, href, active)``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menus": [], "nav_account_links": []}
    sections = [(label, links) for label, links in _sections(user) if links]
    flat = [link for _label, links in sections for link in links]
    active = _active_href(request.path, flat)
    if len(flat) <= FLAT_LIMIT:
        sections = [(None, [link]) for link in flat]
    menus: list[NavEntry] = []
    for section_label, links in sections:
        entries = [NavEntry(label, href, href == active) for label, href in links]
        if section_label is None or len(entries) == 1:
            menus.extend(entries)
        else:
            menus.append(NavEntry(section_label, active=any(e.active for e in entries), children=entries))
    return {
        "nav_items": [(label, href, href == active) for label, href in flat],
        "nav_menus": menus,
        # The user's own account (contact details, password), in the menu under its name.
        "nav_account_links": _own_account_links(),
    }
