"""`k8squiz export anki`: every package is imported into a fresh collection by Anki itself."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.notes import Note

from k8squiz.decks.cache import load_library
from k8squiz.decks.library import Library
from k8squiz.exports.anki_note import guid, stable_id
from tests.conftest import CLI, Run

LAB = """
title: Lab
topic: lab
domains: {kcna: [kubernetes-fundamentals]}
translations:
  pt-BR:
    title: Laboratório
cards:
  - id: lab-apiserver-port
    question: Which TCP port does `kube-apiserver` listen on by default?
    answer: "6443"
    choices: ["8080", "10250", "2379"]
    explanation: |
      The API server serves HTTPS on 6443:

      ```sh
      kubectl cluster-info
      ```
    tags: [networking]
    source: https://kubernetes.io/docs/reference/networking/ports-and-protocols/
    mistakes:
      - answer: "8080"
        reason: 8080 was the old insecure port, removed in v1.20.
        translations:
          pt-BR:
            reason: A 8080 era a antiga porta insegura, removida na v1.20.
    translations:
      pt-BR:
        question: Em qual porta TCP o `kube-apiserver` escuta por padrão?
        explanation: O API server serve HTTPS na 6443.
  - id: lab-secrets-encrypted
    question: Secrets are encrypted at rest by default.
    answer: false
    explanation: They are only base64-encoded unless you configure encryption at rest.
    tags: [security]
  - id: lab-node-agents
    question: Name the two agents that run on every node besides the container runtime.
    answer: [kubelet, kube-proxy]
    explanation: The kubelet runs Pods; kube-proxy programs the rules behind Services.
    tags: [networking]
  - id: lab-create-deployment
    question: Create a Deployment named web running nginx with 3 replicas.
    answer:
      command: kubectl create deployment web --image=nginx --replicas=3
      alternatives: [kubectl create deploy web --image=nginx -r 3]
      optional: [--namespace=default]
    explanation: kubectl create deployment takes --replicas since 1.19.
    domains: {cka: [workloads-scheduling]}
"""
HOSTILE = """
title: Hostile
topic: hostile
cards:
  - id: hostile-markup
    question: "<script>alert(1)</script> [sound:evil.mp3] {{Answer}} <b>bold</b>?"
    answer: "<img src=x onerror=alert(1)>"
    explanation: "<script>alert(2)</script> [sound:evil2.mp3] *shown* <i>raw</i>"
    mistakes:
      - answer: "<b>x</b>"
        reason: "<script>alert(3)</script>"
"""
DAY_1 = {"K8SQUIZ_NOW": "2026-03-01T09:00:00Z"}
DAY_2 = {"K8SQUIZ_NOW": "2026-03-02T09:00:00Z"}


def open_collection(folder: Path) -> Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection."""
    collection = open_collection(tmp_path / "anki")
    yield collection
    collection.close()


def import_package(col: Collection, apkg: Path) -> Any:
    """Import as Anki's File > Import does by default (update notes when the file is newer)."""
    request = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def notes(col: Collection) -> dict[str, Note]:
    """Every note in the collection, by the k8squiz card id it carries."""
    found = [col.get_note(nid) for nid in col.find_notes("")]
    return {note["CardId"]: note for note in found}


def deck_of(col: Collection, note: Note) -> str:
    return col.decks.name(note.cards()[0].did)


