"""The deck model, its JSON Schema, loading decks into a Library, and the library cache."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8squiz.decks import build, cache
from k8squiz.decks.discover import DeckSource, bundled_dir
from k8squiz.decks.model import (
    Card,
    CardTranslation,
    DeckFile,
    Mistake,
    MistakeTranslation,
    card_text,
    json_schema,
    mistake_reason,
)
from k8squiz.errors import DeckError, ExitStatus, UsageError
from tests.conftest import CLI, FIXTURES, ROOT, Run

DECKS = FIXTURES / "decks"
SCHEMA = ROOT / "schema" / "deck.schema.json"
HEADER = "# yaml-language-server: $schema=../schema/deck.schema.json"
WriteDeck = Callable[..., Path]
DECK = """\
title: {title}
cards:
{cards}"""
CARD = """\
  - id: {id}
    question: What is the answer of card {id}?
    answer: "{id}"
    explanation: Because it is card {id}.
"""


def deck_text(title: str, *ids: str) -> str:
    """A deck with one simple card per id."""
    return DECK.format(title=title, cards="".join(CARD.format(id=i) for i in ids))


def card(**fields: Any) -> Card:
    base = {"id": "a-card", "question": "Q?", "answer": "A", "explanation": "Why."}
    return Card(**{**base, **fields})


def topic_rows(run: Run) -> dict[str, tuple[str, str]]:
    """`k8squiz topics` as topic -> (cards, from), whatever columns sit between."""
    rows = {}
    for line in run.lines:
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) >= 4 and cells[2].isdigit():
            rows[cells[0]] = (cells[2], cells[-1])
    return rows


def topics(cli: CLI, *args: str, env: dict[str, str] | None = None) -> Run:
    """`k8squiz topics`, wide enough that no path wraps."""
    return cli("topics", *args, env={"COLUMNS": "400", **(env or {})})


# The model


class TestCard:
    def test_a_string_answer_is_a_text_card(self) -> None:
        """A string answer makes a text card with one item."""
        assert (card(answer="6443").kind.value, card(answer="6443").items) == ("text", ("6443",))

    def test_a_list_answer_needs_every_item(self) -> None:
        """A list answer makes a list card whose items are the list."""
        listed = card(answer=("etcd", "kube-apiserver"))
        assert (listed.kind.value, listed.items) == ("list", ("etcd", "kube-apiserver"))

    @pytest.mark.parametrize("answer", ["true", "false", "False", " TRUE "])
    def test_true_or_false_makes_a_true_false_card(self, answer: str) -> None:
        """`true` or `false`, in any case, makes a true/false card."""
        assert card(answer=answer).kind.value == "true-false"

    @pytest.mark.parametrize("answer", ["yes", "no", "truely"])
    def test_other_words_are_text(self, answer: str) -> None:
        """Only true and false make a true/false card; `yes` and `no` are answers like others."""
        assert card(answer=answer).kind.value == "text"

    def test_a_card_reads_in_portuguese_when_translated(self) -> None:
        """card_text gives the pt-BR question, explanation, answer and choices."""
        translated = card(
            answer="container",
            choices=("virtual machine",),
            translations={
                "pt-BR": CardTranslation(
                    question="P?", explanation="Porque.", answer="contêiner", choices=("VM",)
                )
            },
        )
        text = card_text(translated, "pt-BR")
        assert (text.question, text.explanation, text.answer, text.choices) == (
            "P?",
            "Porque.",
            "contêiner",
            ("VM",),
        )

    def test_a_card_falls_back_to_english(self) -> None:
        """Without a translation, card_text gives the English words."""
        text = card_text(card(answer=("a", "b")), "pt-BR")
        assert (text.question, text.answer) == ("Q?", "a, b")

    def test_a_mistake_gives_its_reason_in_the_language_asked(self) -> None:
        """A mistake's reason is shown in pt-BR when translated, else in English."""
        mistake = Mistake(
            answer="2378",
            reason="Not an etcd port.",
            translations={"pt-BR": MistakeTranslation(reason="Não é porta do etcd.")},
        )
        assert mistake_reason(mistake, "pt-BR") == "Não é porta do etcd."
        assert mistake_reason(mistake, "en") == "Not an etcd port."


# The JSON Schema


def _as_text(node: Any) -> Any:
    """A document as k8squiz reads YAML: every scalar is the text its author typed."""
    if isinstance(node, dict):
        return {_as_text(key): _as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_as_text(item) for item in node]
    if isinstance(node, bool):
        return "true" if node else "false"
    return None if node is None else str(node)


