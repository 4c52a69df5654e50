"""`k8squiz validate`: every rule, the exact line it prints, and the exit code it gives.

Each rule in `validate.RULES` has a fixture under tests/fixtures/decks that breaks it, and
`CASES` says what `validate` must print for it. Most run through the real CLI; the two rules
that only apply to bundled decks run through `build.check` with a bundled `Source`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from k8squiz.curricula import FOLDER, line_of
from k8squiz.decks import build, read
from k8squiz.decks.discover import DeckSource, bundled_dir
from k8squiz.decks.problems import RULES
from tests.conftest import CLI, FIXTURES

DECKS = FIXTURES / "decks"
BUNDLED_FILES = len(list(bundled_dir().glob("*.yaml")))
WriteDeck = Callable[..., Path]


def at(name: str, line: int, col: int) -> str:
    """`path:line:col` of a fixture, as validate prints it for an absolute path."""
    return f"{DECKS / name}:{line}:{col}"


@dataclass(frozen=True)
class Case:
    """A fixture that breaks one rule, and the lines `validate` must print for it."""

    fixture: str | None  # under tests/fixtures/decks; None when the test builds the file
    lines: tuple[str, ...]
    also: frozenset[str] = frozenset()  # other rules the fixture breaks on the way
    bundled: bool = False  # the rule only applies to bundled decks


KEBAB_ID = "lowercase-kebab: a-z, 0-9 and single hyphens, at most 64 characters"
TOO_LARGE = (
    f"the file has {read.MAX_BYTES + 1:,} bytes, over the {read.MAX_BYTES:,}"
    " a deck may have (split it)"
)

CASES: dict[str, Case] = {
    "unreadable": Case(
        "unreadable",
        (f"{at('unreadable/deck.yaml', 1, 1)}: error: cannot read the file: Is a directory",),
    ),
    "file-too-large": Case(None, (f"{{path}}:1:1: error: {TOO_LARGE}",)),  # a sparse file
    "encoding": Case(
        "encoding.yaml",
        (f"{at('encoding.yaml', 4, 37)}: error: byte 0xe9 is not UTF-8; save the file as UTF-8",),
    ),
    "empty": Case(
        "empty.yaml",
        (f"{at('empty.yaml', 1, 1)}: error: the file is empty; a deck needs a title and cards",),
    ),
    "yaml-syntax": Case(
        "yaml-syntax.yaml",
        (
            f"{at('yaml-syntax.yaml', 4, 35)}: error: YAML syntax: mapping values are not"
            " allowed in this context (quote a value that contains ': ')",
        ),
    ),
    "multiple-documents": Case(
        "multiple-documents.yaml",
        (
            f"{at('multiple-documents.yaml', 7, 1)}: error: a second YAML document starts here;"
            " a deck file holds exactly one (remove '---')",
        ),
    ),
    "nesting": Case(
        "nesting.yaml",
        (
            f"{at('nesting.yaml', 5, 42)}: error: nesting deeper than 32 levels;"
            " a deck is only a few levels deep",
        ),
    ),
    "alias-bomb": Case(
        "alias-bomb.yaml",
        (
            f"{at('alias-bomb.yaml', 7, 49)}: error: aliases expand this file to over"
            " 11,219 nodes, far more than it holds (a YAML alias bomb?); write the repeated"
            " parts out or use fewer aliases",
        ),
    ),
    "yaml-tag": Case(
        "yaml-tag.yaml",
        (
            f"{at('yaml-tag.yaml', 5, 13)}: error: YAML tag '!!python/object/apply:os.system'"
            " is not allowed; a deck is plain text and tags are never run",
        ),
    ),
    "control-character": Case(
        "control-character.yaml",
        tuple(
            f"{at('control-character.yaml', 4, col)}: error: U+001B is a terminal escape"
            " sequence; deck text is shown as typed, so remove it"
            for col in (35, 50)
        ),
    ),
    "invisible-character": Case(
        "invisible-character.yaml",
        (
            f"{at('invisible-character.yaml', 5, 18)}: error: U+200B (zero width space) is"
            " invisible; deck text is shown as typed, so remove it",
            f"{at('invisible-character.yaml', 6, 55)}: error: U+202E (right-to-left override)"
            " changes the direction of the text around it; deck text is shown as typed,"
            " so remove it",
            f"{at('invisible-character.yaml', 6, 60)}: error: U+202C (pop directional"
            " formatting) changes the direction of the text around it; deck text is shown as"
            " typed, so remove it",
        ),
    ),
    "shape": Case(
        "shape.yaml",
        (
            f"{at('shape.yaml', 1, 1)}: error: a deck is a mapping with 'title' and 'cards',"
            " found a list",
        ),
    ),
    "missing-key": Case(
        "missing-key.yaml",
        (
            f"{at('missing-key.yaml', 3, 5)}: error: card 1 is missing 'explanation'"
            " [no-explanation]",
        ),
    ),
    "empty-value": Case(
        "empty-value.yaml",
        (f"{at('empty-value.yaml', 4, 14)}: error: 'question' is empty [blank-question]",),
    ),
    "type": Case(
        "type.yaml",
        (f"{at('type.yaml', 7, 11)}: error: 'tags' should be a list, found text [tags-as-text]",),
    ),
    "unknown-key": Case(
        "unknown-key.yaml",
        (
            f"{at('unknown-key.yaml', 6, 5)}: error: unknown key 'explaination' in 'card 1';"
            " did you mean 'explanation'? [misspelt-key]",
            f"{at('unknown-key.yaml', 3, 5)}: error: card 1 is missing 'explanation'"
            " [misspelt-key]",
        ),
        also=frozenset({"missing-key"}),
    ),
    "duplicate-key": Case(
        "duplicate-key.yaml",
        (
            f"{at('duplicate-key.yaml', 6, 5)}: error: key 'question' appears twice in this"
            " mapping (first on line 4); YAML loaders silently keep the last [question-twice]",
        ),
    ),
    "format": Case(
        "format.yaml",
        (
            f"{at('format.yaml', 2, 8)}: error: topic 'Ports' is not {KEBAB_ID}",
            f"{at('format.yaml', 4, 9)}: error: id 'Etcd_Client_Port' is not {KEBAB_ID}"
            " [Etcd_Client_Port]",
            f"{at('format.yaml', 12, 18)}: error: tags[1] 'Control Plane' is not"
            " lowercase-kebab, e.g. control-plane [etcd-peer-port]",
            f"{at('format.yaml', 13, 13)}: error: source"
            " 'kubernetes.io/docs/reference/networking/ports-and-protocols/'"
            " is not an http(s) URL of the official page [etcd-peer-port]",
        ),
    ),
    "unknown-language": Case(
        "unknown-language.yaml",
        (
            f"{at('unknown-language.yaml', 8, 7)}: error: unknown language tag 'pt_BR';"
            " did you mean 'pt-BR'? known: pt-BR [underscore-locale]",
        ),
    ),
    "duplicate-id": Case(
        "duplicate-id-across",
        (
            f"{at('duplicate-id-across/second.yaml', 7, 1)}: error: card id 'etcd-port' is"
            f" already used at {DECKS / 'duplicate-id-across/first.yaml'}:3;"
            " ids must be unique [etcd-port]",
        ),
    ),
    "duplicate-topic": Case(
        "duplicate-topic",
        (
            f"{at('duplicate-topic/second.yaml', 2, 1)}: error: topic 'my-ports' is also the topic"
            f" of {DECKS / 'duplicate-topic/first.yaml'}; give this deck another 'topic:'",
        ),
    ),
    "list-answer": Case(
        "list-answer.yaml",
        (
            f"{at('list-answer.yaml', 5, 1)}: error: the list answer repeats 'etcd'"
            " [control-plane-components]",
            f"{at('list-answer.yaml', 5, 1)}: error: list item"
            " 'kube-scheduler, kube-controller-manager' contains a separator (, ; / and e &)"
            " a learner's answer is split on; reword it [control-plane-components]",
        ),
    ),
    "accept": Case(
        "accept.yaml",
        (
            f"{at('accept.yaml', 6, 1)}: error: for a text answer, 'accept' is a list of"
            " alternatives [kubelet-talks-to-runtime-via]",
        ),
    ),
    "accept-redundant": Case(
        "accept-redundant.yaml",
        (
            f"{at('accept-redundant.yaml', 6, 1)}: warning: accept 'KUBE-APISERVER' is the"
            " answer itself; remove it [api-server-binary]",
        ),
    ),
    "accept-generic": Case(
        "accept-generic.yaml",
        (
            f"{at('accept-generic.yaml', 6, 1)}: warning: accept 'the level' is one generic"
            " word: it lets through any answer that adds words of the question to it; name the"
            " thing itself [isolation-level]",
            f"{at('accept-generic.yaml', 8, 1)}: warning: the pt-BR accept 'o nível' is one"
            " generic word: it lets through any answer that adds words of the question to it;"
            " name the thing itself [isolation-level]",
        ),
    ),
    "choices": Case(
        "choices.yaml",
        (
            f"{at('choices.yaml', 6, 1)}: error: choice '2379/tcp' would be graded correct;"
            " choices are wrong options [etcd-client-port]",
        ),
    ),
    "translation": Case(
        "translation.yaml",
        (
            f"{at('translation.yaml', 7, 1)}: error: the pt-BR answer must be text,"
            " like the card's [container-runtime]",
        ),
    ),
    "mistake-accepted": Case(
        "mistake-accepted.yaml",
        (
            f"{at('mistake-accepted.yaml', 7, 1)}: error: mistake '2379/tcp' would be graded"
            " correct for this card [etcd-client-port]",
        ),
    ),
    "mistake-repeat": Case(
        "mistake-repeat.yaml",
        (
            f"{at('mistake-repeat.yaml', 7, 1)}: error: mistake '2378' is listed twice"
            " [etcd-client-port]",
        ),
    ),
    "near-duplicate": Case(
        "near-duplicate.yaml",
        (
            f"{at('near-duplicate.yaml', 7, 1)}: warning: question has the same words as"
            f" [etcd-client-port] at {DECKS / 'near-duplicate.yaml'}:3"
            " [etcd-client-port-again]",
        ),
    ),
    "missing-source": Case(
        "missing-source.yaml",
        (
            f"{at('missing-source.yaml', 6, 1)}: warning: a bundled card needs a 'source' URL"
            " [etcd-client-port]",
        ),
        bundled=True,
    ),
    "missing-translation": Case(
        "missing-translation.yaml",
        (
            f"{at('missing-translation.yaml', 1, 1)}: warning: the deck title has no pt-BR"
            " translation",
            f"{at('missing-translation.yaml', 3, 1)}: warning: no pt-BR translation;"
            " add translations.pt-BR with question and explanation [etcd-peer-port]",
            f"{at('missing-translation.yaml', 9, 1)}: warning: mistake '2381' has no pt-BR"
            " reason [etcd-peer-port]",
        ),
        bundled=True,
    ),
    "stale": Case(
        "stale.yaml",
        (
            f"{at('stale.yaml', 11, 1)}: warning: checked against Kubernetes 1.30, more than 2"
            " releases before 1.37; check it again and update 'checked' [scheduler-port]",
            f"{at('stale.yaml', 16, 1)}: warning: a bundled card needs 'checked: \"1.37\"' once it"
            " is checked [apiserver-port]",
        ),
        bundled=True,
    ),
    "no-decks": Case(
        "no-decks",
        (f"{DECKS / 'no-decks'}:1:1: error: this folder holds no deck files (*.yaml or *.yml)",),
    ),
    "command": Case(
        "command.yaml",
        (
            f"{at('command.yaml', 5, 1)}: error: 'kubctl' is not a tool k8squiz knows; did you"
            " mean 'kubectl'? known: crictl, docker, etcdctl, etcdutl, helm, k, kubeadm,"
            " kubectl, minikube [list-pods]",
        ),
    ),
    "command-alternative": Case(
        "command-alternative.yaml",
        (
            f"{at('command-alternative.yaml', 5, 1)}: warning: alternative 'kubectl create"
            " deploy web --image nginx' is graded as the command already (aliases, flag order"
            " and spellings are); remove it [create-web]",
        ),
    ),
    "command-optional": Case(
        "command-optional.yaml",
        (
            f"{at('command-optional.yaml', 5, 1)}: error: optional '--replica=1' is not a flag"
            " of 'kubectl create deployment web --image=nginx' [create-web]",
        ),
    ),
    "command-accept": Case(
        "command-accept.yaml",
        (
            f"{at('command-accept.yaml', 7, 1)}: error: a command card takes no 'accept'; list"
            " other commands under answer.alternatives [create-web]",
            f"{at('command-accept.yaml', 8, 1)}: error: a command card takes no 'choices'; put"
            " wrong commands and why under 'mistakes' [create-web]",
        ),
    ),
    "unknown-domain": Case(
        "unknown-domain.yaml",
        (
            f"{at('unknown-domain.yaml', 2, 1)}: error: unknown kcna domain"
            " 'kubernetes-fundamental'; did you mean 'kubernetes-fundamentals'? known:"
            " cloud-native-application-delivery, cloud-native-architecture,"
            " container-orchestration, kubernetes-fundamentals",
            f"{at('unknown-domain.yaml', 8, 1)}: error: unknown certification 'ckda' in"
            " domains; did you mean 'cka'? known: cka, ckad, kcna [etcd-client-port]",
        ),
    ),
    "thin-domain": Case(
        "thin-domain.yaml",
        tuple(
            f"{FOLDER / 'kcna.yaml'}:{line_of('kcna', domain)}:1: warning: kcna domain"
            f" '{domain}' fills {have} of the {need} questions a full exam of 60 asks of it"
            " without repeating a card; map more cards to it"
            for domain, have, need in (
                ("kubernetes-fundamentals", 0, 26),
                ("container-orchestration", 0, 17),
                ("cloud-native-application-delivery", 0, 10),
                ("cloud-native-architecture", 1, 7),
            )
        ),
        bundled=True,
    ),
}

WITH_FIXTURE = [code for code, case in CASES.items() if case.fixture is not None]
THROUGH_CLI = [code for code in WITH_FIXTURE if not CASES[code].bundled]
WARNINGS = [code for code in THROUGH_CLI if RULES[code].severity == "warning"]


def fixture_path(code: str) -> Path:
    fixture = CASES[code].fixture
    assert fixture is not None
    return DECKS / fixture


def exit_code(code: str) -> int:
    return 1 if RULES[code].severity == "error" else 0


# Every rule has a fixture


@pytest.mark.parametrize("code", RULES)
def test_every_rule_has_a_fixture(code: str) -> None:
    """Each rule in validate.RULES has a case whose fixture exists and whose lines it prints."""
    assert code in CASES, f"add a fixture deck that breaks '{code}' and its case to CASES"
    case = CASES[code]
    assert case.fixture is None or (DECKS / case.fixture).exists()
    assert case.lines
    assert all(f": {RULES[code].severity}: " in line for line in case.lines)


def test_every_case_is_a_rule() -> None:
    """CASES names no rule that validate.RULES does not have."""
    assert set(CASES) <= set(RULES)


@pytest.mark.parametrize("code", WITH_FIXTURE)
def test_each_fixture_breaks_only_its_own_rule(code: str) -> None:
    """A fixture trips its own rule and no other, so its test cannot pass by accident."""
    case = CASES[code]
    origin = "bundled" if case.bundled else str(fixture_path(code))
    report = build.check([DeckSource(fixture_path(code), origin)])
    assert {p.code for p in report.problems} == {code, *case.also}


# Each rule, through the real CLI


@pytest.mark.parametrize("code", THROUGH_CLI)
def test_validate_prints_each_rule_where_it_is_broken(cli: CLI, code: str) -> None:
    """`validate FIXTURE` prints `file:line:col: severity: message [card]` and its exit code."""
    run = cli("validate", str(fixture_path(code)))
    for line in CASES[code].lines:
        assert line in run.lines
    assert run.code == exit_code(code)
    assert "Traceback" not in run.err


@pytest.mark.parametrize("code", WARNINGS)
def test_strict_makes_a_warning_fail(cli: CLI, code: str) -> None:
    """With --strict a warning is printed as an error and validate exits 1."""
    run = cli("validate", "--strict", str(fixture_path(code)))
    for line in CASES[code].lines:
        assert line.replace(": warning: ", ": error: ") in run.lines
    assert run.code == 1


def test_a_file_over_16_mib_is_not_read(cli: CLI, tmp_path: Path) -> None:
    """A deck file one byte over 16 MiB is refused from its size, without reading it."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as file:
        file.truncate(read.MAX_BYTES + 1)  # sparse: costs no disk
    run = cli("validate", str(big))
    assert CASES["file-too-large"].lines[0].format(path=big) in run.lines
    assert run.code == 1


