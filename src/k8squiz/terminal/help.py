"""`--help` in the learner's language: a help formatter that writes k8squiz's help texts, and
the few words of the help's frame, in Brazilian Portuguese when the session is in pt-BR.

The commands are written with English help (Typer reads it from their annotations and
docstrings); the formatter swaps each text for its translation as the help is written, so
nothing about the commands changes. tests/test_help.py checks that every help text of every
command has a translation here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import typer.core

# Click's classes as Typer uses them (vendored in some Typer releases, click itself in others).
_CONTEXT: Any = typer.core.TyperCommand.context_class
_FORMATTER: Any = _CONTEXT.formatter_class
_lang = "en"

FRAME_PT = {
    "Usage: ": "Uso: ",
    "Options": "Opções",
    "Arguments": "Argumentos",
    "Commands": "Comandos",
    "Show this message and exit.": "Mostra esta mensagem e sai.",
    "[default: ": "[padrão: ",
    "[required]": "[obrigatório]",
    "default: ": "padrão: ",
    "required": "obrigatório",
}
HELP_PT = {
    "Flashcards and quizzes for learning containers and Kubernetes, in your terminal.":
        "Flashcards e quizzes para aprender contêineres e Kubernetes, no seu terminal.",
    "Exit codes: 0 ok, 1 failure or problems found, 2 usage error, 130 interrupted.":
        "Códigos de saída: 0 ok, 1 falha ou problemas encontrados, 2 erro de uso,"
        " 130 interrompido.",
    "Show the version, the data file and the decks folder, then exit.":
        "Mostra a versão, o arquivo de dados e a pasta dos baralhos, e sai.",
    "Show a traceback when something fails.": "Mostra o traceback quando algo falha.",
    "Install completion for the current shell.": "Instala o autocompletar para o shell atual.",
    "Show completion for the current shell, to copy it or customize the installation.":
        "Mostra o autocompletar do shell atual, para copiá-lo ou ajustar a instalação.",
    "Check decks and report every problem as file:line:col. Exit 1 if any is found.":
        "Confere baralhos e relata cada problema como arquivo:linha:coluna. Sai com 1 se"
        " encontrar algum.",
    "Deck files or folders (default: every deck k8squiz loads, the bundled ones and those in"
    " K8SQUIZ_DECKS).":
        "Arquivos ou pastas de baralhos (padrão: todo baralho que o k8squiz carrega, os"
        " embutidos e os de K8SQUIZ_DECKS).",
    "Treat warnings as errors.": "Trata avisos como erros.",
    "text, json, or github (Actions annotations).": "text, json ou github (anotações do Actions).",
    "List the rules and exit.": "Lista as regras e sai.",
    "Print the JSON Schema of a deck file, or of the JSON documents k8squiz prints.":
        "Imprime o JSON Schema de um arquivo de baralho, ou dos documentos JSON que o k8squiz"
        " imprime.",
    "deck (a deck file) or output (the --json documents).":
        "deck (um arquivo de baralho) ou output (os documentos de --json).",
    "List the loaded topics: title, cards, due, mastered, and where decks of your own come"
    " from.":
        "Lista os tópicos carregados: título, cards, para revisar, dominados e de onde vêm os"
        " seus próprios baralhos.",
    "A deck file or a folder of decks to load besides the bundled ones (repeatable).":
        "Um arquivo ou uma pasta de baralhos para carregar além dos embutidos (repetível).",
    "List the tags instead, with card counts.": "Lista as tags, com o número de cards.",
    "Language of cards and messages: en or pt-BR (default: K8SQUIZ_LANG, then the locale).":
        "Idioma dos cards e das mensagens: en ou pt-BR (padrão: K8SQUIZ_LANG, depois o"
        " locale).",
    "A scored quiz: 10 questions by default, graded as you answer and saved as you go.":
        "Um quiz com nota: 10 perguntas por padrão, corrigidas e salvas a cada resposta.",
    "Only cards of this topic (repeatable; see 'k8squiz topics').":
        "Só cards deste tópico (repetível; veja 'k8squiz topics').",
    "Only cards with this tag (repeatable; see 'k8squiz topics --tags').":
        "Só cards com esta tag (repetível; veja 'k8squiz topics --tags').",
    "How many questions.": "Quantas perguntas.",
    "Ask the same questions in the same order again.":
        "Faz as mesmas perguntas na mesma ordem de novo.",
    "Multiple choice: answer with a letter, a number or the text.":
        "Múltipla escolha: responda com uma letra, um número ou o texto.",
    "Ask the cards missed in the last quiz (or the weakest so far).":
        "Pergunta os cards errados no último quiz (ou os mais fracos até agora).",
    "Print one JSON document for scripts.": "Imprime um documento JSON para scripts.",
    "Flashcards with spaced repetition (FSRS): the cards due today, then new ones.":
        "Flashcards com repetição espaçada (FSRS): os cards de hoje, depois os novos.",
    "New cards a day, counted across sessions.": "Cards novos por dia, somando as sessões.",
    "Stop after this many cards.": "Para depois de tantos cards.",
    "Desired retention: the chance to recall a card when due.":
        "Retenção desejada: a chance de lembrar um card quando ele vence.",
    "List past quizzes, study sessions and exams: date, topics, score. --json adds every"
    " answer.":
        "Lista quizzes, sessões de estudo e simulados passados: data, tópicos, nota. --json"
        " inclui cada resposta.",
    "How many sessions to show.": "Quantas sessões mostrar.",
    "Cards due per topic: now, by the end of today, and within the week.":
        "Cards para revisar por tópico: agora, até o fim de hoje e na semana.",
    "Move your progress to another machine, or start over (with a backup).":
        "Leva seu progresso para outra máquina, ou recomeça (com um backup).",
    "Write every session, answer and review to FILE (versioned JSON, one row per line). An"
    " earlier export at FILE is replaced; any other file is left as it is.":
        "Grava cada sessão, resposta e revisão em FILE (JSON versionado, uma linha por"
        " registro). Uma exportação anterior em FILE é substituída; qualquer outro arquivo"
        " fica como está.",
    "The JSON file to write ('-' for stdout).": "O arquivo JSON a gravar ('-' para stdout).",
    "Merge a progress file into this machine's; importing the same file twice changes nothing.":
        "Junta um arquivo de progresso ao desta máquina; importar o mesmo arquivo duas vezes"
        " não muda nada.",
    "A file written by 'k8squiz progress export' ('-' for stdin), or the backup 'k8squiz"
    " progress reset' wrote (importing it undoes the reset).":
        "Um arquivo gravado por 'k8squiz progress export' ('-' para stdin), ou o backup que"
        " 'k8squiz progress reset' gravou (importá-lo desfaz o reset).",
    "Forget your progress (on some topics only, with --topic), after writing a backup.":
        "Apaga seu progresso (só em alguns tópicos, com --topic), depois de gravar um backup.",
    "Do not ask for confirmation.": "Não pede confirmação.",
    "Write the decks for another program: Anki, for review on a phone.":
        "Grava os baralhos para outro programa: o Anki, para revisar no celular.",
    "Write an Anki package (.apkg) of the decks: one Anki deck per topic, and notes that a"
    " newer export updates in place, keeping your Anki reviews.":
        "Grava um pacote do Anki (.apkg) dos baralhos: um baralho do Anki por tópico, e notas"
        " que uma exportação mais nova atualiza no lugar, mantendo suas revisões no Anki.",
    "The .apkg file to write; an earlier k8squiz export there is replaced.":
        "O arquivo .apkg a gravar; uma exportação anterior do k8squiz ali é substituída.",
    "Only cards for this certification (their domains, else their deck's).":
        "Só cards desta certificação (os domínios deles, senão os do baralho).",
    "en, pt-BR (English where a card has no translation), or both (pt-BR under the English);"
    " default: K8SQUIZ_LANG, then the locale.":
        "en, pt-BR (inglês onde um card não tem tradução) ou both (pt-BR abaixo do inglês);"
        " padrão: K8SQUIZ_LANG, depois o locale.",
    "Type the answer in Anki. Anki compares it character by character, without k8squiz's"
    " tolerance (case, accents, typos, list order, accepted alternatives, command aliases);"
    " it shows the differences and you still rate yourself.":
        "Digita a resposta no Anki. O Anki compara caractere por caractere, sem a tolerância"
        " do k8squiz (maiúsculas, acentos, erros de digitação, ordem da lista, alternativas"
        " aceitas, apelidos de comandos); ele mostra as diferenças e você mesmo se avalia.",
    "Cram without touching your review schedule: answers are saved, but not as reviews, so no"
    " card's next review moves.":
        "Revisa para a prova sem mexer na sua agenda de revisões: as respostas são salvas, mas"
        " não como revisões, então a próxima revisão de nenhum card muda.",
    "Only cards serving this certification's curriculum (kcna, cka, ckad).":
        "Só cards do currículo desta certificação (kcna, cka, ckad).",
    "With --cert: only cards of this curriculum domain, by its id or name (repeatable; the"
    " domains are listed by 'k8squiz stats --cert C').":
        "Com --cert: só cards deste domínio do currículo, pelo id ou pelo nome (repetível;"
        " 'k8squiz stats --cert C' lista os domínios).",
    "A timed mock exam weighted like the certification's curriculum, scored at the end. KCNA"
    " follows the real exam: multiple choice, 60 questions in 90 minutes, pass mark 75%. CKA"
    " and CKAD are hands-on exams (15-20 tasks at a command line in 2 hours); this is not a"
    " simulation of them but a knowledge check of their domains, weighted the same: 40"
    " questions in 60 minutes by default (the KCNA's pace), typed answers and commands, pass"
    " mark 66%. Nothing is graded until you submit; Enter skips, :f flags, :b goes back, :r"
    " lists the questions, :s submits; Ctrl-C abandons. Answers are saved but never move your"
    " review schedule.":
        "Um simulado cronometrado, com os pesos do currículo da certificação, corrigido no"
        " fim.\n\nO KCNA segue a prova real: múltipla escolha, 60 perguntas em 90 minutos, nota"
        " mínima 75%. CKA e CKAD são provas práticas (15 a 20 tarefas na linha de comando em"
        " 2 horas); isto não as simula, mas confere o conhecimento dos domínios delas, com os"
        " mesmos pesos: 40 perguntas em 60 minutos por padrão (o ritmo do KCNA), respostas"
        " digitadas e comandos, nota mínima 66%.\n\nNada é corrigido até você enviar; Enter"
        " pula, :f marca, :b volta, :r lista as questões, :s envia; Ctrl-C abandona. As"
        " respostas são salvas, mas nunca mexem na sua agenda de revisões.",
    "kcna, cka or ckad: the curriculum whose domains and weights the exam follows.":
        "kcna, cka ou ckad: o currículo cujos domínios e pesos a prova segue.",
    "How many questions (default: KCNA 60, as the real exam; CKA and CKAD 40).":
        "Quantas perguntas (padrão: KCNA 60, como a prova real; CKA e CKAD 40).",
    "The time limit (default: KCNA 90 for its 60 questions; otherwise 1.5 minutes a question,"
    " the real KCNA's pace).":
        "O tempo limite (padrão: KCNA 90 para as 60 perguntas; senão 1,5 minuto por pergunta,"
        " o ritmo do KCNA real).",
    "Sit the same exam again.": "Faz a mesma prova de novo.",
    "Your progress: per topic (cards, seen, mastered = FSRS stability of 21 days or more,"
    " accuracy over 7 and 30 days, due now and tomorrow), your streak, reviews per day, cards"
    " due per day, retention against the 90% target, your weakest cards, commonest mistakes"
    " and last mock exams. With --cert: your readiness for that certification.":
        "Seu progresso: por tópico (cards, vistos, dominados = estabilidade FSRS de 21 dias ou"
        " mais, acerto em 7 e 30 dias, para revisar agora e amanhã), sua sequência, revisões"
        " por dia, cards para revisar por dia, retenção contra a meta de 90%, seus cards mais"
        " fracos, erros mais comuns e últimos simulados. Com --cert: sua prontidão para essa"
        " certificação.",
    "Readiness for a certification instead: per domain, the share of its cards you are"
    " expected to recall (FSRS; unseen cards count as not recalled), the total weighted like"
    " the exam, the cards to study first and your last mock exams.":
        "A prontidão para uma certificação: por domínio, a parte dos cards que você deve"
        " lembrar (FSRS; cards nunca vistos contam como não lembrados), o total com os pesos da"
        " prova, os cards a estudar primeiro e seus últimos simulados.",
    "With --cert: readiness on this day (YYYY-MM-DD, at noon), e.g. your exam's.":
        "Com --cert: a prontidão neste dia (AAAA-MM-DD, ao meio-dia), por exemplo o da sua"
        " prova.",
    # The command lists' one-line summaries (short_help), each shown whole at 80 columns.
    "A scored quiz, graded and saved as you answer.":
        "Um quiz com nota, corrigido e salvo a cada resposta.",
    "Flashcards with spaced repetition (FSRS).": "Flashcards com repetição espaçada (FSRS).",
    "A timed mock exam for KCNA, CKA or CKAD.": "Um simulado cronometrado de KCNA, CKA ou CKAD.",
    "The topics, their cards and your progress in each.":
        "Os tópicos, seus cards e seu progresso em cada um.",
    "The JSON Schema of deck files or of --json output.":
        "O JSON Schema dos arquivos de baralho ou da saída de --json.",
    "An Anki package (.apkg) of the decks.": "Um pacote do Anki (.apkg) com os baralhos.",
    "Your past quizzes, study sessions and exams.":
        "Seus quizzes, sessões de estudo e simulados passados.",
    "Cards due per topic: now, today, this week.":
        "Cards para revisar por tópico: agora, hoje, na semana.",
    "Your progress, streak and weak spots; --cert readiness.":
        "Seu progresso, sequência e pontos fracos; --cert: prontidão.",
    "Write your progress to a file.": "Grava seu progresso num arquivo.",
    "Merge a progress file into this machine's.":
        "Junta um arquivo de progresso ao desta máquina.",
    "Forget your progress, after writing a backup.":
        "Esquece seu progresso, depois de gravar um backup.",
    "Write the decks for Anki, to review on a phone.":
        "Grava os baralhos para o Anki, para revisar no celular.",
    "Export, import or reset your progress.": "Exporta, importa ou zera seu progresso.",
}  # fmt: skip
_EXTRAS = re.compile(r"(\s+\[.*\])$", re.DOTALL)


def use(lang: str) -> None:
    """The language the help is written in from now on (en or pt-BR)."""
    global _lang  # noqa: PLW0603 - one setting for the one help a run prints
    _lang = lang


def translate(text: str) -> str:
    """A help text in the chosen language: whole, or cut short (`...`) as a command list does."""
    if _lang != "pt-BR":
        return text
    plain = " ".join(text.split())
    extras = _EXTRAS.search(plain)
    body, tail = (plain[: extras.start()], extras.group()) if extras else (plain, "")
    shown = _whole(body) or _cut(body)
    return text if shown is None else shown + _frame(tail)


def _whole(body: str) -> str | None:
    """The translation of a whole help text, or of its first sentence (a command list's)."""
    if body in HELP_PT:
        return HELP_PT[body]
    english = next((text for text in HELP_PT if text.startswith(body + " ")), None)
    if english is None or not body.endswith("."):
        return None
    return HELP_PT[english].split(". ", 1)[0].rstrip(".") + "."


def _cut(body: str) -> str | None:
    """A command list shows the start of each help, ended with `...`: so does its translation."""
    if not body.endswith("..."):
        return None
    start = body[:-3]
    english = next((text for text in HELP_PT if text.startswith(start)), None)
    if english is None:
        return None
    words = HELP_PT[english].split()
    shown = ""
    for word in words:
        if len(shown) + len(word) + 1 > len(start):
            break
        shown = f"{shown} {word}".strip()
    return f"{shown}..."


# Click's own usage errors ("No such option", a bad value), phrase by phrase: its messages
# are English only, and a learner in pt-BR reads them right after a Portuguese "Uso:" line.
CLICK_PT = (
    (re.compile(r"^Try '(.+)' for help\.$", re.M), r"Veja '\1' para a ajuda."),
    (re.compile(r"^Error: ", re.M), "Erro: "),
    (re.compile(r"No such option(:?) "), r"Opção inexistente\1 "),
    (re.compile(r"No such command "), "Comando inexistente "),
    (re.compile(r"Did you mean "), "Você quis dizer "),
    (re.compile(r"Invalid value for "), "Valor inválido para "),
    (re.compile(r" is not one of "), " não é um de "),
    (re.compile(r" is not in the range "), " não está no intervalo "),
    (re.compile(r" is not a valid (?:int|integer|float)(?: range)?\."), " não é um número."),
    (re.compile(r"Missing option "), "Falta a opção "),
    (re.compile(r"Missing argument "), "Falta o argumento "),
    (re.compile(r"Choose from:"), "Escolha entre:"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? "), "Argumentos a mais: "),
    (re.compile(r"Option '([^']*)' requires an argument\."), r"A opção '\1' precisa de um valor."),
    (re.compile(r" requires an argument\."), " precisa de um valor."),
)


def usage_error(text: str) -> str:
    """Click's usage error, in the language of the help."""
    if _lang != "pt-BR":
        return text
    for english, portuguese in CLICK_PT:
        text = english.sub(portuguese, text)
    return text


def _frame(text: str) -> str:
    for english, portuguese in FRAME_PT.items():
        text = text.replace(english, portuguese)
    return text


class HelpFormatter(_FORMATTER):  # type: ignore[misc]
    """Click's help formatter, writing each text in the session's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _frame(prefix or "Usage: ") if _lang != "en" else prefix)

    def write_text(self, text: str) -> None:
        super().write_text(translate(text))

    def write_dl(self, rows: Iterable[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _row(text)) for term, text in rows], *args, **kwargs)

    def section(self, name: str) -> Any:
        return super().section(FRAME_PT.get(name, name) if _lang != "en" else name)


def _row(text: str) -> str:
    translated = translate(text)
    return _frame(translated) if _lang != "en" else translated


class HelpContext(_CONTEXT):  # type: ignore[misc]
    formatter_class = HelpFormatter


class HelpCommand(typer.core.TyperCommand):
    context_class = HelpContext


class HelpGroup(typer.core.TyperGroup):
    context_class = HelpContext


def help_texts(command: Any) -> Sequence[str]:
    """Every help text of a Click command and its subcommands and parameters (for tests)."""
    found = [text for text in (command.help, command.short_help, command.epilog) if text]
    found += [p.help for p in command.params if getattr(p, "help", None)]
    for sub in getattr(command, "commands", {}).values():
        found += help_texts(sub)
    return found
