"""The units' actions on their assignments, as cards of the detail page: acknowledging, objecting
(and the office's decision), re-assigning, the co-unit's input, contacts with the deputies,
promises, the reply and its second review, the deputy's evaluation and the follow-up reply."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.organizations.models import HandlingUnit

from .. import forms, selectors, services, workflow
from ..choices import AssignmentStatus, ObjectionStatus, ReplyStatus, Satisfaction
from ..current import latest_evaluable_reply, open_draft, submitted_reply
from ..workflow import Action
from .actions import action_view
from .cards import ActionSpec, Button

# Notes and conditions of the cards ---------------------------------------------------------------


def _objection_window_notes(_suggestion, assignment, _rules):
    if assignment.objection_deadline:
        return [
            (
                "text-secondary",
                _("如对交办有异议，请在{date}前提出。").format(
                    date=assignment.objection_deadline.isoformat()
                ),
            )
        ]
    if assignment.needs_calendar:
        return [("text-warning", _("截止日期将于节假日安排公布后确定"))]
    return []


def _pending_objection(assignment):
    return assignment.objections.filter(status=ObjectionStatus.PENDING).first()


def _objection_notes(_suggestion, assignment, _rules):
    objection = _pending_objection(assignment)
    return [("", _("异议理由：{reason}").format(reason=objection.reason))] if objection else []


def _has_sub_units(_suggestion, assignment) -> bool:
    return HandlingUnit.objects.filter(parent_id=assignment.unit_id, is_active=True).exists()


def _reply_summary(reply, rules) -> str:
    return _("办理结果：{code} {label}；签发人：{signer}；答复函：{letter}").format(
        code=reply.result_class or "—",
        label=rules.result_class_label(reply.result_class) if reply.result_class else "",
        signer=reply.signed_by or "—",
        letter=_("已上传") if reply.letter else _("未上传"),
    )


def _draft_notes(_suggestion, assignment, _rules):
    notes = []
    if assignment.status == AssignmentStatus.REHANDLING:
        due = (
            assignment.rehandling_due.isoformat()
            if assignment.rehandling_due
            else _("节假日安排公布后确定的日期")
        )
        notes.append(("text-warning", _("代表对答复不满意，请重新办理并在{due}前再次答复。").format(due=due)))
    draft = open_draft(assignment)
    if draft is not None and draft.status == ReplyStatus.RETURNED:
        notes.append(("text-danger", _("答复被退回：{reason}").format(reason=draft.return_reason)))
    return notes


def _submit_reply_notes(_suggestion, assignment, rules):
    draft = open_draft(assignment)
    notes = [("text-secondary", _reply_summary(draft, rules))] if draft else []
    if rules.second_review_enabled:
        notes.append(("text-secondary", _("提交后由代表工委审核，审核通过后发给代表。")))
    return notes


def _review_notes(_suggestion, assignment, rules):
    reply = submitted_reply(assignment)
    if reply is None:
        return []
    findings = [("text-danger", finding) for finding in selectors.reply_review_findings(reply)]
    if reply.no_contact_reason:
        # Art. 51: the unit replied without a contact with the lead deputy and said why.
        findings.append(
            (
                "text-warning",
                _("承办单位未与领衔代表沟通，原因：{reason}。情况说明：{note}").format(
                    reason=reply.get_no_contact_reason_display(), note=reply.no_contact_note
                ),
            )
        )
    return [("text-secondary", _reply_summary(reply, rules)), *findings]


def _evaluate_notes(_suggestion, assignment, rules):
    reply = latest_evaluable_reply(assignment)
    if reply is None:
        return []
    # Every recipient of a reply gets the same window, set on release.
    recipient = reply.recipients.first()
    due = recipient.evaluation_due.isoformat() if recipient and recipient.evaluation_due else ""
    text = _("请评价{unit}的答复（办理结果：{code} {label}）。").format(
        unit=assignment.unit.name, code=reply.result_class, label=rules.result_class_label(reply.result_class)
    )
    if due:
        text += _("评价截止：{due}。").format(due=due)
    return [("text-secondary", text)]


# Assignment actions ---------------------------------------------------------------------------------


@action_view(
    ActionSpec(
        Action.ACKNOWLEDGE,
        "acknowledge",
        gettext_lazy("签收"),
        forms.AcknowledgeForm,
        (Button(gettext_lazy("签收")),),
        on_assignment=True,
        notes=_objection_window_notes,
    )
)
def acknowledge_view(request, _form, _suggestion, assignment):
    services.assignment_acknowledge(assignment=assignment, actor=request.user)
    return _("已签收。")


@action_view(
    ActionSpec(
        Action.OBJECT,
        "object",
        gettext_lazy("提出异议"),
        forms.ObjectForm,
        (Button(gettext_lazy("提出异议"), "btn-outline-warning"),),
        on_assignment=True,
        notes=_objection_window_notes,
    )
)
def object_view(request, form, _suggestion, assignment):
    services.assignment_object(assignment=assignment, reason=form.cleaned_data["reason"], actor=request.user)
    return _("已提出异议，等待代表工委处理。")


@action_view(
    ActionSpec(
        Action.UPHOLD_OBJECTION,
        "uphold_objection",
        gettext_lazy("异议成立，重新交办"),
        forms.UpholdObjectionForm,
        (Button(gettext_lazy("异议成立"), "btn-outline-primary"),),
        on_assignment=True,
        applies=lambda _s, assignment: _pending_objection(assignment) is not None,
        notes=_objection_notes,
    )
)
def uphold_objection_view(request, form, _suggestion, assignment):
    objection = _pending_objection(assignment)
    if objection is None:
        raise DomainError(_("该异议已处理。"))
    data = form.cleaned_data
    services.objection_decide(
        objection=objection, uphold=True, actor=request.user, note=data["note"], new_unit=data["new_unit"]
    )
    return _("异议成立，已改由{unit}承办。").format(unit=data["new_unit"].name)


@action_view(
    ActionSpec(
        Action.REJECT_OBJECTION,
        "reject_objection",
        gettext_lazy("异议不成立"),
        forms.RejectObjectionForm,
        (Button(gettext_lazy("异议不成立"), "btn-outline-secondary"),),
        on_assignment=True,
        applies=lambda _s, assignment: _pending_objection(assignment) is not None,
    )
)
def reject_objection_view(request, form, _suggestion, assignment):
    objection = _pending_objection(assignment)
    if objection is None:
        raise DomainError(_("该异议已处理。"))
    services.objection_decide(
        objection=objection, uphold=False, actor=request.user, note=form.cleaned_data["note"]
    )
    return _("已决定异议不成立，{unit}按交办办理。").format(unit=assignment.unit.name)


@action_view(
    ActionSpec(
        Action.REASSIGN,
        "reassign",
        gettext_lazy("转办下级单位"),
        forms.ReassignForm,
        (Button(gettext_lazy("转办"), "btn-outline-primary"),),
        on_assignment=True,
        applies=_has_sub_units,
    )
)
def reassign_view(request, form, _suggestion, assignment):
    child = services.assignment_reassign(
        assignment=assignment, sub_unit=form.cleaned_data["sub_unit"], actor=request.user
    )
    return _("已转办{unit}。").format(unit=child.unit.name)


@action_view(
    ActionSpec(
        Action.SUBMIT_INPUT,
        "submit_input",
        gettext_lazy("协办意见"),
        forms.InputForm,
        (Button(gettext_lazy("提交协办意见")),),
        on_assignment=True,
    )
)
def submit_input_view(request, form, _suggestion, assignment):
    services.assignment_input_submit(
        assignment=assignment, text=form.cleaned_data["text"], actor=request.user
    )
    return _("已提交协办意见。")


@action_view(
    ActionSpec(
        Action.LOG_CONTACT,
        "log_contact",
        gettext_lazy("记录沟通"),
        forms.ContactForm,
        (Button(gettext_lazy("记录沟通"), "btn-outline-primary"),),
        on_assignment=True,
    )
)
def log_contact_view(request, form, _suggestion, assignment):
    data = form.cleaned_data
    services.contact_log(
        assignment=assignment,
        actor=request.user,
        deputy=data["deputy"],
        contacted_on=data["contacted_on"],
        stage=data["stage"],
        method=data["method"],
        note=data["note"],
    )
    return _("已记录与代表的沟通。")


@action_view(
    ActionSpec(
        Action.RECORD_COMMITMENT,
        "record_commitment",
        gettext_lazy("记录承诺事项"),
        forms.CommitmentForm,
        (Button(gettext_lazy("记录承诺事项"), "btn-outline-primary"),),
        on_assignment=True,
    )
)
def record_commitment_view(request, form, _suggestion, assignment):
    data = form.cleaned_data
    services.commitment_record(
        assignment=assignment, text=data["text"], due_date=data["due_date"], actor=request.user
    )
    return _("已记录承诺事项。")


@action_view(
    ActionSpec(
        Action.KEEP_COMMITMENT,
        "keep_commitment",
        gettext_lazy("承诺事项兑现"),
        forms.KeepCommitmentForm,
        (Button(gettext_lazy("承诺已兑现"), "btn-success"),),
        on_assignment=True,
    )
)
def keep_commitment_view(request, form, _suggestion, _assignment):
    data = form.cleaned_data
    services.commitment_keep(commitment=data["commitment"], evidence=data["evidence"], actor=request.user)
    return _("承诺事项已兑现。")


@action_view(
    ActionSpec(
        Action.DRAFT_REPLY,
        "draft_reply",
        gettext_lazy("答复"),
        forms.ReplyForm,
        (Button(gettext_lazy("保存答复"), "btn-outline-primary"),),
        on_assignment=True,
        multipart=True,
        notes=_draft_notes,
    )
)
def draft_reply_view(request, form, _suggestion, assignment):
    data = form.cleaned_data
    values = {
        "assignment": assignment,
        "actor": request.user,
        "body": data["body"],
        "result_class": data["result_class"],
        "signed_by": data["signed_by"],
        "letter": data["letter"] or None,
        "expected_version": data["version"],
    }
    if not data.get("also_merged"):
        services.reply_draft(**values)
        return _("答复已保存，请核对后提交。")
    merged = services.reply_draft_merged(**values)
    others = [reply.assignment.suggestion for reply in merged.replies[1:]]
    message = _("答复已保存，并为并案的{numbers}起草了相同答复；请分别核对后提交。").format(
        numbers="、".join(s.number_label or s.title for s in others)
    )
    if merged.skipped:
        message += _("未起草：{items}。").format(
            items="；".join(
                f"{a.suggestion.number_label or a.suggestion.title}（{reason.rstrip('。')}）"
                for a, reason in merged.skipped
            )
        )
    return message


@action_view(
    ActionSpec(
        Action.SUBMIT_REPLY,
        "submit_reply",
        gettext_lazy("提交答复"),
        forms.SubmitReplyForm,
        (Button(gettext_lazy("提交答复")),),
        on_assignment=True,
        applies=lambda _s, assignment: open_draft(assignment) is not None,
        notes=_submit_reply_notes,
    )
)
def submit_reply_view(request, form, _suggestion, assignment):
    draft = open_draft(assignment)
    if draft is None:
        raise DomainError(_("请先填写并保存答复。"))
    reply = services.reply_submit(
        reply=draft,
        actor=request.user,
        no_contact_reason=form.cleaned_data["no_contact_reason"],
        no_contact_note=form.cleaned_data["no_contact_note"],
    )
    if reply.status == ReplyStatus.RELEASED:
        return _("答复已发出，代表可以评价。")
    return _("答复已提交，等待代表工委审核。")


@action_view(
    ActionSpec(
        Action.RELEASE_REPLY,
        "release_reply",
        gettext_lazy("答复审核：发布"),
        forms.ReleaseReplyForm,
        (Button(gettext_lazy("发布答复")),),
        on_assignment=True,
        applies=lambda _s, assignment: submitted_reply(assignment) is not None,
        notes=_review_notes,
    )
)
def release_reply_view(request, form, _suggestion, assignment):
    reply = submitted_reply(assignment)
    if reply is None:
        raise DomainError(_("该答复不在待审核状态。"))
    services.reply_review(
        reply=reply,
        actor=request.user,
        release=True,
        withhold_from_public=form.cleaned_data["withhold_from_public"],
    )
    return _("答复已发布，代表可以评价。")


@action_view(
    ActionSpec(
        Action.RETURN_REPLY,
        "return_reply",
        gettext_lazy("答复审核：退回"),
        forms.ReturnReplyForm,
        (Button(gettext_lazy("退回答复"), "btn-outline-warning"),),
        on_assignment=True,
        applies=lambda _s, assignment: submitted_reply(assignment) is not None,
    )
)
def return_reply_view(request, form, _suggestion, assignment):
    reply = submitted_reply(assignment)
    if reply is None:
        raise DomainError(_("该答复不在待审核状态。"))
    services.reply_review(reply=reply, actor=request.user, release=False, reason=form.cleaned_data["reason"])
    return _("答复已退回承办单位修改。")


@action_view(
    ActionSpec(
        Action.EVALUATE,
        "evaluate",
        gettext_lazy("评价答复"),
        forms.EvaluateForm,
        (Button(gettext_lazy("提交评价")),),
        on_assignment=True,
        notes=_evaluate_notes,
    )
)
def evaluate_view(request, form, _suggestion, assignment):
    reply = latest_evaluable_reply(assignment)
    recipient = (
        reply.recipients.filter(mandate__person__user=request.user, evaluation__isnull=True).first()
        if reply is not None
        else None
    )
    if recipient is None:
        raise ForbiddenError(workflow.REPLY_RECIPIENT.refusal)
    data = form.cleaned_data
    evaluation = services.reply_evaluate(
        recipient=recipient,
        actor=request.user,
        satisfaction=data["satisfaction"],
        process_rating=data.get("process_rating", ""),
        result_rating=data.get("result_rating", ""),
        comment=data["comment"],
    )
    if evaluation.satisfaction == Satisfaction.DISSATISFIED:
        return _("评价已提交。您对答复不满意，承办单位将重新办理。")
    return _("评价已提交，感谢您的评价。")


@action_view(
    ActionSpec(
        Action.FOLLOW_UP_REPLY,
        "follow_up_reply",
        gettext_lazy("跟踪答复"),
        forms.FollowUpReplyForm,
        (Button(gettext_lazy("提交跟踪答复")),),
        on_assignment=True,
        multipart=True,
    )
)
def follow_up_reply_view(request, form, _suggestion, assignment):
    data = form.cleaned_data
    services.suggestion_follow_up_reply(
        assignment=assignment,
        actor=request.user,
        body=data["body"],
        result_class=data["result_class"],
        signed_by=data["signed_by"],
        letter=data["letter"],
    )
    return _("跟踪答复已发给代表。")
