"""Grading: how a learner's answer is judged, and what the verdict tells them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8squiz.decks.model import Card, CardTranslation, Mistake
from k8squiz.grading import Choice, Grader, Verdict, names_no_option, normalize, resolve_choice


def mistake(answer: str, *accept: str) -> Mistake:
    return Mistake(answer=answer, reason=f"'{answer}' is tempting but wrong.", accept=accept)


def card(
    card_id: str,
    answer: str | tuple[str, ...],
    *,
    accept: tuple[str, ...] | dict[str, tuple[str, ...]] = (),
    mistakes: tuple[Mistake, ...] = (),
    pt: str | tuple[str, ...] | None = None,
    pt_accept: tuple[str, ...] | dict[str, tuple[str, ...]] = (),
    question: str | None = None,
    pt_question: str = "Pergunta?",
    choices: tuple[str, ...] = (),
) -> Card:
    translation = CardTranslation(
        question=pt_question, explanation="Porque sim.", answer=pt, accept=pt_accept
    )
    translated = pt is not None or bool(pt_accept) or pt_question != "Pergunta?"
    return Card(
        id=card_id,
        question=question or f"Question about {card_id}?",
        choices=choices,
        answer=answer,
        explanation="Because.",
        accept=accept,
        mistakes=mistakes,
        translations={"pt-BR": translation} if translated else {},
    )


ETCD_PORTS = card(
    "etcd-ports", "2379-2380", accept=("2379 and 2380",), mistakes=(mistake("2378-2380"),)
)
APISERVER_PORT = card("apiserver-port", "6443")
NODEPORT_RANGE = card("nodeport-range", "30000-32767")
SCHEDULER_PORT = card("scheduler-port", "10259", mistakes=(mistake("10251"),))
MAX_NODES = card("max-nodes", "5000")
DOCKERSHIM_DEPRECATED = card("dockershim-deprecated", "1.20")
DOCKERSHIM_REMOVED = card("dockershim-removed", "v1.24")
SCHEDULER = card(
    "assigns-pods",
    "kube-scheduler",
    accept=("scheduler",),
    mistakes=(mistake("kube-controller-manager", "controller manager"),),
)
APISERVER = card("front-door", "kube-apiserver", accept=("API server",))
NODE_AGENT = card("node-agent", "kubelet", mistakes=(mistake("kubectl"),))
CLI = card("cli", "kubectl")
LOW_LEVEL_RUNTIME = card("low-level-runtime", "runc", mistakes=(mistake("crun"),))
GVISOR_RUNTIME = card("gvisor-runtime", "runsc")
HIGH_LEVEL_RUNTIME = card("high-level-runtime", "containerd")
POD_GROUPS = card("pod-groups", "containers")
UNIT = card("unit-of-packaging", "container", pt="contêiner")
CRI = card(
    "kubelet-runtime-interface",
    "CRI",
    accept=("Container Runtime Interface",),
    pt_accept=("Interface de Runtime de Contêiner",),
)
SERVICE_TYPE = card(
    "default-service-type", "ClusterIP", accept=("cluster IP",), mistakes=(mistake("NodePort"),)
)
NAMESPACES = card("isolation-primitive", "namespaces")
PROBES = card(
    "probes",
    ("liveness", "readiness", "startup"),
    accept={"liveness": ("liveness probe",)},
    pt=("vivacidade", "prontidão", "inicialização"),
    pt_accept={"prontidão": ("readiness probe",)},
)
CONTROL_PLANE = card(
    "control-plane",
    ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"),
    accept={"kube-apiserver": ("API server",), "kube-scheduler": ("scheduler",)},
    mistakes=(mistake("kube-proxy"),),
)
ETCD_PORT_LIST = card("etcd-port-list", ("2379", "2380"))
SECRETS_ENCRYPTED = card("secrets-encrypted", "false", mistakes=(mistake("true"),))
PODS_SHARE_NETWORK = card("pods-share-network", "true")

CARDS = (
    ETCD_PORTS,
    APISERVER_PORT,
    NODEPORT_RANGE,
    SCHEDULER_PORT,
    MAX_NODES,
    DOCKERSHIM_DEPRECATED,
    DOCKERSHIM_REMOVED,
    SCHEDULER,
    APISERVER,
    NODE_AGENT,
    CLI,
    LOW_LEVEL_RUNTIME,
    GVISOR_RUNTIME,
    HIGH_LEVEL_RUNTIME,
    POD_GROUPS,
    UNIT,
    CRI,
    SERVICE_TYPE,
    NAMESPACES,
    PROBES,
    CONTROL_PLANE,
    ETCD_PORT_LIST,
    SECRETS_ENCRYPTED,
    PODS_SHARE_NETWORK,
)
GRADER = Grader(CARDS)  # natural-answer cards below are graded by the same grader


def grade(c: Card, given_text: str, lang: str = "en") -> Verdict:
    return GRADER.grade(c, given_text, lang)


def cases(rows: list[tuple[Card, str]]) -> list[object]:
    """Parametrize rows as (card, text) with readable ids."""
    return [pytest.param(c, text, id=f"{c.id}:{text!r}") for c, text in rows]


# ---------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        pytest.param("  Kube-APIServer  ", "kube-apiserver", id="case-and-space"),
        pytest.param("contêiner", "conteiner", id="accent"),
        pytest.param("CONTÊINER", "conteiner", id="accent-upper"),
        pytest.param("2379\u20132380", "2379-2380", id="en-dash"),
        pytest.param("2379—2380", "2379-2380", id="em-dash"),
        pytest.param("kube\u2010proxy", "kube-proxy", id="unicode-hyphen"),
        pytest.param("kube   \t proxy", "kube proxy", id="inner-whitespace"),
        pytest.param("etcd.", "etcd", id="trailing-period"),
        pytest.param("etcd?!", "etcd", id="trailing-marks"),
        pytest.param("etcd ;:,", "etcd", id="trailing-run"),
        pytest.param("The scheduler", "scheduler", id="article-the"),
        pytest.param("an init container", "init container", id="article-an"),
        pytest.param("o agendador", "agendador", id="article-o"),
        pytest.param("uma réplica", "replica", id="article-uma"),
        pytest.param("the", "the", id="article-alone-stays"),
        pytest.param("kube\u200bproxy", "kubeproxy", id="zero-width-space"),
        pytest.param("\uff2b\uff55\uff42\uff45", "kube", id="full-width"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_folds_what_never_matters(raw: str, normalized: str) -> None:
    """Case, accents, dashes, spacing, trailing punctuation and a leading article vanish."""
    assert normalize(raw) == normalized


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    """Normalising twice gives the same text as normalising once."""
    once = normalize(text)
    assert normalize(once) == once


# ---------------------------------------------------------------- accepted answers

ACCEPTED = [
    (APISERVER, "kube-apiserver"),
    (APISERVER, "Kube-APIServer"),
    (APISERVER, "kube apiserver"),
    (APISERVER, "kubeapiserver"),
    (APISERVER, "  kube-apiserver.  "),
    (APISERVER, "the kube-apiserver"),
    (APISERVER, "API server"),
    (APISERVER, "the API-server!"),
    (SCHEDULER, "scheduler"),
    (SCHEDULER, "the scheduler"),
    (UNIT, "container"),
    (UNIT, "a container"),
    (UNIT, "contêiner"),
    (UNIT, "conteiner"),
    (UNIT, "um contêiner"),
    (CRI, "cri"),
    (CRI, "container runtime interface"),
    (CRI, "Interface de Runtime de Conteiner"),
    (SERVICE_TYPE, "cluster ip"),
    (SERVICE_TYPE, "Cluster-IP"),
    (APISERVER_PORT, "6443"),
    (APISERVER_PORT, "6443/tcp"),
    (APISERVER_PORT, "6443/TCP"),
    (APISERVER_PORT, "TCP 6443"),
    (APISERVER_PORT, "6443 tcp"),
    (APISERVER_PORT, "port 6443"),
    (APISERVER_PORT, "porta 6443"),
    (APISERVER_PORT, "TCP port 6443."),
    (ETCD_PORTS, "2379-2380"),
    (ETCD_PORTS, "2379\u20132380"),
    (ETCD_PORTS, "2379 - 2380"),
    (ETCD_PORTS, "2379 to 2380"),
    (ETCD_PORTS, "2379 through 2380"),
    (ETCD_PORTS, "2379 and 2380"),
    (ETCD_PORTS, "2379, 2380"),
    (ETCD_PORTS, "2380, 2379"),
    (ETCD_PORTS, "2379 e 2380"),
    (ETCD_PORTS, "2379 a 2380"),
    (ETCD_PORTS, "2379 até 2380"),
    (ETCD_PORTS, "2379/2380"),
    (ETCD_PORTS, "2379/tcp and 2380/tcp"),
    (ETCD_PORTS, "ports 2379-2380"),
    (ETCD_PORTS, "portas 2379 e 2380"),
    (NODEPORT_RANGE, "30000-32767"),
    (NODEPORT_RANGE, "30000 to 32767"),
    (NODEPORT_RANGE, "30,000-32,767"),
    (MAX_NODES, "5000"),
    (MAX_NODES, "5,000"),
    (MAX_NODES, "5.000"),
    (MAX_NODES, "5 000"),
    (DOCKERSHIM_DEPRECATED, "1.20"),
    (DOCKERSHIM_DEPRECATED, "v1.20"),
    (DOCKERSHIM_DEPRECATED, "V1.20"),
    (DOCKERSHIM_REMOVED, "1.24"),
    (DOCKERSHIM_REMOVED, "v1.24"),
    (LOW_LEVEL_RUNTIME, "RUNC"),
    (NODE_AGENT, "Kubelet"),
]


@pytest.mark.parametrize(("c", "text"), cases(ACCEPTED))
def test_harmless_differences_are_accepted(c: Card, text: str) -> None:
    """An answer that differs only in what the rules say never matters is correct."""
    verdict = grade(c, text)
    assert verdict.correct
    assert not verdict.revealed
    assert verdict.typo is None


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
@pytest.mark.parametrize(
    ("c", "text"),
    cases([(UNIT, "contêiner"), (UNIT, "container"), (CRI, "interface de runtime de conteiner")]),
)
def test_either_language_is_accepted_in_any_session(c: Card, text: str, lang: str) -> None:
    """An English or pt-BR answer is correct whatever the session language is."""
    assert grade(c, text, lang).correct


# ---------------------------------------------------------------- rejected answers

REJECTED = [
    (NODE_AGENT, "kubectl"),
    (CLI, "kubelet"),
    (LOW_LEVEL_RUNTIME, "crun"),
    (LOW_LEVEL_RUNTIME, "runsc"),
    (GVISOR_RUNTIME, "runc"),
    (APISERVER, "kube-proxy"),
    (APISERVER, "kube-apiserver and etcd"),
    (ETCD_PORTS, "2378-2380"),
    (ETCD_PORTS, "2379"),
    (ETCD_PORTS, "2380"),
    (ETCD_PORTS, "2379-2381"),
    (ETCD_PORTS, "23792380"),
    (ETCD_PORTS, "2379.2380"),
    (ETCD_PORTS, "etcd ports"),
    (APISERVER_PORT, "6444"),
    (APISERVER_PORT, "64430"),
    (APISERVER_PORT, "6443 and 6444"),
    (APISERVER_PORT, "6443.5"),
    (NODEPORT_RANGE, "30000 and 32767"),
    (NODEPORT_RANGE, "30000"),
    (MAX_NODES, "500"),
    (MAX_NODES, "50,00"),
    (DOCKERSHIM_DEPRECATED, "1.2"),
    (DOCKERSHIM_DEPRECATED, "1.200"),
    (DOCKERSHIM_DEPRECATED, "120"),
    (DOCKERSHIM_REMOVED, "1.240"),
    (SERVICE_TYPE, "NodePort"),
    (UNIT, "pod"),
]


@pytest.mark.parametrize(("c", "text"), cases(REJECTED))
def test_different_answers_are_wrong(c: Card, text: str) -> None:
    """A different term, port, range, set of numbers or version is wrong, not revealed."""
    verdict = grade(c, text)
    assert not verdict.correct
    assert not verdict.revealed
    assert verdict.typo is None


# ---------------------------------------------------------------- typos

TYPOS_ACCEPTED = [
    (SCHEDULER, "kube-schedular", "kube-scheduler"),
    (SCHEDULER, "kube scheduller", "kube-scheduler"),
    (SCHEDULER, "schedular", "scheduler"),
    (APISERVER, "kube-apiservr", "kube-apiserver"),
    (NODE_AGENT, "kubelt", "kubelet"),
    (NODE_AGENT, "kubelte", "kubelet"),
    (CLI, "kubeclt", "kubectl"),
    (HIGH_LEVEL_RUNTIME, "contanerd", "containerd"),
    (UNIT, "contaner", "container"),
    (NAMESPACES, "nemespaces", "namespaces"),
]


@pytest.mark.parametrize(
    ("c", "text", "term"),
    [pytest.param(*row, id=f"{row[0].id}:{row[1]}") for row in TYPOS_ACCEPTED],
)
def test_small_typos_in_long_words_are_accepted_with_a_note(c: Card, text: str, term: str) -> None:
    """A small typo in a word of five letters or more is correct, and the note names the term."""
    verdict = grade(c, text)
    assert verdict.correct
    assert verdict.typo == (text, term)


TYPOS_REFUSED = [
    (NODE_AGENT, "kubectl"),  # another known term, not a typo
    (CLI, "kubelet"),
    (GVISOR_RUNTIME, "runc"),
    (GVISOR_RUNTIME, "runcc"),  # as close to runc as to runsc
    (HIGH_LEVEL_RUNTIME, "containerz"),  # as close to the deck's "containers"
    (HIGH_LEVEL_RUNTIME, "containers"),
    (LOW_LEVEL_RUNTIME, "rnuc"),  # runc is too short for typos
    (CRI, "CRO"),
    (SCHEDULER, "kube-schdlr"),  # three edits
    (NODE_AGENT, "kubeleet5"),  # digits are never typos
    (APISERVER_PORT, "6434"),
    (ETCD_PORTS, "2397-2380"),
]


@pytest.mark.parametrize(
    ("text", "correct"),
    [("dokcerd", True), ("docker", False), ("dockers", False), ("configmap", False)],
)
def test_built_in_kubernetes_terms_guard_typos_without_any_deck(text: str, correct: bool) -> None:
    """Well-known terms (here `docker`) block typos even when no loaded card mentions them."""
    daemon = card("docker-daemon", "dockerd")
    assert Grader([]).grade(daemon, text).correct is correct


@pytest.mark.parametrize(("c", "text"), cases(TYPOS_REFUSED))
def test_typos_are_refused_near_other_terms_short_words_and_numbers(c: Card, text: str) -> None:
    """A near miss is wrong when it is, or is as close to, another term, or is short or numeric."""
    verdict = grade(c, text)
    assert not verdict.correct
    assert verdict.typo is None


# ---------------------------------------------------------------- known mistakes

MISTAKE_HITS = [
    (SCHEDULER_PORT, "10251", "10251"),
    (SCHEDULER_PORT, "10251/tcp", "10251"),
    (SCHEDULER_PORT, "TCP 10251", "10251"),
    (SCHEDULER_PORT, "port 10251", "10251"),
    (ETCD_PORTS, "2378-2380", "2378-2380"),
    (ETCD_PORTS, "2378 to 2380", "2378-2380"),
    (ETCD_PORTS, "2378\u20132380/tcp", "2378-2380"),
    (NODE_AGENT, "kubectl", "kubectl"),
    (NODE_AGENT, "KubeCTL.", "kubectl"),
    (LOW_LEVEL_RUNTIME, "crun", "crun"),
    (SERVICE_TYPE, "node port", "NodePort"),
    (SCHEDULER, "kube-controller-manager", "kube-controller-manager"),
    (SCHEDULER, "the controller manager", "kube-controller-manager"),
    (SCHEDULER, "kube-controler-manager", "kube-controller-manager"),
]


@pytest.mark.parametrize(
    ("c", "text", "hit"), [pytest.param(*row, id=f"{row[0].id}:{row[1]}") for row in MISTAKE_HITS]
)
def test_known_mistakes_match_as_tolerantly_as_answers(c: Card, text: str, hit: str) -> None:
    """A known mistake in any harmless form is wrong and the verdict names the mistake."""
    verdict = grade(c, text)
    assert not verdict.correct
    assert [m.answer for m in verdict.mistakes] == [hit]
    assert GRADER.matches_mistake(c, text) == verdict.mistakes


@pytest.mark.parametrize(
    ("c", "text"),
    cases([(SCHEDULER_PORT, "10252"), (ETCD_PORTS, "2379"), (NODE_AGENT, "kubeadm")]),
)
def test_other_wrong_answers_name_no_mistake(c: Card, text: str) -> None:
    """A wrong answer that is not a known mistake lists none."""
    assert grade(c, text).mistakes == ()


def test_a_mistake_is_never_accepted() -> None:
    """Every known mistake of every card is rejected by `accepts`."""
    for c in CARDS:
        for m in c.mistakes:
            assert not GRADER.accepts(c, m.answer), (c.id, m.answer)


# ---------------------------------------------------------------- list answers

EN = PROBES.items
PT = ("vivacidade", "prontidão", "inicialização")
NONE: tuple[str, ...] = ()
Items = tuple[str, ...]
LIST_CASES = [
    # card, text, lang, (found, missing, extra)
    (PROBES, "liveness, readiness, startup", "en", (EN, NONE, NONE)),
    (PROBES, "startup; liveness and readiness", "en", (EN, NONE, NONE)),
    (PROBES, "Readiness / Startup & Liveness.", "en", (EN, NONE, NONE)),
    (PROBES, "liveness\nreadiness\nstartup", "en", (EN, NONE, NONE)),
    (PROBES, "liveness probe, readiness, startup", "en", (EN, NONE, NONE)),
    (PROBES, "liveness, readiness, and startup", "en", (EN, NONE, NONE)),
    (PROBES, "liveness, liveness, readiness, startup", "en", (EN, NONE, NONE)),
    (PROBES, "liveness, readiness", "en", (EN[:2], ("startup",), NONE)),
    (PROBES, "liveness, readiness, startup, shutdown", "en", (EN, NONE, ("shutdown",))),
    (PROBES, "vivacidade, readiness, startup", "en", (EN, NONE, NONE)),
    (PROBES, "vivacidade, prontidão e inicialização", "pt-BR", (PT, NONE, NONE)),
    (PROBES, "vivacidade, readiness probe, startup", "pt-BR", (PT, NONE, NONE)),
    (PROBES, "prontidao e vivacidade", "pt-BR", (PT[:2], PT[2:], NONE)),
    (PROBES, "vivacidade, morte", "pt-BR", (PT[:1], PT[1:], ("morte",))),
    (
        CONTROL_PLANE,
        "etcd, API server, scheduler, kube-controller-manager",
        "en",
        (CONTROL_PLANE.items, NONE, NONE),
    ),
    (
        CONTROL_PLANE,
        "etcd, kube-proxy",
        "en",
        (
            ("etcd",),
            ("kube-apiserver", "kube-scheduler", "kube-controller-manager"),
            ("kube-proxy",),
        ),
    ),
    (ETCD_PORT_LIST, "2380, 2379", "en", (("2379", "2380"), NONE, NONE)),
    (ETCD_PORT_LIST, "2379/tcp, 2380/tcp", "en", (("2379", "2380"), NONE, NONE)),
    (ETCD_PORT_LIST, "2379/tcp/2380/tcp", "en", (("2379", "2380"), NONE, NONE)),
    (ETCD_PORT_LIST, "2379 and 2381", "en", (("2379",), ("2380",), ("2381",))),
]


@pytest.mark.parametrize(
    ("c", "text", "lang", "outcome"),
    [pytest.param(*row, id=f"{row[0].id}:{row[2]}:{row[1]!r}") for row in LIST_CASES],
)
def test_list_answers_get_credit_item_by_item(
    c: Card, text: str, lang: str, outcome: tuple[Items, Items, Items]
) -> None:
    """Items count in any order and language; correct only when none is missing or extra."""
    verdict = grade(c, text, lang)
    _, missing, extra = outcome
    assert (verdict.found, verdict.missing, verdict.extra) == outcome
    assert verdict.correct == (not missing and not extra)


def test_a_wrong_list_item_that_is_a_known_mistake_is_named() -> None:
    """An extra item that is a known mistake is listed among the verdict's mistakes."""
    verdict = grade(CONTROL_PLANE, "kube-apiserver, etcd, kube-scheduler, kube proxy")
    assert verdict.extra == ("kube proxy",)
    assert [m.answer for m in verdict.mistakes] == ["kube-proxy"]


