"""The JSON documents for programs: versioned, described by schema/output.schema.json, and
the same from every command that prints one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from k8squiz.output import DOCUMENTS, json_schema
from tests.conftest import CLI, ROOT

SCHEMA = ROOT / "schema" / "output.schema.json"
NOW = "2026-03-10T12:00:00+00:00"


def _validator(schema: dict[str, Any], name: str) -> Any:
    import jsonschema  # a test dependency only

    one = {**schema, "$ref": f"#/$defs/{name}"}
    one.pop("anyOf", None)
    return jsonschema.Draft202012Validator(one)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real document of each kind, from the real CLI on a fresh data folder."""
    import os
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "K8SQUIZ_HOME": str(home), "K8SQUIZ_NOW": NOW, "LANG": "C.UTF-8"}

    def run(*args: str, stdin: str = "") -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "k8squiz", *args],
            input=stdin, capture_output=True, text=True, env=env, check=False, timeout=120,
        )  # fmt: skip
        return json.loads(done.stdout)

    return {
        "QuizDocument": run("quiz", "-n", "3", "--seed", "2", "--json", stdin="6443\n?\n"),
        "ExamDocument": run(
            "exam", "--cert", "kcna", "-n", "4", "--seed", "2", "--json", stdin="a\n\nb\n"
        ),
        "HistoryDocument": run("history", "--json"),
        "StatsDocument": run("stats", "--json"),
        "ReadinessDocument": run("stats", "--cert", "kcna", "--json"),
        "ValidateDocument": run("validate", "--format", "json"),
    }


@pytest.mark.parametrize("name", [d.__name__ for d in DOCUMENTS])
def test_every_document_starts_with_its_version_and_fits_the_committed_schema(
    documents: dict[str, Any], name: str
) -> None:
    """Each command's --json output has "version": 1 first and is valid by the schema file."""
    document = documents[name]
    assert next(iter(document)) == "version"
    assert document["version"] == 1
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [e.message for e in _validator(committed, name).iter_errors(document)]
    assert errors == []


def _broken(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document with each top-level key removed, and with each turned into a list."""
    variants = []
    for key, value in document.items():
        variants.append({k: v for k, v in document.items() if k != key})
        variants.append({**document, key: [value]})
    return variants


@pytest.mark.parametrize("name", [d.__name__ for d in DOCUMENTS])
def test_the_committed_schema_judges_documents_as_k8squiz_schema_output_does(
    documents: dict[str, Any], name: str
) -> None:
    """Whatever msgspec release generates it, the schema file and `k8squiz schema output`
    accept and reject the same documents (regenerate it with
    `k8squiz schema output > schema/output.schema.json`)."""
    committed = _validator(json.loads(SCHEMA.read_text(encoding="utf-8")), name)
    generated = _validator(json_schema(), name)
    for variant in [documents[name], *_broken(documents[name])]:
        assert committed.is_valid(variant) == generated.is_valid(variant), variant


def test_k8squiz_schema_output_prints_the_schema_of_every_document(cli: CLI) -> None:
    """`k8squiz schema output` prints a 2020-12 JSON Schema naming each document."""
    run = cli("schema", "output")
    assert run.code == 0
    printed = json.loads(run.out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {d.__name__ for d in DOCUMENTS} <= set(printed["$defs"])


def test_control_characters_in_a_document_stay_json_escapes(cli: CLI, tmp_path: Path) -> None:
    """A typed answer with an escape sequence reaches --json as \\u001b, never raw."""
    run = cli("quiz", "-n", "1", "--seed", "2", "--json", stdin="\x1b]0;pwned\x07\n")
    assert "\x1b" not in run.out
    assert "\x07" not in run.out
    assert json.loads(run.out)["answers"][0]["given"] == "\x1b]0;pwned\x07"
