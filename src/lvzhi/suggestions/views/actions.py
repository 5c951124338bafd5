"""The action cards' POST views: ``action_view`` registers an ``ActionSpec`` and turns a
``perform`` function into its view; then the suggestion's own actions (drafting, review,
assignment, closing). The units' actions are in ``assignment_actions``.

Each view calls exactly one service. With HTMX a refused card is swapped in place and a success
reloads the page; without JavaScript the whole page is rendered again around the refused card.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.lists import add_domain_error

from .. import forms, selectors, services
from ..choices import CommitmentStatus, ReviewDecision, SignerStatus, SuggestionStatus
from ..models import Assignment
from ..rules import rules_for
from ..workflow import Action
from .cards import ACTION_SPECS, ActionSpec, Button, action_card, make_form
from .detail import render_detail
from .drafting import submitted_message
from .shared import visible_or_404


def _back_to_detail(request, suggestion):
    url = reverse("suggestions:detail", args=[suggestion.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _refused(request, spec, suggestion, assignment, form, rules, *, status: int = 200):
    """Show the refused card: alone for HTMX (swapped in place), else inside the whole page."""
    if request.htmx:
        card = action_card(spec, request, suggestion, assignment, rules, form=form)
        return render(
            request, "suggestions/partials/action_card.html", {"card": card, "suggestion": suggestion}
        )
    return render_detail(
        request, suggestion.pk, bound=(spec.key(assignment), form), status=status, rules=rules
    )


def action_view(spec: ActionSpec):
    """Register ``spec`` and turn ``perform(request, form, suggestion, assignment) -> message`` into
    its POST-only view: the suggestion (and assignment) must be visible to the user (else 404), the
    form valid; ``perform`` calls one service. A refusal (``DomainError``, ``ConflictError``,
    ``ForbiddenError``) is shown on the card and nothing is changed."""

    def decorator(perform):
        ACTION_SPECS[spec.action] = spec

        @login_required
        @require_POST
        @wraps(perform)
        def view(request, pk: int, assignment_pk: int | None = None):
            suggestion = visible_or_404(request.user, pk)
            assignment = None
            if spec.on_assignment:
                assignment = get_object_or_404(
                    Assignment.objects.select_related("unit"), pk=assignment_pk, suggestion=suggestion
                )
                assignment.suggestion = suggestion
            rules = rules_for(suggestion.congress_id)
            form = make_form(spec, request, suggestion, assignment, rules, request.POST, request.FILES)
            if not form.is_valid():
                return _refused(request, spec, suggestion, assignment, form, rules)
            try:
                message = perform(request, form, suggestion, assignment)
            except ConflictError as error:
                # Show what changed, and keep the input with the version now current, so that the
                # user may send it again after reading the page.
                suggestion = visible_or_404(request.user, pk)
                fresh = make_form(spec, request, suggestion, assignment, rules)
                data = request.POST.copy()
                if "version" in fresh.fields:
                    data["version"] = fresh["version"].value() or ""
                form = make_form(spec, request, suggestion, assignment, rules, data, request.FILES)
                form.is_valid()
                form.add_error(None, error.message)
                return _refused(request, spec, suggestion, assignment, form, rules, status=409)
            except ForbiddenError as error:
                form.add_error(None, error.message)
                return _refused(request, spec, suggestion, assignment, form, rules, status=403)
            except DomainError as error:
                add_domain_error(form, error)
                return _refused(request, spec, suggestion, assignment, form, rules)
            messages.success(request, message)
            return _back_to_detail(request, suggestion)

        view.spec = spec
        return view

    return decorator


# Notes and conditions of the cards ---------------------------------------------------------------


def _submit_notes(suggestion, _assignment, _rules):
    pending = [s for s in suggestion.signers.all() if s.status == SignerStatus.INVITED]
    if not pending:
        return []
    names = "、".join(s.mandate.person.name for s in pending)
    if suggestion.status == SuggestionStatus.AWAITING_COSIGNERS:
        return [
            (
                "text-warning",
                _("{names}尚未确认联名；现在提交将不再等待，只保留已确认的联名代表。").format(names=names),
            )
        ]
    return [("text-secondary", _("提交后将等待联名代表（{names}）确认。").format(names=names))]


def _respond_notes(suggestion, _assignment, _rules):
    return [
        (
            "text-secondary",
            _("{name}代表邀请您联名提出此建议。").format(name=suggestion.lead_mandate.person.name),
        )
    ]


def _close_notes(suggestion, _assignment, _rules):
    notes = []
    if suggestion.follow_up_required:
        notes.append(("text-secondary", _("办理结果为正在解决或待以后解决的，办结后承办单位仍须跟踪答复。")))
    open_commitments = suggestion.commitments.filter(status=CommitmentStatus.OPEN).count()
    if open_commitments:
        notes.append(
            (
                "text-secondary",
                _("尚有{count}项承诺事项未兑现，办结后继续跟踪。").format(count=open_commitments),
            )
        )
    return notes


# Suggestion actions ---------------------------------------------------------------------------------


@action_view(
    ActionSpec(
        Action.ATTACH,
        "attach",
        gettext_lazy("上传附件"),
        forms.AttachForm,
        (Button(gettext_lazy("上传附件"), "btn-outline-primary"),),
        multipart=True,
    )
)
def attach_view(request, form, suggestion, _assignment):
    attachment = services.suggestion_attach(
        suggestion=suggestion, file=form.cleaned_data["file"], actor=request.user
    )
    return _("已上传附件“{name}”。").format(name=attachment.original_name)


@action_view(
    ActionSpec(
        Action.INVITE_COSIGNERS,
        "invite",
        gettext_lazy("邀请联名代表"),
        forms.InviteCosignersForm,
        (Button(gettext_lazy("邀请联名"), "btn-outline-primary"),),
    )
)
def invite_view(request, form, suggestion, _assignment):
    invited = services.suggestion_invite_cosigners(
        suggestion=suggestion, mandates=list(form.cleaned_data["mandates"]), actor=request.user
    )
    return _("已邀请{count}位代表联名，等待其确认。").format(count=len(invited))


@action_view(
    ActionSpec(
        Action.RESPOND,
        "respond",
        gettext_lazy("联名确认"),
        forms.RespondForm,
        (
            Button(gettext_lazy("确认联名"), "btn-primary", "decision", "confirm"),
            Button(gettext_lazy("拒绝联名"), "btn-outline-danger", "decision", "decline"),
        ),
        notes=_respond_notes,
    )
)
def respond_view(request, form, suggestion, _assignment):
    confirm = form.cleaned_data["decision"] == "confirm"
    services.suggestion_cosigner_respond(suggestion=suggestion, actor=request.user, confirm=confirm)
    return _("您已确认联名。") if confirm else _("您已拒绝联名。")


@action_view(
    ActionSpec(
        Action.SUBMIT,
        "submit",
        gettext_lazy("提交建议"),
        forms.SubmitForm,
        (Button(gettext_lazy("提交建议")),),
        notes=_submit_notes,
    )
)
def submit_view(request, form, suggestion, _assignment):
    submitted = services.suggestion_submit(
        suggestion=suggestion, actor=request.user, expected_version=form.cleaned_data["version"]
    )
    return submitted_message(submitted)


@action_view(
    ActionSpec(
        Action.WITHDRAW,
        "withdraw",
        gettext_lazy("撤回建议"),
        forms.WithdrawForm,
        (Button(gettext_lazy("撤回建议"), "btn-outline-danger"),),
        confirm=gettext_lazy("确定撤回该建议吗？撤回后不能恢复。"),
    )
)
def withdraw_view(request, form, suggestion, _assignment):
    services.suggestion_withdraw(
        suggestion=suggestion,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )
    return _("建议已撤回。")


@action_view(
    ActionSpec(
        Action.ACCEPT,
        "accept",
        gettext_lazy("受理（立案）"),
        forms.AcceptForm,
        (Button(gettext_lazy("受理")),),
    )
)
def accept_view(request, form, suggestion, _assignment):
    data = form.cleaned_data
    accepted = services.suggestion_review(
        suggestion=suggestion,
        actor=request.user,
        decision=ReviewDecision.ACCEPT,
        field=data["field"],
        is_hard=data["is_hard"],
        expected_version=data["version"],
    )
    return _("已受理，建议号：{number}。").format(number=accepted.number_label)


@action_view(
    ActionSpec(
        Action.RETURN,
        "return",
        gettext_lazy("退回修改"),
        forms.ReturnForm,
        (Button(gettext_lazy("退回修改"), "btn-outline-warning"),),
    )
)
def return_view(request, form, suggestion, _assignment):
    services.suggestion_review(
        suggestion=suggestion,
        actor=request.user,
        decision=ReviewDecision.RETURN,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )
    return _("已退回代表修改。")


@action_view(
    ActionSpec(
        Action.REJECT,
        "reject",
        gettext_lazy("不予受理"),
        forms.RejectForm,
        (Button(gettext_lazy("不予受理"), "btn-outline-danger"),),
        confirm=gettext_lazy("确定不予受理该建议吗？"),
    )
)
def reject_view(request, form, suggestion, _assignment):
    data = form.cleaned_data
    services.suggestion_review(
        suggestion=suggestion,
        actor=request.user,
        decision=ReviewDecision.REJECT,
        rejection_reason=data["rejection_reason"],
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("已决定不予受理。")


@action_view(
    ActionSpec(
        Action.CONVERT_TO_LETTER,
        "convert",
        gettext_lazy("转为来信处理"),
        forms.ConvertToLetterForm,
        (Button(gettext_lazy("转为来信处理"), "btn-outline-secondary"),),
        confirm=gettext_lazy("确定将该建议转为来信处理吗？"),
    )
)
def convert_view(request, form, suggestion, _assignment):
    services.suggestion_review(
        suggestion=suggestion,
        actor=request.user,
        decision=ReviewDecision.CONVERT_TO_LETTER,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
    )
    return _("已转为来信处理。")


@action_view(
    ActionSpec(
        Action.ASSIGN, "assign", gettext_lazy("交办"), forms.AssignForm, (Button(gettext_lazy("交办")),)
    )
)
def assign_view(request, form, suggestion, _assignment):
    data = form.cleaned_data
    merge_with = data.get("merge_with")
    merge_group = None
    if merge_with is not None:
        merge_group = selectors.merge_group_of(merge_with)
        if merge_group is None:
            raise DomainError(_("所选建议已不再并案办理，请重新选择。"), field="merge_with")
    assignments = services.suggestion_assign(
        suggestion=suggestion,
        actor=request.user,
        lead=data["lead"],
        co_units=list(data["co_units"]),
        split_units=list(data["split_units"]),
        merge_group=merge_group,
        is_hard=data["is_hard"],
        on=data["on"],
        expected_version=data["version"],
    )
    units = "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in assignments)
    if merge_with is not None:
        return _("已交办：{units}，与{number}并案办理。").format(units=units, number=merge_with.number_label)
    return _("已交办：{units}。").format(units=units)


@action_view(
    ActionSpec(
        Action.CLOSE,
        "close",
        gettext_lazy("办结"),
        forms.CloseForm,
        (Button(gettext_lazy("办结"), "btn-success"),),
        confirm=gettext_lazy("确定办结该建议吗？"),
        notes=_close_notes,
    )
)
def close_view(request, form, suggestion, _assignment):
    services.suggestion_close(
        suggestion=suggestion, actor=request.user, expected_version=form.cleaned_data["version"]
    )
    return _("建议已办结。")
