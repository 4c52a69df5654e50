"""What one k8squiz card looks like as an Anki note: its note type, fields and tags.

There is one note type, with a fixed id. With `--typed`, the TypeAnswer field is filled and
its `{{type:}}` box appears; without, it stays empty and the box is not drawn. A second note
type for typed answers would break updates: Anki refuses a note whose GUID it already holds
under another note type, so switching `--typed` would leave every note as it was.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Hashable, Sequence
from functools import cache

import genanki
from msgspec import Struct

from k8squiz.decks.library import Deck
from k8squiz.decks.model import (
    Card,
    CardKind,
    CardText,
    CommandAnswer,
    Mistake,
    card_text,
    mistake_reason,
)
from k8squiz.errors import unreachable
from k8squiz.exports.html import bullets, code_block, escape, inline, markdown
from k8squiz.grading import expected_text
from k8squiz.i18n import Words

PARENT = "k8squiz"  # the parent deck of every topic's deck; also the prefix of topic tags
NOTE_TYPE = "k8squiz"
# A contract with every collection that imported an export: Anki matches the note type by its
# id and will not map notes onto a changed field list unless the learner merges note types.
FIELDS = ("Question", "Answer", "Explanation", "Mistakes", "Source", "CardId", "TypeAnswer")
CARD_ID_FIELD = FIELDS.index("CardId")
LANGS = ("en", "pt-BR", "both")

FRONT = """\
<div class="k8s-question tex2jax_ignore">{{Question}}</div>
{{#TypeAnswer}}{{type:TypeAnswer}}{{/TypeAnswer}}"""
BACK = """\
{{FrontSide}}
<hr id="answer">
<div class="k8s-answer tex2jax_ignore">{{Answer}}</div>
<div class="k8s-explanation tex2jax_ignore">{{Explanation}}</div>
{{#Mistakes}}<div class="k8s-mistakes tex2jax_ignore">{{Mistakes}}</div>{{/Mistakes}}
{{#Source}}<div class="k8s-source">{{Source}}</div>{{/Source}}
<div class="k8s-id">{{CardId}}</div>"""
CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 19px; line-height: 1.45; text-align: left;
  max-width: 42em; margin: 0 auto; }
.k8s-second { opacity: .75; font-style: italic; border-top: 1px dotted; margin-top: .5em; }
.k8s-hint, .k8s-label { font-weight: bold; margin-bottom: .2em; }
.k8s-choices li { margin: .2em 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: rgba(127, 127, 127, .15); padding: .5em .7em; white-space: pre-wrap; }
.k8s-source, .k8s-id { font-size: 13px; opacity: .7; margin-top: .8em; word-break: break-all; }
"""


def stable_id(*parts: str) -> int:
    """An id for a note type or a deck: the same on every machine and in every release."""
    digest = hashlib.sha256("\0".join((PARENT, *parts)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def guid(card_id: str) -> str:
    """A note's GUID: it follows from the card id alone, so a re-import updates the note."""
    return str(genanki.guid_for(PARENT, "card", card_id))


def deck_name(topic: str) -> str:
    return f"{PARENT}::{topic}"


def tags(card: Card, topic: str) -> tuple[str, ...]:
    """The card's own tags, and its topic under the k8squiz prefix (`k8squiz::ports`)."""
    return (*card.tags, f"{PARENT}::{topic}")


@cache
def note_type() -> genanki.Model:
    return genanki.Model(
        stable_id("note-type"),
        NOTE_TYPE,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def deck_description(deck: Deck, lang: str) -> str:
    shown = "en" if lang == "both" else lang
    tr = deck.translations.get(shown)
    description = tr.description if tr and tr.description else deck.description
    return f"<p>{escape(deck.title_in(shown))}</p>" + (
        f"<p>{escape(description)}</p>" if description else ""
    )


class _View(Struct, frozen=True):
    """The card in one of the languages the note shows."""

    lang: str
    text: CardText
    words: Words


def fields(card: Card, lang: str, *, typed: bool) -> tuple[str, ...]:
    """The note's fields, in FIELDS order, as HTML where every piece of deck text is escaped."""
    views = _views(card, lang)
    return (
        _question(card, views),
        _per_view(views, lambda v: _answer(card, v), key=lambda v: v.text.items),
        _per_view(views, lambda v: markdown(v.text.explanation), key=lambda v: v.text.explanation),
        _mistakes(card, views),
        _source(card.source),
        card.id,
        escape(_typed_answer(card, views[0])) if typed else "",
    )


def _views(card: Card, lang: str) -> tuple[_View, ...]:
    """English and pt-BR for `both` (English alone where the card has no translation)."""
    langs = [lang] if lang != "both" else ["en", *(["pt-BR"] if card.translations else [])]
    return tuple(_View(code, card_text(card, code), Words(code)) for code in langs)


def _per_view(
    views: Sequence[_View], render: Callable[[_View], str], *, key: Callable[[_View], Hashable]
) -> str:
    """One block per language, the second set apart; a block the same as the first is left out."""
    seen: set[Hashable] = set()
    blocks: list[str] = []
    for view in views:
        if key(view) in seen:
            continue
        seen.add(key(view))
        role = "k8s-second" if blocks else "k8s-first"
        blocks.append(f'<div class="{role}" lang="{view.lang}">{render(view)}</div>')
    return "".join(blocks)


def _question(card: Card, views: Sequence[_View]) -> str:
    asked = _per_view(views, lambda v: _ask(card, v), key=lambda v: v.text.question)
    return asked + _choices(card, views)


def _ask(card: Card, view: _View) -> str:
    question = f"<p>{inline(view.text.question)}</p>"
    if card.kind is CardKind.TRUE_FALSE:
        question += f'<p class="k8s-hint">{escape(view.words("true_or_false"))}</p>'
    return question


def _choices(card: Card, views: Sequence[_View]) -> str:
    """The options, lettered, the answer among them (in both languages where they differ)."""
    if not _has_choices(card):
        return ""
    rows = []
    for index in _choice_order(card):
        shown = dict.fromkeys(_option(v.text, card, index) for v in views)
        rows.append(" / ".join(escape(text) for text in shown))
    return '<ol class="k8s-choices" type="A">' + "".join(f"<li>{r}</li>" for r in rows) + "</ol>"


def _has_choices(card: Card) -> bool:
    return bool(card.choices) and card.kind in (CardKind.TEXT, CardKind.COMMAND)


def _choice_order(card: Card) -> list[int]:
    """0 is the answer, i is choices[i - 1]; the order is the same in every export."""
    order = list(range(len(card.choices) + 1))
    random.Random(f"{PARENT}:choices:{card.id}").shuffle(order)
    return order


def _option(text: CardText, card: Card, index: int) -> str:
    if index == 0:
        return text.answer
    return text.choices[index - 1] if index <= len(text.choices) else card.choices[index - 1]


def _answer(card: Card, view: _View) -> str:
    match card.kind:
        case CardKind.COMMAND:
            assert isinstance(card.answer, CommandAnswer)
            return _command(card.answer, view.words)
        case CardKind.LIST:
            return bullets(escape(item) for item in view.text.items)
        case CardKind.TRUE_FALSE:
            return f"<p>{escape(expected_text(card, view.words.lang).capitalize())}</p>"
        case CardKind.TEXT:
            letter = ""
            if _has_choices(card):
                letter = f"{chr(ord('A') + _choice_order(card).index(0))}. "
            return f"<p>{letter}{escape(view.text.answer)}</p>"
        case unknown:
            unreachable(unknown)


def _command(answer: CommandAnswer, words: Words) -> str:
    shown = code_block(answer.command)
    if answer.alternatives:
        shown += _label(words("anki_also_correct"))
        shown += "".join(code_block(other) for other in answer.alternatives)
    if answer.optional:
        flags = ", ".join(f"<code>{escape(flag)}</code>" for flag in answer.optional)
        shown += _label(words("anki_optional_flags")) + f"<p>{flags}</p>"
    return shown


def _label(text: str) -> str:
    return f'<p class="k8s-label">{escape(text)}</p>'


def _mistakes(card: Card, views: Sequence[_View]) -> str:
    """Each known mistake, then why it is wrong (in both languages with `both`)."""
    if not card.mistakes:
        return ""
    items = [f"<code>{escape(m.answer)}</code>" + _reason(m, views) for m in card.mistakes]
    return _label(views[0].words("anki_mistakes")) + bullets(items)


def _reason(mistake: Mistake, views: Sequence[_View]) -> str:
    return _per_view(
        views,
        lambda v: markdown(mistake_reason(mistake, v.lang)),
        key=lambda v: mistake_reason(mistake, v.lang),
    )


def _source(url: str | None) -> str:
    return f'<a href="{escape(url)}">{escape(url)}</a>' if url else ""


def _typed_answer(card: Card, view: _View) -> str:
    """What the learner types, compared by Anki exactly as written."""
    return expected_text(card, view.words.lang)
