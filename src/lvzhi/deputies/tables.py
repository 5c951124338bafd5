"""The registry table's rows, built in Python.

Django's template engine spends about a quarter of a millisecond per row on a dozen cells; a
50-row page is rendered here with ``format_html`` in a fraction of that (bench/: deputy_list_page).
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lvzhi.core.text import mask_phone

from .choices import Composition, MandateStatus

STATUS_BADGES = {
    MandateStatus.ACTIVE: "bg-green-lt",
    MandateStatus.SUSPENDED: "bg-yellow-lt",
    MandateStatus.TERMINATED: "bg-secondary-lt",
}


def mandate_rows(mandates) -> SafeString:
    """``<tr>`` elements for ``mandates`` (from ``selectors.mandate_list``: related rows joined,
    fields and groups prefetched). Contact data is masked: this is a list."""
    yes, no = _("是"), _("否")
    composition = {value: str(label) for value, label in Composition.choices}
    status = {value: str(label) for value, label in MandateStatus.choices}
    detail = reverse("deputies:detail", args=[0]).removesuffix("0/")
    return format_html_join(
        "\n",
        '<tr><td>{}</td><td><a href="{}{}/">{}</a></td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td><span class="badge {}">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                m.card_number,
                detail,
                m.pk,
                m.person.name,
                m.congress.short_name or m.congress.name,
                m.term.label,
                m.electoral_unit.name,
                composition.get(m.composition, m.composition),
                m.start_date.isoformat(),
                STATUS_BADGES.get(m.status, ""),
                status.get(m.status, m.status),
                yes if m.is_grassroots else no,
                "、".join(f.name for f in m.fields.all()),
                "、".join(g.name for g in m.groups.all()),
                mask_phone(m.person.phone),
            )
            for m in mandates
        ),
    )


def empty_row(columns: int) -> SafeString:
    return format_html(
        '<tr><td colspan="{}" class="text-center text-secondary">{}</td></tr>',
        columns,
        _("没有符合条件的代表。"),
    )