@pytest.mark.parametrize("code", [code for code in WITH_FIXTURE if CASES[code].bundled])
def test_bundled_decks_must_cite_a_source_and_translate(code: str) -> None:
    """A bundled deck without a source or a pt-BR translation gets warnings, not errors."""
    report = build.check([DeckSource(fixture_path(code), "bundled")])
    assert [str(p) for p in report.problems] == list(CASES[code].lines)
    assert report.count("error") == 0
    assert len(report.decks) == 1


def test_user_decks_need_no_source_or_translation(cli: CLI) -> None:
    """The bundled-only rules stay quiet for a user's own decks."""
    run = cli(
        "validate",
        str(fixture_path("missing-source")),
        str(fixture_path("missing-translation")),
        str(fixture_path("stale")),
    )
    assert run.lines[-1] == "3 files, 4 cards: no problems"
    assert run.code == 0


# Rules across files and within one


def test_duplicate_ids_given_as_two_files_name_both_places(cli: CLI) -> None:
    """Two deck files given one by one still share one id space, and the message names both."""
    first, second = (
        DECKS / "duplicate-id-across/first.yaml",
        DECKS / "duplicate-id-across/second.yaml",
    )
    run = cli("validate", str(first), str(second))
    assert CASES["duplicate-id"].lines[0] in run.lines
    assert run.code == 1


