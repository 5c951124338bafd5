"""Serializers of the registry API.

Output and input are separate: the output serializers say what a role may read (private contact
data masked unless ``accounts.roles.may_see_private_contact``), the input serializers check the
shape of a request and hand it to the same services the pages call, which apply the rules.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lvzhi.accounts.roles import may_see_private_contact
from lvzhi.core.api import ChoiceLabelField
from lvzhi.core.progress import progress_get
from lvzhi.core.text import mask_email, mask_phone, mask_text
from lvzhi.organizations.models import Congress, DeputyGroup, ElectoralUnit, ExpertiseField, Term

from .. import workflow
from ..choices import (
    Composition,
    Gender,
    MandateEventType,
    MandateStatus,
    Party,
    RosterImportStatus,
    SuspensionCause,
)
from ..forms import clean_id_number, clean_phone
from ..models import Mandate, MandateEvent, Person, RosterImport
from ..services import PERSON_EDITABLE, DeputyData

# Private contact data and how each is masked where the reader may not see it in full.
PRIVATE_CONTACT_MASKS = {
    "phone": mask_phone,
    "email": mask_email,
    "address": mask_text,
}
# Withheld, not masked: a masked ID number's last digit is its check digit and, with the full birth
# date and the electoral unit's region code, it gives the whole number back.
PRIVATE_WITHHELD = ("id_number", "birth_date")


# --- Shapes shared by several responses -------------------------------------------------------


class NamedReferenceSerializer(serializers.Serializer):
    """A related row as ``{"id", "name"}``."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        ref_name = "NamedReference"


class UserReferenceSerializer(serializers.Serializer):
    """Who did something: the user's id and display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        ref_name = "UserReference"


# --- Mandates (read) ---------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    """The person behind a mandate. The mandate serializer masks its private contact data and
    withholds the ID number and full birth date from those who may not see them."""

    gender_display = ChoiceLabelField(Gender.choices, source="gender")
    party_display = ChoiceLabelField(Party.choices, source="party")
    birth_month = serializers.DateField(
        source="birth_date",
        format="%Y-%m",
        read_only=True,
        help_text="出生年月（YYYY-MM），对所有可见者公开。",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "name_pinyin",
            "name_initials",
            "gender",
            "gender_display",
            "ethnicity",
            "birth_month",
            "birth_date",
            "party",
            "party_display",
            "education",
            "workplace",
            "id_number",
            "phone",
            "email",
            "address",
            "version",
        ]
        read_only_fields = fields


class MandateSerializer(serializers.ModelSerializer):
    """A mandate with its person, as a role may read it.

    Private contact data is shown in full only when the view puts ``show_private_contact`` in the
    context (the detail, never the list) and ``may_see_private_contact(user, mandate)`` holds.
    ``status`` and ``status_since`` come from the events (``deputies.workflow``), never from input.
    """

    person = PersonSerializer(read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    term_label = serializers.CharField(source="term.label", read_only=True)
    electoral_unit_name = serializers.CharField(source="electoral_unit.name", read_only=True)
    composition_display = ChoiceLabelField(Composition.choices, source="composition")
    fields = NamedReferenceSerializer(many=True, read_only=True)
    groups = NamedReferenceSerializer(many=True, read_only=True)
    status_display = ChoiceLabelField(MandateStatus.choices, source="status")
    available_events = serializers.SerializerMethodField(
        help_text="The event types that may be recorded on the mandate in its current status."
    )

    class Meta:
        model = Mandate
        fields = [
            "id",
            "person",
            "congress",
            "congress_name",
            "term",
            "term_label",
            "card_number",
            "electoral_unit",
            "electoral_unit_name",
            "composition",
            "composition_display",
            "is_grassroots",
            "fields",
            "groups",
            "start_date",
            "status",
            "status_display",
            "status_since",
            "available_events",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text="An event type.")))
    def get_available_events(self, mandate: Mandate) -> list[str]:
        # In the order the event types are declared: the workflow's order follows a frozenset.
        available = set(workflow.available_events(mandate.status))
        return [event for event in MandateEventType.values if event in available]

    def to_representation(self, mandate: Mandate) -> dict:
        data = super().to_representation(mandate)
        if not self._shows_private_contact(mandate):
            person = data["person"]
            for field, mask in PRIVATE_CONTACT_MASKS.items():
                person[field] = mask(person[field])
            for field in PRIVATE_WITHHELD:
                person[field] = None
        return data

    def _shows_private_contact(self, mandate: Mandate) -> bool:
        request = self.context.get("request")
        return bool(
            self.context.get("show_private_contact")
            and request is not None
            and may_see_private_contact(request.user, mandate)
        )


# --- Mandates (write) --------------------------------------------------------------------------


class PersonInputSerializer(serializers.ModelSerializer):
    """The person's editable data (``services.PERSON_EDITABLE``), checked for shape like the form."""

    class Meta:
        model = Person
        fields = list(PERSON_EDITABLE)
        # A person is found by ID number when seated again (city and provincial deputy), and the
        # service reports a clash on edit in Chinese: no generated uniqueness check here.
        validators = []
        extra_kwargs = {"id_number": {"validators": []}}
        ref_name = "PersonInput"

    def validate_id_number(self, value: str) -> str:
        return clean_id_number(value, serializers.ValidationError)

    def validate_phone(self, value: str) -> str:
        return clean_phone(value, serializers.ValidationError)


