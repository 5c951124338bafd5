"""Forms of the motion pages. They check shapes and offer the right choices for the user; the rules
live in the services, whose Chinese refusals the views put on the form."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import Committee, ElectoralUnit, ExpertiseField, Session

from . import services
from .choices import ActivityKind, DecisionOutcome
from .selectors import motion_proposers

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MandateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mandate) -> str:
        return f"{mandate.person.name}（{mandate.card_number}）"


class MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, mandate) -> str:
        return f"{mandate.person.name}（{mandate.card_number}）"


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session) -> str:
        return f"{session.term.congress.short_name or session.term.congress.name}{session.term.label}{session.label}"


def _active_mandates():
    return Mandate.objects.filter(status=MandateStatus.ACTIVE).select_related("person")


class MotionForm(forms.Form):
    """Draft or edit a motion. Who proposes is chosen on creation only: a deputy leads with one of
    its own mandates; county staff raise it for their delegation; the office enters either."""

    mandate = MandateChoiceField(label=_("领衔代表"), queryset=Mandate.objects.none(), required=False)
    delegation = forms.ModelChoiceField(
        label=_("提出议案的代表团"), queryset=ElectoralUnit.objects.none(), required=False
    )
    session = SessionChoiceField(
        label=_("会议"),
        queryset=Session.objects.none(),
        error_messages={"required": _("请选择提出议案的会议。")},
    )
    subject = forms.CharField(label=_("案由"), max_length=200, error_messages={"required": _("请填写案由。")})
    grounds = forms.CharField(
        label=_("案据"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写案据。")},
        help_text=_("提出议案的理由和依据。"),
    )
    plan = forms.CharField(
        label=_("方案"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写方案。")},
        help_text=_("解决问题的具体方案，如法规草案或工作建议。"),
    )
    field = forms.ModelChoiceField(label=_("所属领域"), queryset=ExpertiseField.objects.all(), required=False)
    cosigners = MandateMultipleChoiceField(
        label=_("附议代表"),
        queryset=Mandate.objects.none(),
        required=False,
        help_text=_("被邀请的代表须逐一确认附议；提交时已确认的附议代表须达到规定人数。"),
    )

    def __init__(self, *args, user, motion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.motion = user, motion
        today = timezone.localdate()
        open_sessions = Q(end_date__isnull=True) | Q(end_date__gte=today)
        sessions = Session.objects.select_related("term__congress").order_by("-start_date")
        own = Mandate.objects.filter(person__user_id=user.pk, status=MandateStatus.ACTIVE)
        if motion is not None:
            # The proposer is fixed once the motion exists.
            del self.fields["mandate"], self.fields["delegation"]
            self.fields["session"].queryset = sessions.filter(
                Q(pk=motion.session_id) | (open_sessions & Q(term_id=motion.term_id))
            )
            if motion.delegation_id is not None:
                del self.fields["cosigners"]
            else:
                self.fields["cosigners"].queryset = (
                    _active_mandates().filter(term_id=motion.term_id).exclude(pk=motion.lead_mandate_id)
                )
            return
        if user.role == Role.DEPUTY and not is_office(user):
            del self.fields["delegation"]
            self.fields["mandate"].queryset = own.select_related("person")
            self.fields["mandate"].required = True
            self.fields["mandate"].initial = own.first()
            self.fields["session"].queryset = sessions.filter(open_sessions, term__in=own.values("term_id"))
            self.fields["cosigners"].queryset = (
                _active_mandates().filter(term__in=own.values("term_id")).exclude(person__user_id=user.pk)
            )
        elif user.role == Role.COUNTY_STAFF and not is_office(user):
            del self.fields["mandate"], self.fields["cosigners"]
            unit = user.electoral_unit_id
            self.fields["delegation"].queryset = ElectoralUnit.objects.filter(pk=unit)
            self.fields["delegation"].required = True
            self.fields["delegation"].initial = unit
            self.fields["session"].queryset = sessions.filter(
                open_sessions, term__congress__electoral_units=unit
            )
        else:
            self.fields["mandate"].queryset = _active_mandates()
            self.fields["delegation"].queryset = ElectoralUnit.objects.select_related("congress")
            self.fields["session"].queryset = sessions.filter(open_sessions)
            self.fields["cosigners"].queryset = _active_mandates()
            self.fields["mandate"].help_text = _(
                "由代表领衔提出时选择领衔代表；以代表团名义提出时选择代表团。"
            )

    def clean(self):
        cleaned = super().clean()
        if self.motion is None and "mandate" in self.fields and "delegation" in self.fields:
            if bool(cleaned.get("mandate")) == bool(cleaned.get("delegation")):
                raise forms.ValidationError(_("请指定领衔代表或提出议案的代表团（二者选其一）。"))
        return cleaned


class DecisionForm(forms.Form):
    """The presidium's decision, recorded by the office."""

    outcome = forms.ChoiceField(
        label=_("主席团决定"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择主席团的决定。")},
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_WIDGET)
    committee = forms.ModelChoiceField(
        label=_("审议委员会"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("列入议程时必填。"),
    )
    report_due = forms.DateField(
        label=_("报告期限"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("列入议程时适用，默认为会议当年10月31日。"),
    )
    suggestion_lead = MandateChoiceField(
        label=_("转为建议后的领衔代表"),
        queryset=Mandate.objects.none(),
        required=False,
        help_text=_("代表团提出的议案转为建议时，请指定领衔的代表团代表。"),
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("不列入大会议程时必填。"),
    )

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["committee"].queryset = Committee.objects.filter(congress_id=motion.congress_id)
        self.fields["report_due"].initial = services.default_report_due(motion.session)
        if motion.delegation_id is None:
            del self.fields["suggestion_lead"]
        else:
            self.fields["suggestion_lead"].queryset = motion_proposers(motion)


class ActivityForm(forms.Form):
    """An activity of the committee into which it invites the proposers (Art. 50)."""

    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("活动日期"), widget=DATE_WIDGET)
    title = forms.CharField(
        label=_("活动名称"), max_length=200, error_messages={"required": _("请填写活动名称。")}
    )
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    invited = MandateMultipleChoiceField(
        label=_("邀请的提案人"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择邀请参加的提案人。")},
    )
    record_attendance = forms.BooleanField(label=_("活动已举行，同时记录参加情况"), required=False)
    attended = MandateMultipleChoiceField(
        label=_("实际参加的提案人"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, **kwargs)
        proposers = motion_proposers(motion)
        self.fields["invited"].queryset = proposers
        self.fields["attended"].queryset = proposers
        self.fields["held_on"].initial = timezone.localdate()


class AttendanceForm(forms.Form):
    attended = MandateMultipleChoiceField(
        label=_("实际参加的提案人"),
        queryset=Mandate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("未勾选的受邀代表记为未参加。"),
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = activity.invited.select_related("person")


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("审议结果报告"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写审议结果报告。")},
    )
    file = forms.FileField(
        label=_("报告文件"),
        required=False,
        help_text=_("PDF 或 Word 文件，不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )
