"""Forms of the suggestion pages. They check shapes and offer the right choices; the rules (who may,
in which state, which deadline) live in ``services`` and ``workflow`` and come back as ``DomainError``.

Every action form takes the suggestion it acts on (``suggestion``), the assignment for a unit's
action (``assignment``), the user and the congress's rules, so that its choices (units, deputies,
result classes, ratings) are the ones that apply. Forms whose service takes ``expected_version``
carry the version read with the page in a hidden ``version`` field.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import ExpertiseField, HandlingUnit, Session

from . import selectors, services
from .choices import (
    CommitmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    NoContactReason,
    Satisfaction,
    SignerStatus,
)
from .current import open_draft
from .models import Suggestion
from .services import ATTACHMENT_TYPES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTACHMENT_ACCEPT = ",".join(f".{extension}" for extension in ATTACHMENT_TYPES)
ATTACHMENT_HELP = _("PDF、Word（doc、docx）或图片（jpg、png），单个文件不超过 20 MB。")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MandateChoiceField(forms.ModelChoiceField):
    """A deputy by name and electoral unit (names repeat in a congress of 500)."""

    def label_from_instance(self, obj: Mandate) -> str:
        return f"{obj.person.name}（{obj.electoral_unit.name}）"


class MandateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Mandate) -> str:
        return f"{obj.person.name}（{obj.electoral_unit.name}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one's type, content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def active_mandates():
    return Mandate.objects.filter(status=MandateStatus.ACTIVE).select_related("person", "electoral_unit")


def _units():
    return HandlingUnit.objects.filter(is_active=True)


# -- Drafting ---------------------------------------------------------------------------------------


class SuggestionCreateForm(forms.Form):
    """A new suggestion: the draft itself, its attachments and the co-signers to invite.

    A deputy leads with one of its own active mandates; the office, entering a paper suggestion,
    picks any active deputy. Co-signers are active deputies of the same congresses and terms."""

    mandate = MandateChoiceField(label=_("领衔代表"), queryset=Mandate.objects.none(), empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"),
        widget=_textarea(10),
        required=False,
        help_text=_("一事一议：请围绕一个问题写明情况、原因和具体建议。"),
    )
    field = forms.ModelChoiceField(
        label=_("所属领域"), queryset=ExpertiseField.objects.all(), required=False, empty_label=_("请选择")
    )
    session = forms.ModelChoiceField(
        label=_("提出时间"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("闭会期间"),
        help_text=_("大会期间提出的建议请选择会议；闭会期间提出的保留“闭会期间”。"),
    )
    is_confidential = forms.BooleanField(label=_("不宜公开"), required=False)
    cosigners = MandateMultipleChoiceField(
        label=_("联名代表"),
        queryset=Mandate.objects.none(),
        required=False,
        help_text=_("可多选（按住 Ctrl 键）。提交后，每位联名代表须确认。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    attachments = MultipleFileField(label=_("附件"), required=False, help_text=ATTACHMENT_HELP)

    def __init__(self, *args, user, is_office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        mandates = active_mandates().order_by("congress__order", "person__name_pinyin", "id")
        if is_office:
            self.fields["mandate"].queryset = mandates
            self.fields["mandate"].empty_label = _("请选择")
            terms = mandates.values("term_id")
        else:
            own = mandates.filter(person__user=user)
            self.fields["mandate"].queryset = own
            terms = own.values("term_id")
            mandates = mandates.exclude(person__user=user)
        self.fields["session"].queryset = Session.objects.filter(term__in=terms).select_related(
            "term__congress"
        )
        self.fields["cosigners"].queryset = mandates.filter(term__in=terms)

    def clean(self):
        data = super().clean()
        if self.data.get("submit") and not (data.get("body") or "").strip():
            self.add_error("body", _("请填写建议内容后再提交。"))
        mandate, session = data.get("mandate"), data.get("session")
        if mandate and session and session.term_id != mandate.term_id:
            self.add_error("session", _("会议须属于领衔代表所在的届次。"))
        cosigners = data.get("cosigners") or []
        if mandate and any(cosigner.pk == mandate.pk for cosigner in cosigners):
            self.add_error("cosigners", _("领衔代表不能同时作为联名代表。"))
        return data


class SuggestionEditForm(forms.Form):
    """Edit the text until the suggestion is assigned; the office may also mark it hard (Art. 51)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), widget=_textarea(10), required=False)
    field = forms.ModelChoiceField(
        label=_("所属领域"), queryset=ExpertiseField.objects.all(), required=False, empty_label=_("请选择")
    )
    is_confidential = forms.BooleanField(label=_("不宜公开"), required=False)
    is_hard = forms.BooleanField(label=_("涉及面广、处理难度大（答复期限六个月）"), required=False)

    def __init__(self, *args, suggestion, is_office: bool, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": suggestion.version,
                "title": suggestion.title,
                "body": suggestion.body,
                "field": suggestion.field_id,
                "is_confidential": suggestion.is_confidential,
                "is_hard": suggestion.is_hard,
            },
        )
        super().__init__(*args, **kwargs)
        if not is_office:
            del self.fields["is_hard"]

    def changes(self) -> dict:
        """The edited fields, as ``services.suggestion_update`` takes them."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}


# -- Action forms: one per action of ``workflow.Action`` -------------------------------------------


class ActionForm(forms.Form):
    """The base of every action form: knows what it acts on; sets the version read with the page.

    ``button_field`` names a field sent by the card's buttons rather than shown as an input."""

    button_field = ""

    def __init__(self, *args, suggestion, assignment=None, user=None, rules=None, **kwargs):
        self.suggestion, self.assignment, self.user, self.rules = suggestion, assignment, user, rules
        # What the card should say besides its spec's notes: what the form found for this user.
        self.notes: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)
        if "version" in self.fields and not self.is_bound:
            self.fields["version"].initial = suggestion.version


class VersionedActionForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmForm(ActionForm):
    """An action that needs nothing but the click (签收)."""


class AttachForm(ActionForm):
    file = forms.FileField(
        label=_("上传附件"),
        help_text=ATTACHMENT_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )


class InviteCosignersForm(ActionForm):
    mandates = MandateMultipleChoiceField(
        label=_("邀请联名代表"),
        queryset=Mandate.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("同届在职代表，可多选。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        suggestion = self.suggestion
        self.fields["mandates"].queryset = (
            active_mandates()
            .filter(congress_id=suggestion.congress_id, term_id=suggestion.term_id)
            .exclude(pk=suggestion.lead_mandate_id)
            .exclude(cosigned__suggestion=suggestion)
            .order_by("person__name_pinyin", "id")
        )


class RespondForm(ActionForm):
    """The co-signer's answer: the two buttons send ``decision``."""

    button_field = "decision"

    decision = forms.ChoiceField(choices=[("confirm", _("确认联名")), ("decline", _("拒绝联名"))])


class SubmitForm(VersionedActionForm):
    pass


class WithdrawForm(VersionedActionForm):
    reason = forms.CharField(label=_("撤回原因"), widget=_textarea(2), required=False)


class AcceptForm(VersionedActionForm):
    field = forms.ModelChoiceField(
        label=_("所属领域"), queryset=ExpertiseField.objects.all(), empty_label=_("请选择")
    )
    is_hard = forms.BooleanField(label=_("涉及面广、处理难度大（答复期限六个月）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["field"].initial = self.suggestion.field_id
            self.fields["is_hard"].initial = self.suggestion.is_hard


class ReturnForm(VersionedActionForm):
    reason = forms.CharField(label=_("退回理由"), widget=_textarea(3))


class RejectForm(VersionedActionForm):
    rejection_reason = forms.ChoiceField(
        label=_("不予受理理由"), choices=[("", _("请选择")), *InadmissibleReason.choices]
    )
    reason = forms.CharField(label=_("补充说明"), widget=_textarea(2), required=False)


class ConvertToLetterForm(VersionedActionForm):
    reason = forms.CharField(label=_("转来信说明"), widget=_textarea(2), required=False)


class MergeWithChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number_label} {obj.title}"


class AssignForm(VersionedActionForm):
    """Lead unit with co-units (主办+协办), or split units (分办); the service checks the mix.
    ``merge_with`` joins the merge group (并案) of a suggestion already assigned as merged; the
    service checks that the units are the group's. Shown only when there is a group to join."""

    lead = forms.ModelChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False, empty_label=_("请选择")
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("分办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("分办时不选主办单位，每个分办单位分别答复。"),
    )
    merge_with = MergeWithChoiceField(
        label=_("并案办理"),
        queryset=Suggestion.objects.none(),
        required=False,
        empty_label=_("不并案"),
        help_text=_("与已并案交办的建议一起办理：须交办给与其相同的承办单位，每位代表仍分别得到答复。"),
    )
    is_hard = forms.BooleanField(label=_("涉及面广、处理难度大（答复期限六个月）"), required=False)
    on = forms.DateField(label=_("交办日期"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead", "co_units", "split_units"):
            self.fields[name].queryset = _units()
        joinable = selectors.merged_suggestions_to_join(user=self.user, suggestion=self.suggestion)
        if joinable.exists():
            self.fields["merge_with"].queryset = joinable
        else:
            del self.fields["merge_with"]
        if not self.is_bound:
            self.fields["on"].initial = timezone.localdate()
            self.fields["is_hard"].initial = self.suggestion.is_hard

    def clean(self):
        data = super().clean()
        if not data.get("lead") and not data.get("split_units"):
            self.add_error("lead", _("请指定主办单位，或选择两个以上分办单位。"))
        return data


class CloseForm(VersionedActionForm):
    pass


class AcknowledgeForm(ConfirmForm):
    pass


class ObjectForm(ActionForm):
    reason = forms.CharField(label=_("异议理由"), widget=_textarea(3))


class UpholdObjectionForm(ActionForm):
    new_unit = forms.ModelChoiceField(
        label=_("重新交办单位"), queryset=HandlingUnit.objects.none(), empty_label=_("请选择")
    )
    note = forms.CharField(label=_("处理意见"), widget=_textarea(2), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = _units().exclude(pk=self.assignment.unit_id)


class RejectObjectionForm(ActionForm):
    note = forms.CharField(label=_("异议不成立理由"), widget=_textarea(2))


class ReassignForm(ActionForm):
    sub_unit = forms.ModelChoiceField(
        label=_("转办单位"), queryset=HandlingUnit.objects.none(), empty_label=_("请选择")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_unit"].queryset = _units().filter(parent_id=self.assignment.unit_id)


class InputForm(ActionForm):
    text = forms.CharField(label=_("协办意见"), widget=_textarea(4))


class ContactForm(ActionForm):
    """Art. 51: a contact with the lead deputy or a confirmed co-signer."""

    deputy = MandateChoiceField(label=_("沟通代表"), queryset=Mandate.objects.none(), empty_label=None)
    contacted_on = forms.DateField(label=_("沟通日期"), widget=DATE_WIDGET)
    stage = forms.ChoiceField(label=_("沟通环节"), choices=ContactStage.choices)
    method = forms.ChoiceField(label=_("沟通方式"), choices=ContactMethod.choices)
    note = forms.CharField(label=_("沟通情况"), widget=_textarea(3), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        suggestion = self.suggestion
        confirmed = suggestion.signers.filter(status=SignerStatus.CONFIRMED).values("mandate_id")
        self.fields["deputy"].queryset = Mandate.objects.filter(
            Q(pk=suggestion.lead_mandate_id) | Q(pk__in=confirmed)
        ).select_related("person", "electoral_unit")
        if not self.is_bound:
            self.fields["deputy"].initial = suggestion.lead_mandate_id
            self.fields["contacted_on"].initial = timezone.localdate()


class CommitmentForm(ActionForm):
    text = forms.CharField(label=_("承诺内容"), widget=_textarea(3))
    due_date = forms.DateField(label=_("承诺兑现期限"), widget=DATE_WIDGET)


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("{text}（{due}前）").format(text=obj.text[:40], due=obj.due_date.isoformat())


class KeepCommitmentForm(ActionForm):
    commitment = CommitmentChoiceField(label=_("承诺事项"), queryset=None, empty_label=None)
    evidence = forms.CharField(label=_("兑现情况"), widget=_textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = self.assignment.commitments.filter(status=CommitmentStatus.OPEN)


def _result_class_choices(rules) -> list[tuple[str, str]]:
    return [("", _("请选择"))] + [
        (item["code"], f"{item['code']} {item['label']}") for item in rules.result_classes
    ]


class ReplyForm(ActionForm):
    """The unit's reply letter (DOMAIN §5.5): drafted and saved, then submitted on its own card.

    ``version`` is the draft's, when there is one: two staff editing the same draft collide."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(label=_("答复内容"), widget=_textarea(8))
    result_class = forms.ChoiceField(label=_("办理结果分类"))
    signed_by = forms.CharField(label=_("签发人"), max_length=50, help_text=_("承办单位主要负责人姓名。"))
    letter = forms.FileField(
        label=_("答复函（盖章PDF）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_class"].choices = _result_class_choices(self.rules)
        self.draft = open_draft(self.assignment)
        if self.draft is not None:
            self.fields["letter"].help_text = (
                _("已上传：{name}。重新上传将替换。").format(name=self.draft.letter.name.rsplit("/", 1)[-1])
                if self.draft.letter
                else ""
            )
            if not self.is_bound:
                self.initial = {
                    "version": self.draft.version,
                    "body": self.draft.body,
                    "result_class": self.draft.result_class,
                    "signed_by": self.draft.signed_by,
                }
        elif not self.is_bound:
            # A re-handling reply is usually signed by the head who signed the first one.
            previous = self.assignment.replies.exclude(signed_by="").order_by("-id").first()
            if previous is not None:
                self.initial = {"signed_by": previous.signed_by}
        self._offer_merged()

    def _offer_merged(self) -> None:
        """并案: offer to draft the same reply on the unit's other assignments of the merge group
        that may be drafted now, naming them (and those left out, with the reason)."""
        if self.assignment.merge_group is None or self.user is None:
            return
        targets, skipped = services.merged_draft_targets(assignment=self.assignment, actor=self.user)
        if not targets:
            return
        note = _(
            "并案办理：勾选下方选项，将为{numbers}起草相同的答复内容、办理结果分类、签发人和答复函；"
            "各件分别提交，分别答复代表。"
        ).format(numbers="、".join(a.suggestion.number_label or a.suggestion.title for a in targets))
        if skipped:
            note += _("不包括：{items}。").format(
                items="；".join(
                    f"{a.suggestion.number_label or a.suggestion.title}（{reason.rstrip('。')}）"
                    for a, reason in skipped
                )
            )
        self.fields["also_merged"] = forms.BooleanField(
            label=_("同时为并案的其他建议起草相同答复"), required=False
        )
        self.notes.append(("text-secondary", note))


class SubmitReplyForm(ActionForm):
    """Art. 51: without a contact with the lead deputy, the unit says why (staff see it at review)."""

    no_contact_reason = forms.ChoiceField(
        label=_("未能与领衔代表沟通的原因"),
        choices=[("", _("请选择")), *NoContactReason.choices],
        required=False,
        help_text=_("已记录与领衔代表的沟通的，无需填写。"),
    )
    no_contact_note = forms.CharField(label=_("情况说明"), widget=_textarea(2), required=False)


class ReleaseReplyForm(ActionForm):
    # Art. 51 makes publication the rule; staff withhold a reply that should not be public.
    withhold_from_public = forms.BooleanField(label=_("不宜公开（不在答复公开页面发布）"), required=False)


class ReturnReplyForm(ActionForm):
    reason = forms.CharField(
        label=_("答复退回理由"),
        widget=_textarea(3),
        help_text=_("如：未与代表沟通、办理结果分类与答复内容不符。"),
    )


def _rating_choices():
    return [("", _("请选择")), *Satisfaction.choices]


class EvaluateForm(ActionForm):
    """DOMAIN §5.6: 满意 / 基本满意 / 不满意, and process and result apart when the rules say so."""

    satisfaction = forms.ChoiceField(label=_("总体评价"), choices=_rating_choices)
    process_rating = forms.ChoiceField(label=_("办理过程评价"), choices=_rating_choices)
    result_rating = forms.ChoiceField(label=_("办理结果评价"), choices=_rating_choices)
    comment = forms.CharField(label=_("评价意见"), widget=_textarea(3), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.rules.separate_ratings_enabled:
            del self.fields["process_rating"]
            del self.fields["result_rating"]

    def clean(self):
        data = super().clean()
        if data.get("satisfaction") == Satisfaction.DISSATISFIED and not (data.get("comment") or "").strip():
            self.add_error("comment", _("评价为不满意时，请说明不满意的原因，以便承办单位重新办理。"))
        return data


class FollowUpReplyForm(ActionForm):
    """DOMAIN §5.9: a B or C matter answered again once solved."""

    body = forms.CharField(label=_("跟踪答复内容"), widget=_textarea(6))
    result_class = forms.ChoiceField(label=_("跟踪答复办理结果分类"))
    signed_by = forms.CharField(label=_("跟踪答复签发人"), max_length=50)
    letter = forms.FileField(
        label=_("跟踪答复函（盖章PDF）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_class"].choices = _result_class_choices(self.rules)


# -- Lists ------------------------------------------------------------------------------------------


class BulkAssignForm(forms.Form):
    """The assignment meeting (交办会): a lead unit (and co-units, a hard flag) per accepted suggestion
    on the page, all assigned in one go. Rows without any unit are left for later.

    Fields per row are ``lead_<id>``, ``co_<id>``, ``hard_<id>`` and ``merge_<id>``; units are
    validated against one list read once, so a page of 500 rows costs no query per row.

    并案: the rows ticked ``merge_<id>`` are handled together in one new merge group, by the same
    units. A ticked row without units takes those chosen on the other ticked rows when they all
    chose the same; when they differ the service refuses the batch, naming the rows."""

    on = forms.DateField(label=_("交办日期"), widget=DATE_WIDGET)

    def __init__(self, *args, suggestions, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        self.units = {unit.pk: unit for unit in units}
        if not self.is_bound:
            self.fields["on"].initial = timezone.localdate()

    def _unit(self, value: str, errors: list, label: str):
        try:
            return self.units[int(value)]
        except (KeyError, ValueError):
            errors.append(_("{label}：所选承办单位无效。").format(label=label))
            return None

    def rows(self) -> list[dict]:
        """The rows that name a unit or are ticked for merged handling: ``{"suggestion", "lead",
        "co_units", "is_hard", "merge"}``. Call after ``is_valid()``; invalid unit ids and an
        incomplete merged selection are reported as form errors."""
        rows, errors = [], []
        for suggestion in self.suggestions:
            label = suggestion.number_label or suggestion.title
            lead_value = self.data.get(f"lead_{suggestion.pk}", "")
            co_values = [value for value in self.data.getlist(f"co_{suggestion.pk}") if value]
            merge = bool(self.data.get(f"merge_{suggestion.pk}"))
            if not lead_value and not co_values and not merge:
                continue
            lead = self._unit(lead_value, errors, label) if lead_value else None
            co_units = [unit for value in co_values if (unit := self._unit(value, errors, label))]
            rows.append(
                {
                    "suggestion": suggestion,
                    "lead": lead,
                    "co_units": co_units,
                    "is_hard": bool(self.data.get(f"hard_{suggestion.pk}")) or None,
                    "merge": merge,
                }
            )
        if not errors:
            self._share_merged_units([row for row in rows if row["merge"]], errors)
        for error in errors:
            self.add_error(None, error)
        if not rows and not errors:
            self.add_error(None, _("请至少为一件建议选择主办单位。"))
        return rows

    @staticmethod
    def _share_merged_units(merged: list[dict], errors: list) -> None:
        """Ticked rows without units take the units chosen on the other ticked rows, when those
        all chose the same ones."""
        if not merged:
            return
        if len(merged) < 2:
            errors.append(_("并案办理须至少勾选两件建议。"))
            return
        named = {
            (row["lead"].pk if row["lead"] else None, frozenset(unit.pk for unit in row["co_units"])): row
            for row in merged
            if row["lead"] is not None or row["co_units"]
        }
        if not named:
            errors.append(_("请为并案办理的建议选择主办单位。"))
            return
        if len(named) > 1:
            return  # the service refuses it, naming the rows
        source = next(iter(named.values()))
        for row in merged:
            if row["lead"] is None and not row["co_units"]:
                row["lead"], row["co_units"] = source["lead"], list(source["co_units"])
