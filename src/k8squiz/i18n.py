"""The program's own words, in English and Brazilian Portuguese."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct

# key -> (English, Brazilian Portuguese). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    # topics
    "topic": ("Topic", "Tópico"),
    "title": ("Title", "Título"),
    "cards": ("Cards", "Cards"),
    "from": ("From", "Origem"),
    "bundled": ("bundled", "embutido"),
    "tag": ("Tag", "Tag"),
    "due_now": ("Due", "Para revisar"),
    "mastered": ("Mastered", "Dominados"),
    "topics_total": ("{cards} cards in {topics} topics", "{cards} cards em {topics} tópicos"),
    "decks_checked": (
        "The bundled cards were checked against Kubernetes {release} or later (current: {current}).",
        "Os cards embutidos foram conferidos com o Kubernetes {release} ou posterior (atual: {current}).",
    ),
    "decks_unchecked": (
        "{n} bundled cards record no check.",
        "{n} cards embutidos não registram conferência.",
    ),
    # quiz
    "question": ("Question", "Pergunta"),
    "question_of": ("question {n} of {total}", "pergunta {n} de {total}"),
    "true_or_false": ("True or false?", "Verdadeiro ou falso?"),
    "your_answer": ("Your answer", "Sua resposta"),
    "answer_hint": ("Enter or ? shows the answer", "Enter ou ? mostra a resposta"),
    "list_hint": (
        "name every item, separated by commas; Enter or ? shows the answer",
        "diga cada item, separados por vírgulas; Enter ou ? mostra a resposta",
    ),
    "choice_hint": ("a letter, a number or the text", "uma letra, um número ou o texto"),
    "choice_hint_letters": ("a letter or the text", "uma letra ou o texto"),
    "missed_from_weakest": (
        "The last quiz on this selection missed nothing: asking your weakest cards so far.",
        "O último quiz nesta seleção não errou nada: perguntando os seus cards mais fracos.",
    ),
    "fewer_cards": (
        "Only {n} cards match, fewer than {count}: asking them all.",
        "Só {n} cards correspondem, menos que {count}: perguntando todos.",
    ),
    "fewer_cards_one": (
        "Only 1 card matches, fewer than {count}: asking it.",
        "Só 1 card corresponde, menos que {count}: perguntando ele.",
    ),
    "correct": ("Correct", "Correto"),
    "wrong": ("Wrong", "Errado"),
    "revealed": ("Answer shown", "Resposta mostrada"),
    "typo_note": ("accepted {given} as {term}", "aceitei {given} como {term}"),
    "expected": ("Answer", "Resposta"),
    "found_items": ("Right", "Certos"),
    "missing_items": ("Missing", "Faltaram"),
    "extra_items": ("Not part of the answer", "Não fazem parte da resposta"),
    "answer_cut": (
        "Only the first {n} characters of that answer were read",
        "Só os primeiros {n} caracteres dessa resposta foram lidos",
    ),
    "known_mistake": ("A common mistake", "Um erro comum"),
    "score": ("Score", "Pontuação"),
    "time_taken": ("Time", "Tempo"),
    "by_topic": ("By topic", "Por tópico"),
    "by_domain": ("By domain", "Por domínio"),
    "missed": ("Missed", "Errados"),
    "vs_previous": (
        "{delta} vs the previous quiz on this selection",
        "{delta} em relação ao quiz anterior desta seleção",
    ),
    "first_quiz": ("First quiz on this selection", "Primeiro quiz desta seleção"),
    "partial": (
        "Stopped after {n} of {total}; every answer is saved",
        "Parou depois de {n} de {total}; todas as respostas foram salvas",
    ),
    "nothing_answered": (
        "No answer given; nothing to score",
        "Nenhuma resposta dada; nada para pontuar",
    ),
    "seed_hint": (
        "seed {seed}: {command} asks the same questions again",
        "semente {seed}: {command} faz as mesmas perguntas de novo",
    ),
    "not_an_option": (
        "'{given}' is not an option: answer a to {last}, 1 to {n}, or the text",
        "'{given}' não é uma opção: responda de a a {last}, de 1 a {n}, ou o texto",
    ),
    "not_an_option_two": (
        "'{given}' is not an option: answer a or b, 1 or 2, or the text",
        "'{given}' não é uma opção: responda a ou b, 1 ou 2, ou o texto",
    ),
    "true_false_hint": (
        "answer true or false: t/f, yes/no also work",
        "responda verdadeiro ou falso: v/f, sim/não também valem",
    ),
    # study
    "again": ("Again", "De novo"),
    "hard": ("Hard", "Difícil"),
    "good": ("Good", "Bom"),
    "easy": ("Easy", "Fácil"),
    "reveal_hint": (
        "type an attempt, or Enter to reveal; u undo, q quit",
        "digite uma tentativa ou Enter para ver; u desfaz, q sai",
    ),
    "rate_hint": ("rate 1-4; u undo, q quit", "avalie de 1 a 4; u desfaz, q sai"),
    "not_a_rating": (
        "'{typed}' is no rating: type 1 (again), 2 (hard), 3 (good) or 4 (easy); u undoes, q quits",
        "'{typed}' não é uma avaliação: digite 1 (de novo), 2 (difícil), 3 (bom) ou 4 (fácil);"
        " u desfaz, q sai",
    ),
    "true": ("true", "verdadeiro"),
    "false": ("false", "falso"),
    "suggested": ("suggested", "sugerido"),
    "status": (
        "due {due} · new {new} · done {done}",
        "para revisar {due} · novos {new} · feitos {done}",
    ),
    "undone": ("Undid the rating of {card}", "Desfeita a avaliação de {card}"),
    "nothing_to_undo": ("Nothing to undo", "Nada para desfazer"),
    "nothing_due": ("Nothing due.", "Nada para revisar."),
    "next_review": ("Next review in {when}", "Próxima revisão em {when}"),
    "due_tomorrow": ("{n} cards due tomorrow", "{n} cards para amanhã"),
    "due_tomorrow_one": ("1 card due tomorrow", "1 card para amanhã"),
    "no_reviews_left": ("No card is scheduled.", "Nenhum card agendado."),
    "due_now_left": ("{n} cards due now", "{n} cards para revisar agora"),
    "due_now_left_one": ("1 card due now", "1 card para revisar agora"),
    "reviewed": ("Reviewed", "Revisados"),
    "again_count": ("Again", "De novo"),
    "session_saved": ("Every rating is saved.", "Todas as avaliações foram salvas."),
    # history
    "date": ("Date", "Data"),
    "kind": ("Kind", "Tipo"),
    "quiz": ("quiz", "quiz"),
    "study": ("study", "estudo"),
    "reviews_count": ("{n} reviews", "{n} revisões"),
    "reviews_count_one": ("1 review", "1 revisão"),
    "all_topics": ("all topics", "todos os tópicos"),
    "no_history": (
        "No session yet: try 'k8squiz quiz'.",
        "Nenhuma sessão ainda: experimente 'k8squiz quiz'.",
    ),
    # due and stats
    "due_now_col": ("Due now", "Agora"),
    "due_today_col": ("Today", "Hoje"),
    "due_week_col": ("This week", "Na semana"),
    "new_col": ("New", "Novos"),
    "total": ("Total", "Total"),
    "seen": ("Seen", "Vistos"),
    "accuracy_7": ("Right, 7 days", "Acerto, 7 dias"),
    "accuracy_30": ("Right, 30 days", "Acerto, 30 dias"),
    "tomorrow": ("Tomorrow", "Amanhã"),
    "streak": ("Streak", "Sequência"),
    "days": ("{n} days", "{n} dias"),
    "days_one": ("1 day", "1 dia"),
    "retention": ("Retention", "Retenção"),
    "target": ("target", "meta"),
    "mastered_means": (
        "Mastered: FSRS stability of {days} days or more. Accuracy: share of reviews not rated Again.",
        "Dominado: estabilidade FSRS de {days} dias ou mais. Acerto: revisões não avaliadas como De novo.",
    ),
    "reviews_per_day": ("Reviews per day, last 30 days", "Revisões por dia, últimos 30 dias"),
    "due_per_day": (
        "Cards due per day, next 14 days",
        "Cards para revisar por dia, próximos 14 dias",
    ),
    "weakest": ("Weakest cards", "Cards mais fracos"),
    "lapses": ("Lapses", "Lapsos"),
    "recall": ("Recall", "Lembrança"),
    "common_mistakes": ("Your most common mistakes", "Seus erros mais comuns"),
    "times": ("Times", "Vezes"),
    "why": ("Why it is wrong", "Por que está errado"),
    # exam
    "exam": ("exam", "simulado"),
    "exam_title": ("{cert} mock exam", "Simulado {cert}"),
    "exam_format": (
        "{questions} in {minutes}; pass mark {pass_mark}%.",
        "{questions} em {minutes}; nota mínima {pass_mark}%.",
    ),
    "questions_count": ("{n} questions", "{n} questões"),
    "questions_count_one": ("1 question", "1 questão"),
    "minutes_count": ("{n} minutes", "{n} minutos"),
    "minutes_count_one": ("1 minute", "1 minuto"),
    "exam_real": (
        "Like the real {cert}: multiple choice, {questions} questions in {minutes} minutes, weighted by its curriculum's domains.",
        "Como o {cert} de verdade: múltipla escolha, {questions} questões em {minutes} minutos, com o peso dos domínios do currículo.",
    ),
    "exam_real_same": (
        "Like the real {cert}: multiple choice, its length and time, weighted by its curriculum's domains.",
        "Como o {cert} de verdade: múltipla escolha, com o tamanho e o tempo dele, e o peso dos domínios do currículo.",
    ),
    "exam_hands_on": (
        "{cert} is a hands-on exam ({low} to {high} tasks at a command line in {real} minutes). This is not a simulation of it: it checks the knowledge behind it, weighted by its curriculum's domains ({questions} questions by default, at the real KCNA's pace of 1.5 minutes a question).",
        "O {cert} é uma prova prática ({low} a {high} tarefas na linha de comando em {real} minutos). Isto não é uma simulação dela: confere o conhecimento por trás dela, com o peso dos domínios do currículo ({questions} questões por padrão, no ritmo do KCNA de verdade, 1,5 minuto por questão).",
    ),
    "exam_domains": ("Questions per domain", "Questões por domínio"),
    "exam_short": (
        "Only {have} loaded cards serve {domain}: the exam asks {have} of its {want} questions.",
        "Só {have} cards carregados servem {domain}: o simulado faz {have} das {want} questões.",
    ),
    "exam_how": (
        "Nothing is graded until you submit. Enter skips a question; :f flags it for review, :b goes back, :12 goes to question 12, :r lists every question, :s submits, :h helps. Ctrl-C abandons.",
        "Nada é corrigido até você enviar. Enter pula a questão; :f marca para revisão, :b volta, :12 vai para a questão 12, :r lista todas, :s envia, :h ajuda. Ctrl-C abandona.",
    ),
    "exam_help": (
        "Type the answer (for options: a letter, a number or the text) and Enter. Enter alone skips. :f flags or unflags this question; :b goes back; :12 goes to question 12; :u the next unanswered; :m the next flagged; :r lists every question; :s submits (unanswered questions count as wrong). Ctrl-C abandons the exam.",
        "Digite a resposta (nas opções: uma letra, um número ou o texto) e Enter. Só Enter pula. :f marca ou desmarca a questão; :b volta; :12 vai para a questão 12; :u a próxima sem resposta; :m a próxima marcada; :r lista todas; :s envia (questões sem resposta contam como erradas). Ctrl-C abandona o simulado.",
    ),
    "exam_flagged": ("flagged", "marcada"),
    "exam_left": ("{time} left", "faltam {time}"),
    "exam_answer_so_far": ("Your answer so far", "Sua resposta até agora"),
    "exam_prompt": (
        "Your answer ({hint}; Enter skips, :h help)",
        "Sua resposta ({hint}; Enter pula, :h ajuda)",
    ),
    "exam_typed_hint": ("type it", "digite"),
    "exam_flag_on": ("Question {n} flagged for review.", "Questão {n} marcada para revisão."),
    "exam_flag_off": ("Question {n} no longer flagged.", "Questão {n} desmarcada."),
    "exam_unknown": (
        "'{given}' is not a command here: :h lists them",
        "'{given}' não é um comando aqui: :h lista os comandos",
    ),
    "exam_no_question": (
        "There is no question {n}: this exam has questions 1 to {total}.",
        "Não há questão {n}: este simulado tem as questões 1 a {total}.",
    ),
    "exam_review": (
        "Review: {answered} of {total} answered, {flagged}; {left}",
        "Revisão: {answered} de {total} respondidas, {flagged}; {left}",
    ),
    "exam_question_of": ("question {n} of {total}", "questão {n} de {total}"),
    "exam_unanswered": ("Unanswered", "Sem resposta"),
    "exam_flagged_list": ("Flagged", "Marcadas"),
    "exam_review_prompt": (
        "A question number, u unanswered, m flagged, s submit; Enter: the next to review",
        "Número da questão, u sem resposta, m marcadas, s envia; Enter: a próxima a revisar",
    ),
    "exam_review_done": (
        "A question number to change its answer; s or Enter submits",
        "Número da questão para mudar a resposta; s ou Enter envia",
    ),
    "exam_confirm_submit": (
        "Submit the exam? {n} questions are unanswered and count as wrong.",
        "Enviar o simulado? {n} questões estão sem resposta e contam como erradas.",
    ),
    "exam_confirm_submit_one": (
        "Submit the exam? 1 question is unanswered and counts as wrong.",
        "Enviar o simulado? 1 questão está sem resposta e conta como errada.",
    ),
    "exam_confirm_submit_all": (
        "Submit the exam? Every question is answered.",
        "Enviar o simulado? Todas as questões foram respondidas.",
    ),
    "exam_confirm_abandon": (
        "Abandon the exam? Your answers are kept, but it is not scored.",
        "Abandonar o simulado? Suas respostas ficam salvas, mas ele não recebe nota.",
    ),
    "yes_no": ("y/N", "s/N"),
    "not_asked": (
        "there is no terminal to ask for a confirmation at, so nothing was changed",
        "não há um terminal onde pedir uma confirmação, então nada foi alterado",
    ),
    "not_asked_fix": (
        "pass --yes to go ahead without asking",
        "passe --yes para seguir sem perguntar",
    ),
    "exam_time_up": (
        "Time is up: the exam was submitted.",
        "O tempo acabou: o simulado foi enviado.",
    ),
    "exam_pass": ("PASS", "APROVADO"),
    "exam_fail": ("FAIL", "REPROVADO"),
    "exam_abandoned_cell": (
        "abandoned, {answered} of {planned} answered",
        "abandonado, {answered} de {planned} respondidas",
    ),
    "exam_score": (
        "{cert}: {correct}/{total} ({percent})",
        "{cert}: {correct}/{total} ({percent})",
    ),
    "exam_pass_mark": ("pass mark {mark}%", "nota mínima {mark}%"),
    "exam_time_used": ("Time: {used} of {limit}", "Tempo: {used} de {limit}"),
    "exam_timed_out": (
        "Time ran out: {n} unanswered questions count as wrong.",
        "O tempo acabou: {n} questões sem resposta contam como erradas.",
    ),
    "exam_timed_out_one": (
        "Time ran out: 1 unanswered question counts as wrong.",
        "O tempo acabou: 1 questão sem resposta conta como errada.",
    ),
    "exam_abandoned": (
        "Exam abandoned after {n} answers: they are kept, but it is not scored.",
        "Simulado abandonado depois de {n} respostas: elas ficam salvas, mas ele não recebe nota.",
    ),
    "exam_abandoned_none": (
        "Exam abandoned before any answer; it is not scored.",
        "Simulado abandonado antes de qualquer resposta; ele não recebe nota.",
    ),
    "exam_abandoned_one": (
        "Exam abandoned after 1 answer: it is kept, but the exam is not scored.",
        "Simulado abandonado depois de 1 resposta: ela fica salva, mas ele não recebe nota.",
    ),
    "exam_no_reviews": (
        "Your answers are saved; your review schedule is unchanged.",
        "Suas respostas foram salvas; sua agenda de revisões não mudou.",
    ),
    "domain": ("Domain", "Domínio"),
    "weight": ("Weight", "Peso"),
    "questions": ("Questions", "Questões"),
    "right": ("Right", "Certas"),
    "vs_pass_mark": ("vs pass mark", "vs nota mínima"),
    "exam_missed": ("Missed questions", "Questões erradas"),
    "exam_not_answered": ("not answered", "sem resposta"),
    "exam_readiness": (
        "Readiness today: {percent} of the {name} curriculum expected to be recalled ('k8squiz stats --cert {cert}' lists the cards to study first).",
        "Prontidão hoje: {percent} do currículo do {name} deve ser lembrado ('k8squiz stats --cert {cert}' lista os cards para estudar primeiro).",
    ),
    "exam_next": (
        "Next: your weakest domain is {domain} ({correct}/{questions}). Study it with",
        "Próximo passo: seu domínio mais fraco é {domain} ({correct}/{questions}). Estude-o com",
    ),
    "exam_next_perfect": (
        "Next: every domain right. Keep your reviews up with",
        "Próximo passo: todos os domínios certos. Mantenha as revisões em dia com",
    ),
    "exam_seed": (
        "seed {seed}: {command} asks the same exam again",
        "semente {seed}: {command} faz o mesmo simulado de novo",
    ),
    "exam_answered": ("{answered}/{total} answered", "{answered}/{total} respondidas"),
    "exam_flagged_count": ("{n} flagged", "{n} marcadas"),
    "exam_flagged_count_one": ("1 flagged", "1 marcada"),
    "exam_help_key": (":h help", ":h ajuda"),
    "missed_mark": ("missed", "errados"),
    "practice_mark": ("practice", "treino"),
    "practice_note": (
        "Practice: your answers are saved; your review schedule is unchanged.",
        "Treino: suas respostas foram salvas; sua agenda de revisões não mudou.",
    ),
    # readiness and exams in stats
    "readiness_title": (
        "{cert} readiness on {date}: {percent}",
        "Prontidão para o {cert} em {date}: {percent}",
    ),
    "readiness_means": (
        "Recall: the share of a domain's cards you are expected to recall then (FSRS); a card never reviewed counts as not recalled. The total weights the domains like the exam.",
        "Lembrança: a parte dos cards do domínio que você deve lembrar nesse dia (FSRS); um card nunca revisado conta como não lembrado. O total pesa os domínios como a prova.",
    ),
    "study_first": (
        "Study these first: each would add the points shown",
        "Estude estes primeiro: cada um somaria os pontos indicados",
    ),
    "gain": ("Gain", "Ganho"),
    "readiness_next": (
        "Study where each card adds the most: {command}",
        "Estude onde cada card soma mais: {command}",
    ),
    "exams_title": ("Mock exams", "Simulados"),
    "no_exams": (
        "No mock exam yet: try 'k8squiz exam --cert {cert}'.",
        "Nenhum simulado ainda: experimente 'k8squiz exam --cert {cert}'.",
    ),
    "exam_trend_tail": ("{trend} over the last {n}", "{trend} nos últimos {n}"),
    # progress
    "exported": ("Exported {what} to {path}", "Exportado para {path}: {what}"),
    "exported_stdout": ("Exported {what} to stdout", "Exportado para a saída padrão: {what}"),
    "imported": ("Imported {what}", "Importado: {what}"),
    "imported_known": (
        "Imported {what} ({known} already here)",
        "Importado: {what} ({known} já estavam aqui)",
    ),
    "sessions_count": ("{n} sessions", "{n} sessões"),
    "sessions_count_one": ("1 session", "1 sessão"),
    "answers_count": ("{n} answers", "{n} respostas"),
    "answers_count_one": ("1 answer", "1 resposta"),
    "records_count": ("{n} records", "{n} registros"),
    "records_count_one": ("1 record", "1 registro"),
    "and": ("and", "e"),
    "cannot_write_export": (
        "cannot write the export: {reason}",
        "não foi possível gravar a exportação: {reason}",
    ),
    "cannot_write_export_fix": (
        "give the path of a file, or - to write to stdout",
        "indique o caminho de um arquivo, ou - para gravar na saída padrão",
    ),
    "export_no_folder": ("the folder {folder} does not exist", "a pasta {folder} não existe"),
    "export_no_folder_fix": (
        "create it first, or export to another file",
        "crie-a antes, ou exporte para outro arquivo",
    ),
    "export_not_ours": (
        "this file exists and is not a k8squiz progress file; it was left as it is",
        "este arquivo existe e não é um arquivo de progresso do k8squiz; ficou como estava",
    ),
    "export_not_ours_fix": (
        "export to another file, or move that one away first",
        "exporte para outro arquivo, ou tire aquele dali antes",
    ),
    "cannot_read_file": (
        "cannot read the file: {reason}",
        "não foi possível ler o arquivo: {reason}",
    ),
    "progress_damaged": (
        "the progress file is damaged: {what}; nothing was imported",
        "o arquivo de progresso está danificado: {what}; nada foi importado",
    ),
    "progress_damaged_fix": (
        "export it again from the machine it came from",
        "exporte-o de novo na máquina de onde ele veio",
    ),
    "progress_foreign": (
        "not a k8squiz progress file; nothing was imported",
        "não é um arquivo de progresso do k8squiz; nada foi importado",
    ),
    "progress_foreign_why": (
        "not a k8squiz progress file ({why}); nothing was imported",
        "não é um arquivo de progresso do k8squiz ({why}); nada foi importado",
    ),
    "progress_foreign_fix": (
        "use a file from 'k8squiz progress export'",
        "use um arquivo de 'k8squiz progress export'",
    ),
    "reset_what_all": ("all your progress", "todo o seu progresso"),
    "reset_what_topics": ("your progress on {topics}", "seu progresso em {topics}"),
    "reset_confirm": (
        "Forget {what}? A backup is written first.",
        "Apagar {what}? Um backup é gravado antes.",
    ),
    "reset_done": (
        "Forgot {what}. Backup: {path} (to undo: {undo})",
        "Apagado: {what}. Backup: {path} (para desfazer: {undo})",
    ),
    "reset_cancelled": ("Nothing was changed.", "Nada foi alterado."),
    "db_waiting": (
        "Waiting for another k8squiz writing to your progress (an import or a reset?); nothing is lost, it is saved as soon as that is done",
        "Esperando outro k8squiz que grava o seu progresso (uma importação ou um reset?); nada se perde, tudo é salvo assim que ele terminar",
    ),
    # export anki
    "anki_exported": (
        "Wrote {notes} notes in {decks} decks to {path} ({size}). To import it: in Anki on a computer, File > Import; on a phone (AnkiDroid, AnkiMobile), open the file or share it to the app.",
        "Gravadas {notes} notas em {decks} baralhos em {path} ({size}). Para importar: no Anki do computador, Arquivo > Importar; no celular (AnkiDroid, AnkiMobile), abra o arquivo ou compartilhe-o com o app.",
    ),
    "anki_exported_one": (
        "Wrote {notes} notes in 1 deck to {path} ({size}). To import it: in Anki on a computer, File > Import; on a phone (AnkiDroid, AnkiMobile), open the file or share it to the app.",
        "Gravadas {notes} notas em 1 baralho em {path} ({size}). Para importar: no Anki do computador, Arquivo > Importar; no celular (AnkiDroid, AnkiMobile), abra o arquivo ou compartilhe-o com o app.",
    ),
    "anki_removed": (
        "{n} cards of the earlier export are no longer in the decks: {cards}. Anki keeps their notes: delete them by hand, or search the Anki browser for {search} and delete what it finds.",
        "{n} cards da exportação anterior não estão mais nos baralhos: {cards}. O Anki mantém essas notas: apague-as à mão, ou busque no navegador do Anki por {search} e apague o que aparecer.",
    ),
    "anki_removed_one": (
        "1 card of the earlier export is no longer in the decks: {cards}. Anki keeps its note: delete it by hand, or search the Anki browser for {search} and delete what it finds.",
        "1 card da exportação anterior não está mais nos baralhos: {cards}. O Anki mantém a nota: apague-a à mão, ou busque no navegador do Anki por {search} e apague o que aparecer.",
    ),
    "anki_left_out": (
        "{n} cards of the earlier export are outside this selection; Anki keeps their notes as they were.",
        "{n} cards da exportação anterior ficaram fora desta seleção; o Anki mantém essas notas como estavam.",
    ),
    "anki_left_out_one": (
        "1 card of the earlier export is outside this selection; Anki keeps its note as it was.",
        "1 card da exportação anterior ficou fora desta seleção; o Anki mantém a nota como estava.",
    ),
    "anki_mistakes": ("Common mistakes", "Erros comuns"),
    "anki_also_correct": ("Also correct", "Também correto"),
    "anki_optional_flags": ("Flags you may add", "Flags que podem ser acrescentadas"),
    # commands: what a learner's command does differently
    "cmd_arguments": ("arguments", "argumentos"),
    "cmd_unreadable": (
        "the command cannot be read: {reason}",
        "não consigo ler o comando: {reason}",
    ),
    "cmd_reason_quote": ("a quote is not closed", "uma aspa não foi fechada"),
    "cmd_reason_escape": ("it ends with a backslash", "ele termina com uma barra invertida"),
    "cmd_reason_empty": ("it is empty", "ele está vazio"),
    "cmd_pipeline": (
        "the commands are joined by {given}, expected {expected}",
        "os comandos estão ligados por {given}, esperado {expected}",
    ),
    "cmd_program": (
        "the program is {given}, expected {expected}",
        "o programa é {given}, esperado {expected}",
    ),
    "cmd_subcommand": (
        "subcommand is {given}, expected {expected}",
        "o subcomando é {given}, esperado {expected}",
    ),
    "cmd_no_subcommand": ("no subcommand, expected {expected}", "falta o subcomando {expected}"),
    "cmd_resource": (
        "resource is {given}, expected {expected}",
        "o recurso é {given}, esperado {expected}",
    ),
    "cmd_name": ("name is {given}, expected {expected}", "o nome é {given}, esperado {expected}"),
    "cmd_argument": (
        "{subject} is {given}, expected {expected}",
        "{subject} é {given}, esperado {expected}",
    ),
    "cmd_missing_argument": ("missing {subject} {expected}", "faltou {subject} {expected}"),
    "cmd_extra_argument": ("unexpected argument {given}", "argumento a mais: {given}"),
    "cmd_missing_flag": ("missing {flag}", "faltou {flag}"),
    "cmd_unexpected_flag": ("unexpected flag {flag}", "flag a mais: {flag}"),
    "cmd_flag_value": (
        "{subject} is {given}, expected {expected}",
        "{subject} é {given}, esperado {expected}",
    ),
    "cmd_swapped_publish": (
        "{subject} is host:container: you published container port {container} on host port {host}",
        "{subject} é host:contêiner: você publicou a porta {container} do contêiner na porta {host} do host",
    ),
    "cmd_swapped_ports": (
        "{subject} {given} has its two ports the wrong way round: expected {expected}",
        "{subject} {given} está com as duas portas invertidas: esperado {expected}",
    ),
    "cmd_after_dashes": (
        "the command after -- is {given}, expected {expected}",
        "o comando depois de -- é {given}, esperado {expected}",
    ),
    "cmd_no_command_after_dashes": (
        "no command after --, expected {expected}",
        "nenhum comando depois de --, esperado {expected}",
    ),
    "differences": ("What differs", "O que difere"),
    # errors
    "error": ("error", "erro"),
    "interrupted": ("Interrupted", "Interrompido"),
    "did_you_mean": ("did you mean '{name}'? ", "você quis dizer '{name}'? "),
    "see": ("see '{listing}'", "veja '{listing}'"),
    "unknown_topic": (
        "unknown topic '{name}'; {hint}known topics: {known}",
        "tópico desconhecido '{name}'; {hint}tópicos conhecidos: {known}",
    ),
    "unknown_tag": (
        "unknown tag '{name}'; {hint}known tags: {known}",
        "tag desconhecida '{name}'; {hint}tags conhecidas: {known}",
    ),
    "unknown_cert": (
        "unknown certification '{name}'; {hint}known: {known}",
        "certificação desconhecida '{name}'; {hint}conhecidas: {known}",
    ),
    "unknown_cert_fix": ("use --cert kcna, cka or ckad", "use --cert kcna, cka ou ckad"),
    "unknown_domain": (
        "unknown {cert} domain '{name}'; {hint}known: {known}",
        "domínio desconhecido do {cert}: '{name}'; {hint}conhecidos: {known}",
    ),
    "unknown_lang": (
        "unknown language '{name}'; known languages: {known}",
        "idioma desconhecido '{name}'; idiomas conhecidos: {known}",
    ),
    "unknown_lang_fix": ("try --lang pt-BR", "tente --lang pt-BR"),
    "domain_needs_cert": ("--domain needs --cert", "--domain precisa de --cert"),
    "add_cert": ("add {certs}", "acrescente {certs}"),
    "add_cert_listed": (
        "add --cert; 'k8squiz stats --cert kcna' (or cka, ckad) lists its domains",
        "acrescente --cert; 'k8squiz stats --cert kcna' (ou cka, ckad) lista os domínios",
    ),
    "no_card_matches": (
        "no card matches these topics and tags",
        "nenhum card corresponde a estes tópicos e tags",
    ),
    "no_card_serves": (
        "no card matches these topics and tags serving {cert}",
        "nenhum card destes tópicos e tags serve ao {cert}",
    ),
    "no_card_serves_domains": (
        "no card matches these topics and tags serving {cert} in these domains",
        "nenhum card destes tópicos e tags serve ao {cert} nestes domínios",
    ),
    "nothing_missed": (
        "no missed card to quiz: no card was ever answered wrong",
        "nenhum card errado para o quiz: nenhum card foi respondido errado",
    ),
    "nothing_missed_fix": (
        "take a quiz first, or drop --missed",
        "faça um quiz primeiro, ou tire o --missed",
    ),
    "missed_elsewhere": (
        "none of the cards missed in the last quiz (or the weakest so far) is in this selection",
        "nenhum dos cards errados no último quiz (ou dos mais fracos até agora) está nesta"
        " seleção",
    ),
    "missed_elsewhere_fix": (
        "drop --topic, --tag or --cert to quiz them, or drop --missed",
        "tire --topic, --tag ou --cert para fazer o quiz com eles, ou tire o --missed",
    ),
    "on_needs_cert": ("--on needs --cert", "--on precisa de --cert"),
    "on_needs_cert_fix": (
        "e.g. k8squiz stats --cert kcna --on 2026-06-01",
        "por exemplo k8squiz stats --cert kcna --on 2026-06-01",
    ),
    "topic_with_cert": (
        "--topic does not apply to --cert readiness",
        "--topic não vale para a prontidão de --cert",
    ),
    "topic_with_cert_fix": (
        "drop --topic, or use 'k8squiz stats --cert {cert} --json' for every domain's figures",
        "tire o --topic, ou use 'k8squiz stats --cert {cert} --json' para os números de cada"
        " domínio",
    ),
}


# What a yes/no question takes for yes, typed in either language.
YES_WORDS = ("y", "yes", "s", "sim")


class Said(Struct, frozen=True):
    """Words not yet in a language: a message key and its values, some of which may be
    Said too. An error carries one, so that it is shown in the learner's language."""

    key: str
    values: Mapping[str, object] = {}

    def text(self, words: Words) -> str:
        shown = {k: v.text(words) if isinstance(v, Said) else v for k, v in self.values.items()}
        return words(self.key, **shown)


class Words(Struct, frozen=True):
    """The program's words in one language."""

    lang: str = "en"

    def listed(self, items: Sequence[str]) -> str:
        """`a, b and c`, in this language."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('and')} {items[-1]}"

    def counted(self, **counts: int) -> str:
        """`2 sessions, 1 answer and 5 reviews`: each `name=n` as its `name_count` message."""
        return self.listed([self(f"{name}_count", n=n) for name, n in counts.items()])

    def __call__(self, key: str, **values: object) -> str:
        """The message `key`, filled in; `key_one` is used when it exists and n is 1."""
        if values.get("n") == 1 and f"{key}_one" in MESSAGES:
            key = f"{key}_one"
        english, portuguese = MESSAGES[key]
        text = portuguese if self.lang == "pt-BR" else english
        return text.format(**values) if values else text
