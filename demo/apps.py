from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo town: seeding (``seed_demo``) and its check (``demo_check``). Never in
    production use; it types what people would, through the same services and API."""

    name = "demo"
    verbose_name = "Demo town"
