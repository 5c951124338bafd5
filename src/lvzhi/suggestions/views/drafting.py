"""Drafting: a new suggestion with its attachments and co-signers, and editing the text until the
suggestion is assigned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError
from lvzhi.core.lists import add_domain_error, not_found

from .. import forms, services, workflow
from ..choices import SuggestionStatus
from ..models import Suggestion
from ..rules import rules_for
from ..workflow import Action
from .shared import may_create, visible_or_404

CREATE_ERROR_FIELDS = {"file": "attachments", "mandates": "cosigners"}


@login_required
def suggestion_create_view(request):
    """A new suggestion (DOMAIN §5.1): saved as a draft with its attachments and invited co-signers;
    “提交建议” submits it at once (it then waits for the co-signers to confirm). A deputy leads
    with its own active mandate; the office enters paper suggestions for any deputy."""
    user = request.user
    if not may_create(user):
        raise not_found()
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
            add_domain_error(form, error, CREATE_ERROR_FIELDS)
        else:
            messages.success(request, submitted_message(suggestion) if submit else _("草稿已保存。"))
            return redirect("suggestions:detail", pk=suggestion.pk)
    return render(request, "suggestions/suggestion_form.html", {"form": form, "creating": True})


def submitted_message(suggestion: Suggestion) -> str:
    if suggestion.status == SuggestionStatus.AWAITING_COSIGNERS:
        return _("建议已提交，待联名代表全部确认后送代表工委审查。")
    return _("建议已提交，等待代表工委审查。")


@login_required
def suggestion_edit_view(request, pk: int):
    """Edit the text until the suggestion is assigned; the version read with the form makes a
    concurrent edit fail with the conflict message."""
    suggestion = visible_or_404(request.user, pk)
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
            add_domain_error(form, error)
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
