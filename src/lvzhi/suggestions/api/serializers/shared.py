"""What the suggestion serializers share: choice codes in responses, the reader's lens, and a
deputy as a reference."""

from rest_framework import serializers

from ...visibility import SuggestionLens


def choice_code(choices, **kwargs) -> serializers.CharField:
    """A choice's code in a response, as a plain string listing its values.

    Responses carry codes as strings, with their Chinese labels in ``*_display``: the same code
    sets appear under several names (``status``, ``from_status``, ``to_status``) and in many
    components, which the schema's enum naming cannot name without per-project overrides."""
    values = "、".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}.", **kwargs)


def reader_lens(context) -> SuggestionLens | None:
    """The reader's lens (``visibility``): given by the view, or from the request's user. None
    only when a service's own result goes back to the unit or office that just acted."""
    if "lens" in context:
        return context["lens"]
    request = context.get("request")
    return SuggestionLens(request.user) if request is not None else None


class DeputyReferenceSerializer(serializers.Serializer):
    """A deputy as ``{"id": <mandate id>, "name"}``."""

    id = serializers.IntegerField(read_only=True, help_text="The mandate's id.")
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        ref_name = "SuggestionDeputy"
