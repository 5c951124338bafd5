"""Forms of the structure pages: one ModelForm per model, labels from the models' ``verbose_name``.

Forms check shapes (required, types, choices); the rules of the structure (dates within a term,
no overlapping terms, no loops of parent units, duplicates, one congress) are checked by
``services.structure_save`` and shown on the form by the view. Used by the office only.
"""

from datetime import datetime

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.text import normalize_code

from .models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)
from .services import STALE_MESSAGE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StructureForm(forms.ModelForm):
    """Base of the structure forms: Tabler classes on widgets, and the ``updated_at`` an edit was
    read at, carried in a hidden field so that the service can refuse a stale save."""

    expected_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_updated_at"] = self.instance.updated_at.isoformat()
        for field in self.fields.values():
            _set_empty_label(field)
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        """Also mark the widget of a field in error, for Tabler's red outline."""
        super().add_error(field, error)
        for name in self._errors or {}:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("expected_updated_at") or ""
        cleaned["expected_updated_at"] = None
        if self.instance.pk:
            try:
                cleaned["expected_updated_at"] = datetime.fromisoformat(raw)
            except ValueError:
                self.add_error(None, STALE_MESSAGE)
        return cleaned

    def _get_validation_exclusions(self):
        # Duplicates are a rule the service checks and reports on the field ("名称已存在。"); the
        # model's own UniqueConstraint check would put Django's generic message above the form.
        # Excluding a field of a constraint skips that constraint (form fields still check shapes).
        exclude = super()._get_validation_exclusions()
        for constraint in self._meta.model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                exclude.update(constraint.fields)
        return exclude

    def validate_unique(self):
        # See _get_validation_exclusions: the service checks duplicates.
        pass

    def service_data(self) -> dict:
        """The model values for ``services.structure_save``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_updated_at"}


def _set_empty_label(field) -> None:
    """ "请选择" on a required select, "（无）" on an optional one, instead of Django's dashes."""
    label = _("请选择") if field.required else _("（无）")
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
        if field.empty_label is not None:
            field.empty_label = label
    elif isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
        field.choices = [("", label), *field.choices[1:]]


class CongressForm(StructureForm):
    class Meta:
        model = Congress
        fields = ["name", "short_name", "level", "region", "parent", "order"]
        help_texts = {"short_name": _("如：市人大"), "order": _("数字小的排在前面。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = Congress.objects.exclude(pk=self.instance.pk)


class TermForm(StructureForm):
    class Meta:
        model = Term
        fields = ["congress", "number", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {
            "number": _("如 16 表示第十六届。"),
            "start_date": _("本届第一次会议开幕之日。"),
            "end_date": _("下届第一次会议开幕之日；本届未结束时留空。"),
        }


class SessionForm(StructureForm):
    class Meta:
        model = Session
        fields = ["term", "number", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {"number": _("如 4 表示第四次会议。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.select_related("congress").order_by(
            "congress__order", "congress_id", "-number"
        )


class ElectoralUnitForm(StructureForm):
    class Meta:
        model = ElectoralUnit
        fields = ["congress", "name", "delegation_name", "code", "order"]
        help_texts = {"delegation_name": _("如：长乐团"), "order": _("数字小的排在前面。")}

    def clean_code(self):
        return normalize_code(self.cleaned_data.get("code", ""))


class ElectoralUnitChoiceField(forms.ModelChoiceField):
    """Electoral units named with their congress: 鼓楼区 can exist in more than one congress."""

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.congress.short_name or obj.congress.name}）"


class DeputyGroupForm(StructureForm):
    electoral_unit = ElectoralUnitChoiceField(
        label=_("所属选举单位"),
        queryset=ElectoralUnit.objects.select_related("congress").order_by("congress__order", "order", "id"),
        required=False,
        help_text=_("区域代表小组所在的选举单位，须属于同一人大。"),
    )

    class Meta:
        model = DeputyGroup
        fields = ["congress", "name", "kind", "electoral_unit"]


class CommitteeForm(StructureForm):
    class Meta:
        model = Committee
        fields = ["congress", "name", "kind", "fields", "order"]
        widgets = {"fields": forms.CheckboxSelectMultiple}
        help_texts = {"fields": _("委员会对口联系的代表专业领域。")}


class HandlingUnitForm(StructureForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "short_name", "kind", "parent", "is_active", "order"]
        help_texts = {
            "parent": _("由上级单位再交办的部门填写，如市政府所属部门。"),
            "is_active": _("停用的单位不再接收交办，历史记录保留。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].queryset = HandlingUnit.objects.exclude(pk=self.instance.pk)


class ExpertiseFieldForm(StructureForm):
    class Meta:
        model = ExpertiseField
        fields = ["name", "order"]


FORMS: dict[type, type[StructureForm]] = {
    Congress: CongressForm,
    Term: TermForm,
    Session: SessionForm,
    ElectoralUnit: ElectoralUnitForm,
    DeputyGroup: DeputyGroupForm,
    Committee: CommitteeForm,
    HandlingUnit: HandlingUnitForm,
    ExpertiseField: ExpertiseFieldForm,
}
