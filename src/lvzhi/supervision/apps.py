from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "lvzhi.supervision"
    label = "supervision"
    verbose_name = "建议督办"

    def ready(self) -> None:
        # Supervision plugs into the suggestions' pages, list filter and report; suggestions never
        # import this app (the dependency runs one way).
        import django_filters
        from django.utils.translation import gettext_lazy as _

        from lvzhi.suggestions import extensions

        from . import selectors
        from .choices import SupervisionKind

        extensions.register_detail_panel(
            "supervision/partials/suggestion_panel.html", selectors.supervision_for_suggestion
        )
        extensions.register_key_items(selectors.key_items_of_year)
        extensions.register_list_filter(
            "supervision",
            django_filters.ChoiceFilter(
                label=_("督办类型"),
                choices=SupervisionKind.choices,
                method=selectors.filter_suggestions_by_kind,
            ),
        )
