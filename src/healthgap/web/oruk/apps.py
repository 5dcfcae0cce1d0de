from django.apps import AppConfig


class OrukConfig(AppConfig):
    name = "healthgap.web.oruk"
    label = "oruk"
    verbose_name = "Open Referral UK"