def test_a_typo_in_a_list_item_is_noted() -> None:
    """A list item typed with a small typo counts, and the note says which term it stood for."""
    verdict = grade(PROBES, "livenes, readiness, startup")
    assert verdict.correct
    assert verdict.typo == ("livenes", "liveness")


# ---------------------------------------------------------------- natural answers

PROXY_MODE = card(
    "proxy-mode",
    "iptables",
    question="Which kube-proxy mode is the default on Linux nodes?",
    pt_question="Qual modo do kube-proxy é o padrão em nodes Linux?",
    mistakes=(mistake("nftables"),),
    choices=("ipvs",),
)
EITHER_OR = card(  # no mistake lists the other option: the question alone protects it
    "either-or",
    "process level",
    accept=("OS level",),
    question="Does a container isolate at the hardware level or at the process level?",
    pt="nível de processo",
    pt_question="Um container isola no nível de hardware ou no nível de processo?",
)
MAX_NODES_ASKED = card(
    "max-nodes-asked", "5000", question="Up to how many nodes does one cluster support?"
)
QUORUM = card("quorum", "2", question="How many failures can a 5-member etcd cluster survive?")
PVC_SCOPE = card(
    "pvc-scope",
    "PersistentVolumeClaim",
    question="Of PersistentVolume and PersistentVolumeClaim, which one lives in a namespace?",
    mistakes=(mistake("PersistentVolume"),),
)
COPY_STEP = card(
    "copy-step",
    "4",
    accept=("COPY",),
    question="Which step of FROM, RUN, WORKDIR, COPY, RUN is invalidated first?",
    mistakes=(mistake("5", "RUN make"),),
)
NAMESPACE_TYPES = card(
    "namespace-types",
    ("pid", "net", "mnt"),
    question="Name three Linux namespace types.",
    mistakes=(mistake("cgroups"),),
)
CRIO = card(
    "crio",
    "CRI-O",
    question="Which runtime implements the CRI using OCI runtimes such as runc or crun?",
)
CONTROLLERS = card(
    "controllers",
    "kube-controller-manager",
    accept=("controller manager",),
    question="Which binary, not cloud-controller-manager, runs the Node and Job controllers?",
    mistakes=(mistake("cloud controller manager"),),
)
NATURAL = [
    # words the question says, and fillers, may go when what is left is right
    (PROXY_MODE, "iptables mode", True),
    (PROXY_MODE, "the iptables mode on Linux", True),
    (PROXY_MODE, "modo iptables", True),
    (PROXY_MODE, "just iptables", True),
    (PROXY_MODE, "basically only iptables", True),
    (PROXY_MODE, "mode", False),
    (PROXY_MODE, "the default mode", False),
    (PROXY_MODE, "just", False),
    (PROXY_MODE, "nftables mode", False),
    (PROXY_MODE, "ipvs mode", False),
    (PROXY_MODE, "not iptables", False),
    (PROXY_MODE, "no iptables", False),
    (PROXY_MODE, "iptables or nftables", False),
    (PROXY_MODE, "iptables nftables", False),
    (PROXY_MODE, "iptables userspace", False),
    (PROXY_MODE, "ipvs mode iptables", False),  # names a choice it does not keep whole
    # the other option of an either/or question never passes
    (EITHER_OR, "at the process level", True),
    (EITHER_OR, "no nível de processo", False),  # `no` is a negation in English
    (EITHER_OR, "hardware level", False),
    (EITHER_OR, "at the hardware level", False),
    (EITHER_OR, "hardware", False),
    (EITHER_OR, "process level hardware", False),
    (EITHER_OR, "hardware process level", False),
    (EITHER_OR, "nível de hardware", False),
    (CRIO, "CRI-O runtime", True),
    (CRIO, "runc CRI-O", False),  # what the question offers as options is never filler
    # a right answer that names a wrong one too is wrong
    (PVC_SCOPE, "PersistentVolumeClaim lives in a namespace", True),
    (PVC_SCOPE, "PersistentVolume PersistentVolumeClaim", False),
    (PVC_SCOPE, "PersistentVolumeClaim or PersistentVolume", False),
    (CONTROLLERS, "the controller manager binary", True),
    (CONTROLLERS, "cloud controller manager binary", False),  # holds the right one, but says more
    # a number the question names may go from a word answer, never from a numeric one
    (MAX_NODES_ASKED, "5000 nodes", True),
    (MAX_NODES_ASKED, "up to 5,000 nodes", True),
    (MAX_NODES_ASKED, "500 nodes", False),
    (MAX_NODES_ASKED, "5000 pods", False),
    (QUORUM, "2 failures", True),
    (QUORUM, "5 2", False),
    (QUORUM, "2 5", False),
    # a restatement in parentheses or after a dash
    (COPY_STEP, "4 (COPY)", True),
    (COPY_STEP, "COPY - step 4", True),
    (COPY_STEP, "4 (the COPY)", True),
    (COPY_STEP, "4 (RUN make)", False),
    (COPY_STEP, "4 (or 5)", False),
    (COPY_STEP, "5 (COPY)", False),
    (COPY_STEP, "4 (kubectl)", False),
    (COPY_STEP, "4 (not COPY)", False),
    # articles go by language: `OS level` is not `os` (Portuguese) plus `level`
    (EITHER_OR, "OS level", True),
    (EITHER_OR, "OS-level", True),
    (EITHER_OR, "os level", True),
    (EITHER_OR, "level", False),
    (EITHER_OR, "the level", False),
    (EITHER_OR, "o nível de processo", True),
    (NODE_AGENT, "o kubelet", True),
]