def test_a_duplicate_id_within_one_file_is_an_error(cli: CLI) -> None:
    """Two cards with one id in one file fail validate, naming the id and the first card."""
    path = DECKS / "duplicate-id.yaml"
    run = cli("validate", str(path))
    found = [line for line in run.lines if "error: card id 'etcd-port' is already used at" in line]
    assert len(found) == 1
    assert f"already used at {path}:3; ids must be unique [etcd-port]" in found[0]
    assert run.code == 1


def test_a_duplicate_id_within_one_file_points_at_the_second_card() -> None:
    """The duplicate is reported on the second card's line, where the author must fix it."""
    path = DECKS / "duplicate-id.yaml"
    report = build.check([DeckSource(path, str(path))])
    assert [(p.code, p.line) for p in report.problems] == [("duplicate-id", 7)]


def test_a_file_given_twice_is_checked_once() -> None:
    """Naming a deck twice, directly or through its folder, reports nothing twice."""
    path = DECKS / "valid" / "minimal.yaml"
    report = build.check([DeckSource(path, str(path)), DeckSource(path.parent, "valid")])
    assert report.problems == ()


def test_an_accept_the_grader_reads_as_the_answer_is_redundant(write_deck: WriteDeck) -> None:
    """An accept that differs from the answer only where grading never looks is flagged."""
    path = write_deck(
        """
        title: Redundant accept
        cards:
          - id: api-server-binary
            question: Which binary serves the Kubernetes API?
            answer: kube-apiserver
            accept: [kube apiserver]
            explanation: kube-apiserver is the front door of the control plane.
        """
    )
    report = build.check([DeckSource(path, str(path))])
    assert [p.code for p in report.problems] == ["accept-redundant"]


