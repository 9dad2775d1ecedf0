"""What the review queue hands to the extraction for each kind of upload."""

import io

import docx
import pytest

from jiedao.core.errors import InvalidInput
from jiedao.indicators.documents import report_content


def test_a_text_file_goes_to_the_extraction_as_its_bytes():
    data = "實現規上工業總產值15.3億元".encode()

    assert report_content("report.txt", data) == data


def test_a_web_page_goes_as_the_text_of_its_paragraphs():
    page = (
        "<html><head><title>上半年</title><style>p{}</style></head><body>"
        "<p>规上工业总产值15.3亿元，</p><script>var x = 1;</script><div>同比增长5%。</div>"
        "</body></html>"
    ).encode()

    assert report_content("report.html", page) == "上半年\n规上工业总产值15.3亿元，\n同比增长5%。"


def test_a_word_document_goes_as_its_paragraphs():
    document = docx.Document()
    document.add_paragraph("规上工业总产值15.3亿元。")
    document.add_paragraph("")
    document.add_paragraph("社会消费品零售总额2.03亿元。")
    buffer = io.BytesIO()
    document.save(buffer)

    assert report_content("report.docx", buffer.getvalue()) == (
        "规上工业总产值15.3亿元。\n社会消费品零售总额2.03亿元。"
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.txt", b"  \n", "文件：报告是空的。"),
        (
            "report.pdf",
            b"%PDF-1.4 ...",
            "文件：请上传文本（.txt）、网页（.html）或 Word（.docx）格式的报告。",
        ),
        (
            "report.docx",
            b"PK\x03\x04broken",
            "文件：请上传文本（.txt）、网页（.html）或 Word（.docx）格式的报告。",
        ),
        ("report.txt", b"x" * (2 * 1024 * 1024 + 1), "文件：报告超过 2 MB。"),
    ],
)
def test_other_files_are_refused_in_chinese(name, data, message):
    with pytest.raises(InvalidInput) as refused:
        report_content(name, data)

    assert (str(refused.value.message), refused.value.field) == (message, "file")
