from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Outcomes: the rules that turn spells and checks into job outcomes (plain Python), the
    commissioners' report with its publication and suppression rules, its CSV and chart."""

    name = "outcomes"
    verbose_name = "Outcomes"