def _model_accepts(document: Any) -> bool:
    try:
        msgspec.convert(_as_text(document), DeckFile)
    except msgspec.ValidationError:
        return False
    return True


def _schema_accepts(schema: dict[str, Any], document: Any) -> bool:
    import jsonschema  # a test dependency only: k8squiz itself never validates JSON Schema

    return bool(jsonschema.Draft202012Validator(schema).is_valid(_as_text(document)))


VALID_DECK: dict[str, Any] = {
    "title": "Ports",
    "topic": "ports",
    "description": "Which port is whose.",
    "translations": {"pt-BR": {"title": "Portas", "description": "Qual porta é de quem."}},
    "cards": [
        {
            "id": "api-server-port",
            "question": "Which port does the API server listen on?",
            "answer": "6443",
            "explanation": "The default secure port.",
            "accept": ["6443/tcp"],
            "choices": ["8080", "443"],
            "tags": ["control-plane"],
            "source": "https://kubernetes.io/docs/reference/networking/ports-and-protocols/",
            "mistakes": [
                {
                    "answer": "8080",
                    "reason": "The old insecure port.",
                    "accept": ["8080/tcp"],
                    "translations": {"pt-BR": {"reason": "A antiga porta insegura."}},
                }
            ],
            "translations": {
                "pt-BR": {
                    "question": "Em que porta o API server escuta?",
                    "explanation": "A porta segura padrão.",
                    "answer": "6443",
                    "accept": ["6443/tcp"],
                    "choices": ["8080", "443"],
                }
            },
        },
        {
            "id": "etcd-ports",
            "question": "Which two ports does etcd use?",
            "answer": ["2379", "2380"],
            "accept": {"2379": ["client"], "2380": ["peer"]},
            "explanation": "Clients on 2379, peers on 2380.",
        },
    ],
}
# What a deck author gets wrong: values of every kind, keys that do not exist.
ODD_VALUES = ["", "Not Kebab", "pt_BR", "7", [], ["x", ""], {}, {"pt-BR": {}}, None, "x" * 65]


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document a value sits, as a path of keys and indexes."""
    found = [at]
    if isinstance(node, dict):
        found += [p for key, value in node.items() for p in _paths(value, (*at, key))]
    elif isinstance(node, list):
        found += [p for i, value in enumerate(node) for p in _paths(value, (*at, i))]
    return found


def _mutated(document: Any, path: tuple[Any, ...], change: tuple[str, Any]) -> Any:
    """`document` with one change at `path`: its value replaced or removed, or a key added."""
    copy = json.loads(json.dumps(document))
    *parent_path, last = path
    parent = copy
    for step in parent_path:
        parent = parent[step]
    what, value = change
    if what == "replace":
        parent[last] = value
    elif what == "remove":
        del parent[last]
    elif isinstance(parent[last], dict) and parent[last]:
        target = parent[last]
        target[value] = next(iter(target.values()))  # a sibling's value under a new key
    return copy


CHANGES = st.one_of(
    st.tuples(st.just("replace"), st.sampled_from(ODD_VALUES)),
    st.tuples(st.just("remove"), st.none()),
    st.tuples(st.just("add-key"), st.sampled_from(["colour", "pt_BR", "en", "answers", "id"])),
)


def test_the_committed_schema_and_the_deck_model_accept_the_same_bundled_decks() -> None:
    """Every bundled deck fits the model, and the committed schema accepts each of them."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for path in bundled_decks():
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorYaml)
        assert _model_accepts(document), path.name
        assert _schema_accepts(schema, document), path.name


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_committed_schema_judges_every_deck_as_the_model_does(data: st.DataObject) -> None:
    """A deck with one change anywhere is accepted by schema/deck.schema.json exactly when the
    deck model accepts it, and `k8squiz schema` agrees, whatever msgspec release wrote it."""
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(_paths(VALID_DECK)[1:]), label="path")
    document = _mutated(VALID_DECK, path, data.draw(CHANGES, label="change"))
    verdict = _model_accepts(document)
    assert _schema_accepts(committed, document) == verdict, (
        "schema/deck.schema.json disagrees with the deck model;"
        " regenerate it with: k8squiz schema > schema/deck.schema.json"
    )
    assert _schema_accepts(json_schema(), document) == verdict


