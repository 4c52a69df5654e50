"""The curricula shipped as data, and the domains the bundled decks name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import k8squiz
from k8squiz.decks.discover import bundled_dir

CURRICULA = Path(k8squiz.__file__).parent / "curricula"
DOMAINS = {
    "kcna": [
        "kubernetes-fundamentals",
        "container-orchestration",
        "cloud-native-application-delivery",
        "cloud-native-architecture",
    ],
    "cka": [
        "cluster-architecture",
        "workloads-scheduling",
        "services-networking",
        "storage",
        "troubleshooting",
    ],
    "ckad": [
        "application-design-build",
        "application-deployment",
        "application-observability-maintenance",
        "application-environment-configuration-security",
        "services-networking",
    ],
}


def curriculum(cert: str) -> dict[str, Any]:
    data = yaml.safe_load((CURRICULA / f"{cert}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("cert", DOMAINS)
def test_a_curriculum_names_its_certification_and_its_sources(cert: str) -> None:
    """Each file is format 1, for its own certification, with dated and sourced figures."""
    data = curriculum(cert)
    assert data["format"] == 1
    assert data["id"] == cert
    assert data["name"].strip()
    assert str(data["effective"])[:4].isdigit()
    assert data["source"].startswith("https://github.com/cncf/curriculum/")
    exam = data["exam"]
    assert exam["kind"] in {"multiple-choice", "performance-based"}
    assert 0 < exam["questions"]["min"] <= exam["questions"]["max"]
    assert exam["minutes"] > 0
    assert 0 < exam["pass_mark"] < 100
    assert exam["source"].startswith("https://training.linuxfoundation.org/")


@pytest.mark.parametrize("cert", DOMAINS)
def test_a_curriculum_has_the_expected_domains_weighing_100(cert: str) -> None:
    """The domain ids are the ones decks refer to, in order, and the weights add up to 100."""
    domains = curriculum(cert)["domains"]
    assert [d["id"] for d in domains] == DOMAINS[cert]
    assert sum(d["weight"] for d in domains) == 100
    for d in domains:
        assert d["name"].strip()
        assert d["translations"]["pt-BR"]["name"].strip()
        assert d["competencies"]
        assert all(c.strip() for c in d["competencies"])


def test_the_exam_kinds_match_the_certifications() -> None:
    """KCNA is multiple choice; CKA and CKAD are hands-on."""
    assert curriculum("kcna")["exam"]["kind"] == "multiple-choice"
    assert curriculum("cka")["exam"]["kind"] == "performance-based"
    assert curriculum("ckad")["exam"]["kind"] == "performance-based"


def _named_domains() -> list[tuple[str, str, str, str]]:
    """(file, owner, certification, domain) for every domain a bundled deck or card names."""
    named = []
    for path in sorted(bundled_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        owners = [(data.get("topic") or path.stem, data.get("domains") or {})]
        owners += [(c["id"], c.get("domains") or {}) for c in data["cards"]]
        for owner, domains in owners:
            for cert, ids in domains.items():
                named += [(path.name, owner, cert, i) for i in ids]
                if not ids:
                    named.append((path.name, owner, cert, ""))
    return named


def test_every_domain_a_deck_names_is_in_its_curriculum() -> None:
    """A deck or card names only certifications and domain ids that the curricula define."""
    unknown = [
        (file, owner, cert, domain)
        for file, owner, cert, domain in _named_domains()
        if cert not in DOMAINS or (domain and domain not in DOMAINS[cert])
    ]
    assert unknown == []