def test_a_mistake_the_grader_reads_as_another_is_a_repeat(write_deck: WriteDeck) -> None:
    """A mistake that differs from another only by a port decoration is listed twice."""
    path = write_deck(
        """
        title: Repeated mistake
        cards:
          - id: etcd-client-port
            question: Which port serves etcd clients?
            answer: "2379"
            explanation: Clients reach etcd on 2379.
            mistakes:
              - answer: "2378"
                reason: 2378 is not an etcd port.
              - answer: 2378/tcp
                reason: 2378 is still not an etcd port.
        """
    )
    report = build.check([DeckSource(path, str(path))])
    assert [p.code for p in report.problems] == ["mistake-repeat"]


def test_a_deck_whose_only_card_is_broken_reports_the_card(
    cli: CLI, write_deck: WriteDeck
) -> None:
    """When every card of a deck is broken, validate reports them instead of failing itself."""
    path = write_deck(
        """
        title: Only a broken card
        cards:
          - id: no-explanation
            question: Which port serves etcd clients?
            answer: "2379"
        """
    )
    run = cli("validate", str(path))
    assert f"{path}:3:5: error: card 1 is missing 'explanation' [no-explanation]" in run.lines
    assert "internal error" not in run.err
    assert run.code == 1


def test_missing_keys_are_reported_in_the_same_order_every_run(
    cli: CLI, write_deck: WriteDeck
) -> None:
    """The same deck gives the same report on every run, whatever the hash seed."""
    path = write_deck("title: Only an id\ncards:\n  - id: only-an-id\n")
    reports = {cli("validate", str(path), env={"PYTHONHASHSEED": seed}).out for seed in "12345"}
    assert len(reports) == 1


