"""How long `k8squiz validate` takes on a large deck, against a bare libyaml parse of it.

Deck authors and CI run `validate` on every change, and a deck only grows. This script
writes one deck of 10,000 cards in the k8squiz format (docs/decks.md), with every kind of
answer and every optional key, and times `k8squiz validate` on it. The floor is a fresh
Python that parses the same file with libyaml and nothing else:
`python -c "import yaml,sys; yaml.load(open(sys.argv[1],'rb'), Loader=yaml.CSafeLoader)"`.
Reading YAML is the one thing validate cannot skip, so it is budgeted as a ratio to that
floor (1.5x), which holds on a fast machine and a slow one alike.

Before timing, the script checks that the generated deck validates with no errors.

Then the report: a deck of as many cards with one warning each (an `accept` that repeats
the answer), so validate prints 10,000 problems. Each format (text, github, json) is timed
against the same checks run without printing anything (`build.check`, as validate calls
it, in a fresh Python), and must print its report within REPORT_BUDGET seconds of them:
rendered line by line through Rich, 10,000 warnings once took 2.4 s.

Run: python benchmarks/validate.py [--runs N] [--cards N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from timing import (
    Command,
    Timing,
    k8squiz_env,
    k8squiz_script,
    measure,
    positive,
    print_header,
    print_table,
)

BUDGET = 1.5
REPORT_BUDGET = 0.3  # seconds a 10,000-problem report may add to the checks that find it
CHECK_ONLY = (
    "import sys; from pathlib import Path; from k8squiz.decks.build import check;"
    " from k8squiz.decks.discover import DeckSource, bundled;"
    " report = check([DeckSource(Path(sys.argv[1]), sys.argv[1])], context=[bundled()]);"
    " sys.exit(report.count('warning') != int(sys.argv[2]))"
)
CHECKS = "the checks alone (build.check)"
FLOOR_CODE = "import yaml,sys; yaml.load(open(sys.argv[1],'rb'), Loader=yaml.CSafeLoader)"
FLOOR = "libyaml parse (CSafeLoader)"
MEASURED = "k8squiz validate"

FIRST = (
    "admission", "audit", "binding", "bootstrap", "certificate", "checkpoint", "cluster",
    "config", "endpoint", "eviction", "garbage", "health", "image", "ingress", "lease",
    "metrics", "mirror", "network", "node", "policy", "quota", "registry", "resource", "route",
    "runtime", "secret", "snapshot", "storage", "token", "volume",
)  # fmt: skip
SECOND = (
    "agent", "broker", "collector", "controller", "daemon", "exporter", "gateway", "handler",
    "manager", "monitor", "operator", "plugin", "provider", "proxy", "reconciler", "scheduler",
    "sidecar", "watcher", "webhook", "worker",
)  # fmt: skip
TERMS = tuple(f"{first}-{second}" for first in FIRST for second in SECOND)
TAGS = ("control-plane", "networking", "security", "storage", "nodes", "exam-kcna", "exam-cka")
SENTENCES = (
    "It runs as a static Pod on every control plane node and reports through the API server.",
    "Its state lives in etcd, so a restart loses nothing that was already accepted.",
    "The kubelet starts it before any workload, which is why it appears first in the logs.",
    "You can inspect it with `kubectl get --raw /healthz` or by reading its own metrics.",
    "Older notes give another name for it; the current documentation uses this one.",
)
FRASES = (
    "Ele roda como Pod estático em cada node do control plane e responde pelo API server.",
    "O estado dele fica no etcd, então um reinício não perde nada que já foi aceito.",
    "O kubelet o inicia antes de qualquer carga, por isso ele aparece primeiro nos logs.",
    "Dá para inspecioná-lo com `kubectl get --raw /healthz` ou pelas métricas dele.",
    "Anotações antigas usam outro nome; a documentação atual usa este.",
)


def q(text: str) -> str:
    """`text` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(items: list[str]) -> str:
    """A YAML flow list of quoted strings."""
    return "[" + ", ".join(q(item) for item in items) + "]"


def block(lines: list[str], indent: int) -> list[str]:
    """A `|` literal block's lines, indented `indent` spaces."""
    return ["|", *(" " * indent + line for line in lines)]


def explanation(rng: random.Random, sentences: tuple[str, ...], subject: str) -> list[str]:
    """Two or three sentences about `subject`, one line each."""
    return [f"{subject}: {s}" for s in rng.sample(sentences, k=rng.randint(2, 3))]


def other_name(term: str) -> str:
    """Another way to name a term, for `accept`: node-proxy -> proxy of the node."""
    first, second = term.split("-")
    return f"{second} of the {first}"