def text(markup: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded, spaces collapsed."""
    inline = re.sub(r"</?(code|em|strong|a)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


@pytest.fixture
def decks(write_deck: Callable[..., Path]) -> Path:
    """A folder with the two test decks: lab (every kind of card) and hostile."""
    write_deck(HOSTILE, "hostile.yaml")
    return write_deck(LAB, "lab.yaml").parent


@pytest.fixture
def export(cli: CLI, decks: Path, tmp_path: Path) -> Callable[..., tuple[Run, Path]]:
    """Run `k8squiz export anki --deck DECKS ARGS -o out.apkg` on the test decks."""

    def run(*args: str, env: dict[str, str] | None = None) -> tuple[Run, Path]:
        out = tmp_path / "out.apkg"
        return cli("export", "anki", "--deck", str(decks), *args, "-o", str(out), env=env), out

    return run


# The bundled decks are exported and imported once for the whole module: the costly part.


@dataclass(frozen=True)
class Bundled:
    """The bundled decks as k8squiz loads them, and as Anki imported their export."""

    library: Library
    run: Run
    notes: dict[str, Note]
    col: Collection


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundled]:
    folder = tmp_path_factory.mktemp("bundled")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("K8SQUIZ_", "LC_"))}
    environ |= {"K8SQUIZ_HOME": str(folder / "home"), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    apkg = folder / "all.apkg"
    done = subprocess.run(
        [sys.executable, "-m", "k8squiz", "export", "anki", "-o", str(apkg)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        timeout=120,
        check=False,
    )
    collection = open_collection(folder / "anki")
    import_package(collection, apkg)
    yield Bundled(
        load_library([], {}, None),
        Run(done.returncode, done.stdout, done.stderr),
        notes(collection),
        collection,
    )
    collection.close()


class TestBundledExport:
    def test_every_card_becomes_one_note_with_one_card(self, bundled: Bundled) -> None:
        """Anki imports exactly one note, and one card, per k8squiz card."""
        assert bundled.run.code == 0, bundled.run.err
        assert set(bundled.notes) == {card.id for card in bundled.library.cards}
        assert bundled.col.note_count() == len(bundled.library.cards)
        assert bundled.col.card_count() == len(bundled.library.cards)

    def test_the_summary_counts_and_says_how_to_import(self, bundled: Bundled) -> None:
        """One line: notes, decks, the file's size, and the import steps on desktop and phone."""
        cards, topics = len(bundled.library.cards), len(bundled.library.topics)
        line = bundled.run.out.strip()
        assert len(bundled.run.out.splitlines()) == 1
        assert f"{cards} notes in {topics} decks" in line
        assert re.search(r"\(\d+ KB\)", line)
        assert "File > Import" in line
        assert "AnkiDroid" in line
        assert "AnkiMobile" in line  # iPhone and iPad learners import it too

    def test_one_deck_per_topic_under_k8squiz(self, bundled: Bundled) -> None:
        """Each note sits in k8squiz::<its topic>."""
        for card_id, note in bundled.notes.items():
            assert deck_of(bundled.col, note) == f"k8squiz::{bundled.library.topic_of(card_id)}"

    def test_tags_are_the_cards_tags_and_its_topic(self, bundled: Bundled) -> None:
        """Anki tags: the card's own tags, plus k8squiz::<topic>."""
        for card in bundled.library.cards:
            topic = f"k8squiz::{bundled.library.topic_of(card.id)}"
            assert sorted(bundled.notes[card.id].tags) == sorted({*card.tags, topic})

    def test_guids_and_the_note_type_id_are_fixed(self, bundled: Bundled) -> None:
        """GUIDs follow from card ids, and ids do not change between releases."""
        for card_id, note in bundled.notes.items():
            assert note.guid == guid(card_id)
        assert len({note.guid for note in bundled.notes.values()}) == len(bundled.notes)
        assert guid("port-etcd-client-2379") == "s4}y#QeGM?"  # pinned: a change orphans notes
        assert stable_id("note-type") == 1341326707
        note_type = bundled.col.models.by_name("k8squiz")
        assert note_type is not None
        assert note_type["id"] == stable_id("note-type")

    def test_every_field_carries_the_card(self, bundled: Bundled) -> None:
        """Question, answer, explanation, mistakes, source and id are all in the note."""
        for card in bundled.library.cards:
            note = bundled.notes[card.id]
            assert text(card.question.replace("`", "")) in text(note["Question"])
            for item in card.items:
                assert item.lower() in text(note["Answer"]).lower(), card.id
            assert note["Explanation"].startswith('<div class="k8s-first" lang="en"><p>')
            for mistake in card.mistakes:
                assert f"<code>{html.escape(mistake.answer)}</code>" in note["Mistakes"]
            assert card.source is None or f'href="{card.source}"' in note["Source"]
            assert note["CardId"] == card.id
            assert note["TypeAnswer"] == ""

    def test_multiple_choice_shows_the_options_with_the_answer(self, bundled: Bundled) -> None:
        """A card with choices lists them, lettered, the answer among them; the back names it."""
        note = bundled.notes["port-etcd-client-2379"]
        card = bundled.library.card("port-etcd-client-2379")
        assert card is not None
        options = re.findall(r"<li>(.*?)</li>", note["Question"])
        assert sorted(options) == sorted([*card.items, *card.choices])
        letter = "ABCD"[options.index("2379")]
        assert text(note["Answer"]) == f"{letter}. 2379"

    def test_true_false_and_list_cards_read_naturally(self, bundled: Bundled) -> None:
        """True/false says so on the front; a list answer is an HTML list."""
        truth = bundled.notes["secret-encrypted-at-rest-by-default"]
        assert "True or false?" in text(truth["Question"])
        assert text(truth["Answer"]) == "False"
        listed = bundled.notes["control-plane-core-components"]
        assert re.findall(r"<li>(.*?)</li>", listed["Answer"]) == [
            "kube-apiserver",
            "etcd",
            "kube-scheduler",
            "kube-controller-manager",
        ]
        assert "<pre><code>kubectl get pods -n kube-system\n</code></pre>" in listed["Explanation"]

    def test_another_export_reads_the_same(
        self, bundled: Bundled, cli: CLI, tmp_path: Path, col: Collection
    ) -> None:
        """Options are shuffled once and for all: every export shows a card the same way."""
        apkg = tmp_path / "ports.apkg"
        run = cli("export", "anki", "--topic", "ports", "-o", str(apkg))
        assert run.code == 0, run.err
        import_package(col, apkg)
        for card_id, note in notes(col).items():
            assert note.fields == bundled.notes[card_id].fields


class TestUpdates:
    def test_an_edited_card_updates_its_note_and_keeps_the_review(
        self, export: Callable[..., tuple[Run, Path]], decks: Path, col: Collection
    ) -> None:
        """Re-importing a newer export edits the note in place; the review done stays."""
        run, apkg = export("--topic", "lab", env=DAY_1)
        assert run.code == 0, run.err
        import_package(col, apkg)
        col.decks.select(col.decks.id_for_name("k8squiz::lab"))
        reviewed = col.sched.getCard()
        assert reviewed is not None
        col.sched.answerCard(reviewed, 3)
        lab = decks / "lab.yaml"
        question = "Which TCP port does `kube-apiserver` listen on by default?"
        lab.write_text(
            lab.read_text(encoding="utf-8").replace(question, "Which port serves the API?"),
            encoding="utf-8",
        )
        run, apkg = export("--topic", "lab", env=DAY_2)
        assert run.code == 0, run.err
        log = import_package(col, apkg)
        assert len(log.new) == 0
        assert len(log.updated) == 4
        assert col.note_count() == 4
        assert text(notes(col)["lab-apiserver-port"]["Question"]).startswith(
            "Which port serves the API?"
        )
        after = col.get_card(reviewed.id)
        assert after.reps == 1
        assert after.queue != 0  # no longer new
        assert col.db.scalar("select count() from revlog where cid = ?", reviewed.id) == 1

    def test_a_removed_card_is_reported_with_a_search_that_finds_it(
        self, export: Callable[..., tuple[Run, Path]], decks: Path, col: Collection
    ) -> None:
        """The summary names a card the earlier export had, and Anki still holds its note."""
        _, apkg = export("--topic", "lab", env=DAY_1)
        import_package(col, apkg)
        lab = decks / "lab.yaml"
        content = lab.read_text(encoding="utf-8")
        start = content.index("  - id: lab-node-agents")
        end = content.index("  - id: lab-create-deployment")
        lab.write_text(content[:start] + content[end:], encoding="utf-8")
        run, apkg = export("--topic", "lab", env=DAY_2)
        assert run.code == 0, run.err
        assert "1 card of the earlier export is no longer in the decks: lab-node-agents" in run.out
        search = re.search(r"search the Anki browser for (.+?) and delete", run.out)
        assert search is not None
        import_package(col, apkg)
        assert col.note_count() == 4
        found = [col.get_note(nid)["CardId"] for nid in col.find_notes(search[1])]
        assert found == ["lab-node-agents"]

    def test_switching_to_typed_answers_updates_in_place(
        self, export: Callable[..., tuple[Run, Path]], col: Collection
    ) -> None:
        """--typed fills the type-in field of the same note type: notes update, none conflict."""
        _, apkg = export("--topic", "lab", env=DAY_1)
        import_package(col, apkg)
        run, apkg = export("--topic", "lab", "--typed", env=DAY_2)
        assert run.code == 0, run.err
        log = import_package(col, apkg)
        assert len(log.updated) == 4
        assert len(log.conflicting) == 0
        typed = notes(col)
        assert typed["lab-apiserver-port"]["TypeAnswer"] == "6443"
        assert typed["lab-secrets-encrypted"]["TypeAnswer"] == "false"
        assert typed["lab-node-agents"]["TypeAnswer"] == "kubelet, kube-proxy"
        card = typed["lab-apiserver-port"].cards()[0]
        assert "[[type:TypeAnswer]]" in card.question()
        assert "class=typeGood" in col.compare_answer("6443", "6443", True)

    def test_the_earlier_export_of_a_wider_selection_counts_what_is_left_out(
        self, export: Callable[..., tuple[Run, Path]]
    ) -> None:
        """Cards still in the decks but outside the new selection are counted, not listed."""
        export("--topic", "lab", env=DAY_1)
        run, _ = export("--topic", "lab", "--tag", "security", env=DAY_2)
        assert run.code == 0, run.err
        assert "3 cards of the earlier export are outside this selection" in run.out
        assert "no longer in the decks" not in run.out


class TestLanguages:
    def test_pt_br_exports_the_translations_with_english_fallback(
        self, export: Callable[..., tuple[Run, Path]], col: Collection
    ) -> None:
        """--lang pt-BR: the translated text, Portuguese labels; English where none exists."""
        run, apkg = export("--topic", "lab", "--lang", "pt-BR")
        assert run.code == 0, run.err
        assert "Gravadas 4 notas em 1 baralho em" in run.out
        import_package(col, apkg)
        found = notes(col)
        port = found["lab-apiserver-port"]
        assert text(port["Question"]).startswith("Em qual porta TCP o kube-apiserver escuta")
        assert "<code>kube-apiserver</code>" in port["Question"]
        assert text(port["Explanation"]) == "O API server serve HTTPS na 6443."
        assert "Erros comuns" in port["Mistakes"]
        assert "A 8080 era a antiga porta insegura" in port["Mistakes"]
        secrets = found["lab-secrets-encrypted"]  # no translation: English, Portuguese labels
        assert "Secrets are encrypted at rest by default." in text(secrets["Question"])
        assert "Verdadeiro ou falso?" in text(secrets["Question"])
        assert text(secrets["Answer"]) == "Falso"

    def test_both_shows_the_pt_br_question_under_the_english(
        self, export: Callable[..., tuple[Run, Path]], col: Collection
    ) -> None:
        """--lang both: English first, pt-BR below it, for the question and the explanation."""
        run, apkg = export("--topic", "lab", "--lang", "both")
        assert run.code == 0, run.err
        import_package(col, apkg)
        port = notes(col)["lab-apiserver-port"]
        question = port["Question"]
        assert question.index("Which TCP port") < question.index("Em qual porta TCP")
        assert '<div class="k8s-second" lang="pt-BR">' in question
        explanation = text(port["Explanation"])
        assert explanation.startswith("The API server serves HTTPS on 6443")
        assert explanation.endswith("O API server serve HTTPS na 6443.")
        assert "8080 was the old" in port["Mistakes"]
        assert "A 8080 era" in port["Mistakes"]


class TestSelection:
    def test_topic_and_tag_select_the_cards_and_decks(
        self, cli: CLI, tmp_path: Path, col: Collection
    ) -> None:
        """--topic ports --tag etcd exports exactly the etcd cards of ports, in one deck."""
        apkg = tmp_path / "etcd.apkg"
        run = cli("export", "anki", "--topic", "ports", "--tag", "etcd", "-o", str(apkg))
        assert run.code == 0, run.err
        import_package(col, apkg)
        expected = load_library([], {}, None).select(["ports"], ["etcd"])
        found = notes(col)
        assert set(found) == {card.id for card in expected}
        assert {deck_of(col, note) for note in found.values()} == {"k8squiz::ports"}
        assert col.card_count() == len(expected)

    @pytest.mark.parametrize(
        ("cert", "cards"),
        [
            ("cka", {"lab-create-deployment"}),
            ("kcna", {"lab-apiserver-port", "lab-secrets-encrypted", "lab-node-agents"}),
        ],
    )
    def test_cert_keeps_cards_whose_domains_name_it(
        self,
        export: Callable[..., tuple[Run, Path]],
        col: Collection,
        cert: str,
        cards: set[str],
    ) -> None:
        """A card's own domains decide; without any, its deck's domains do."""
        run, apkg = export("--cert", cert, "--topic", "lab")
        assert run.code == 0, run.err
        import_package(col, apkg)
        assert set(notes(col)) == cards

    def test_a_decks_domains_survive_the_deck_cache(self, decks: Path, tmp_path: Path) -> None:
        """--cert reads a deck's own domains, also when the decks come from the cache."""
        for _ in range(2):  # checked, then cached
            library = load_library([decks], {}, tmp_path / "cache")
            lab = next(deck for deck in library.decks if deck.topic == "lab")
            assert lab.domains == {"kcna": ("kubernetes-fundamentals",)}
        assert (tmp_path / "cache" / "decks.msgpack").exists()

    def test_an_empty_selection_is_a_usage_error(
        self, export: Callable[..., tuple[Run, Path]]
    ) -> None:
        """No card left: one line, exit 2, and no file."""
        run, apkg = export("--topic", "hostile", "--cert", "ckad")
        assert run.code == 2
        assert run.err.strip().startswith("k8squiz: error: no card serving ckad matches")
        assert len(run.err.strip().splitlines()) == 1
        assert not apkg.exists()


class TestFailures:
    def test_an_unwritable_output_is_one_line_exit_1(self, cli: CLI, tmp_path: Path) -> None:
        """A path under a regular file cannot be written: one clear line, no traceback."""
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("", encoding="utf-8")
        run = cli("export", "anki", "--topic", "ports", "-o", str(blocker / "k8squiz.apkg"))
        assert run.code == 1
        assert run.err.startswith(f"k8squiz: error: cannot write {blocker / 'k8squiz.apkg'}")
        assert len(run.err.strip().splitlines()) == 1
        assert "Traceback" not in run.err

    def test_a_missing_folder_is_not_created(self, cli: CLI, tmp_path: Path) -> None:
        """-o into a folder that does not exist (a typo) says so and creates nothing."""
        target = tmp_path / "no-such-folder" / "k8squiz.apkg"
        run = cli("export", "anki", "--topic", "ports", "-o", str(target))
        assert run.code == 1
        assert "does not exist" in run.err
        assert not target.parent.exists()

    def test_a_file_k8squiz_did_not_write_is_left_alone(self, cli: CLI, tmp_path: Path) -> None:
        """-o naming someone else's file (an Anki backup, say) refuses instead of replacing it."""
        other = tmp_path / "backup.apkg"
        other.write_bytes(b"not a k8squiz export")
        run = cli("export", "anki", "--topic", "ports", "-o", str(other))
        assert run.code == 1
        assert "is not an Anki package written by k8squiz" in run.err
        assert other.read_bytes() == b"not a k8squiz export"

    def test_the_output_must_be_an_apkg(self, cli: CLI, tmp_path: Path) -> None:
        """Anki and AnkiDroid recognise a package by its .apkg ending: anything else exits 2."""
        run = cli("export", "anki", "-o", str(tmp_path / "k8squiz.zip"))
        assert run.code == 2
        assert "does not end in .apkg" in run.err

    def test_help_states_what_typed_answers_cannot_do(self, cli: CLI) -> None:
        """--typed warns that Anki compares exactly, without k8squiz's tolerance."""
        run = cli("export", "anki", "--help")
        assert run.code == 0
        assert "character by character" in " ".join(run.out.split())


class TestHostileText:
    def test_markup_in_a_deck_is_shown_as_text_by_anki(
        self, export: Callable[..., tuple[Run, Path]], col: Collection
    ) -> None:
        """<script>, tags, [sound:] and {{fields}} in deck text render literally in Anki."""
        run, apkg = export("--topic", "hostile", "--typed")
        assert run.code == 0, run.err
        import_package(col, apkg)
        card = notes(col)["hostile-markup"].cards()[0]
        question, answer = card.question(), card.answer()
        for rendered in (question, answer):
            assert "<script" not in rendered
            assert "<img" not in rendered
            assert "<b>" not in rendered
            assert "<i>" not in rendered
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in question
        assert "{{Answer}}" in question
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in answer
        assert "&lt;script&gt;alert(3)&lt;/script&gt;" in answer
        assert "&lt;img src=x onerror=alert(1)&gt;" in answer
        assert "<em>shown</em>" in answer  # Markdown still works
        assert card.question_av_tags() == []  # no [sound:] taken from deck text
        assert card.answer_av_tags() == []
        expected = card.note()["TypeAnswer"]
        typed = col.compare_answer(expected, "<img src=x onerror=alert(1)>", True)
        assert "typeBad" not in typed
        assert "typeMissed" not in typed


def test_the_export_core_stays_off_the_terminal() -> None:
    """Importing the Anki export loads neither Rich nor Typer: it is core, not shell."""
    probe = "import sys, k8squiz.exports.anki; print(sorted({'rich', 'typer'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_readme_documents_phone_review() -> None:
    """The README has the section and the commands table line."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "## Phone review with Anki" in readme
    assert "| `k8squiz export anki" in readme
