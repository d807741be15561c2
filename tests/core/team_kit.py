"""A small team project for the teams, packages and adjudication tests."""

from __future__ import annotations

from pathlib import Path

from annotator.importing import import_documents
from annotator.model import Document
from annotator.project import Project, Session
from annotator.team.members import acting_session, add_user, assign

TEXTS = [
    "زار وزير الدفاع دمشق يوم الأحد",
    "قال مصدر في وزارة الخارجية إن الوفد وصل إلى بيروت",
    "أعلنت الأمم المتحدة عن مساعدات جديدة لسوريا",
    "التقى الرئيس بوفد من الاتحاد الأوروبي في القاهرة",
    "سقطت قذيفة على حي في حلب صباح اليوم",
    "نقلت وكالة سانا عن مسؤول قوله إن الهجوم فشل",
]


def make_team_project(path: Path, texts: list[str] = TEXTS) -> Project:
    """Articles a1..aN; sara admin, huda reviewer, ali/mona/omar annotators. On a server they
    are logins with the password :func:`password` gives, made by the owner's login (which alone
    may act on that connection: no --as names someone else there)."""
    project = Project.create(path)
    import_documents(project, [Document(f"a{i + 1}", t, f"t{i + 1}") for i, t in enumerate(texts)])
    boot = acting_session(project, None if project.on_server else "sara")

    def add(actor: Session, name: str, role: str) -> None:
        add_user(actor, name, role, password(name) if project.on_server else None)

    add(boot, "sara", "admin")
    admin = project.session("sara")
    add(admin, "huda", "reviewer")
    for name in ("ali", "mona", "omar"):
        add(admin, name, "annotator")
    return project


def password(name: str) -> str:
    """The password of ``name``'s login in a team project on a server (:func:`make_team_project`)."""
    return f"{name}-pw"


def aid(project: Project, doc_id: str) -> int:
    found = project.store.article_id_by_doc_id(doc_id)
    assert found is not None
    return found


# Offsets in article a1 (TEXTS[0]), written as len(prefix).
A1 = TEXTS[0]
MINISTER = (len("زار "), len("زار وزير الدفاع"))
DEFENCE = (len("زار وزير "), len("زار وزير الدفاع"))
DAMASCUS = (len("زار وزير الدفاع "), len("زار وزير الدفاع دمشق"))
SUNDAY = (len("زار وزير الدفاع دمشق "), len(A1))


def label_a1(project: Project) -> int:
    """ali and mona on a1: a boundary disagreement (وزير الدفاع / الدفاع), an agreement (دمشق)
    and a span only mona saw (يوم الأحد); returns a1's id."""
    assign(project.session("sara"), ["ali", "mona"], 2, seed=1)
    a1 = aid(project, "a1")
    ali, mona = project.session("ali"), project.session("mona")
    ali.add_span(a1, *MINISTER, "ORGANIZATION")
    ali.add_span(a1, *DAMASCUS, "LOCATION")
    mona.add_span(a1, *DEFENCE, "ORGANIZATION")
    mona.add_span(a1, *DAMASCUS, "LOCATION")
    mona.add_span(a1, *SUNDAY, "DATE")
    return a1