@dataclass(frozen=True)
class Shape:
    """What makes one card's kind: its texts, and its keys as YAML fragments."""

    question: str
    question_pt: str
    answer: str  # YAML: a quoted string, a flow list, or true/false
    mistake: str  # a tempting wrong answer, as text
    accept: str = ""  # YAML: a flow list, or a flow mapping for a list answer
    choices: str = ""  # YAML: a flow list


def text_card(rng: random.Random, i: int) -> Shape:
    """A term answer with an alternative name and three wrong choices."""
    answer, *choices = rng.sample(TERMS, k=4)
    first, second = answer.split("-")
    return Shape(
        question=f"In exercise {i}, which {second} looks after the {first} objects?",
        question_pt=f"No exercício {i}, qual {second} cuida dos objetos de {first}?",
        answer=q(answer),
        mistake=rng.choice(choices),
        accept=flow([other_name(answer)]),
        choices=flow(choices),
    )


def number_card(rng: random.Random, i: int) -> Shape:
    """A port or a port range, with three nearby ones as choices."""
    port, width = rng.randrange(1024, 60000), rng.choice((0, 0, 1, 10))

    def ports(start: int) -> str:
        return f"{start}-{start + width}" if width else str(start)

    return Shape(
        question=f"In exercise {i}, which TCP port or ports does the service listen on?",
        question_pt=f"No exercício {i}, em qual porta ou portas TCP o serviço escuta?",
        answer=q(ports(port)),
        mistake=ports(port + width + 1),
        accept=flow([f"exercise {i} listener"]),  # a real alternative: not the answer respelled
        choices=flow([ports(port - shift) for shift in (1, 2, 3)]),
    )


def list_card(rng: random.Random, i: int) -> Shape:
    """Two or three terms, all required, each with an alternative name."""
    *items, wrong = rng.sample(TERMS, k=rng.randint(2, 3) + 1)
    accept = ", ".join(f"{q(item)}: [{q(other_name(item))}]" for item in items)
    return Shape(
        question=f"In exercise {i}, name the {len(items)} components that must run together.",
        question_pt=f"No exercício {i}, cite os {len(items)} componentes que rodam juntos.",
        answer=flow(items),
        mistake=wrong,
        accept="{" + accept + "}",
    )


def true_false_card(rng: random.Random, i: int) -> Shape:
    """A statement that is true or false."""
    term, truth = rng.choice(TERMS), rng.choice(("true", "false"))
    return Shape(
        question=f"In exercise {i}, the {term} runs on every node of the cluster.",
        question_pt=f"No exercício {i}, o {term} roda em todo node do cluster.",
        answer=truth,
        mistake="false" if truth == "true" else "true",
    )


def kind_of(i: int) -> str:
    """55% terms, 20% numbers, 10% lists, 15% true/false, spread through the deck."""
    slot = i % 20
    return "text" if slot < 11 else "number" if slot < 15 else "list" if slot < 17 else "tf"


MAKERS = {"text": text_card, "number": number_card, "list": list_card, "tf": true_false_card}


