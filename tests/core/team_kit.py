"""A small team project for the teams, packages and adjudication tests."""

from __future__ import annotations

from pathlib import Path

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project
from annotator.teams import acting_session, add_user

TEXTS = [
    "زار وزير الدفاع دمشق يوم الأحد",
    "قال مصدر في وزارة الخارجية إن الوفد وصل إلى بيروت",
    "أعلنت الأمم المتحدة عن مساعدات جديدة لسوريا",
    "التقى الرئيس بوفد من الاتحاد الأوروبي في القاهرة",
    "سقطت قذيفة على حي في حلب صباح اليوم",
    "نقلت وكالة سانا عن مسؤول قوله إن الهجوم فشل",
]


def make_team_project(path: Path, texts: list[str] = TEXTS) -> Project:
    """Articles a1..aN; sara admin, huda reviewer, ali/mona/omar annotators."""
    project = Project.create(path)
    import_documents(project, [Document(f"a{i + 1}", t, f"t{i + 1}") for i, t in enumerate(texts)])
    boot = acting_session(project, "sara")
    add_user(boot, "sara", "admin")
    admin = project.session("sara")
    add_user(admin, "huda", "reviewer")
    for name in ("ali", "mona", "omar"):
        add_user(admin, name, "annotator")
    return project


def aid(project: Project, doc_id: str) -> int:
    found = project.store.article_id_by_doc_id(doc_id)
    assert found is not None
    return found