@pytest.mark.parametrize(
    ("c", "text", "right"),
    [pytest.param(*row, id=f"{row[0].id}:{row[1]!r}") for row in NATURAL],
)
def test_words_that_add_nothing_may_go_but_never_change_the_answer(
    c: Card, text: str, right: bool
) -> None:
    """Question words, fillers, restatements and articles: right stays right, wrong wrong."""
    verdict = grade(c, text)
    assert verdict.correct is right
    assert verdict.typo is None


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("Go templates", "Go templating"),
        ("orchestrator", "orchestration"),
        ("server virtualisation", "server virtualization"),
        ("authorisation", "authorizing"),
        ("policies", "policy"),
        ("processes", "process"),
        ("stacked", "stack"),
        ("caches", "caching"),
        ("efêmero", "efêmeras"),
        ("imagem", "imagens"),
        ("variável de ambiente", "variáveis de ambiente"),
        ("configurações", "configuração"),
        ("servidores", "servidor"),
        ("Kubernetes objects", "Kubernetes object"),
    ],
)
def test_inflections_and_derived_forms_are_the_same_word(answer: str, typed: str) -> None:
    """Plurals, -ing, -ed, -ation, -ator, -ise/-ize and pt-BR endings fold to one stem."""
    assert Grader([]).grade(card("stems", answer), typed).correct


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("kubelet", "kubectl"),
        ("kubelets", "kubectls"),
        ("runc", "runsc"),
        ("scheduler", "scheduling"),
        ("container", "containerd"),
        ("controller", "control"),
        ("replica", "replication"),
        ("https", "http"),
        ("Pod", "pode"),
        ("none", "non"),
        ("manager", "management"),
        ("2379", "2380"),
        ("v1.24", "v1.2"),
    ],
)
def test_the_stemmer_keeps_different_words_apart(answer: str, typed: str) -> None:
    """A stem never joins two words that name different things, nor two numbers (both are
    cards here, so typo tolerance knows them as two terms)."""
    first, second = card("first", answer), card("second", typed)
    grader = Grader([first, second])
    assert not grader.grade(first, typed).correct
    assert not grader.grade(second, answer).correct


