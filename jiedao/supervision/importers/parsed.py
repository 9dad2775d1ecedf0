"""What a reader makes of a table, before anything is written: the parsed plan."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from jiedao.supervision.periods import find_period, find_year


@dataclass
class ParsedTask:
    sequence: int
    category: str = ""
    content: str = ""
    progress: str = ""
    lead_leader: str = ""
    lead_unit: str = ""
    cooperating_units: str = ""
    deadline: date | None = None


@dataclass
class ParsedSection:
    name: str
    tasks: list[ParsedTask] = field(default_factory=list)


@dataclass
class ParsedPlan:
    """A plan table as read: the header block, the sections with their tasks, and what could
    not be read (``problems``, shown in the preview)."""

    title: str = ""
    index_number: str = ""
    written_on: date | None = None
    issuing_body: str = ""
    topic: str = ""
    published_at: datetime | None = None
    source_format: str = ""
    columns: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[ParsedTask]:
        return [task for section in self.sections for task in section.tasks]

    @property
    def period(self) -> tuple[str, int] | None:
        found = find_period(self.title)
        return (found.kind, found.number) if found else None

    @property
    def year(self) -> int | None:
        year = find_year(self.title)
        if year is None and self.written_on is not None:
            year = self.written_on.year
        return year

    @property
    def name(self) -> str:
        """The title without its period: 2023年…第三季度重点任务执行情况 → 2023年…重点任务执行情况."""
        found = find_period(self.title)
        if not found:
            return self.title
        return (self.title[: found.start] + self.title[found.start + len(found.phrase) :]).strip()

    @property
    def title_pattern(self) -> str:
        found = find_period(self.title)
        if not found:
            return self.title + "（{period}）" if self.title else "{period}"
        return (
            self.title[: found.start] + "{period}" + self.title[found.start + len(found.phrase) :]
        )

    def as_data(self) -> dict[str, Any]:
        """JSON-safe data: what ``import-tasks --dry-run --json`` prints."""
        period = self.period
        return {
            "title": self.title,
            "name": self.name,
            "year": self.year,
            "period": {"kind": period[0], "number": period[1]} if period else None,
            "index_number": self.index_number,
            "written_on": self.written_on.isoformat() if self.written_on else None,
            "issuing_body": self.issuing_body,
            "topic": self.topic,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "source_format": self.source_format,
            "columns": self.columns,
            "task_count": len(self.tasks),
            "sections": [
                {
                    "name": section.name,
                    "tasks": [
                        {
                            **asdict(task),
                            "deadline": task.deadline.isoformat() if task.deadline else None,
                        }
                        for task in section.tasks
                    ],
                }
                for section in self.sections
            ],
            "problems": self.problems,
        }

    def content_hash(self) -> str:
        """Identifies the table's content whatever file format carried it."""
        data = self.as_data()
        for key in ("source_format", "problems", "columns"):
            data.pop(key)
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "ParsedPlan":
        """The inverse of ``as_data`` (the preview page carries the parsed plan this way)."""
        sections = [
            ParsedSection(
                name=section["name"],
                tasks=[
                    ParsedTask(
                        sequence=int(task["sequence"]),
                        category=task["category"],
                        content=task["content"],
                        progress=task["progress"],
                        lead_leader=task["lead_leader"],
                        lead_unit=task["lead_unit"],
                        cooperating_units=task["cooperating_units"],
                        deadline=date.fromisoformat(task["deadline"]) if task["deadline"] else None,
                    )
                    for task in section["tasks"]
                ],
            )
            for section in data["sections"]
        ]
        return cls(
            title=data["title"],
            index_number=data["index_number"],
            written_on=date.fromisoformat(data["written_on"]) if data["written_on"] else None,
            issuing_body=data["issuing_body"],
            topic=data["topic"],
            published_at=(
                datetime.fromisoformat(data["published_at"]) if data["published_at"] else None
            ),
            source_format=data["source_format"],
            columns=list(data["columns"]),
            sections=sections,
            problems=list(data["problems"]),
        )
