from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "lvzhi.access"
    label = "access"
    verbose_name = "账户管理"