@pytest.mark.parametrize(
    ("answer", "typed"),
    [("Linux namespaces", "SELinux namespaces"), ("OCI runtime spec", "CRI runtime spec")],
)
def test_a_typo_never_brings_in_another_known_term(answer: str, typed: str) -> None:
    """Two edits away, but `SELinux` and `CRI` are terms of their own: no typo."""
    assert not Grader([]).grade(card("typo-terms", answer), typed).correct


def test_a_list_piece_of_question_words_alone_is_no_extra() -> None:
    """`namespaces` among the items adds nothing: it is neither found nor an extra."""
    verdict = grade(NAMESPACE_TYPES, "pid net mnt namespace")
    assert verdict.correct
    assert verdict.extra == ()
    assert not grade(NAMESPACE_TYPES, "pid, net, mnt, cgroups namespace").correct


def test_a_mistake_reached_by_leaving_words_out_is_named() -> None:
    """`nftables mode` is wrong and the verdict names the mistake `nftables`."""
    assert [m.answer for m in grade(PROXY_MODE, "nftables mode").mistakes] == ["nftables"]


# ---------------------------------------------------------------- true or false

TRUE_FALSE = [
    *[
        (SECRETS_ENCRYPTED, word, True)
        for word in ("false", "F", "no", "n", "falso", "Não", "nao")
    ],
    *[(PODS_SHARE_NETWORK, word, True) for word in ("true", "T", "yes", "y", "Verdadeiro", "V")],
    *[(PODS_SHARE_NETWORK, word, True) for word in ("sim", "s", "Yes.", " TRUE ")],
    *[(SECRETS_ENCRYPTED, word, False) for word in ("true", "yes", "sim", "s", "v")],
    *[(PODS_SHARE_NETWORK, word, False) for word in ("false", "no", "não", "f", "nope")],
    *[(PODS_SHARE_NETWORK, word, False) for word in ("maybe", "ture", "true false", "1")],
]


