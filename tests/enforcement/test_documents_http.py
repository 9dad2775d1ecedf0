"""The case documents through their three doors — the case file's 文书 block, the API and the
``jiedao enforcement document`` command — which give the same document with the same number;
refusals through HTTP."""

from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command

from jiedao.enforcement import services

from .test_documents_files import (
    closed_case,
    documents_state,
    docx_lines,
    expected,
    pdf_text,
    shop,
    squeezed,
)


def test_the_case_file_lists_its_documents_with_word_and_pdf_links(client_for):
    case = closed_case()
    officer = client_for("enforcement_officer")

    page = officer.get(f"/enforcement/cases/{case.pk}/").content.decode()

    base = f"/enforcement/cases/{case.pk}/documents"
    assert [
        "<h2>文书</h2>" in page,
        "行政处罚决定书</strong> 萧闻综执罚〔2024〕1号" in page,
        "决定书文号</dt><dd>萧闻综执罚〔2024〕1号" in page,
        *[
            f'href="{base}/{kind}.{file_format}"' in page
            for kind in ("filing", "correction", "notice", "decision", "closing")
            for file_format in ("docx", "pdf")
        ],
    ] == [True] * 13


def test_the_api_lists_the_documents_with_their_numbers(client_for):
    case = closed_case()
    api = client_for("supervisor")

    before = api.get(f"/api/enforcement/cases/{case.pk}/documents").json()
    api.get(f"/api/enforcement/cases/{case.pk}/documents/notice.pdf")
    after = api.get(f"/api/enforcement/cases/{case.pk}/documents").json()

    base = f"/api/enforcement/cases/{case.pk}/documents"
    assert [(row["kind"], row["title"], row["number"]) for row in before] == [
        ("filing", "立案审批表", ""),
        ("correction", "责令（限期）改正通知书", ""),
        ("notice", "行政处罚事先告知书", ""),
        ("decision", "行政处罚决定书", "萧闻综执罚〔2024〕1号"),
        ("closing", "结案报告", ""),
    ]
    assert (after[2]["number"], after[2]["docx"], after[2]["pdf"]) == (
        "萧闻综执告〔2024〕1号",
        f"{base}/notice.docx",
        f"{base}/notice.pdf",
    )
    assert api.get(f"/api/enforcement/cases/{case.pk}").json()["decision_number"] == (
        "萧闻综执罚〔2024〕1号"
    )


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_the_three_doors_give_the_same_document(client_for, tmp_path, file_format):
    case = closed_case()
    officer = client_for("enforcement_officer")

    page = officer.get(f"/enforcement/cases/{case.pk}/documents/decision.{file_format}")
    api = officer.get(f"/api/enforcement/cases/{case.pk}/documents/decision.{file_format}")
    out = StringIO()
    call_command(
        "enforcement",
        "document",
        str(case.pk),
        "decision",
        "--format",
        file_format,
        "-o",
        str(tmp_path / f"decision.{file_format}"),
        stdout=out,
    )
    command = (tmp_path / f"decision.{file_format}").read_bytes()

    read = docx_lines if file_format == "docx" else pdf_text
    want = expected("decision") if file_format == "docx" else squeezed(expected("decision"))
    name = quote(f"行政处罚决定书-萧闻综执罚〔2024〕1号.{file_format}")
    assert (
        page.status_code,
        api.status_code,
        page["Content-Disposition"],
        api["Content-Disposition"],
        out.getvalue(),
    ) == (
        200,
        200,
        f"attachment; filename*=utf-8''{name}",
        f"attachment; filename*=utf-8''{name}",
        f"萧闻综执罚〔2024〕1号\t{tmp_path / f'decision.{file_format}'}\n",
    )
    assert [read(page.content), read(api.content), read(command)] == [want, want, want]


def test_the_doors_refuse_the_same_way_and_write_nothing(client_for, users, tmp_path):
    lead = services.case_open(
        actor=users["enforcement_officer"], title="占道经营", target_id=shop().pk
    )
    case = closed_case()
    officer, resident = client_for("enforcement_officer"), client_for("resident")
    before = documents_state()

    too_early_api = officer.get(f"/api/enforcement/cases/{lead.pk}/documents/filing.pdf")
    too_early_page = officer.get(f"/enforcement/cases/{lead.pk}/documents/filing.pdf")
    with pytest.raises(CommandError) as too_early_command:
        call_command(
            "enforcement", "document", str(lead.pk), "filing", "-o", str(tmp_path / "x.docx")
        )
    unknown = officer.get(f"/api/enforcement/cases/{case.pk}/documents/warrant.pdf")
    bad_format = officer.get(f"/api/enforcement/cases/{case.pk}/documents/decision.odt")
    handler = client_for("department_handler").get(
        f"/api/enforcement/cases/{case.pk}/documents/decision.pdf"
    )
    listing = resident.get(f"/api/enforcement/cases/{case.pk}/documents")
    page = resident.get(f"/enforcement/cases/{case.pk}/documents/decision.docx")

    message = "案件处于“线索”，尚无立案审批表。"
    assert (
        too_early_api.status_code,
        too_early_api.json()["error"]["message"],
        too_early_page.status_code,
        message in too_early_page.content.decode(),
        str(too_early_command.value),
        unknown.status_code,
        bad_format.status_code,
        bad_format.json()["error"]["field"],
        handler.status_code,
        listing.status_code,
        page.status_code,
        (tmp_path / "x.docx").exists(),
        documents_state(),
    ) == (409, message, 409, True, message, 404, 422, "format", 403, 403, 403, False, before)