def card_lines(rng: random.Random, i: int) -> Iterator[str]:
    """One card as YAML lines, indented for the deck's `cards:` list."""
    kind = kind_of(i)
    shape = MAKERS[kind](rng, i)
    yield f"  - id: generated-{kind}-{i:05d}"
    yield f"    question: {q(shape.question)}"
    yield f"    answer: {shape.answer}"
    if shape.accept:
        yield f"    accept: {shape.accept}"
    if shape.choices:
        yield f"    choices: {shape.choices}"
    yield "    explanation: " + "\n".join(block(explanation(rng, SENTENCES, f"Exercise {i}"), 6))
    yield f"    tags: [{', '.join(rng.sample(TAGS, k=rng.randint(1, 3)))}]"
    yield f"    source: https://kubernetes.io/docs/reference/generated/{kind}/#card-{i}"
    if i % 5 == (i // 20) % 5:  # one card in five, of every kind
        yield from mistake_lines(shape.mistake)
    yield "    translations:"
    yield "      pt-BR:"
    yield f"        question: {q(shape.question_pt)}"
    frases = explanation(rng, FRASES, f"Exercício {i}")
    yield "        explanation: " + "\n".join(block(frases, 10))


def mistake_lines(answer: str) -> Iterator[str]:
    """A known mistake with its reason in English and pt-BR."""
    yield "    mistakes:"
    yield f"      - answer: {q(answer)}"
    yield "        reason: |"
    yield f"          {answer} is a tempting answer from older notes, but it is not this one."
    yield "        translations:"
    yield "          pt-BR:"
    yield "            reason: |"
    yield f"              {answer} é uma resposta tentadora de anotações antigas, mas não é esta."


def deck_text(cards: int, seed: int = 1) -> str:
    """A whole deck of `cards` cards, the same for the same seed."""
    rng = random.Random(seed)
    head = [
        "title: Generated benchmark deck",
        "topic: generated-benchmark",
        "description: Cards of every shape, generated to time validate.",
        "translations:",
        "  pt-BR:",
        "    title: Baralho gerado para medir",
        "    description: Cartões de todos os formatos, gerados para medir o validate.",
        "cards:",
    ]
    body = [line for i in range(cards) for line in card_lines(rng, i)]
    return "\n".join([*head, *body]) + "\n"


def check_deck(command: Command) -> None:
    """Print validate's summary line; stop when the generated deck has any problem."""
    done = subprocess.run(command.argv, capture_output=True, env=command.env, check=False)
    lines = (done.stdout + done.stderr).decode(errors="replace").strip().splitlines()
    print(f"validate says: {lines[-1] if lines else '(nothing)'}")
    if done.returncode != 0 or len(lines) != 1:
        sys.exit("the generated deck has problems; fix the generator:\n" + "\n".join(lines[:10]))


def warned_deck_text(cards: int) -> str:
    """A deck of `cards` cards, each with one warning: an accept that is its answer in
    capitals (accept-redundant), and nothing else wrong."""
    lines = ["title: Generated warnings", "topic: generated-warnings", "cards:"]
    for i in range(cards):
        term = TERMS[i % len(TERMS)]
        lines += [
            f"  - id: warned-{i:05d}",
            f"    question: {q(f'In exercise {i}, which part looks after item {i}?')}",
            f"    answer: {q(term)}",
            f"    accept: [{q(term.upper())}]",
            f"    explanation: {q(f'Exercise {i} is about the {term}.')}",
        ]
    return "\n".join(lines) + "\n"


def time_report(scratch: Path, cards: int, runs: int, k8squiz: Path) -> None:
    """Each format of validate's report on a deck of `cards` warnings, against the checks."""
    deck = scratch / "generated-warnings.yaml"
    deck.write_text(warned_deck_text(cards), encoding="utf-8")
    env = k8squiz_env(scratch / "home")
    checks = Command(CHECKS, (sys.executable, "-c", CHECK_ONLY, str(deck), str(cards)), env)
    formats = [
        Command(
            f"k8squiz validate -f {fmt}", (str(k8squiz), "validate", "-f", fmt, str(deck)), env
        )
        for fmt in ("text", "github", "json")
    ]
    summary = subprocess.run(formats[0].argv, capture_output=True, env=env, check=False)
    print(f"validate says: {summary.stdout.decode().strip().splitlines()[-1]}")
    times = measure([checks, *formats], runs)
    floor = Timing(CHECKS, times[CHECKS])
    reports = [Timing(f.label, times[f.label], note="(budget below)") for f in formats]
    print()
    print_table(floor, reports)
    for report in reports:
        extra = (report.median_ms - floor.median_ms) / 1000  # seconds
        verdict = "yes" if extra < REPORT_BUDGET else "NO"
        print(
            f"{report.label} - checks: {extra:+.3f} s for {cards:,} problems"
            f" (budget: under {REPORT_BUDGET} s) within: {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=positive, default=5, help="runs per command (5)")
    parser.add_argument("--cards", type=positive, default=10_000, help="cards (10,000)")
    args = parser.parse_args()
    k8squiz = k8squiz_script()
    print_header(f"k8squiz validate on a deck of {args.cards:,} cards", args.runs)
    with tempfile.TemporaryDirectory(prefix="k8squiz-bench-") as scratch:
        deck = Path(scratch) / "generated-benchmark.yaml"
        deck.write_text(deck_text(args.cards), encoding="utf-8")
        print(f"deck: {deck.stat().st_size / 1e6:.1f} MB, {args.cards:,} cards")
        env = k8squiz_env(Path(scratch) / "home")
        validate = Command(MEASURED, (str(k8squiz), "validate", str(deck)), env)
        check_deck(validate)
        floor = Command(FLOOR, (sys.executable, "-c", FLOOR_CODE, str(deck)), env)
        times = measure([floor, validate], args.runs)
        print()
        print_table(Timing(FLOOR, times[FLOOR]), [Timing(MEASURED, times[MEASURED], BUDGET)])
        print(f'       python -c "{FLOOR_CODE}" DECK')
        print()
        print_header(f"validate's report of {args.cards:,} warnings, by format", args.runs)
        time_report(Path(scratch), args.cards, args.runs, k8squiz)


if __name__ == "__main__":
    main()
