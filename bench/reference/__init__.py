"""A STAND-IN for the reference Open311 server, written for the benchmark (not its code).

Issue 16 measures Jiedao beside an open-source Django Open311 GeoReport v2 server, Helsinki's
issue-reporting service (github.com/6aika/issue-reporting), which stores a request with plain
inserts: seven statements in autocommit, no transaction, no audit. That server (Django 1.x–3.x,
Django REST framework, PostGIS) does not install beside this project's Django 5.2, so this is a
minimal stand-in that does the same database work per request, through the same Django ORM, under
the same gunicorn and PostgreSQL:

POST requests.json, seven statements, autocommit:
  1. the application by its api_key;  2. the jurisdiction (the single one, "autodetermined");
  3. the service by service_code;  4. whether a random identifier is taken;
  5. the durations of the service's closed requests (the median gives expected_datetime);
  6. INSERT the request;  7. read it back with its service for the answer.
GET requests.json, three statements: the jurisdiction, the page of requests newest first (their
service joined), and the count for the paging.

It is leaner than the real server (no REST framework serializers, no PostGIS point, no request
validation beyond the spec's required fields), so it is a demanding reference: the real one costs
more per request, not less.
"""
