"""Commands the benchmark runs in the stand-in's own settings (a process of its own):

python -m bench.reference setup KEY CODE...   its tables, one application, jurisdiction, services
python -m bench.reference seed COUNT          COUNT requests over the last 80 days
python -m bench.reference count KEY CODE LAT LNG   statements of one POST and one GET (JSON)
"""

import json
import os
import sys
import uuid
from datetime import timedelta


def main(argv: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.reference.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from .models import Application, Issue, Jurisdiction, Service

    command, *arguments = argv
    if command == "setup":
        key, *codes = arguments
        with connection.schema_editor() as editor:
            for model in (Application, Jurisdiction, Service, Issue):
                editor.create_model(model)
        Application.objects.create(identifier="bench", api_key=key)
        Jurisdiction.objects.create(identifier="330109012", name="闻堰街道")
        Service.objects.bulk_create(Service(service_code=c, service_name=c) for c in codes)
    elif command == "seed":
        count = int(arguments[0])
        application = Application.objects.get()
        jurisdiction = Jurisdiction.objects.get()
        services = list(Service.objects.order_by("service_code"))
        now = timezone.now()
        batch = []
        for number in range(count):
            service = services[number % len(services)]
            at = now - timedelta(seconds=80 * 86400 * number / count)
            batch.append(
                Issue(
                    application=application,
                    jurisdiction=jurisdiction,
                    service=service,
                    service_code=service.service_code,
                    identifier=f"seed{number:08d}",
                    description=f"基准测试历史 {number}",
                    requested_datetime=at,
                    updated_datetime=at,
                    lat=30.12,
                    long=120.21,
                )
            )
            if len(batch) == 5000:
                Issue.objects.bulk_create(batch)
                batch = []
        Issue.objects.bulk_create(batch)
    elif command == "count":
        key, code, lat, lng = arguments
        client = Client()
        post = {"api_key": key, "service_code": code, "lat": lat, "long": lng}
        client.post("/open311/v2/requests.json", {**post, "description": "warm-up"})
        with CaptureQueriesContext(connection) as posted:
            client.post("/open311/v2/requests.json", {**post, "description": uuid.uuid4().hex})
        # Counted at once: the log is read when asked, and the next request empties it.
        post_statements = len(posted.captured_queries)
        with CaptureQueriesContext(connection) as listed:
            client.get("/open311/v2/requests.json", {"limit": "100"})
        print(json.dumps({"post": post_statements, "get": len(listed.captured_queries)}))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
