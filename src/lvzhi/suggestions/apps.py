from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "lvzhi.suggestions"
    label = "suggestions"
    verbose_name = "代表建议"

    def ready(self) -> None:
        # Core computes deadlines that waited for holiday data without importing this app.
        from lvzhi.core.calendar import register_deadline_recompute

        from . import deadlines

        register_deadline_recompute(
            name="suggestions",
            recompute=deadlines.deadlines_recompute_flagged,
            waiting=deadlines.deadlines_waiting,
            labels=deadlines.KIND_LABELS,
        )