# Several problems


def test_every_problem_in_a_file_is_reported_in_line_order(cli: CLI) -> None:
    """A file with four problems from different rules gets all four, sorted by line."""
    run = cli("validate", "--format", "json", str(DECKS / "several-problems.yaml"))
    found = [(p["line"], p["code"]) for p in json.loads(run.out)["problems"]]
    assert found == [
        (6, "choices"),
        (11, "type"),
        (13, "near-duplicate"),
        (17, "mistake-accepted"),
    ]
    assert run.code == 1


# Output formats and options


def test_json_output_is_a_versioned_document(cli: CLI) -> None:
    """--format json prints one document with a version, counts and every problem's fields."""
    path = DECKS / "several-problems.yaml"
    run = cli("validate", "--format", "json", str(path))
    document = json.loads(run.out)
    assert {k: document[k] for k in ("version", "files", "cards", "errors", "warnings")} == {
        "version": 1,
        "files": 1,
        "cards": 2,
        "errors": 3,
        "warnings": 1,
    }
    assert document["problems"][0] == {
        "path": str(path),
        "line": 6,
        "column": 1,
        "severity": "error",
        "code": "choices",
        "message": "choice '2379' would be graded correct; choices are wrong options",
        "card": "etcd-client-port",
    }
    assert run.code == 1


