"""Suggestion pages: the list, drafting, the detail page with its action cards, the unit work list,
the assignment meeting (bulk assignment) and its printable per-unit lists.

Views are thin: a selector decides what the user may see (missing and forbidden both give 404), a
form checks the input's shape, one service applies the rule, and the page redirects with a
success message or shows the service's Chinese refusal with nothing changed.

The detail page shows one card per action that ``workflow.available_actions`` offers the user;
each card's form POSTs to its own view (``ACTION_SPECS`` below), which calls exactly one service.
With HTMX a refused card is swapped in place and a success reloads the page; without JavaScript
the whole page is rendered again around the refused card.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office, may_work_on_assignments
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.organizations.models import ExpertiseField, HandlingUnit

from . import extensions, forms, selectors, services, tables, workflow
from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ObjectionStatus,
    ReplyStatus,
    ReviewDecision,
    Satisfaction,
    SignerStatus,
    SuggestionStatus,
)
from .filters import AssignmentFilter, SuggestionFilter
from .models import (
    Assignment,
    Evaluation,
    Reply,
    Suggestion,
    SuggestionAttachment,
)
from .rules import rules_for
from .visibility import SuggestionLens
from .workflow import Action

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
# The assignment meeting's page: one submission assigns at most this many (all or nothing).
BULK_LIMIT = 500
SORTABLE_COLUMNS = [
    ("number", gettext_lazy("建议号")),
    ("title", gettext_lazy("标题")),
    ("lead_deputy", gettext_lazy("领衔代表")),
]
# Choice filters shown on the list pages as selects (the rest are text or date inputs).
# Shown as single selects; a filter another app registers (``supervision``) shows when present.
LIST_SELECTS = ("status", "series", "session", "field", "unit", "is_hard", "supervision")
WORK_SELECTS = ("status", "role", "overdue", "needs_calendar")


# -- Shared helpers ---------------------------------------------------------------------------------


def _not_found():
    return Http404(_("未找到该建议，或您无权查看。"))


def _visible_or_404(user, pk: int) -> Suggestion:
    try:
        return (
            selectors.suggestions_visible_to(user)
            .select_related("congress", "lead_mandate__person", "field")
            .get(pk=pk)
        )
    except Suggestion.DoesNotExist as missing:
        raise _not_found() from missing


def _require_office(user) -> None:
    if not is_office(user):
        raise Http404(_("未找到该页面，或您无权访问。"))


def _without_empty(query: QueryDict) -> QueryDict:
    """The query string without empty values: a select's “全部” (``""``) means no filter."""
    cleaned = QueryDict(mutable=True)
    for key in query:
        values = [value for value in query.getlist(key) if value != ""]
        if values:
            cleaned.setlist(key, values)
    return cleaned


def _filtered(filterset):
    """The filtered queryset; a forged filter value shows nothing, never everything."""
    if not filterset.is_bound:
        return filterset.queryset
    if filterset.is_valid():
        return filterset.qs
    return filterset.queryset.none()


def _with_empty_choice(field) -> None:
    """Give a multiple-choice filter a leading “全部” so it can be shown as a single select."""
    field.field.choices = [("", _("全部")), *field.field.choices]


def _add_domain_error(form, error: DomainError, aliases: dict | None = None) -> None:
    name = (aliases or {}).get(error.field, error.field)
    form.add_error(name if name in form.fields else None, error.message)


def _with_satisfaction(suggestions):
    """The lead deputy's latest rating of a reply, in the same query (constant queries per page)."""
    latest = (
        Evaluation.objects.filter(
            recipient__reply__assignment__suggestion=OuterRef("pk"), recipient__is_lead=True
        )
        .order_by("-evaluated_at", "-id")
        .values("satisfaction")[:1]
    )
    return suggestions.annotate(satisfaction=Subquery(latest))


# -- The list ---------------------------------------------------------------------------------------


