from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "lvzhi.suggestions"
    label = "suggestions"
    verbose_name = "代表建议"
