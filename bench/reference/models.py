"""The reference's tables, after the fields of the real server's Issue, Service, Jurisdiction and
Application (without the PostGIS point). requested_datetime has no index there, nor here."""

from django.db import models
from django.utils import timezone


class Application(models.Model):
    identifier = models.CharField(max_length=64, unique=True)
    api_key = models.CharField(max_length=50, unique=True)

    class Meta:
        db_table = "reference_application"

    def __str__(self) -> str:
        return self.identifier


class Jurisdiction(models.Model):
    identifier = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=128)

    class Meta:
        db_table = "reference_jurisdiction"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    service_code = models.CharField(max_length=64, unique=True)
    service_name = models.CharField(max_length=128)
    description = models.TextField(blank=True)

    class Meta:
        db_table = "reference_service"

    def __str__(self) -> str:
        return self.service_code


class Issue(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT)
    service = models.ForeignKey(Service, on_delete=models.PROTECT)
    service_code = models.CharField(max_length=64, db_index=True)
    identifier = models.CharField(max_length=64, unique=True)
    description = models.TextField()
    status = models.CharField(max_length=32, default="open", db_index=True)
    status_notes = models.TextField(blank=True)
    agency_responsible = models.CharField(max_length=140, blank=True)
    service_notice = models.TextField(blank=True)
    requested_datetime = models.DateTimeField(default=timezone.now)
    updated_datetime = models.DateTimeField(default=timezone.now)
    expected_datetime = models.DateTimeField(null=True)
    address = models.TextField(blank=True)
    zipcode = models.CharField(max_length=10, blank=True, db_index=True)
    media_url = models.URLField(blank=True)
    submitter_email = models.EmailField(blank=True)
    submitter_first_name = models.CharField(max_length=140, blank=True)
    submitter_last_name = models.CharField(max_length=140, blank=True)
    submitter_phone = models.CharField(max_length=140, blank=True)
    lat = models.FloatField(null=True, db_index=True)
    long = models.FloatField(null=True, db_index=True)
    moderation = models.CharField(max_length=16, default="public", db_index=True)

    class Meta:
        db_table = "reference_issue"

    def __str__(self) -> str:
        return self.identifier
