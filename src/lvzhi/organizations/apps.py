from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "lvzhi.organizations"
    label = "organizations"
    verbose_name = "组织结构"
