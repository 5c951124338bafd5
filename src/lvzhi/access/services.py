"""Every write to an account: creating accounts for deputies and staff, activation links, reset,
deactivation and reactivation, and what a user changes on its own account.

Keyword-only, atomic, the account row locked first; a refusal is a Chinese ``DomainError`` and
writes nothing; every change is a line in the account's log (``accounts.AccountEvent``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import AccountEventType, InactiveCause, Role
from lvzhi.accounts.lifecycle import account_log
from lvzhi.accounts.models import AccountEvent, ActivationToken, User
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.text import normalize_phone, pinyin_full
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate, Person
from lvzhi.organizations.models import Committee, ElectoralUnit, HandlingUnit

ACTIVATION_DAYS_DEFAULT = 30
BULK_BATCH = 500
USERNAME_MAX = 150
STAFF_ROLES = (
    Role.DEPUTY_AFFAIRS_STAFF,
    Role.LEADER,
    Role.HANDLING_UNIT_STAFF,
    Role.COUNTY_STAFF,
    Role.COMMITTEE_STAFF,
    Role.SYSTEM_ADMIN,
)
SCOPE_OF_ROLE: dict[str, str] = {
    Role.HANDLING_UNIT_STAFF: "handling_unit",
    Role.COUNTY_STAFF: "electoral_unit",
    Role.COMMITTEE_STAFF: "committee",
}


def activation_days() -> int:
    return int(getattr(settings, "LVZHI_ACTIVATION_DAYS", ACTIVATION_DAYS_DEFAULT))


def require_account_manager(actor: User) -> None:
    if not is_office(actor):
        raise ForbiddenError(_("您没有管理账户的权限。"))


def is_admin(user: User) -> bool:
    return bool(user.is_superuser or user.role == Role.SYSTEM_ADMIN)


def require_may_manage(actor: User, account: User) -> None:
    """The office manages accounts; an administrator's account only another administrator (a
    reset link would otherwise hand the office an administrator's rights)."""
    require_account_manager(actor)
    if is_admin(account) and not is_admin(actor):
        raise ForbiddenError(_("只有系统管理员可以管理系统管理员账户。"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    """An activation link just issued: the secret exists only here (the database keeps its hash)."""

    user: User
    token: str
    expires_at: datetime


# ---------------------------------------------------------------------------------------------
# Creating accounts
# ---------------------------------------------------------------------------------------------


def _free_usernames(bases: Sequence[str]) -> list[str]:
    """One free username per base (``zhangsan``, ``zhangsan2`` …), in one query."""
    stems = {base or "user" for base in bases}
    query = Q()
    for stem in stems:
        query |= Q(username__startswith=stem)
    taken = set(User.objects.filter(query).values_list("username", flat=True)) if stems else set()
    chosen = []
    for base in bases:
        stem, number, candidate = base or "user", 1, base or "user"
        while candidate in taken:
            number += 1
            candidate = f"{stem}{number}"
        taken.add(candidate)
        chosen.append(candidate)
    return chosen


@transaction.atomic
def deputy_accounts_create(
    *, actor: User, person_ids: Iterable[int] | None = None, all_missing: bool = False
) -> list[User]:
    """Accounts for deputies from the registry: the persons named, or every person holding an
    active mandate and no account. A person holding several mandates (city and province) gets one
    account. Persons that already have one are refused by name; nothing is written then."""
    require_account_manager(actor)
    if all_missing:
        persons = list(
            Person.objects.select_for_update()
            # A subquery, not a join: a person with two active mandates is one row (FOR UPDATE
            # allows no DISTINCT on PostgreSQL).
            .filter(
                user__isnull=True,
                pk__in=Mandate.objects.filter(status=MandateStatus.ACTIVE).values("person_id"),
            )
            .order_by("name_pinyin", "id")
        )
    else:
        ids = sorted(set(person_ids or ()))
        if not ids:
            raise DomainError(_("请至少选择一位代表。"), field="persons")
        persons = list(Person.objects.select_for_update().filter(pk__in=ids).order_by("name_pinyin", "id"))
        if len(persons) != len(ids):
            raise DomainError(_("所选代表不存在。"), field="persons")
        having = [person.name for person in persons if person.user_id]
        if having:
            raise DomainError(
                _("以下代表已有账户：{names}。").format(names="、".join(having[:10])), field="persons"
            )
        inactive = set(ids) - set(
            Person.objects.filter(pk__in=ids, mandates__status=MandateStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        )
        if inactive:
            names = [person.name for person in persons if person.pk in inactive]
            raise DomainError(
                _("以下人员没有在职的代表资格，不能开通账户：{names}。").format(names="、".join(names[:10])),
                field="persons",
            )
    if not persons:
        raise DomainError(_("没有需要开通账户的在职代表。"))
    usernames = _free_usernames([pinyin_full(person.name)[: USERNAME_MAX - 4] for person in persons])
    users = []
    for person, username in zip(persons, usernames, strict=True):
        user = User(
            username=username,
            display_name=person.name,
            role=Role.DEPUTY,
            phone=person.phone,
            email=person.email,
            must_set_password=True,
        )
        user.set_unusable_password()
        users.append(user)
    # In bulk: the whole registry (~660 deputies) in a handful of queries.
    users = User.objects.bulk_create(users, batch_size=BULK_BATCH)
    for person, user in zip(persons, users, strict=True):
        person.user = user
    Person.objects.bulk_update(persons, ["user"], batch_size=BULK_BATCH)
    note = str(_("代表账户"))
    AccountEvent.objects.bulk_create(
        [AccountEvent(user=user, type=AccountEventType.CREATED, actor=actor, note=note) for user in users],
        batch_size=BULK_BATCH,
    )
    return users


@dataclass
class StaffAccountData:
    username: str
    display_name: str
    role: str
    electoral_unit: ElectoralUnit | None = None
    handling_unit: HandlingUnit | None = None
    committee: Committee | None = None
    phone: str = ""
    email: str = ""


def _check_staff_data(data: StaffAccountData) -> None:
    if data.role not in STAFF_ROLES:
        raise DomainError(_("代表账户请从代表名册开通。"), field="role")
    scope = SCOPE_OF_ROLE.get(data.role)
    messages = {
        "handling_unit": _("承办单位工作人员必须指定承办单位。"),
        "electoral_unit": _("选举单位工作人员必须指定选举单位。"),
        "committee": _("委员会工作人员必须指定委员会。"),
    }
    for field in SCOPE_OF_ROLE.values():
        value = getattr(data, field)
        if field == scope and value is None:
            raise DomainError(messages[field], field=field)
        if field != scope and value is not None:
            raise DomainError(_("该角色不属于任何单位，请不要选择单位。"), field=field)
    if not data.username.strip():
        raise DomainError(_("请填写用户名。"), field="username")
    if User.objects.filter(username=data.username.strip()).exists():
        raise DomainError(_("用户名“{name}”已被使用。").format(name=data.username.strip()), field="username")
    if not data.display_name.strip():
        raise DomainError(_("请填写姓名。"), field="display_name")


@transaction.atomic
def staff_account_create(*, actor: User, data: StaffAccountData) -> User:
    """An account for unit staff (handling unit, county, committee), the office or a leader; it
    logs in through its activation link. Only system administrators create administrators."""
    require_account_manager(actor)
    if data.role == Role.SYSTEM_ADMIN and not is_admin(actor):
        raise ForbiddenError(_("只有系统管理员可以创建系统管理员账户。"))
    _check_staff_data(data)
    phone, email = _clean_contact(data.phone, data.email)
    user = User(
        username=data.username.strip(),
        display_name=data.display_name.strip(),
        role=data.role,
        electoral_unit=data.electoral_unit,
        handling_unit=data.handling_unit,
        committee=data.committee,
        phone=phone,
        email=email,
        must_set_password=True,
    )
    user.set_unusable_password()
    user.save()
    account_log(user=user, type=AccountEventType.CREATED, actor=actor, note=Role(data.role).label)
    return user


# ---------------------------------------------------------------------------------------------
# Activation links
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def activation_links_issue(*, actor: User, user_ids: Iterable[int]) -> list[IssuedLink]:
    """New one-time links for accounts that have not set their password yet; older links of the
    same accounts become void. An account that is active with its own password needs a reset."""
    require_account_manager(actor)
    ids = sorted(set(user_ids))
    if not ids:
        raise DomainError(_("请至少选择一个账户。"))
    users = list(User.objects.select_for_update().filter(pk__in=ids).order_by("username"))
    if len(users) != len(ids):
        raise DomainError(_("所选账户不存在。"))
    for user in users:
        require_may_manage(actor, user)
    refused = [str(user) for user in users if not user.must_set_password or not user.is_active]
    if refused:
        raise DomainError(
            _(
                "以下账户已激活或已停用，不能发放激活链接：{names}。如需重新设置密码，请使用“重置密码”。"
            ).format(names="、".join(refused[:10]))
        )
    return _issue(actor, users)


def _issue(actor: User | None, users: Sequence[User]) -> list[IssuedLink]:
    now = timezone.now()
    expires_at = now + timedelta(days=activation_days())
    ActivationToken.objects.filter(user__in=users, used_at__isnull=True, revoked=False).update(revoked=True)
    links, tokens = [], []
    for user in users:
        token = secrets.token_urlsafe(24)
        tokens.append(
            ActivationToken(user=user, token_hash=token_hash(token), expires_at=expires_at, created_by=actor)
        )
        links.append(IssuedLink(user=user, token=token, expires_at=expires_at))
    ActivationToken.objects.bulk_create(tokens)
    AccountEvent.objects.bulk_create(
        [AccountEvent(user=user, type=AccountEventType.LINK_ISSUED, actor=actor) for user in users]
    )
    return links


def activation_token_user(token: str, *, now: datetime | None = None) -> User | None:
    """The account a link opens, or None when it is unknown, used, void or expired."""
    now = now or timezone.now()
    found = (
        ActivationToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), used_at__isnull=True, revoked=False, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    return found.user


# Django's validators, in Chinese whatever the installed translations say (``password_too_short``
# has no Chinese text in every Django release).
PASSWORD_MESSAGES = {
    "password_too_short": _("密码太短，至少需要 {min_length} 个字符。"),
    "password_too_similar": _("密码与您的用户名或姓名太相似。"),
    "password_too_common": _("这个密码太常见了。"),
    "password_entirely_numeric": _("密码不能全是数字。"),
}


def password_problems(invalid: ValidationError) -> str:
    problems = []
    for error in invalid.error_list:
        template = PASSWORD_MESSAGES.get(error.code or "")
        if template is None:
            problems.append(" ".join(error.messages))
        else:
            problems.append(str(template).format(**(error.params or {})))
    return "".join(problems)


def _validated_password(user: User, password1: str, password2: str, field: str = "new_password1") -> str:
    if not password1:
        raise DomainError(_("请输入新密码。"), field=field)
    if password1 != password2:
        raise DomainError(_("两次输入的密码不一致。"), field="new_password2")
    try:
        validate_password(password1, user)
    except ValidationError as invalid:
        raise DomainError(password_problems(invalid), field=field) from invalid
    return password1


@transaction.atomic
def account_activate(*, token: str, password1: str, password2: str) -> User:
    """First login: the link's holder sets its password (Django's validators); the link is spent."""
    found = (
        ActivationToken.objects.select_for_update()
        .filter(
            token_hash=token_hash(token), used_at__isnull=True, revoked=False, expires_at__gt=timezone.now()
        )
        .first()
    )
    if found is None:
        raise DomainError(_("该激活链接无效、已使用或已过期，请联系代表工委重新发放。"))
    user = User.objects.select_for_update().get(pk=found.user_id)
    if not user.is_active:
        raise DomainError(_("该账户已停用，请联系代表工委。"))
    user.set_password(_validated_password(user, password1, password2))
    user.must_set_password = False
    user.save(update_fields=["password", "must_set_password"])
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    account_log(user=user, type=AccountEventType.ACTIVATED, actor=user)
    return user


# ---------------------------------------------------------------------------------------------
# Reset, deactivate, reactivate
# ---------------------------------------------------------------------------------------------


def _lock(user_id: int) -> User:
    try:
        return User.objects.select_for_update().get(pk=user_id)
    except User.DoesNotExist as missing:
        raise DomainError(_("该账户不存在。")) from missing


@transaction.atomic
def account_reset(*, actor: User, user_id: int, reason: str) -> IssuedLink:
    """Forgotten password: the old password stops working and a new activation link is issued."""
    require_account_manager(actor)
    user = _lock(user_id)
    require_may_manage(actor, user)
    if not reason.strip():
        raise DomainError(_("请填写重置原因。"), field="reason")
    if not user.is_active:
        raise DomainError(_("该账户已停用，请先重新启用。"))
    if user.pk == actor.pk:
        raise DomainError(_("不能重置自己的密码，请使用“修改密码”。"))
    user.set_unusable_password()
    user.must_set_password = True
    user.save(update_fields=["password", "must_set_password"])
    account_log(user=user, type=AccountEventType.RESET, actor=actor, note=reason.strip())
    return _issue(actor, [user])[0]


@transaction.atomic
def account_deactivate(*, actor: User, user_id: int, reason: str, cause: str = InactiveCause.MANUAL) -> User:
    """Switch an account off (left the unit, no longer in office …). Whatever it wrote stays."""
    require_account_manager(actor)
    user = _lock(user_id)
    require_may_manage(actor, user)
    if cause not in (InactiveCause.MANUAL, InactiveCause.LEFT_UNIT):
        raise DomainError(_("请选择停用原因。"), field="cause")
    if not reason.strip():
        raise DomainError(_("请填写停用说明。"), field="reason")
    if user.pk == actor.pk:
        raise DomainError(_("不能停用自己的账户。"))
    if not user.is_active:
        raise DomainError(_("该账户已停用。"))
    user.is_active = False
    user.inactive_cause = cause
    user.save(update_fields=["is_active", "inactive_cause"])
    ActivationToken.objects.filter(user=user, used_at__isnull=True).update(revoked=True)
    account_log(
        user=user,
        type=AccountEventType.DEACTIVATED,
        actor=actor,
        note=f"{InactiveCause(cause).label}：{reason.strip()}",
    )
    return user


@transaction.atomic
def account_reactivate(*, actor: User, user_id: int, reason: str) -> User:
    """Switch an account on again. A deputy's account needs an active mandate."""
    require_account_manager(actor)
    user = _lock(user_id)
    require_may_manage(actor, user)
    if not reason.strip():
        raise DomainError(_("请填写启用说明。"), field="reason")
    if user.is_active:
        raise DomainError(_("该账户正在使用中，无需启用。"))
    if (
        user.role == Role.DEPUTY
        and not Person.objects.filter(user=user, mandates__status=MandateStatus.ACTIVE).exists()
    ):
        raise DomainError(_("该代表没有在职的代表资格，不能启用账户。"))
    user.is_active = True
    user.inactive_cause = InactiveCause.NONE
    user.save(update_fields=["is_active", "inactive_cause"])
    account_log(user=user, type=AccountEventType.REACTIVATED, actor=actor, note=reason.strip())
    return user


@transaction.atomic
def account_update(*, actor: User, user_id: int, display_name: str, phone: str, email: str) -> User:
    """The office corrects an account's name and contact details (a deputy's name comes from the
    registry and is not changed here); what changed is logged, old → new."""
    require_account_manager(actor)
    user = _lock(user_id)
    require_may_manage(actor, user)
    display_name = display_name.strip()
    if user.role == Role.DEPUTY:
        display_name = user.display_name
    elif not display_name:
        raise DomainError(_("请填写姓名。"), field="display_name")
    phone, email = _clean_contact(phone, email)
    labels = {"display_name": _("姓名"), "phone": _("手机"), "email": _("电子邮箱")}
    new = {"display_name": display_name, "phone": phone, "email": email}
    changed = [field for field, value in new.items() if getattr(user, field) != value]
    if not changed:
        return user
    note = "；".join(
        f"{labels[field]}：{getattr(user, field) or '—'} → {new[field] or '—'}" for field in changed
    )
    for field in changed:
        setattr(user, field, new[field])
    user.save(update_fields=changed)
    account_log(user=user, type=AccountEventType.UPDATED, actor=actor, note=note)
    return user


# ---------------------------------------------------------------------------------------------
# The user's own account
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def own_password_change(*, user: User, old_password: str, password1: str, password2: str) -> User:
    locked = _lock(user.pk)
    if not locked.check_password(old_password):
        raise DomainError(_("原密码不正确，请重新输入。"), field="old_password")
    locked.set_password(_validated_password(locked, password1, password2))
    locked.save(update_fields=["password"])
    account_log(user=locked, type=AccountEventType.PASSWORD_CHANGED, actor=locked)
    return locked


def _clean_contact(phone: str, email: str) -> tuple[str, str]:
    phone, email = phone.strip(), email.strip()
    if phone:
        normalized = normalize_phone(phone)
        if normalized is None:
            raise DomainError(_("请输入有效的手机号码或带区号的固定电话。"), field="phone")
        phone = normalized
    if email:
        try:
            validate_email(email)
        except ValidationError as invalid:
            raise DomainError(_("请输入有效的电子邮箱。"), field="email") from invalid
    return phone, email


@transaction.atomic
def own_contact_update(*, user: User, phone: str, email: str) -> User:
    """What Art. 58 lets a deputy keep current itself: its phone and e-mail (the registry's
    copy too, with the change in its history)."""
    locked = _lock(user.pk)
    phone, email = _clean_contact(phone, email)
    if (locked.phone, locked.email) == (phone, email):
        return locked
    locked.phone, locked.email = phone, email
    locked.save(update_fields=["phone", "email"])
    person = Person.objects.select_for_update().filter(user=locked).first()
    if person is not None:
        person.phone, person.email = phone, email
        person.version += 1
        person._history_user = locked  # type: ignore[attr-defined]
        person.save(update_fields=["phone", "email", "version", "updated_at"])
    account_log(user=locked, type=AccountEventType.CONTACT_CHANGED, actor=locked)
    return locked
