"""Every write to the structure (congresses, terms, sessions, electoral units, deputy groups,
committees, handling units, fields): create, edit and delete with the rules that keep it coherent.

Callers: the structure pages (``views``), later the API and the demo command. Only the
deputy-affairs office may write (``accounts.roles.can_manage_structure``). Each write runs in one
transaction, locks the row it changes, refuses an edit based on a stale read, and is recorded with
its actor in the row history (django-simple-history).
"""

from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import can_manage_structure
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError

from .models import Committee, Congress, DeputyGroup, ElectoralUnit, HandlingUnit, Session, Term

STALE_MESSAGE = _("该记录已被他人修改，请刷新页面后重新编辑。")


def _require_structure_manager(actor) -> None:
    if not can_manage_structure(actor):
        raise ForbiddenError(_("您没有维护组织结构的权限。"))


# --- Rules -----------------------------------------------------------------------------------
# Each rule takes the unsaved row (values already applied) and raises DomainError naming the field.


def _ends_after_start(obj, *, start: str, end: str, message) -> None:
    start_value, end_value = getattr(obj, start), getattr(obj, end)
    if start_value and end_value and end_value < start_value:
        raise DomainError(message, field=end)


def _open_end(value: date | None) -> date:
    return value or date.max


def _check_term(term: Term) -> None:
    _check_congress_of_references(term)
    _ends_after_start(term, start="start_date", end="end_date", message=_("结束日期不能早于开始日期。"))
    # Art. 2: a term runs from its first session to the next term's first: the next term may begin
    # on the day this one ends, but two terms of one congress never run at the same time.
    others = Term.objects.filter(congress_id=term.congress_id).exclude(pk=term.pk).order_by("number")
    for other in others:
        if other.start_date < _open_end(term.end_date) and term.start_date < _open_end(other.end_date):
            raise DomainError(
                _("任期与{term}（{start}至{end}）重叠。").format(
                    term=other.label,
                    start=other.start_date.isoformat(),
                    end=other.end_date.isoformat() if other.end_date else _("今"),
                ),
                field="start_date",
            )
    if term.pk:
        outside = [
            session.label
            for session in Session.objects.filter(term_id=term.pk).order_by("number")
            if not _within(session.start_date, term)
            or (session.end_date and not _within(session.end_date, term))
        ]
        if outside:
            raise DomainError(
                _("本届已有会议不在修改后的任期内：{sessions}。").format(sessions="、".join(outside)),
                field="start_date",
            )


def _within(day: date, term: Term) -> bool:
    return term.start_date <= day <= _open_end(term.end_date)


def _check_session(session: Session) -> None:
    _ends_after_start(session, start="start_date", end="end_date", message=_("闭幕日期不能早于开幕日期。"))
    term = session.term
    for name in ("start_date", "end_date"):
        day = getattr(session, name)
        if day and not _within(day, term):
            raise DomainError(
                _("会议日期必须在{term}的任期内（{start}至{end}）。").format(
                    term=term.label,
                    start=term.start_date.isoformat(),
                    end=term.end_date.isoformat() if term.end_date else _("今"),
                ),
                field=name,
            )


def _check_no_cycle(obj, *, message) -> None:
    """A parent that is the row itself or one of its descendants would make a loop."""
    model = type(obj)
    parent_id = obj.parent_id
    seen = set()
    while parent_id is not None and parent_id not in seen:
        if obj.pk is not None and parent_id == obj.pk:
            raise DomainError(message, field="parent")
        seen.add(parent_id)
        parent_id = model._default_manager.filter(pk=parent_id).values_list("parent_id", flat=True).first()


def _check_congress(obj: Congress) -> None:
    _check_no_cycle(obj, message=_("上级人大不能是本人大或其下级人大。"))


def _check_handling_unit(obj: HandlingUnit) -> None:
    _check_no_cycle(obj, message=_("上级单位不能是本单位或其下级单位。"))


def _check_congress_of_references(obj) -> None:
    """A row that belongs to a congress cannot move to another while rows of the old congress
    (mandates, deputy groups, …) still point to it: they would end up mixing two congresses."""
    if obj.pk is None:
        return
    for relation in type(obj)._meta.related_objects:
        related_model = relation.related_model
        if relation.related_name == "+" or not _has_field(related_model, "congress"):
            continue
        lookup = {relation.field.name: obj}
        if related_model._default_manager.filter(**lookup).exclude(congress_id=obj.congress_id).exists():
            raise DomainError(
                _("已有{model}属于原来的人大，不能更改所属人大。").format(
                    model=related_model._meta.verbose_name
                ),
                field="congress",
            )


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _check_deputy_group(obj: DeputyGroup) -> None:
    if obj.electoral_unit_id and obj.electoral_unit.congress_id != obj.congress_id:
        raise DomainError(_("所属选举单位必须属于同一人大。"), field="electoral_unit")
    _check_congress_of_references(obj)


RULES: dict[type[models.Model], Callable[[models.Model], None]] = {
    Congress: _check_congress,
    Term: _check_term,
    Session: _check_session,
    ElectoralUnit: _check_congress_of_references,
    DeputyGroup: _check_deputy_group,
    Committee: _check_congress_of_references,
    HandlingUnit: _check_handling_unit,
}