@pytest.mark.parametrize(
    ("c", "text", "correct"),
    [pytest.param(*row, id=f"{row[0].id}:{row[1]!r}") for row in TRUE_FALSE],
)
def test_true_false_cards_take_yes_no_words_in_both_languages(
    c: Card, text: str, correct: bool
) -> None:
    """True/false takes its words in English and Portuguese; anything else is wrong."""
    verdict = grade(c, text)
    assert verdict.correct is correct
    assert not verdict.revealed


def test_a_true_false_mistake_is_named() -> None:
    """Answering the tempting side of a true/false card names the known mistake."""
    verdict = grade(SECRETS_ENCRYPTED, "sim")
    assert [m.answer for m in verdict.mistakes] == ["true"]


# ---------------------------------------------------------------- revealing


@pytest.mark.parametrize("text", ["", "?", "  ", " ? ", "\n"])
@pytest.mark.parametrize(
    "c", [APISERVER, ETCD_PORTS, PROBES, SECRETS_ENCRYPTED], ids=lambda c: c.id
)
def test_an_empty_answer_or_question_mark_reveals(c: Card, text: str) -> None:
    """An empty answer or `?` shows the answer and counts as wrong."""
    verdict = grade(c, text)
    assert verdict.revealed
    assert not verdict.correct