def test_json_output_of_clean_decks_has_no_problems(cli: CLI) -> None:
    """A clean folder gives a JSON document with an empty problem list and exit 0."""
    run = cli("validate", "-f", "json", str(DECKS / "valid"))
    document = json.loads(run.out)
    assert (document["errors"], document["warnings"], document["problems"]) == (0, 0, [])
    assert run.code == 0


def test_github_output_is_workflow_annotations(cli: CLI) -> None:
    """--format github prints `::error` and `::warning` annotations GitHub Actions understands."""
    path = DECKS / "several-problems.yaml"
    run = cli("validate", "--format", "github", str(path))
    assert (
        f"::error file={path},line=6,col=1,title=k8squiz choices::choice '2379' would be graded"
        " correct; choices are wrong options [etcd-client-port]"
    ) in run.lines
    assert (
        f"::warning file={path},line=13,col=1,title=k8squiz near-duplicate::question has the"
        f" same words as [etcd-client-port] at {path}:3 [etcd-client-port-again]"
    ) in run.lines
    assert run.code == 1


def test_github_output_with_strict_turns_warnings_into_errors(cli: CLI) -> None:
    """With --strict, GitHub annotations for warnings become errors and validate exits 1."""
    path = DECKS / "near-duplicate.yaml"
    run = cli("validate", "--strict", "--format", "github", str(path))
    annotations = [line for line in run.lines if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(
        f"::error file={path},line=7,col=1,title=k8squiz near-duplicate::"
    )
    assert run.code == 1


def test_github_output_escapes_a_comma_in_the_path(cli: CLI, tmp_path: Path) -> None:
    """A deck whose path holds a comma is still annotated on the right file."""
    path = tmp_path / "ports,etcd.yaml"
    path.write_bytes((DECKS / "choices.yaml").read_bytes())
    run = cli("validate", "--format", "github", str(path))
    annotations = [line for line in run.lines if line.startswith("::")]
    escaped = str(path).replace(",", "%2C")
    assert annotations
    assert all(line.startswith(f"::error file={escaped},line=") for line in annotations)


def test_rules_lists_every_rule_with_its_severity(cli: CLI) -> None:
    """--rules prints one row per rule with its severity, and exits 0."""
    run = cli("validate", "--rules", env={"COLUMNS": "200"})
    rows = {line.split()[0]: line.split()[1] for line in run.lines[1:] if line.strip()}
    assert rows == {code: rule.severity for code, rule in RULES.items()}
    assert run.code == 0


def test_a_folder_of_clean_decks_passes(cli: CLI) -> None:
    """Validating a folder checks every deck file in it and says there are no problems."""
    run = cli("validate", "--strict", str(DECKS / "valid"))
    assert run.lines == ["3 files, 12 cards: no problems"]
    assert run.code == 0


def test_without_paths_the_bundled_decks_are_clean(cli: CLI) -> None:
    """`validate --strict` with no path checks the bundled decks and finds nothing."""
    run = cli("validate", "--strict")
    assert run.lines[-1].startswith(f"{BUNDLED_FILES} files, ")
    assert run.lines[-1].endswith(" cards: no problems")
    assert run.code == 0


def test_without_paths_the_decks_in_k8squiz_decks_are_checked_too(
    cli: CLI, write_deck: Callable[..., Path]
) -> None:
    """`validate` with no path checks what every other command loads: the bundled decks and
    those K8SQUIZ_DECKS names (it said "no problems" while `stats` failed on one of them)."""
    mine = write_deck("title: Mine\ncards:\n  - id: one\n    question: Q?\n    answer: a\n")
    run = cli("validate", env={"K8SQUIZ_DECKS": str(mine)})
    assert run.code == 1
    assert any(line.startswith(f"{mine}:") and "explanation" in line for line in run.lines)
    assert run.lines[-1].startswith(f"{BUNDLED_FILES + 1} files, ")


def test_one_card_is_counted_in_the_singular(cli: CLI, write_deck: Callable[..., Path]) -> None:
    """The summary says "1 file, 1 card", not "1 cards"."""
    mine = write_deck(
        "title: Mine\ncards:\n  - id: one\n    question: Q?\n    answer: a\n"
        "    explanation: Because.\n"
    )
    assert cli("validate", str(mine)).lines == ["1 file, 1 card: no problems"]


def test_the_bundled_decks_are_found_from_another_directory(cli: CLI) -> None:
    """Run from `/`, validate still finds and checks the bundled decks."""
    run = cli("validate", "--strict", cwd=Path("/"))
    assert run.lines[-1].startswith(f"{BUNDLED_FILES} files, ")
    assert run.code == 0


def test_relative_paths_are_reported_as_given(cli: CLI) -> None:
    """A path given relative to the working directory is reported exactly as typed."""
    run = cli("validate", "accept.yaml", cwd=DECKS)
    assert run.lines[0].startswith("accept.yaml:6:1: error: ")
    assert run.code == 1
