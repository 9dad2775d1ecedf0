from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.doctor import doctor_findings


class Command(BaseCommand):
    help = (
        "Check the deployment: connect to the database, Redis (REDIS_URL), the MQTT broker "
        "(MQTT_URL) and the task backend, one line each. Fails when a configured service does "
        "not answer."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        findings = doctor_findings()
        for finding in findings:
            line = f"{finding.service:<9} {finding.status:<12} {finding.detail}"
            self.stdout.write(self.style.ERROR(line) if finding.is_failure else line)
        failures = [finding.service for finding in findings if finding.is_failure]
        if failures:
            raise CommandError(f"Not ready: {', '.join(failures)}.")
