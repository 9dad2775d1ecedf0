"""The list page's export as a task: POST queues it, the page polls, then offers the file —
the same file as the direct download, and only to the person who asked."""

from typing import Any

from tests.events.conftest import report


def test_the_page_queues_the_export_and_offers_the_same_file(users: Any, client_for: Any) -> None:
    report(description="队列导出测试")
    browser = client_for("dispatcher")
    direct = browser.get("/events/all/export/csv/?status=all&q=队列导出测试")

    queued = browser.post(
        "/events/all/export/csv/?status=all&q=队列导出测试", HTTP_HX_REQUEST="true"
    )

    # with the embedded (immediate) backend the job is done when the answer comes
    assert queued.status_code == 202
    job = queued.context["job"]
    assert (job.status, job.percent, job.result["filename"]) == (
        "done",
        100,
        direct["Content-Disposition"].split('"')[1],
    )
    assert f"/events/exports/{job.id}/file/" in queued.content.decode()
    status = browser.get(f"/events/exports/{job.id}/", HTTP_HX_REQUEST="true")
    assert status.status_code == 200
    assert "hx-trigger" not in status.content.decode()  # finished: no more polling
    download = browser.get(f"/events/exports/{job.id}/file/")
    assert download.content == direct.content
    # someone else cannot see it
    assert client_for("supervisor").get(f"/events/exports/{job.id}/file/").status_code == 404
    assert client_for("supervisor").get(f"/events/exports/{job.id}/").status_code == 404


def test_a_refused_export_ends_its_job_with_the_reason(users: Any, client_for: Any) -> None:
    response = client_for("dispatcher").post(
        "/events/all/export/csv/?status=all&from=2022-13-01", HTTP_HX_REQUEST="true"
    )

    job = response.context["job"]
    assert job.status == "failed"
    assert job.message != ""
    assert 'class="error"' in response.content.decode()