class PersonUpdateSerializer(PersonInputSerializer):
    """Person changes plus the ``version`` the client read (a stale one gives 409)."""

    version = serializers.IntegerField(min_value=1, help_text="The person's version as read.")

    class Meta(PersonInputSerializer.Meta):
        fields = [*PERSON_EDITABLE, "version"]
        ref_name = "PersonUpdate"

    def validate(self, attrs):
        return _require_version(attrs)


class MandateDataSerializer(serializers.Serializer):
    """The mandate's registry data shared by creation and update."""

    card_number = serializers.CharField(max_length=30, label=_("代表证号"))
    electoral_unit = serializers.PrimaryKeyRelatedField(
        queryset=ElectoralUnit.objects.all(), label=_("选举单位")
    )
    composition = serializers.ChoiceField(choices=Composition.choices, label=_("构成类别"))
    is_grassroots = serializers.BooleanField(default=False, label=_("基层代表"))
    start_date = serializers.DateField(label=_("当选日期"))
    fields = serializers.PrimaryKeyRelatedField(
        queryset=ExpertiseField.objects.all(), many=True, required=False, label=_("专业领域")
    )
    groups = serializers.PrimaryKeyRelatedField(
        queryset=DeputyGroup.objects.all(), many=True, required=False, label=_("代表小组")
    )

    def _check_same_congress(self, attrs: dict, congress_id: int) -> None:
        """Like the page's form: the unit and the groups belong to the mandate's congress."""
        unit = attrs.get("electoral_unit")
        if unit is not None and unit.congress_id != congress_id:
            raise serializers.ValidationError({"electoral_unit": _("所选选举单位不属于该人大。")})
        if any(group.congress_id != congress_id for group in attrs.get("groups", [])):
            raise serializers.ValidationError({"groups": _("所选代表小组不属于该人大。")})


class DeputyCreateSerializer(MandateDataSerializer):
    """Seat a deputy: the person (found again by ID number if already known) and the mandate."""

    person = PersonInputSerializer()
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all(), label=_("人大"))
    term = serializers.PrimaryKeyRelatedField(
        queryset=Term.objects.select_related("congress"), label=_("届次")
    )
    by_election = serializers.BooleanField(default=False, label=_("补选产生"))
    reason = serializers.CharField(required=False, default="", allow_blank=True, label=_("事由"))

    class Meta:
        ref_name = "DeputyCreate"

    def validate(self, attrs):
        congress = attrs["congress"]
        if attrs["term"].congress_id != congress.pk:
            raise serializers.ValidationError({"term": _("所选届次不属于该人大。")})
        self._check_same_congress(attrs, congress.pk)
        return attrs

    def deputy_data(self) -> DeputyData:
        data = self.validated_data
        return DeputyData(
            person=dict(data["person"]),
            congress=data["congress"],
            term=data["term"],
            card_number=data["card_number"],
            electoral_unit=data["electoral_unit"],
            composition=data["composition"],
            is_grassroots=data["is_grassroots"],
            start_date=data["start_date"],
            fields=list(data.get("fields", [])),
            groups=list(data.get("groups", [])),
            by_election=data["by_election"],
            reason=data["reason"],
        )


class MandateUpdateSerializer(MandateDataSerializer):
    """Edit a mandate and, optionally, its person. ``version`` (and ``person.version`` when the
    person is sent) are the versions the client read: required, and a stale one gives 409.
    ``status`` and ``status_since`` are not accepted: they change only through events."""

    version = serializers.IntegerField(min_value=1, help_text="The mandate's version as read.")
    person = PersonUpdateSerializer(required=False)

    class Meta:
        ref_name = "MandateUpdate"

    def validate(self, attrs):
        attrs = _require_version(attrs)
        self._check_same_congress(attrs, self.context["mandate"].congress_id)
        return attrs


def _require_version(attrs: dict) -> dict:
    # Required even in a PATCH: an edit without the version read could overwrite another's.
    if "version" not in attrs:
        raise serializers.ValidationError(
            {"version": _("请提交您读取时的版本号（version），以免覆盖他人的修改。")}
        )
    return attrs