@login_required
def suggestion_list_view(request):
    """The suggestions the user may see: filters, sorting, pagination, Excel export of the filtered
    list. HTMX gets the table only."""
    data = _without_empty(request.GET)
    filterset = SuggestionFilter(
        data or None, queryset=_with_satisfaction(selectors.suggestion_list(user=request.user))
    )
    suggestions = _filtered(filterset)
    if request.GET.get("export") == "xlsx":
        rows = (tables.suggestion_export_row(s) for s in suggestions[:EXPORT_LIMIT])
        content = workbook_bytes(_("代表建议"), [str(h) for h in tables.SUGGESTION_EXPORT_HEADERS], rows)
        return xlsx_response(content, _("代表建议.xlsx"))
    paginator = Paginator(suggestions, PAGE_SIZE)
    if not filterset.is_bound or filterset.is_valid():
        # Unfiltered: the whole scope, counted on narrow indexes (``selectors.suggestion_count``).
        count = selectors.suggestion_count_if_unfiltered(user=request.user, params=data)
        if count is not None:
            paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    _with_empty_choice(filterset.form["status"])
    context = {
        "filter": filterset,
        "select_fields": [filterset.form[name] for name in LIST_SELECTS if name in filterset.filters],
        "page": page,
        "rows": tables.suggestion_rows(page.object_list),
        "ordering": request.GET.get("ordering", ""),
        "sortable_columns": SORTABLE_COLUMNS,
        "can_create": _may_create(request.user),
        "can_assign": is_office(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "suggestions/partials/suggestion_table.html" if partial else "suggestions/suggestion_list.html"
    return render(request, template, context)


# -- Drafting ---------------------------------------------------------------------------------------


def _may_create(user) -> bool:
    return is_office(user) or (user.is_authenticated and user.role == Role.DEPUTY and not user.is_superuser)


CREATE_ERROR_FIELDS = {"file": "attachments", "mandates": "cosigners"}


@login_required
def suggestion_create_view(request):
    """A new suggestion (DOMAIN §5.1): saved as a draft with its attachments and invited co-signers;
    “提交建议” submits it at once (it then waits for the co-signers to confirm). A deputy leads
    with its own active mandate; the office enters paper suggestions for any deputy."""
    user = request.user
    if not _may_create(user):
        raise Http404(_("未找到该页面，或您无权访问。"))
    office = is_office(user)
    form = forms.SuggestionCreateForm(
        request.POST or None, request.FILES or None, user=user, is_office=office
    )
    if not office and not form.fields["mandate"].queryset.exists():
        messages.error(request, _("您没有在职的代表资格，不能提出建议。"))
        return redirect("suggestions:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit = bool(request.POST.get("submit"))
        try:
            # One draft with everything entered, or nothing: a refused attachment leaves no draft.
            with transaction.atomic():
                suggestion = services.suggestion_create(
                    actor=user,
                    mandate=data["mandate"],
                    title=data["title"],
                    body=data["body"],
                    session=data["session"],
                    field=data["field"],
                    is_confidential=data["is_confidential"],
                )
                for upload in data["attachments"]:
                    services.suggestion_attach(suggestion=suggestion, file=upload, actor=user)
                if data["cosigners"]:
                    services.suggestion_invite_cosigners(
                        suggestion=suggestion, mandates=list(data["cosigners"]), actor=user
                    )
                if submit:
                    suggestion = services.suggestion_submit(suggestion=suggestion, actor=user)
        except DomainError as error:
            _add_domain_error(form, error, CREATE_ERROR_FIELDS)
        else:
            messages.success(request, _submitted_message(suggestion) if submit else _("草稿已保存。"))
            return redirect("suggestions:detail", pk=suggestion.pk)
    return render(request, "suggestions/suggestion_form.html", {"form": form, "creating": True})


def _submitted_message(suggestion: Suggestion) -> str:
    if suggestion.status == SuggestionStatus.AWAITING_COSIGNERS:
        return _("建议已提交，待联名代表全部确认后送代表工委审查。")
    return _("建议已提交，等待代表工委审查。")


@login_required
def suggestion_edit_view(request, pk: int):
    """Edit the text until the suggestion is assigned; the version read with the form makes a
    concurrent edit fail with the conflict message."""
    suggestion = _visible_or_404(request.user, pk)
    try:
        workflow.check_suggestion(suggestion, Action.EDIT, request.user, _context(suggestion))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("suggestions:detail", pk=pk)
    form = forms.SuggestionEditForm(
        request.POST or None, suggestion=suggestion, is_office=is_office(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_update(
                suggestion=suggestion,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                actor=request.user,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("suggestions:detail", pk=pk)
    return render(
        request,
        "suggestions/suggestion_form.html",
        {"form": form, "suggestion": suggestion, "creating": False},
    )


def _context(suggestion: Suggestion) -> workflow.Context:
    return workflow.Context(today=timezone.localdate(), rules=rules_for(suggestion.congress_id))


# -- Action cards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    css: str = "btn-primary"
    name: str = ""
    value: str = ""


@dataclass(frozen=True)
class ActionSpec:
    """How one ``workflow.Action`` appears on the detail page and which view performs it.

    ``applies`` hides the card when there is nothing to act on yet (no saved reply to submit, no
    sub-unit to re-assign to); ``notes`` adds what the user should know before acting. A
    ``confirm`` text makes the browser ask first (``data-confirm``): destructive actions."""

    action: str
    url_name: str
    title: str
    form_class: type
    buttons: tuple[Button, ...]
    on_assignment: bool = False
    confirm: str = ""
    multipart: bool = False
    applies: Callable | None = None
    notes: Callable | None = None

    def key(self, assignment=None) -> str:
        return f"{self.action}-{assignment.pk}" if assignment is not None else str(self.action)

    def url(self, suggestion, assignment=None) -> str:
        args = [suggestion.pk, assignment.pk] if assignment is not None else [suggestion.pk]
        return reverse(f"suggestions:{self.url_name}", args=args)


@dataclass
class Card:
    spec: ActionSpec
    key: str
    title: str
    url: str
    form: django_forms.Form
    notes: list = field(default_factory=list)


ACTION_SPECS: dict[str, ActionSpec] = {}
SECONDARY_ACTIONS = frozenset(
    {Action.INVITE_COSIGNERS, Action.WITHDRAW, Action.OBJECT, Action.REASSIGN, Action.CONVERT_TO_LETTER}
)


def _make_form(spec: ActionSpec, request, suggestion, assignment, rules, data=None, files=None):
    return spec.form_class(
        data,
        files,
        suggestion=suggestion,
        assignment=assignment,
        user=request.user,
        rules=rules,
        auto_id=f"id_{spec.key(assignment)}_%s",
    )


def _card(spec: ActionSpec, request, suggestion, assignment, rules, form=None) -> Card | None:
    if form is None:
        if spec.applies is not None and not spec.applies(suggestion, assignment):
            return None
        form = _make_form(spec, request, suggestion, assignment, rules)
    title = str(spec.title)
    if assignment is not None:
        title = _("{title}（{unit}）").format(title=title, unit=assignment.unit.name)
    notes = [*(spec.notes(suggestion, assignment, rules) if spec.notes else []), *getattr(form, "notes", [])]
    return Card(spec, spec.key(assignment), title, spec.url(suggestion, assignment), form, notes)


def _back_to_detail(request, suggestion):
    url = reverse("suggestions:detail", args=[suggestion.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _refused(request, spec, suggestion, assignment, form, rules, *, status: int = 200):
    """Show the refused card: alone for HTMX (swapped in place), else inside the whole page."""
    if request.htmx:
        card = _card(spec, request, suggestion, assignment, rules, form=form)
        return render(
            request, "suggestions/partials/action_card.html", {"card": card, "suggestion": suggestion}
        )
    return _render_detail(
        request, suggestion.pk, bound=(spec.key(assignment), form), status=status, rules=rules
    )


def _action_view(spec: ActionSpec):
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
            suggestion = _visible_or_404(request.user, pk)
            assignment = None
            if spec.on_assignment:
                assignment = get_object_or_404(
                    Assignment.objects.select_related("unit"), pk=assignment_pk, suggestion=suggestion
                )
                assignment.suggestion = suggestion
            rules = rules_for(suggestion.congress_id)
            form = _make_form(spec, request, suggestion, assignment, rules, request.POST, request.FILES)
            if not form.is_valid():
                return _refused(request, spec, suggestion, assignment, form, rules)
            try:
                message = perform(request, form, suggestion, assignment)
            except ConflictError as error:
                # Show what changed, and keep the input with the version now current, so that the
                # user may send it again after reading the page.
                suggestion = _visible_or_404(request.user, pk)
                fresh = _make_form(spec, request, suggestion, assignment, rules)
                data = request.POST.copy()
                if "version" in fresh.fields:
                    data["version"] = fresh["version"].value() or ""
                form = _make_form(spec, request, suggestion, assignment, rules, data, request.FILES)
                form.is_valid()
                form.add_error(None, error.message)
                return _refused(request, spec, suggestion, assignment, form, rules, status=409)
            except ForbiddenError as error:
                form.add_error(None, error.message)
                return _refused(request, spec, suggestion, assignment, form, rules, status=403)
            except DomainError as error:
                _add_domain_error(form, error)
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
        return [("text-warning", _("截止日期待工作日历补录后计算"))]
    return []


def _pending_objection(assignment):
    return assignment.objections.filter(status=ObjectionStatus.PENDING).first()


def _objection_notes(_suggestion, assignment, _rules):
    objection = _pending_objection(assignment)
    return [("", _("异议理由：{reason}").format(reason=objection.reason))] if objection else []


def _has_sub_units(_suggestion, assignment) -> bool:
    return HandlingUnit.objects.filter(parent_id=assignment.unit_id, is_active=True).exists()


def _open_draft(assignment):
    return (
        assignment.replies.filter(status__in=(ReplyStatus.DRAFT, ReplyStatus.RETURNED))
        .order_by("-id")
        .first()
    )


def _submitted_reply(assignment):
    return assignment.replies.filter(status=ReplyStatus.SUBMITTED).order_by("-id").first()


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
            assignment.rehandling_due.isoformat() if assignment.rehandling_due else _("待工作日历补录后计算")
        )
        notes.append(("text-warning", _("代表对答复不满意，请重新办理并在{due}前再次答复。").format(due=due)))
    draft = _open_draft(assignment)
    if draft is not None and draft.status == ReplyStatus.RETURNED:
        notes.append(("text-danger", _("答复被退回：{reason}").format(reason=draft.return_reason)))
    return notes


def _submit_reply_notes(_suggestion, assignment, rules):
    draft = _open_draft(assignment)
    notes = [("text-secondary", _reply_summary(draft, rules))] if draft else []
    if rules.second_review_enabled:
        notes.append(("text-secondary", _("提交后由代表工委审核，审核通过后发给代表。")))
    return notes


def _review_notes(_suggestion, assignment, rules):
    reply = _submitted_reply(assignment)
    if reply is None:
        return []
    findings = [("text-danger", finding) for finding in selectors.reply_review_findings(reply)]
    return [("text-secondary", _reply_summary(reply, rules)), *findings]


def _evaluate_notes(_suggestion, assignment, rules):
    reply = workflow.latest_evaluable_reply(assignment)
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


# Suggestion actions ---------------------------------------------------------------------------------


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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
    return _submitted_message(submitted)


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


# Assignment actions ---------------------------------------------------------------------------------


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
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


@_action_view(
    ActionSpec(
        Action.SUBMIT_REPLY,
        "submit_reply",
        gettext_lazy("提交答复"),
        forms.SubmitReplyForm,
        (Button(gettext_lazy("提交答复")),),
        on_assignment=True,
        applies=lambda _s, assignment: _open_draft(assignment) is not None,
        notes=_submit_reply_notes,
    )
)
def submit_reply_view(request, _form, _suggestion, assignment):
    draft = _open_draft(assignment)
    if draft is None:
        raise DomainError(_("请先填写并保存答复。"))
    reply = services.reply_submit(reply=draft, actor=request.user)
    if reply.status == ReplyStatus.RELEASED:
        return _("答复已发出，代表可以评价。")
    return _("答复已提交，等待代表工委审核。")


@_action_view(
    ActionSpec(
        Action.RELEASE_REPLY,
        "release_reply",
        gettext_lazy("答复审核：发布"),
        forms.ReleaseReplyForm,
        (Button(gettext_lazy("发布答复")),),
        on_assignment=True,
        applies=lambda _s, assignment: _submitted_reply(assignment) is not None,
        notes=_review_notes,
    )
)
def release_reply_view(request, _form, _suggestion, assignment):
    reply = _submitted_reply(assignment)
    if reply is None:
        raise DomainError(_("该答复不在待审核状态。"))
    services.reply_review(reply=reply, actor=request.user, release=True)
    return _("答复已发布，代表可以评价。")


@_action_view(
    ActionSpec(
        Action.RETURN_REPLY,
        "return_reply",
        gettext_lazy("答复审核：退回"),
        forms.ReturnReplyForm,
        (Button(gettext_lazy("退回答复"), "btn-outline-warning"),),
        on_assignment=True,
        applies=lambda _s, assignment: _submitted_reply(assignment) is not None,
    )
)
def return_reply_view(request, form, _suggestion, assignment):
    reply = _submitted_reply(assignment)
    if reply is None:
        raise DomainError(_("该答复不在待审核状态。"))
    services.reply_review(reply=reply, actor=request.user, release=False, reason=form.cleaned_data["reason"])
    return _("答复已退回承办单位修改。")


@_action_view(
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
    reply = workflow.latest_evaluable_reply(assignment)
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


@_action_view(
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


# -- The detail page --------------------------------------------------------------------------------


def _assignment_panels(detail: selectors.SuggestionDetail, rules, today) -> list[dict]:
    """The units' panels: what ``selectors.suggestion_detail`` lets the user see of each
    assignment."""
    panels = []
    for view in detail.assignments:
        assignment = view.assignment
        for reply in view.replies:
            reply.result_label = rules.result_class_label(reply.result_class) if reply.result_class else ""
        panels.append(
            {
                "assignment": assignment,
                "due": tables.due_cell(assignment, today),
                "due_state": tables.due_state(assignment, today),
                "contacts": assignment.contacts.all(),
                "commitments": assignment.commitments.all(),
                "objections": view.objections,
                "show_input": view.input_visible and assignment.input_text,
                "show_review": view.review_visible,
                "replies": view.replies,
            }
        )
    return panels


def _render_detail(request, pk: int, *, bound: tuple | None = None, status: int = 200, rules=None):
    """The detail page; ``bound`` = (card key, bound form) shows a refused action's form with its
    errors in place of the fresh one."""
    user = request.user
    try:
        detail = selectors.suggestion_detail(user=user, pk=pk, rules=rules)
    except Suggestion.DoesNotExist as missing:
        raise _not_found() from missing
    suggestion, rules = detail.suggestion, detail.rules
    today = timezone.localdate()
    assignments = {view.assignment.pk: view.assignment for view in detail.assignments}
    cards, attach_card, page_errors = [], None, []
    available = workflow.available_actions(suggestion, user, today=today, rules=rules)
    action_names = {item.action for item in available}
    for item in available:
        spec = ACTION_SPECS.get(item.action)
        if spec is None:
            continue
        assignment = assignments.get(item.assignment_id) if spec.on_assignment else None
        if spec.on_assignment and assignment is None:
            continue
        form = bound[1] if bound and bound[0] == spec.key(assignment) else None
        card = _card(spec, request, suggestion, assignment, rules, form=form)
        if card is None:
            continue
        if spec.action == Action.ATTACH:
            attach_card = card
        else:
            cards.append(card)
    # The main step first; objections, re-assignment, withdrawal and refusals after it.
    cards.sort(key=lambda card: card.spec.action in SECONDARY_ACTIONS)
    if bound and bound[0] not in {card.key for card in cards} | ({attach_card.key} if attach_card else set()):
        # The action is no longer offered (done by someone else, or never this user's): say why.
        page_errors = [str(error) for errors in bound[1].errors.values() for error in errors]
    merged, merged_hidden = detail.merged, detail.merged_hidden
    context = {
        "suggestion": suggestion,
        "rules": rules,
        "status_badge": tables.status_badge(suggestion.status),
        "merged": [(other, tables.STATUS_BADGES.get(other.status, "")) for other in merged],
        "merged_hidden": merged_hidden,
        "is_merged": bool(merged or merged_hidden),
        # Panels other apps add (e.g. 督办情况 from lvzhi.supervision): ``extensions``.
        "panels_from_apps": extensions.detail_panels(suggestion, user),
        "signers": suggestion.signers.all(),
        "attachments": suggestion.attachments.all(),
        "panels": _assignment_panels(detail, rules, today),
        "events": [
            (event, tables.event_unit(event), tables.event_details(event))
            for event in selectors.suggestion_events(suggestion, user=user)
        ],
        "cards": cards,
        "attach_card": attach_card,
        "can_edit": Action.EDIT in action_names,
        "can_remove_attachments": Action.ATTACH in action_names,
        "page_errors": page_errors,
    }
    return render(request, "suggestions/suggestion_detail.html", context, status=status)


@login_required
def suggestion_detail_view(request, pk: int):
    """Everything the user may see of one suggestion, its history, and the actions it may take."""
    return _render_detail(request, pk)


# -- Files ------------------------------------------------------------------------------------------


@login_required
def attachment_download_view(request, pk: int, attachment_pk: int):
    """Uploads are never served as static files: whoever may see the suggestion may download."""
    suggestion = _visible_or_404(request.user, pk)
    attachment = get_object_or_404(SuggestionAttachment, pk=attachment_pk, suggestion=suggestion)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_POST
def attachment_delete_view(request, pk: int, attachment_pk: int):
    """Remove an attachment until the suggestion is assigned (the form asks first)."""
    suggestion = _visible_or_404(request.user, pk)
    attachment = get_object_or_404(SuggestionAttachment, pk=attachment_pk, suggestion=suggestion)
    try:
        services.suggestion_attachment_remove(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除附件“{name}”。").format(name=attachment.original_name))
    return redirect("suggestions:detail", pk=pk)


@login_required
def reply_letter_view(request, pk: int, reply_pk: int):
    """The sealed reply letter, to whoever may read the reply (``visibility``)."""
    suggestion = _visible_or_404(request.user, pk)
    reply = get_object_or_404(
        Reply.objects.select_related("assignment__parent"), pk=reply_pk, assignment__suggestion=suggestion
    )
    if not reply.letter or not SuggestionLens(request.user).sees_reply(reply, reply.assignment):
        raise _not_found()
    name = _("{number}答复函.pdf").format(number=suggestion.number_label or suggestion.pk)
    return FileResponse(reply.letter.open("rb"), as_attachment=True, filename=name)


# -- The unit work list -----------------------------------------------------------------------------


def _unit_param(request):
    """The unit the office picked (``?unit=``), or None."""
    value = request.GET.get("unit", "")
    if not value.isdigit():
        return None
    return HandlingUnit.objects.filter(pk=int(value)).first()


@login_required
def unit_work_list_view(request):
    """A handling unit's assignments with their deadlines (near ones and missed ones highlighted):
    unit staff see their own unit's; the office picks a unit. Filters, sorting, paging, export."""
    user = request.user
    if not may_work_on_assignments(user):
        raise Http404(_("未找到该页面，或您无权访问。"))
    office = is_office(user)
    unit = _unit_param(request) if office else user.handling_unit
    filterset = AssignmentFilter(
        _without_empty(request.GET) or None, queryset=selectors.unit_work_list(user=user, unit=unit)
    )
    assignments = _filtered(filterset)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        rows = (tables.assignment_export_row(a, today) for a in assignments[:EXPORT_LIMIT])
        title = _("{unit}办理工作").format(unit=unit.name if unit else "")
        content = workbook_bytes(title, [str(h) for h in tables.ASSIGNMENT_EXPORT_HEADERS], rows)
        return xlsx_response(content, _("{title}.xlsx").format(title=title))
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_empty_choice(filterset.form["status"])
    context = {
        "filter": filterset,
        "select_fields": [filterset.form[name] for name in WORK_SELECTS],
        "page": page,
        "rows": tables.assignment_rows(page.object_list, today),
        "ordering": request.GET.get("ordering", ""),
        "office": office,
        "unit": unit,
        "units": HandlingUnit.objects.all() if office else [],
        "near_days": tables.NEAR_DAYS,
        "counts": selectors.unit_work_counts(user=user, unit=unit, today=today) if unit else None,
        "merged_only": request.GET.get("merged") == "true",
        "merge_group": request.GET.get("merge_group", ""),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "suggestions/partials/work_table.html" if partial else "suggestions/work_list.html"
    return render(request, template, context)


# -- The assignment meeting (交办会) ----------------------------------------------------------------


def _posted_suggestion_ids(post) -> list[int]:
    """The suggestions a bulk form names, in the order of the page."""
    ids = []
    for key in post:
        prefix, _sep, rest = key.partition("_")
        if prefix in ("lead", "co", "hard", "merge") and rest.isdigit() and int(rest) not in ids:
            ids.append(int(rest))
    return ids


@login_required
def bulk_assign_view(request):
    """The office assigns accepted suggestions in bulk: a lead unit (and co-units) per row, all in
    one transaction, all or nothing; every refused row is named. Then each unit's list is printed."""
    user = request.user
    _require_office(user)
    accepted = (
        selectors.suggestions_visible_to(user)
        .filter(status=SuggestionStatus.ACCEPTED)
        .select_related("lead_mandate__person", "field")
        .order_by("year", "series", "number", "id")
    )
    field_id = request.GET.get("field", "")
    if field_id.isdigit():
        accepted = accepted.filter(field_id=int(field_id))
    units = list(HandlingUnit.objects.filter(is_active=True))
    if request.method == "POST":
        ids = _posted_suggestion_ids(request.POST)[:BULK_LIMIT]
        by_id = {
            s.pk: s
            for s in selectors.suggestions_visible_to(user)
            .filter(pk__in=ids)
            .select_related("lead_mandate__person", "field")
        }
        form = forms.BulkAssignForm(
            request.POST, suggestions=[by_id[i] for i in ids if i in by_id], units=units
        )
        if form.is_valid():
            rows = form.rows()
            if not form.errors:
                # 并案: the ticked rows are handled together, in one new merge group.
                merge_group = services.new_merge_group() if any(row["merge"] for row in rows) else None
                plans = [
                    services.AssignmentPlan(
                        suggestion=row["suggestion"],
                        lead=row["lead"],
                        co_units=row["co_units"],
                        is_hard=row["is_hard"],
                        merge_group=merge_group if row["merge"] else None,
                    )
                    for row in rows
                ]
                on = form.cleaned_data["on"]
                try:
                    assignments = services.suggestions_assign_bulk(plans=plans, actor=user, on=on)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    message = _("已交办{count}件建议（{units}个承办单位），请打印各单位交办清单。").format(
                        count=len(plans), units=len({a.unit_id for a in assignments})
                    )
                    merged = sum(1 for row in rows if row["merge"])
                    if merged:
                        message += _("其中{count}件并案办理。").format(count=merged)
                    messages.success(request, message)
                    return redirect(
                        reverse("suggestions:assign_print") + "?" + urlencode({"on": on.isoformat()})
                    )
    else:
        form = forms.BulkAssignForm(suggestions=[], units=units)
    shown = list(accepted[:BULK_LIMIT])
    context = {
        "form": form,
        "rows": tables.bulk_assign_rows(
            shown, tables.unit_options(units), request.POST if request.method == "POST" else None
        ),
        "shown": len(shown),
        "total": accepted.count(),
        "limit": BULK_LIMIT,
        "fields": ExpertiseField.objects.all(),
        "field_id": field_id,
    }
    return render(request, "suggestions/bulk_assign.html", context)


@login_required
def assign_print_view(request):
    """Each unit's list of assigned suggestions, print-friendly (and as Excel): ``?unit=`` names the
    unit, ``?on=`` the assignment date. Without a unit: the units that received assignments that day."""
    user = request.user
    _require_office(user)
    on = _date_or_none(request.GET.get("on", ""))
    unit = _unit_param(request)
    if unit is None:
        day = on or timezone.localdate()
        counts = (
            Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
            .filter(assigned_on=day)
            .values("unit_id", "unit__name")
            .annotate(count=Count("id"))
            .order_by("unit__order", "unit_id")
        )
        return render(request, "suggestions/assign_print_index.html", {"counts": counts, "on": day})
    assignments = selectors.unit_work_list(user=user, unit=unit).order_by(
        "suggestion__year", "suggestion__series", "suggestion__number", "id"
    )
    if on is not None:
        assignments = assignments.filter(assigned_on=on)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("序号"),
            _("建议号"),
            _("标题"),
            _("领衔代表"),
            _("承办方式"),
            _("交办日期"),
            _("答复期限"),
            _("协办意见期限"),
        ]
        rows = (
            [
                index,
                a.suggestion.number_label,
                a.suggestion.title,
                a.suggestion.lead_mandate.person.name,
                str(AssignmentRole(a.role).label),
                a.assigned_on,
                a.reply_due,
                a.co_input_due,
            ]
            for index, a in enumerate(assignments[:EXPORT_LIMIT], start=1)
        )
        title = _("{unit}交办清单").format(unit=unit.name)
        return xlsx_response(workbook_bytes(title, headers, rows), _("{title}.xlsx").format(title=title))
    context = {"unit": unit, "on": on, "assignments": list(assignments), "printed_at": timezone.localtime()}
    return render(request, "suggestions/assign_print.html", context)


def _date_or_none(value: str) -> date | None:
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None
