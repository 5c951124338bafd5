"""Forms of the registry pages. Validation of rules lives in the services; forms check shapes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.text import normalize_id_number, normalize_phone
from lvzhi.organizations.models import Congress, DeputyGroup, ElectoralUnit, ExpertiseField, Term

from . import workflow
from .choices import MandateEventType, SuspensionCause
from .models import Mandate, Person

ID_NUMBER_MESSAGE = _("公民身份号码应为18位，前17位为数字，末位为数字或X。")
PHONE_MESSAGE = _("请输入11位手机号码或带区号的固定电话。")


def clean_id_number(value: str, error_class) -> str:
    """Shared by the person form and the API: empty, or a well-formed ID number."""
    if not value.strip():
        return ""
    id_number = normalize_id_number(value)
    if id_number is None:
        raise error_class(ID_NUMBER_MESSAGE)
    return id_number


def clean_phone(value: str, error_class) -> str:
    """Shared by the person form and the API: empty, a mobile number or a landline."""
    if not value.strip():
        return ""
    phone = normalize_phone(value)
    if phone is None:
        raise error_class(PHONE_MESSAGE)
    return phone


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "education",
            "workplace",
            "id_number",
            "phone",
            "email",
            "address",
        ]
        widgets = {"birth_date": DATE_WIDGET}

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"], forms.ValidationError)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"], forms.ValidationError)

    def validate_unique(self):
        # Uniqueness of the ID number is a rule the service checks and reports in Chinese.
        pass


class MandateForm(forms.ModelForm):
    fields = forms.ModelMultipleChoiceField(
        label=_("专业领域"), queryset=ExpertiseField.objects.all(), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("代表小组"), queryset=DeputyGroup.objects.all(), required=False
    )

    class Meta:
        model = Mandate
        fields = [
            "card_number",
            "electoral_unit",
            "composition",
            "is_grassroots",
            "start_date",
            "fields",
            "groups",
        ]
        widgets = {"start_date": DATE_WIDGET}

    def __init__(self, *args, congress=None, **kwargs):
        super().__init__(*args, **kwargs)
        congress_id = congress.pk if congress else (self.instance.congress_id if self.instance.pk else None)
        if congress_id:
            self.fields["electoral_unit"].queryset = ElectoralUnit.objects.filter(congress_id=congress_id)
            self.fields["groups"].queryset = DeputyGroup.objects.filter(congress_id=congress_id)

    def validate_unique(self):
        pass


class DeputyCreateForm(MandateForm):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.all())
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.select_related("congress"))
    by_election = forms.BooleanField(label=_("补选产生"), required=False)

    class Meta(MandateForm.Meta):
        fields = ["congress", "term", "by_election", *MandateForm.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        congress, term, unit = cleaned.get("congress"), cleaned.get("term"), cleaned.get("electoral_unit")
        if congress and term and term.congress_id != congress.pk:
            self.add_error("term", _("所选届次不属于该人大。"))
        if congress and unit and unit.congress_id != congress.pk:
            self.add_error("electoral_unit", _("所选选举单位不属于该人大。"))
        return cleaned


class MandateEventForm(forms.Form):
    """Record a qualification event; the choices offered follow the mandate's status."""

    type = forms.ChoiceField(label=_("变动类型"))
    date = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    document_reference = forms.CharField(label=_("文件依据"), max_length=200, required=False)
    suspension_cause = forms.ChoiceField(
        label=_("暂停原因（第六十一条）"), choices=[("", "—"), *list(SuspensionCause.choices)], required=False
    )
    cause_ends_on = forms.DateField(label=_("暂停原因消失日期"), widget=DATE_WIDGET, required=False)
    announcement_number = forms.CharField(label=_("公告编号"), max_length=60, required=False)
    announcement_date = forms.DateField(label=_("公告日期"), widget=DATE_WIDGET, required=False)
    announcement_text = forms.CharField(
        label=_("公告内容（留空则按模板生成）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, mandate: Mandate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            (event, MandateEventType(event).label) for event in workflow.available_events(mandate.status)
        ]
        self.fields["date"].initial = timezone.localdate()


class TermSelect(forms.Select):
    """A term drop-down whose options name their congress, so the page can filter them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-congress"] = instance.congress_id
        return option


class RosterImportForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.all())
    term = forms.ModelChoiceField(
        label=_("届次"), queryset=Term.objects.select_related("congress"), widget=TermSelect
    )
    file = forms.FileField(
        label=_("名册文件"),
        help_text=_("请使用导入模板填写，仅支持 .xlsx 格式。"),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("congress") and data.get("term") and data["term"].congress_id != data["congress"].pk:
            self.add_error("term", _("所选届次不属于所选人大。"))
        return data