# ---------------------------------------------------------------- what the verdict shows


@pytest.mark.parametrize(
    ("c", "lang", "expected"),
    [
        pytest.param(UNIT, "en", "container", id="text-en"),
        pytest.param(UNIT, "pt-BR", "contêiner", id="text-pt"),
        pytest.param(CRI, "pt-BR", "CRI", id="untranslated-falls-back"),
        pytest.param(PROBES, "en", "liveness, readiness, startup", id="list-en"),
        pytest.param(PROBES, "pt-BR", "vivacidade, prontidão, inicialização", id="list-pt"),
        pytest.param(SECRETS_ENCRYPTED, "en", "false", id="false-en"),
        pytest.param(SECRETS_ENCRYPTED, "pt-BR", "falso", id="false-pt"),
        pytest.param(PODS_SHARE_NETWORK, "pt-BR", "verdadeiro", id="true-pt"),
    ],
)
def test_the_expected_answer_is_shown_in_the_session_language(
    c: Card, lang: str, expected: str
) -> None:
    """The verdict shows the canonical answer as a learner reads it in their language."""
    assert grade(c, "?", lang).expected == expected


def test_the_verdict_keeps_what_the_learner_typed() -> None:
    """The verdict carries the learner's own text, so it can be shown back to them."""
    assert grade(APISERVER, "Kube API server").given == "Kube API server"