def test_k8squiz_schema_prints_the_json_schema_of_a_deck(cli: CLI) -> None:
    """`k8squiz schema` prints a JSON Schema (draft 2020-12) that accepts a valid deck."""
    run = cli("schema")
    assert run.code == 0
    printed = json.loads(run.out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _schema_accepts(printed, VALID_DECK)
    assert not _schema_accepts(printed, {"title": "No cards"})


def test_the_schema_requires_a_title_and_cards() -> None:
    """The schema says a deck needs a title and at least one card with its four keys."""
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    deck = schema["$defs"]["DeckFile"]
    assert set(deck["required"]) == {"title", "cards"}
    assert deck["properties"]["cards"]["minItems"] == 1
    assert set(schema["$defs"]["Card"]["required"]) == {"id", "question", "answer", "explanation"}


def test_the_schema_lets_editors_read_numbers_as_text() -> None:
    """An editor reads `answer: 6443` as a number; the schema accepts it where text goes."""
    question = json_schema()["$defs"]["Card"]["properties"]["question"]
    assert question["type"] == ["string", "number", "boolean"]


def bundled_decks() -> list[Path]:
    return sorted(bundled_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", bundled_decks(), ids=lambda p: p.stem)
def test_every_bundled_deck_points_editors_at_the_schema(path: Path) -> None:
    """The first line of a bundled deck tells yaml-language-server where the schema is."""
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER


class _EditorYaml(yaml.SafeLoader):
    """Reads YAML as yaml-language-server does (YAML 1.2 core): no dates, no yes/no booleans."""


_EditorYaml.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(("timestamp", "bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_EditorYaml.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def test_every_bundled_deck_is_valid_in_an_editor() -> None:
    """Each bundled deck, read as an editor reads YAML, passes the committed JSON Schema."""
    import jsonschema  # a test dependency only: k8squiz itself never validates JSON Schema

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    invalid = {
        path.name: error.message
        for path in bundled_decks()
        for error in validator.iter_errors(
            yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorYaml)
        )
    }
    assert invalid == {}


# Loading decks


def test_a_deck_takes_its_topic_from_its_file_name(write_deck: WriteDeck) -> None:
    """Without `topic:`, a deck's topic is its file name, and it knows where it came from."""
    path = write_deck(deck_text("Mine", "one", "two"), name="my-topic.yml")
    deck = cache.load_library([path], {}, None).decks[-1]
    assert (deck.topic, deck.title, deck.origin) == ("my-topic", "Mine", str(path))
    assert deck.where("two") == f"{path}:7"


def test_a_file_name_that_cannot_be_a_topic_needs_a_topic_key(
    cli: CLI, write_deck: WriteDeck
) -> None:
    """A deck named `My Deck.yaml` without `topic:` is told to set one."""
    path = write_deck(deck_text("Mine", "one"), name="My Deck.yaml")
    run = cli("validate", str(path))
    assert run.lines[0] == (
        f"{path}:1:1: error: topic 'My Deck' (the file name) is not lowercase-kebab;"
        " set 'topic:' in the deck"
    )
    assert run.code == 1


def test_a_folder_loads_its_deck_files_only(write_deck: WriteDeck, tmp_path: Path) -> None:
    """A folder gives its .yaml and .yml decks by name; other and hidden files are ignored."""
    folder = tmp_path / "mine"
    write_deck(deck_text("B", "b-card"), name="b.yaml", folder=folder)
    write_deck(deck_text("A", "a-card"), name="a.yml", folder=folder)
    write_deck("not: a deck", name="notes.txt", folder=folder)
    write_deck("not: a deck", name=".hidden.yaml", folder=folder)
    report = build.check([DeckSource(folder, str(folder))])
    assert [deck.topic for deck in report.decks] == ["a", "b"]
    assert report.problems == ()


def test_decks_come_bundled_then_from_deck_then_from_the_variable(
    write_deck: WriteDeck, tmp_path: Path
) -> None:
    """The library holds the bundled decks, then --deck paths, then K8SQUIZ_DECKS entries."""
    first = write_deck(deck_text("First", "first-card"), name="first.yaml")
    second = write_deck(deck_text("Second", "second-card"), name="second.yaml")
    third = write_deck(deck_text("Third", "third-card"), name="third.yaml")
    environ = {"K8SQUIZ_DECKS": os.pathsep.join([str(second), "", str(third)])}
    decks = cache.load_library([first], environ, None).decks
    assert [d.origin for d in decks[-3:]] == [str(first), str(second), str(third)]
    assert {d.origin for d in decks[:-3]} == {"bundled"}


def test_a_user_deck_reusing_a_bundled_id_names_both_places(
    cli: CLI, write_deck: WriteDeck
) -> None:
    """A user card with a bundled card's id stops the command, naming both files and lines."""
    path = write_deck(deck_text("Mine", "port-kube-apiserver-6443"), name="mine.yaml")
    run = topics(cli, "--deck", str(path))
    assert run.code == 1
    assert f"{path}:3:1" in run.err
    assert "card id 'port-kube-apiserver-6443' is already used at" in run.err
    assert re.search(r"decks[/\\](?:bundled[/\\])?ports\.yaml:\d+", run.err)
    assert "Traceback" not in run.err


def test_the_validate_command_suggested_for_a_clash_shows_it(
    cli: CLI, write_deck: WriteDeck
) -> None:
    """Running the validate command a clash error suggests reports that clash."""
    path = write_deck(deck_text("Mine", "port-kube-apiserver-6443"), name="mine.yaml")
    with pytest.raises(DeckError) as raised:
        cache.load_library([path], {}, None)
    suggested = re.search(r"run 'k8squiz (validate [^']+)'", str(raised.value))
    assert suggested is not None
    run = cli(*suggested.group(1).split(" "))
    assert "card id 'port-kube-apiserver-6443' is already used at" in run.out
    assert run.code == 1


def test_a_user_deck_named_like_a_bundled_topic_must_set_its_own(
    write_deck: WriteDeck,
) -> None:
    """A user deck called ports.yaml clashes with the bundled topic and is told what to do."""
    path = write_deck(deck_text("My ports", "my-port-card"), name="ports.yaml")
    with pytest.raises(DeckError) as raised:
        cache.load_library([path], {}, None)
    assert str(raised.value).startswith(f"{path}:1:1: topic 'ports' is also the topic of ")
    assert "give this deck another 'topic:'" in str(raised.value)


def test_a_deck_with_an_error_stops_loading_and_says_how_to_see_more(
    write_deck: WriteDeck,
) -> None:
    """load_library raises DeckError with the first problem and the validate command to run."""
    no_question = "  - id: {}\n    answer: x\n    explanation: Why.\n"
    cards = no_question.format("first") + no_question.format("second")
    path = write_deck(DECK.format(title="Broken", cards=cards))
    with pytest.raises(DeckError) as raised:
        cache.load_library([path], {}, None)
    assert str(raised.value) == (
        f"{path}:3:5: card 1 is missing 'question' [first]; 1 more"
        f" (run 'k8squiz validate {path}' to see every problem)"
    )


def test_warnings_do_not_stop_loading(write_deck: WriteDeck) -> None:
    """A deck with only warnings (a redundant accept) loads."""
    path = write_deck(DECKS.joinpath("accept-redundant.yaml").read_text(encoding="utf-8"))
    assert cache.load_library([path], {}, None).card("api-server-binary") is not None


# Selecting cards from the library


@pytest.fixture(scope="module")
def bundled_library() -> Any:
    return cache.load_library([], {}, None)


def test_select_by_topic(bundled_library: Any) -> None:
    """Selecting a topic gives exactly that deck's cards."""
    selected = bundled_library.select(topics=["ports"])
    assert {bundled_library.topic_of(c.id) for c in selected} == {"ports"}
    assert len(selected) == len(next(d for d in bundled_library.decks if d.topic == "ports").cards)


def test_select_by_tag_crosses_topics(bundled_library: Any) -> None:
    """Selecting a tag gives every card carrying it, from any topic."""
    selected = bundled_library.select(tags=["etcd"])
    assert selected
    assert all("etcd" in c.tags for c in selected)
    assert len({bundled_library.topic_of(c.id) for c in selected}) > 1


def test_select_by_topic_and_tag_needs_both(bundled_library: Any) -> None:
    """A topic and a tag together give the cards of that topic that carry that tag."""
    selected = bundled_library.select(topics=["ports"], tags=["etcd"])
    assert selected
    assert all(bundled_library.topic_of(c.id) == "ports" and "etcd" in c.tags for c in selected)


def test_select_nothing_gives_every_card(bundled_library: Any) -> None:
    """No topic and no tag selects the whole library."""
    assert bundled_library.select() == bundled_library.cards


def test_an_unknown_topic_suggests_the_closest_and_lists_all(bundled_library: Any) -> None:
    """A mistyped topic is a usage error with a did-you-mean and every known topic."""
    with pytest.raises(UsageError) as raised:
        bundled_library.select(topics=["prots"])
    message = str(raised.value)
    assert "unknown topic 'prots'; did you mean 'ports'?" in message
    assert "known topics: cloud-native, commands, config-storage, containers," in message
    assert "see 'k8squiz topics'" in message
    assert raised.value.exit_status == ExitStatus.USAGE


def test_an_unknown_tag_suggests_the_closest(bundled_library: Any) -> None:
    """A mistyped tag is a usage error with a did-you-mean and the tag listing to run."""
    with pytest.raises(UsageError) as raised:
        bundled_library.select(tags=["etdc"])
    assert "unknown tag 'etdc'; did you mean 'etcd'?" in str(raised.value)
    assert "k8squiz topics --tags" in str(raised.value)


def test_a_topic_far_from_any_gets_no_suggestion(bundled_library: Any) -> None:
    """A topic like no other gets the list of topics but no guess."""
    with pytest.raises(UsageError) as raised:
        bundled_library.select(topics=["quantum-physics"])
    assert "did you mean" not in str(raised.value)
    assert "known topics: " in str(raised.value)


# `k8squiz topics` and where decks come from


def test_topics_shows_where_each_deck_came_from(cli: CLI, write_deck: WriteDeck) -> None:
    """Decks from --deck (a file) and K8SQUIZ_DECKS (a folder) are listed with their origin."""
    mine = write_deck(deck_text("Mine", "mine-one", "mine-two"), name="mine.yaml")
    run = topics(cli, "--deck", str(mine), env={"K8SQUIZ_DECKS": str(DECKS / "valid")})
    rows = topic_rows(run)
    assert rows["ports"][1] == "bundled"
    assert rows["mine"] == ("2", str(mine))
    assert rows["kinds"] == ("3", str(DECKS / "valid"))
    assert rows["yaml-as-text"] == ("8", str(DECKS / "valid"))
    assert run.code == 0


# The cache


def test_the_cache_is_used_when_no_deck_changed(
    write_deck: WriteDeck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second load with nothing changed comes from the cache, without checking any deck."""
    path = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    folder = tmp_path / "cache"
    first = cache.load_library([path], {}, folder)

    def no_check(*args: Any) -> None:
        raise AssertionError("the decks were checked again")

    monkeypatch.setattr(build, "build_library", no_check)
    again = cache.load_library([path], {}, folder)
    assert again.decks == first.decks


def test_the_cache_is_refreshed_when_a_deck_changes(write_deck: WriteDeck, tmp_path: Path) -> None:
    """Editing a user deck after it was cached gives the edited cards."""
    path = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    folder = tmp_path / "cache"
    cache.load_library([path], {}, folder)
    write_deck(deck_text("Mine", "mine-one", "mine-two"), name="mine.yaml")
    again = cache.load_library([path], {}, folder)
    assert again.card("mine-two") is not None


def test_an_error_added_after_caching_is_not_hidden(write_deck: WriteDeck, tmp_path: Path) -> None:
    """A deck broken after it was cached fails to load; the cache never hides it."""
    path = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    folder = tmp_path / "cache"
    cache.load_library([path], {}, folder)
    write_deck(DECK.format(title="Mine", cards="  - id: mine-one\n"), name="mine.yaml")
    with pytest.raises(DeckError):
        cache.load_library([path], {}, folder)


def test_a_new_deck_path_misses_the_cache(write_deck: WriteDeck, tmp_path: Path) -> None:
    """Adding a deck through K8SQUIZ_DECKS loads it even though the cache is fresh."""
    mine = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    folder = tmp_path / "cache"
    cache.load_library([mine], {}, folder)
    more = cache.load_library([mine], {"K8SQUIZ_DECKS": str(DECKS / "valid")}, folder)
    assert "kinds" in more.topics


def test_a_corrupt_cache_is_rebuilt(write_deck: WriteDeck, tmp_path: Path) -> None:
    """A damaged cache file is ignored and replaced, never an error."""
    path = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / cache.CACHE_NAME).write_bytes(b"\x00 not msgpack")
    assert cache.load_library([path], {}, folder).card("mine-one") is not None
    assert (folder / cache.CACHE_NAME).read_bytes() != b"\x00 not msgpack"


def test_topics_shows_a_users_edit_at_once(cli: CLI, write_deck: WriteDeck, home: Path) -> None:
    """`k8squiz topics` counts the new card right after the user adds it to their deck."""
    path = write_deck(deck_text("Mine", "mine-one"), name="mine.yaml")
    assert topic_rows(topics(cli, "--deck", str(path)))["mine"][0] == "1"
    assert (home / "cache" / cache.CACHE_NAME).exists()
    write_deck(deck_text("Mine", "mine-one", "mine-two"), name="mine.yaml")
    assert topic_rows(topics(cli, "--deck", str(path)))["mine"][0] == "2"