def _unique_sets(model) -> list[tuple[str, ...]]:
    """The field sets the database keeps unique: ``unique=True`` fields and ``UniqueConstraint``s."""
    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return sets


def _check_unique(obj) -> None:
    """Refuse a duplicate with "名称已存在。" (or 届次/会次…) before the database does it with a 500."""
    model = type(obj)
    for fields in _unique_sets(model):
        lookup = {
            model._meta.get_field(name).attname: getattr(obj, model._meta.get_field(name).attname)
            for name in fields
        }
        if model._default_manager.filter(**lookup).exclude(pk=obj.pk).exists():
            # Name the field people typed, not the congress it belongs to.
            named = next(
                (name for name in reversed(fields) if not model._meta.get_field(name).is_relation), fields[-1]
            )
            label = model._meta.get_field(named).verbose_name
            raise DomainError(_("{label}已存在。").format(label=label), field=named)


# --- Writes ----------------------------------------------------------------------------------


def _split(model, data: dict) -> tuple[dict, dict]:
    """``data`` into plain field values and many-to-many values; anything else is a caller's bug."""
    values, many = {}, {}
    for name, value in data.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            many[name] = list(value)
        elif model_field.concrete and model_field.editable and not model_field.primary_key:
            values[name] = value
        else:
            raise ValueError(f"{model.__name__}.{name} is not editable")
    return values, many


@transaction.atomic
def structure_save(
    *,
    model: type[models.Model],
    instance: models.Model | None,
    data: dict,
    actor,
    expected_updated_at: datetime | None = None,
) -> models.Model:
    """Create (``instance`` is None) or edit a row of the structure with the values in ``data``
    (field name → value, many-to-many as iterables), checking the structure's rules.

    An edit must pass the ``updated_at`` the editor read: if somebody saved since, the edit is
    refused with ``ConflictError`` instead of overwriting their change. A broken rule raises
    ``DomainError`` naming the field; nothing is written then. An edit that changes nothing
    writes nothing. Only the deputy-affairs office may call it.
    """
    _require_structure_manager(actor)
    values, many = _split(model, data)

    if instance is None or instance.pk is None:
        obj, before = model(), None
    else:
        if expected_updated_at is None:
            raise ValueError("an edit must carry the updated_at it was read at")
        try:
            obj = model._default_manager.select_for_update().get(pk=instance.pk)
        except model.DoesNotExist:
            raise ConflictError(_("该记录已被他人删除，请返回列表。")) from None
        if obj.updated_at != expected_updated_at:
            raise ConflictError(STALE_MESSAGE)
        before = {name: getattr(obj, model._meta.get_field(name).attname) for name in values}
        before_many = {name: {o.pk for o in getattr(obj, name).all()} for name in many}

    for name, value in values.items():
        setattr(obj, name, value)

    if before is not None:
        changed = [
            name for name in values if getattr(obj, model._meta.get_field(name).attname) != before[name]
        ]
        changed_many = [name for name in many if {o.pk for o in many[name]} != before_many[name]]
        if not changed and not changed_many:
            return obj

    _check_unique(obj)
    rule = RULES.get(model)
    if rule is not None:
        rule(obj)

    obj._history_user = actor
    try:
        # A savepoint: a concurrent duplicate that slipped past _check_unique fails here, and the
        # transaction can still ask which value clashed.
        with transaction.atomic():
            if before is None:
                obj.save()
            else:
                obj.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        _check_unique(obj)
        raise DomainError(_("保存失败：数据与现有记录冲突，请检查后重试。")) from None

    for name, related in many.items():
        getattr(obj, name).set(related)
    return obj


@transaction.atomic
def structure_delete(*, instance: models.Model, actor) -> None:
    """Delete a row of the structure, unless other rows still refer to it.

    Foreign keys to the structure are ``PROTECT``: the database refusal becomes a ``DomainError``
    naming what still refers to the row, and nothing is deleted. Many-to-many references
    (a deputy's groups or fields, a committee's fields) would be dropped silently by a delete, so
    they refuse it too. Only the deputy-affairs office may call it.
    """
    _require_structure_manager(actor)
    model = type(instance)
    try:
        obj = model._default_manager.select_for_update().get(pk=instance.pk)
    except model.DoesNotExist:
        raise ConflictError(_("该记录已被他人删除，请返回列表。")) from None

    references = _many_to_many_references(obj)
    if references:
        raise DomainError(_referenced_message(references))

    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        objects = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
        counts: dict[str, int] = {}
        for related in objects:
            label = str(related._meta.verbose_name)
            counts[label] = counts.get(label, 0) + 1
        raise DomainError(_referenced_message(counts)) from None


def _many_to_many_references(obj) -> dict[str, int]:
    counts = {}
    for relation in type(obj)._meta.related_objects:
        if not relation.many_to_many or relation.related_name == "+":
            continue
        number = getattr(obj, relation.get_accessor_name()).count()
        if number:
            counts[str(relation.related_model._meta.verbose_name)] = number
    return counts


def _referenced_message(counts: dict[str, int]) -> str:
    listed = "、".join(
        str(_("{model}（{count}条）").format(model=label, count=count))
        for label, count in sorted(counts.items())
    )
    return str(_("该记录仍被{objects}引用，不能删除。").format(objects=listed))