def test_a_card_unknown_to_the_grader_is_still_graded() -> None:
    """A card the grader was not built with is graded by the same rules."""
    late = card("late", "kube-proxy", accept=("proxy",))
    grader = Grader([])
    assert grader.grade(late, "Kube Proxy").correct
    assert grader.grade(late, "kube-proxxy").typo == ("kube-proxxy", "kube-proxy")
    assert not grader.grade(late, "kube-apiserver").correct


@pytest.mark.parametrize(
    ("c", "text", "accepted"),
    [
        pytest.param(ETCD_PORTS, "2379 and 2380", True, id="alternative"),
        pytest.param(SCHEDULER, "kube-schedular", True, id="typo"),
        pytest.param(ETCD_PORTS, "2378-2380", False, id="mistake"),
        pytest.param(SCHEDULER, "kube-controller-manager", False, id="mistake-term"),
        pytest.param(LOW_LEVEL_RUNTIME, "crun", False, id="confusable-choice"),
        pytest.param(ETCD_PORTS, "?", False, id="reveal"),
    ],
)
def test_accepts_says_whether_a_text_would_be_graded_correct(
    c: Card, text: str, accepted: bool
) -> None:
    """`accepts` agrees with `grade`, typo tolerance included, as the deck validator needs."""
    assert GRADER.accepts(c, text) is accepted
    assert grade(c, text).correct is accepted


# ---------------------------------------------------------------- multiple choice

OPTIONS = ("kube-apiserver", "etcd", "kube-scheduler", "6443")


@pytest.mark.parametrize(
    ("text", "chosen"),
    [
        pytest.param("b", "etcd", id="letter"),
        pytest.param("B", "etcd", id="upper-letter"),
        pytest.param("b)", "etcd", id="letter-paren"),
        pytest.param("(c)", "kube-scheduler", id="letter-parens"),
        pytest.param("a.", "kube-apiserver", id="letter-period"),
        pytest.param("2", "etcd", id="number"),
        pytest.param("4", "6443", id="last-number"),
        pytest.param("kube scheduler", "kube-scheduler", id="text"),
        pytest.param("ETCD", "etcd", id="text-case"),
        pytest.param("6443/tcp", "6443", id="text-port"),
        pytest.param("e", None, id="letter-out-of-range"),
        pytest.param("5", None, id="number-out-of-range"),
        pytest.param("0", None, id="zero"),
        pytest.param("kubelet", None, id="unknown-text"),
        pytest.param("", None, id="empty"),
    ],
)
def test_resolve_choice_picks_by_letter_number_or_text(text: str, chosen: str | None) -> None:
    """A letter, a number or the option's own text picks that option; anything else picks none."""
    assert resolve_choice(text, OPTIONS) == chosen


