"""requests.json of the reference stand-in: see the package docstring for what each does."""

import json
import string
from datetime import timedelta
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt

from .models import Application, Issue, Jurisdiction, Service

KEYSPACE = string.ascii_lowercase + string.digits
DEFAULT_DAYS = 90


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data), status=status, content_type="application/json")


def _error(status: int, description: str) -> HttpResponse:
    return _json([{"code": status, "description": description}], status)


@csrf_exempt
def requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post(request)
    return _get(request)


def _post(request: HttpRequest) -> HttpResponse:
    data = request.POST
    application = Application.objects.filter(api_key=data.get("api_key", "")).first()
    if application is None:
        return _error(403, "Invalid api_key")
    jurisdiction = Jurisdiction.objects.order_by("id").first()
    code = data.get("service_code", "")
    service = Service.objects.filter(service_code=code).first()
    if service is None or jurisdiction is None:
        return _error(400, "service_code not found")
    description = (data.get("description") or "").strip()
    try:
        lat, lng = float(data["lat"]), float(data["long"])
    except (KeyError, ValueError):
        return _error(400, "lat and long are required")
    if not description:
        return _error(400, "description is required")
    identifier = get_random_string(8, allowed_chars=KEYSPACE)
    if Issue.objects.filter(identifier=identifier).exists():
        identifier = get_random_string(12, allowed_chars=KEYSPACE)
    duration = ExpressionWrapper(
        F("updated_datetime") - F("requested_datetime"), output_field=DurationField()
    )
    durations = sorted(
        Issue.objects.filter(service_code=code, status="closed")
        .annotate(duration=duration)
        .values_list("duration", flat=True)
    )
    median = durations[(len(durations) - 1) // 2] if durations else timedelta(0)
    issue = Issue.objects.create(
        application=application,
        jurisdiction=jurisdiction,
        service=service,
        service_code=code,
        identifier=identifier,
        description=description,
        address=data.get("address_string", ""),
        submitter_email=data.get("email", ""),
        submitter_first_name=data.get("first_name", ""),
        submitter_last_name=data.get("last_name", ""),
        submitter_phone=data.get("phone", ""),
        lat=lat,
        long=lng,
        expected_datetime=timezone.now() + median,
    )
    saved = Issue.objects.select_related("service").get(pk=issue.pk)
    body = [{"service_request_id": saved.identifier, "service_notice": saved.service_notice}]
    return _json(body, 201)


def _get(request: HttpRequest) -> HttpResponse:
    jurisdiction = Jurisdiction.objects.order_by("id").first()
    if jurisdiction is None:
        return _error(404, "no jurisdiction")
    limit = min(int(request.GET.get("limit") or 1000), 1000)
    since = timezone.now() - timedelta(days=DEFAULT_DAYS)
    issues = Issue.objects.filter(jurisdiction=jurisdiction, requested_datetime__gte=since)
    page = list(issues.select_related("service").order_by("-requested_datetime")[:limit])
    total = issues.count()
    rows = [
        {
            "service_request_id": issue.identifier,
            "status": issue.status,
            "status_notes": issue.status_notes,
            "service_name": issue.service.service_name,
            "service_code": issue.service_code,
            "description": issue.description,
            "agency_responsible": issue.agency_responsible,
            "service_notice": issue.service_notice,
            "requested_datetime": issue.requested_datetime.isoformat(),
            "updated_datetime": issue.updated_datetime.isoformat(),
            "expected_datetime": (
                issue.expected_datetime.isoformat() if issue.expected_datetime else None
            ),
            "address": issue.address,
            "address_id": None,
            "zipcode": issue.zipcode or None,
            "lat": issue.lat,
            "long": issue.long,
            "media_url": issue.media_url or None,
        }
        for issue in page
    ]
    response = _json(rows)
    response["X-Total-Count"] = str(total)
    return response
