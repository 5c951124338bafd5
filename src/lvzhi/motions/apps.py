from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "lvzhi.motions"
    label = "motions"
    verbose_name = "代表议案"