def test_an_option_text_wins_over_its_number() -> None:
    """When options are numbers, typing one picks the option with that text."""
    assert resolve_choice("1", ["3", "5", "1"]) == "1"


def test_among_options_that_are_numbers_a_number_is_never_a_place() -> None:
    """Options 5, 2, 4, 3: `4` is the option 4 and `1` is no option (a wrong answer to
    grade, not a place to ask again); letters still pick by place."""
    options = ["5", "2", "4", "3"]
    assert resolve_choice("4", options) == "4"
    assert resolve_choice("1", options) is None
    assert resolve_choice("d", options) == "3"
    choices = [Choice(shown=o, original=o) for o in options]
    assert not names_no_option("1", choices)
    assert names_no_option("e", choices)


# ---------------------------------------------------------------- properties

CORRECT = [
    (APISERVER, "kube-apiserver"),
    (APISERVER, "API server"),
    (UNIT, "contêiner"),
    (CRI, "Container Runtime Interface"),
    (ETCD_PORTS, "2379 and 2380"),
    (ETCD_PORTS, "2379-2380"),
    (APISERVER_PORT, "TCP port 6443"),
    (DOCKERSHIM_REMOVED, "v1.24"),
    (PROBES, "inicialização, liveness e readiness probe"),
    (CONTROL_PLANE, "kube-apiserver, etcd, kube-scheduler, kube-controller-manager"),
    (PODS_SHARE_NETWORK, "verdadeiro"),
    (SECRETS_ENCRYPTED, "não"),
]
ACCENTED = {"a": "áàâã", "e": "éê", "i": "í", "o": "óôõ", "u": "úü", "c": "ç"}
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2003 "])


@st.composite
def rewritten(draw: st.DrawFn, text: str) -> str:
    """`text` with its case, accents and spacing changed the harmless ways."""
    words = [draw(rewritten_word(word)) for word in text.split(" ")]
    return draw(SPACES) + "".join(word + draw(SPACES) for word in words)


@st.composite
def rewritten_word(draw: st.DrawFn, word: str) -> str:
    """A word in another case, with accents added and spaces around its hyphens.

    One-letter words keep their accents: Portuguese `e` (and) is not `é` (is).
    """
    out = []
    for char in word:
        new = char
        if len(word) > 1 and char.lower() in ACCENTED and draw(st.booleans()):
            new = draw(st.sampled_from(ACCENTED[char.lower()]))
        if char == "-" and draw(st.booleans()):
            new = f"{draw(SPACES)}-{draw(SPACES)}"
        out.append(new.upper() if draw(st.booleans()) else new.lower())
    return "".join(out)


@given(st.data(), st.sampled_from(CORRECT))
def test_a_correct_answer_survives_harmless_rewriting(
    data: st.DataObject, pair: tuple[Card, str]
) -> None:
    """A correct answer stays correct when its case, accents or spacing change."""
    c, text = pair
    assert grade(c, data.draw(rewritten(text))).correct


@given(st.sampled_from(CARDS), st.text(), st.sampled_from(["en", "pt-BR", "xx"]))
def test_grading_never_raises(c: Card, text: str, lang: str) -> None:
    """Any text at all gets a verdict, and a revealed verdict is never correct."""
    verdict = grade(c, text, lang)
    assert not (verdict.revealed and verdict.correct)


@given(st.sampled_from([c for c in CARDS if c.kind.value == "list"]), st.text())
def test_list_verdicts_account_for_every_item(c: Card, text: str) -> None:
    """Every expected item of a list answer is either found or missing, never both."""
    verdict = grade(c, text)
    if not verdict.revealed:
        assert sorted((*verdict.found, *verdict.missing)) == sorted(c.items)


UNRELATED = st.text(alphabet="qwxzj#%@ ")


@given(st.sampled_from([c for c in CARDS if c.kind.value != "true-false"]), UNRELATED)
def test_text_sharing_nothing_with_the_answer_is_wrong(c: Card, text: str) -> None:
    """Text with no letter or digit in common with any accepted answer is never correct."""
    assert not grade(c, text).correct


@given(st.sampled_from([SECRETS_ENCRYPTED, PODS_SHARE_NETWORK]), UNRELATED)
def test_unrelated_text_on_a_true_false_card_is_wrong(c: Card, text: str) -> None:
    """Text that is no true/false word is never correct."""
    assert not grade(c, text).correct


@given(st.text(), st.lists(st.text(), max_size=6))
def test_resolve_choice_never_raises(text: str, options: list[str]) -> None:
    """Any text and options give an option or None."""
    chosen = resolve_choice(text, options)
    assert chosen is None or chosen in options
