"""Commands about the decks: validate, schema, topics, and export anki."""

# No `from __future__ import annotations` here: Typer reads each command's annotations at
# run time, and evaluating them from strings costs a quiz a tenth of its own start-up.

import sys
from pathlib import Path
from typing import Annotated

import typer

from k8squiz.cli.app import (
    Cert,
    DeckOption,
    Format,
    LangOption,
    SchemaOf,
    TagOption,
    TopicOption,
    app,
)
from k8squiz.cli.common import Setup, open_store, prepare
from k8squiz.env import Env
from k8squiz.errors import ExitStatus
from k8squiz.terminal.help import HelpCommand, HelpGroup


@app.command(cls=HelpCommand)
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Deck files or folders (default: every deck k8squiz loads, the bundled ones"
            " and those in K8SQUIZ_DECKS).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, json, or github (Actions annotations).")
    ] = Format.text,
    rules: Annotated[bool, typer.Option("--rules", help="List the rules and exit.")] = False,
) -> None:
    """Check decks and report every problem as file:line:col. Exit 1 if any is found."""
    from k8squiz.decks.build import check
    from k8squiz.decks.discover import DeckSource, bundled, deck_sources
    from k8squiz.terminal import reports

    env = Env()
    if rules:
        return reports.rules(env)
    given = [DeckSource(p, str(p)) for p in paths or []]
    report = check(given, context=[bundled()]) if given else check(deck_sources([], env.environ))
    reports.problem_report(env, report, fmt.value, strict=strict)
    if report.count("error") or (strict and report.count("warning")):
        raise typer.Exit(ExitStatus.ERROR)
    return None


@app.command(cls=HelpCommand, short_help="The JSON Schema of deck files or of --json output.")
def schema(
    of: Annotated[
        SchemaOf,
        typer.Argument(
            help="deck (a deck file) or output (the --json documents).", metavar="[deck|output]"
        ),
    ] = SchemaOf.deck,
) -> None:
    """Print the JSON Schema of a deck file, or of the JSON documents k8squiz prints."""
    import json

    if of is SchemaOf.deck:
        from k8squiz.decks.model import json_schema
    else:
        from k8squiz.output import json_schema
    sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command(cls=HelpCommand, short_help="The topics, their cards and your progress in each.")
def topics(
    deck: DeckOption = None,
    tags: Annotated[
        bool, typer.Option("--tags", help="List the tags instead, with card counts.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """List the loaded topics: title, cards, due, mastered, and where decks of your own come
    from."""
    from k8squiz.terminal import reports

    setup = prepare(Env(), deck, lang)
    if tags:
        return reports.tags(setup.env, setup.library, setup.words)
    extra = _progress_columns(setup)
    return reports.topics(setup.env, setup.library, setup.words, extra=extra)


def _progress_columns(setup: Setup) -> dict[str, list[str]]:
    """Due and mastered per topic, when a progress database exists."""
    if not setup.env.db_path.exists():
        return {}
    from k8squiz.progress.stats import due_by_topic

    with open_store(setup.env) as store:
        figures = due_by_topic(setup.library, store.card_states(), setup.env.now())
    return {
        setup.words("due_now"): [str(t.due_now) for t in figures],
        setup.words("mastered"): [f"{t.mastered}/{t.cards}" for t in figures],
    }


export_app = typer.Typer(
    help="Write the decks for another program: Anki, for review on a phone.",
    short_help="Write the decks for Anki, to review on a phone.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=HelpGroup,
)


app.add_typer(export_app, name="export")


@export_app.command("anki", cls=HelpCommand, short_help="An Anki package (.apkg) of the decks.")
def export_anki(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The .apkg file to write; an earlier k8squiz export there is replaced.",
            show_default=False,
        ),
    ],
    topic: TopicOption = None,
    tag: TagOption = None,
    cert: Annotated[
        Cert | None,
        typer.Option(
            "--cert",
            "-c",
            help="Only cards for this certification (their domains, else their deck's).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            help="en, pt-BR (English where a card has no translation), or both"
            " (pt-BR under the English); default: K8SQUIZ_LANG, then the locale.",
            show_default=False,
        ),
    ] = None,
    typed: Annotated[
        bool,
        typer.Option(
            "--typed",
            help="Type the answer in Anki. Anki compares it character by character, without"
            " k8squiz's tolerance (case, accents, typos, list order, accepted alternatives,"
            " command aliases); it shows the differences and you still rate yourself.",
        ),
    ] = False,
    deck: DeckOption = None,
) -> None:
    """Write an Anki package (.apkg) of the decks: one Anki deck per topic, and notes that a
    newer export updates in place, keeping your Anki reviews."""
    from k8squiz.exports import anki
    from k8squiz.terminal import reports

    both = (lang or "").lower() == "both"
    setup = prepare(Env(), deck, None if both else lang)
    options = anki.AnkiOptions(
        topics=tuple(topic or ()),
        tags=tuple(tag or ()),
        cert=cert.value if cert else None,
        lang="both" if both else setup.words.lang,
        typed=typed,
    )
    exported = anki.export(setup.library, options, output, now=setup.env.now())
    for key, values in anki.report(exported):
        reports.say(setup.env, setup.words, key, **values)
