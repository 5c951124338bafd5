"""Forms of the supervision pages. They check shapes and offer the right choices; the rules (who may,
in which state, which deadline) live in ``services`` and ``workflow`` and come back as
``DomainError``. Forms that edit a versioned row carry the version read with the page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import is_office
from lvzhi.organizations.models import Committee, Congress, HandlingUnit
from lvzhi.suggestions.models import Suggestion

from . import selectors
from .choices import ActivityKind, MeetingDecision, SupervisionKind
from .services import MeetingRow

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}（{obj.get_role_display()}）"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}（{obj.get_role_display()}）"


class SuggestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number_label or '—'} {obj.title}（{obj.lead_mandate.person.name}）"


class ArrangementFields(forms.Form):
    """The arrangement of an item: who leads, which committee, the team, the decision."""

    leader = UserChoiceField(
        label=_("领衔督办领导"), queryset=selectors.leaders(), required=False, empty_label=_("请选择")
    )
    committee = forms.ModelChoiceField(
        label=_("对口委员会"), queryset=Committee.objects.all(), required=False, empty_label=_("请选择")
    )
    team_members = UserMultipleChoiceField(
        label=_("督办组成员"),
        queryset=selectors.team_candidates(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选（按住 Ctrl 键）。"),
    )
    team = forms.CharField(
        label=_("督办组其他成员"),
        widget=_textarea(2),
        required=False,
        help_text=_("未使用本平台的成员，如参加督办的代表、有关部门人员。"),
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_WIDGET, required=False)
    decision_ref = forms.CharField(
        label=_("决定会议"), max_length=100, required=False, help_text=_("如：第十六届常委会第二十次主任会议")
    )

    def restrict_to_committee(self, user) -> None:
        """A committee's staff arrange in their own committee's name: no committee to pick."""
        if not is_office(user):
            del self.fields["committee"]


class StartForm(ArrangementFields):
    """列为督办: one suggestion, the kind of supervision and its year, and the arrangement."""

    field_order = ["suggestion", "kind", "year"]

    suggestion = SuggestionChoiceField(label=_("建议"), queryset=None, empty_label=_("请选择"))
    kind = forms.ChoiceField(label=_("督办类型"), choices=SupervisionKind.choices)
    year = forms.IntegerField(label=_("督办年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].queryset = candidates
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
        if not is_office(user):
            self.fields["kind"].choices = [(SupervisionKind.COUNTERPART, SupervisionKind.COUNTERPART.label)]
            self.restrict_to_committee(user)


class ItemEditForm(ArrangementFields):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": item.version,
                "leader": item.leader_id,
                "committee": item.committee_id,
                "team_members": [member.pk for member in item.team_members.all()],
                "team": item.team,
                "decided_on": item.decided_on,
                "decision_ref": item.decision_ref,
            },
        )
        super().__init__(*args, **kwargs)
        self.restrict_to_committee(user)

    def changes(self) -> dict:
        """The edited fields, as ``services.supervision_update`` takes them."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    happened_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    participants = forms.CharField(label=_("参加人员"), widget=_textarea(2), required=False)
    note = forms.CharField(label=_("督办情况"), widget=_textarea(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["happened_on"].initial = timezone.localdate()


class FinishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label=_("督办结论"), widget=_textarea(3))


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("恢复督办的理由"), widget=_textarea(2))


class CarryOverForm(forms.Form):
    year = forms.IntegerField(label=_("结转年度"), min_value=2000, max_value=2100)


# -- Supervision months --------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("工作要求"), widget=_textarea(4), required=False)

    def __init__(self, *args, campaign=None, **kwargs):
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": campaign.version,
                    **{
                        name: getattr(campaign, name)
                        for name in ("name", "year", "starts_on", "ends_on", "note")
                    },
                },
            )
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
            return
        # A new campaign belongs to a congress that has suggestions (blank: the first of them).
        self.fields["congress"] = forms.ModelChoiceField(
            label=_("人大"),
            queryset=Congress.objects.filter(pk__in=Suggestion.objects.values("congress_id")).order_by(
                "order", "id"
            ),
            required=False,
            empty_label=None,
        )
        self.order_fields(["congress"])
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}


class CampaignAddForm(forms.Form):
    suggestions = forms.ModelMultipleChoiceField(
        label=_("列入督办月的建议"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择要列入督办月的建议。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = candidates


# -- The dissatisfied-suggestion meeting -----------------------------------------------------------------

SKIP = "skip"


class MeetingForm(forms.Form):
    """不满意件交办会: the meeting's name, date and requirements, and per dissatisfied assignment on the
    page a decision (``decision_<id>``: the same unit, another unit, or not at this meeting), the new
    unit (``unit_<id>``) and a note (``note_<id>``). Units are validated against one list read once,
    so a page of many rows costs no query per row."""

    name = forms.CharField(label=_("会议名称"), max_length=100)
    held_on = forms.DateField(label=_("召开日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("会议要求"), widget=_textarea(3), required=False)

    def __init__(self, *args, assignments, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = list(assignments)
        self.units = {unit.pk: unit for unit in units}
        if not self.is_bound:
            self.fields["held_on"].initial = timezone.localdate()

    def rows(self) -> list[MeetingRow]:
        """The decisions posted, as ``services.dissatisfied_meeting_hold`` takes them; call after
        ``is_valid()``. Unknown units are reported as form errors."""
        rows, errors = [], []
        for assignment in self.assignments:
            pk = assignment.pk
            decision = self.data.get(f"decision_{pk}", SKIP)
            if decision == SKIP:
                continue
            label = f"{assignment.suggestion.number_label}（{assignment.unit.name}）"
            if decision not in MeetingDecision.values:
                errors.append(_("{label}：请选择交办决定。").format(label=label))
                continue
            new_unit = None
            if decision == MeetingDecision.NEW_UNIT:
                value = self.data.get(f"unit_{pk}", "")
                new_unit = self.units.get(int(value)) if value.isdigit() else None
                if new_unit is None:
                    errors.append(_("{label}：请选择新的承办单位。").format(label=label))
                    continue
            rows.append(MeetingRow(assignment, decision, new_unit, self.data.get(f"note_{pk}", "")))
        for error in errors:
            self.add_error(None, error)
        if not rows and not errors:
            self.add_error(None, _("请至少对一件不满意件作出交办决定。"))
        return rows


def active_units():
    return HandlingUnit.objects.filter(is_active=True)