# --- Events and history ------------------------------------------------------------------------


class MandateEventSerializer(serializers.ModelSerializer):
    """A qualification event. ``actor`` (who recorded it) is shown only to those who may see the
    change history (``accounts.roles.may_see_history``): the view says so in the context."""

    type_display = serializers.CharField(source="get_type_display", read_only=True)
    suspension_cause_display = serializers.CharField(source="get_suspension_cause_display", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = MandateEvent
        fields = [
            "id",
            "type",
            "type_display",
            "date",
            "reason",
            "document_reference",
            "suspension_cause",
            "suspension_cause_display",
            "cause_ends_on",
            "ends_suspension",
            "announcement_number",
            "announcement_date",
            "announcement_text",
            "is_automatic",
            "actor",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(UserReferenceSerializer(allow_null=True))
    def get_actor(self, event: MandateEvent) -> dict | None:
        if event.actor is None or not self.context.get("show_actor"):
            return None
        return UserReferenceSerializer(event.actor).data


class MandateEventInputSerializer(serializers.Serializer):
    """Record a qualification event. Every type is accepted here: whether it may follow the
    mandate's status (Arts. 61-63) is the service's rule, refused with its Chinese message."""

    type = serializers.ChoiceField(choices=MandateEventType.choices, label=_("变动类型"))
    date = serializers.DateField(label=_("日期"))
    reason = serializers.CharField(required=False, default="", allow_blank=True, label=_("事由"))
    document_reference = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, label=_("文件依据")
    )
    suspension_cause = serializers.ChoiceField(
        choices=SuspensionCause.choices, required=False, default="", allow_blank=True, label=_("暂停原因")
    )
    cause_ends_on = serializers.DateField(
        required=False, default=None, allow_null=True, label=_("暂停原因消失日期")
    )
    announcement_number = serializers.CharField(
        max_length=60, required=False, default="", allow_blank=True, label=_("公告编号")
    )
    announcement_date = serializers.DateField(
        required=False, default=None, allow_null=True, label=_("公告日期")
    )
    announcement_text = serializers.CharField(
        required=False, default="", allow_blank=True, label=_("公告内容")
    )

    class Meta:
        ref_name = "MandateEventInput"


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="label", help_text="The field's Chinese label.")
    old = serializers.CharField(help_text="The value before, as shown to people.")
    new = serializers.CharField(help_text="The value after, as shown to people.")

    class Meta:
        ref_name = "HistoryChange"


class HistoryEntrySerializer(serializers.Serializer):
    """One saved change of the person or the mandate: when, who, what, and each field old → new."""

    when = serializers.DateTimeField()
    who = UserReferenceSerializer(source="actor", allow_null=True)
    what = serializers.CharField(source="subject", help_text="人员信息 or 代表资格.")
    action = serializers.CharField(help_text="新建, 修改 or 删除.")
    changes = HistoryChangeSerializer(many=True)

    class Meta:
        ref_name = "HistoryEntry"


# --- Roster import -----------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    stage = serializers.CharField()
    percent = serializers.IntegerField()

    class Meta:
        ref_name = "Progress"


class RosterImportSerializer(serializers.ModelSerializer):
    """An upload with its row-by-row errors, its preview and the progress of its running stage."""

    status_display = ChoiceLabelField(RosterImportStatus.choices, source="status")
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    term_label = serializers.CharField(source="term.label", read_only=True)
    created_by = UserReferenceSerializer(read_only=True)
    applied_by = UserReferenceSerializer(read_only=True, allow_null=True)
    errors = serializers.JSONField(
        read_only=True, help_text="Each problem with its row and column, in Chinese."
    )
    preview = serializers.JSONField(read_only=True, help_text="What applying would change.")
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RosterImport
        fields = [
            "id",
            "original_name",
            "congress",
            "congress_name",
            "term",
            "term_label",
            "status",
            "status_display",
            "row_count",
            "errors",
            "preview",
            "created_count",
            "progress",
            "created_by",
            "applied_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, roster_import: RosterImport) -> dict:
        progress = progress_get("roster_import", roster_import.pk)
        return {
            "done": progress.done,
            "total": progress.total,
            "stage": progress.stage,
            "percent": progress.percent,
        }


class RosterImportCreateSerializer(serializers.Serializer):
    """A roster upload: the Excel file and the congress and term it seats deputies in. The file's
    format and size and the term's congress are the importer's rules (``roster_import_create``)."""

    file = serializers.FileField(label=_("文件"))
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all(), label=_("人大"))
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.all(), label=_("届次"))

    class Meta:
        ref_name = "RosterImportCreate"


class RosterTemplateQuerySerializer(serializers.Serializer):
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all(), label=_("人大"))

    class Meta:
        ref_name = "RosterTemplateQuery"
