"""Motion pages: thin views over selectors (what the user may see), forms (the shape of the input),
services (what changes) and ``workflow.available_actions`` (which buttons a page shows).

A motion outside the user's scope is 404; so is an action form the user's role may never use. A
refusal by the rules comes back as the service's Chinese message, on the form or on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.excel import workbook_bytes, xlsx_response
from lvzhi.core.lists import add_domain_error, filtered, not_found
from lvzhi.suggestions.rules import rules_for

from . import selectors, services, workflow
from .choices import Attendance, MotionStatus, SignerStatus
from .filters import MotionFilter
from .forms import ActivityForm, AttendanceForm, DecisionForm, MotionForm, ReportForm
from .models import Motion
from .workflow import Action

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
SORTABLE_COLUMNS = [
    ("number", gettext_lazy("议案号")),
    ("subject", gettext_lazy("案由")),
    ("status", gettext_lazy("状态")),
    ("submitted_at", gettext_lazy("提交时间")),
    ("report_due", gettext_lazy("报告期限")),
]
STATUS_BADGES = {
    MotionStatus.DRAFT: "bg-secondary-lt",
    MotionStatus.SUBMITTED: "bg-blue-lt",
    MotionStatus.PLACED_ON_AGENDA: "bg-azure-lt",
    MotionStatus.CONVERTED: "bg-purple-lt",
    MotionStatus.REPORTED: "bg-green-lt",
    MotionStatus.CLOSED: "bg-green-lt",
    MotionStatus.WITHDRAWN: "bg-secondary-lt",
}


def _visible_or_404(user, pk: int) -> Motion:
    try:
        return selectors.motion_get(user=user, pk=pk)
    except Motion.DoesNotExist as missing:
        raise not_found(_("未找到该议案，或您无权查看。")) from missing


def _page_refusal(request, motion: Motion, *actions: str):
    """Guard an action page: 404 when the user's role and scope never allow the action on this
    motion; back to the motion with the refusal when its state does not allow it now; else None."""
    transitions = [t for action in actions for t in workflow.MOTION.rows(action)]
    if not any(t.who(request.user, motion) for t in transitions):
        raise not_found()
    if not any(motion.status in t.sources for t in transitions):
        messages.error(request, workflow.refusal(actions[0], motion.status).message)
        return redirect("motions:detail", pk=motion.pk)
    return None


def _may_create(user) -> bool:
    return is_office(user) or user.role in (Role.DEPUTY, Role.COUNTY_STAFF)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _export(motions) -> bytes:
    headers = [
        _("议案号"), _("会议"), _("案由"), _("领衔代表/代表团"), _("附议代表人数"), _("所属领域"), _("状态"),
        _("审议委员会"), _("报告期限"), _("报告日期"), _("逾期报告"),
    ]  # fmt: skip
    rows = (
        [
            m.number_label,
            f"{m.term.label}{m.session.label}",
            m.subject,
            m.proposer_label,
            sum(1 for s in m.signers.all() if s.status == SignerStatus.CONFIRMED),
            m.field.name if m.field else "",
            m.get_status_display(),
            m.committee.name if m.committee else "",
            m.report_due,
            m.reported_on,
            (_("是") if m.is_report_late else _("否")) if m.reported_on else "",
        ]
        for m in motions[:EXPORT_LIMIT]
    )
    return workbook_bytes(_("议案"), headers, rows)


@login_required
def motion_list_view(request):
    """The motions the user may see: filters, sorting, pagination and Excel export."""
    filterset = MotionFilter(
        request.GET or None, queryset=selectors.motion_list(user=request.user), request=request
    )
    motions = filtered(filterset)
    if not request.GET.get("ordering"):
        motions = motions.order_by("-session__start_date", "number", "-id")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(_export(motions), _("议案.xlsx"))
    page = Paginator(motions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "rows": [
            {
                "motion": m,
                "confirmed": workflow.confirmed_cosigners(m),
                "badge": STATUS_BADGES.get(m.status, ""),
            }
            for m in page.object_list
        ],
        "ordering": request.GET.get("ordering", ""),
        "sortable_columns": SORTABLE_COLUMNS,
        "can_create": _may_create(request.user),
    }
    template = "motions/partials/motion_table.html" if request.htmx else "motions/motion_list.html"
    return render(request, template, context)


@login_required
def motion_detail_view(request, pk: int):
    """The motion, its co-signers, the presidium's decision, the committee's activities and report,
    its history (and the suggestion's, once converted), and the buttons the user may press."""
    motion = _visible_or_404(request.user, pk)
    rules = rules_for(motion.congress_id)
    actions = workflow.available_actions(motion, request.user, rules=rules)
    context = {
        "motion": motion,
        "badge": STATUS_BADGES.get(motion.status, ""),
        "actions": {a.action for a in actions},
        "decision": getattr(motion, "decision", None),
        "motion_events": selectors.motion_events(motion),
        "suggestion_events": selectors.converted_suggestion_events(motion, user=request.user),
        "confirmed_count": workflow.confirmed_cosigners(motion),
        "minimum": rules.motion_cosigner_minimum,
    }
    return render(request, "motions/motion_detail.html", context)


def _service_kwargs(data: dict) -> dict:
    return {
        "subject": data["subject"],
        "grounds": data["grounds"],
        "plan": data["plan"],
        "field": data["field"],
    }


@login_required
def motion_create_view(request):
    """Draft a motion: a deputy leads it (and invites co-signers), county staff raise it for their
    delegation, the office enters a paper motion."""
    if not _may_create(request.user):
        raise not_found()
    form = MotionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            motion = services.motion_create(
                actor=request.user,
                session=data["session"],
                mandate=data.get("mandate"),
                delegation=data.get("delegation"),
                cosigners=list(data.get("cosigners") or ()),
                **_service_kwargs(data),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("议案草稿已保存。"))
            return redirect("motions:detail", pk=motion.pk)
    return render(request, "motions/motion_form.html", {"form": form})


@login_required
def motion_edit_view(request, pk: int):
    """Edit a draft; the version read with the form guards against lost updates."""
    motion = _visible_or_404(request.user, pk)
    if refused := _page_refusal(request, motion, Action.EDIT):
        return refused
    initial = {
        "session": motion.session_id,
        "subject": motion.subject,
        "grounds": motion.grounds,
        "plan": motion.plan,
        "field": motion.field_id,
        "cosigners": [signer.mandate_id for signer in motion.signers.all()],
    }
    form = MotionForm(request.POST or None, user=request.user, motion=motion, initial=initial)
    version = motion.version
    if request.method == "POST":
        version = _posted_version(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.motion_update(
                    motion=motion,
                    expected_version=version,
                    changes={"session": data["session"], **_service_kwargs(data)},
                    cosigners=list(data["cosigners"]) if "cosigners" in form.fields else None,
                    actor=request.user,
                )
            except ForbiddenError:
                raise not_found() from None
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("motions:detail", pk=pk)
    return render(request, "motions/motion_form.html", {"form": form, "motion": motion, "version": version})


def _post_action(request, pk: int, call, success: str):
    """Run a button's service on the motion and go back to its page with the outcome."""
    motion = _visible_or_404(request.user, pk)
    try:
        call(motion)
    except ForbiddenError:
        raise not_found() from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("motions:detail", pk=pk)


@login_required
@require_POST
def motion_sign_view(request, pk: int):
    """An invited co-signer confirms (``decision=confirm``) or declines."""
    confirm = request.POST.get("decision") == "confirm"
    return _post_action(
        request,
        pk,
        lambda motion: services.motion_sign(motion=motion, actor=request.user, confirm=confirm),
        _("您已确认附议该议案。") if confirm else _("您已谢绝附议该议案。"),
    )


@login_required
@require_POST
def motion_submit_view(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda motion: services.motion_submit(
            motion=motion, actor=request.user, expected_version=_posted_version(request)
        ),
        _("议案已提交。"),
    )


@login_required
@require_POST
def motion_withdraw_view(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda motion: services.motion_withdraw(
            motion=motion,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            expected_version=_posted_version(request),
        ),
        _("议案已撤回。"),
    )


@login_required
@require_POST
def motion_close_view(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda motion: services.motion_close(
            motion=motion,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            expected_version=_posted_version(request),
        ),
        _("议案已办结。"),
    )


@login_required
def motion_decide_view(request, pk: int):
    """The office records the presidium's decision: placed on the agenda and sent to a committee,
    or converted to a suggestion."""
    motion = _visible_or_404(request.user, pk)
    if refused := _page_refusal(request, motion, Action.PLACE_ON_AGENDA, Action.CONVERT):
        return refused
    form = DecisionForm(request.POST or None, motion=motion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.motion_decide(
                motion=motion,
                actor=request.user,
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                reason=data["reason"],
                committee=data["committee"],
                report_due=data["report_due"],
                suggestion_lead=data.get("suggestion_lead"),
                expected_version=_posted_version(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("已记录主席团决定：{outcome}。").format(outcome=decision.get_outcome_display())
            )
            return redirect("motions:detail", pk=pk)
    return render(request, "motions/decision_form.html", {"form": form, "motion": motion})


@login_required
def motion_activity_create_view(request, pk: int):
    """The committee invites the proposers into its research, drafting or review (Art. 50)."""
    motion = _visible_or_404(request.user, pk)
    if refused := _page_refusal(request, motion, Action.RECORD_ACTIVITY):
        return refused
    form = ActivityForm(request.POST or None, motion=motion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.motion_activity_record(
                motion=motion,
                actor=request.user,
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                location=data["location"],
                note=data["note"],
                invited=list(data["invited"]),
                attended=list(data["attended"]) if data["record_attendance"] else None,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已记录活动。"))
            return redirect("motions:detail", pk=pk)
    return render(request, "motions/activity_form.html", {"form": form, "motion": motion})


@login_required
def motion_activity_attendance_view(request, pk: int, activity_pk: int):
    """Record who of the invited proposers took part in a held activity."""
    motion = _visible_or_404(request.user, pk)
    if refused := _page_refusal(request, motion, Action.RECORD_ATTENDANCE):
        return refused
    activity = next((a for a in motion.activities.all() if a.pk == activity_pk), None)
    if activity is None:
        raise not_found(_("未找到该活动。"))
    initial = {
        "attended": [p.mandate_id for p in activity.participants.all() if p.attendance == Attendance.ATTENDED]
    }
    form = AttendanceForm(request.POST or None, activity=activity, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_activity_attendance_record(
                activity=activity, attended=list(form.cleaned_data["attended"]), actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已记录参加情况。"))
            return redirect("motions:detail", pk=pk)
    return render(
        request, "motions/attendance_form.html", {"form": form, "motion": motion, "activity": activity}
    )


@login_required
def motion_report_view(request, pk: int):
    """The committee reports the result of its deliberation; late reports are taken and flagged."""
    motion = _visible_or_404(request.user, pk)
    if refused := _page_refusal(request, motion, Action.SUBMIT_REPORT):
        return refused
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_report_submit(
                motion=motion,
                actor=request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
                expected_version=_posted_version(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("审议结果报告已提交。"))
            return redirect("motions:detail", pk=pk)
    context = {"form": form, "motion": motion, "is_late": timezone.localdate() > motion.report_due}
    return render(request, "motions/report_form.html", context)


@login_required
def motion_report_file_view(request, pk: int):
    """The committee's report file, for whoever may see the motion (uploads are never served as
    static files)."""
    motion = _visible_or_404(request.user, pk)
    if not motion.report_file:
        raise not_found(_("该议案没有报告文件。"))
    return FileResponse(motion.report_file.open("rb"), as_attachment=True, filename=motion.report_file_name)
