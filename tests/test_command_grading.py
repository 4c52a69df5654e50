"""Command grading: a command is right when it does what the card's command does.

Tables say which rewritings keep a command's effect and which single changes alter it; the
properties say the same for every order of flags and every value; the end-to-end tests run
the real quiz; the last tests hold the tool knowledge against the real kubectl and docker.
"""

# ruff: noqa: E501 - the tables read best as one case per line

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8squiz.decks import cache
from k8squiz.decks.model import Card, CommandAnswer, Mistake
from k8squiz.grading import Grader
from k8squiz.grading.command import (
    Difference,
    DifferenceKind,
    describe,
    differences,
    problems,
    same_effect,
)
from k8squiz.grading.commandline import parse
from k8squiz.grading.tools import Flag, Kind, Tool, parse_flag, toolbook
from k8squiz.i18n import Words
from tests.conftest import CLI, FIXTURES

COMMANDS = FIXTURES / "commands"
EN, PT = Words("en"), Words("pt-BR")


def said(expected: str, given: str, *, optional: tuple[str, ...] = ()) -> list[str]:
    """What the learner is told about `given`, in English; empty when it is right."""
    return [describe(d, EN) for d in differences(expected, given, optional=optional)]


# What keeps a command's effect

EQUIVALENT = [
    # programs and subcommands
    ("kubectl get pods", "k get pods"),
    ("kubectl create deployment web --image=nginx", "kubectl create deploy web --image=nginx"),
    ("kubectl create configmap app --from-literal=a=1", "k create cm app --from-literal a=1"),
    ("kubectl create namespace apps", "kubectl create ns apps"),
    ("kubectl create serviceaccount bot", "kubectl create sa bot"),
    ("kubectl create cronjob c --image=busybox --schedule=@daily", "k create cj c --schedule @daily --image busybox"),
    ("kubectl create service nodeport web --tcp=80:8080", "k create svc nodeport web --tcp 80:8080"),
    ("kubectl config use-context prod", "kubectl config use prod"),
    ("helm show values bitnami/nginx", "helm inspect values bitnami/nginx"),
    ("kubectl apply -f web.yaml", "kubectl apply -f ./web.yaml"),
    ("kubectl get pods -l app=web", "kubectl get pods -l app==web"),
    ("kubectl get pods -l app=web,tier=fe", "kubectl get po --selector tier==fe,app=web"),
    ("kubectl create secret generic db --from-literal=a=1", "kubectl create secret generic db --from-literal=a=1 --type=Opaque"),
    ("kubectl rollout undo deployment/web", "kubectl rollout undo deployment/web --to-revision=0"),
    ("kubectl apply -f manifests", "kubectl apply --filename=./manifests/"),
    ("kubectl create configmap web --from-file=nginx.conf", "kubectl create cm web --from-file ./nginx.conf"),
    ("kubectl create configmap web --from-file=conf=nginx.conf", "kubectl create cm web --from-file=conf=./nginx.conf"),
    ("docker build -t web:1.0 .", "docker build -t web:1.0 ./"),
    ("docker build -t web:prod -f Dockerfile.prod .", "docker build -t web:prod -f ./Dockerfile.prod ."),
    ("kubectl run web --image=nginx", "kubectl run web --image=nginx --restart=Always"),
    ("docker run -d nginx", "docker run -d --restart=no nginx"),
    ("helm install web bitnami/nginx -f values-prod.yaml", "helm install web bitnami/nginx -f ./values-prod.yaml"),
    ("helm upgrade web bitnami/nginx -f a.yaml,b.yaml", "helm upgrade web bitnami/nginx --values ./a.yaml,./b.yaml"),
    ("helm show chart bitnami/nginx", "helm inspect chart bitnami/nginx"),
    ("kubectl explain deployment.spec.strategy", "kubectl explain deploy.spec.strategy"),
    ("kubectl explain deployment.spec.strategy", "k explain deployments.spec.strategy"),
    ("kubectl explain pod.spec", "kubectl explain po.spec"),
    ("minikube kubectl -- get pods --all-namespaces", "minikube kubectl -- get po -A"),
    ("minikube kubectl -- get pods --all-namespaces", "minikube kubectl -- get -A pods"),
    ("kubectl rollout undo deployment/web", "kubectl rollout undo deploy web"),
    ("docker run nginx", "docker container run nginx"),
    ("docker ps -a", "docker container ls --all"),
    ("docker images", "docker image ls"),
    ("docker rmi nginx", "docker image rm nginx"),
    ("helm uninstall web", "helm delete web"),
    ("helm repo add bitnami https://charts.bitnami.com/bitnami", "helm repo add bitnami https://charts.bitnami.com/bitnami"),
    ("minikube addons enable ingress", "minikube addons enable ingress"),
    ("sudo kubeadm token create --print-join-command", "kubeadm token create --print-join-command"),
    ("ETCDCTL_API=3 etcdctl snapshot save /backup/etcd.db", "etcdctl snapshot save /backup/etcd.db"),
    # resources: aliases, plurals, TYPE/NAME, several names, groups, case
    ("kubectl get deployment web", "kubectl get deployments/web"),
    ("kubectl get deployment web", "kubectl get deploy/web"),
    ("kubectl get deployment web", "kubectl get deployments.apps web"),
    ("kubectl get deployment web", "kubectl get Deployment web"),
    ("kubectl delete pod a b", "kubectl delete po b a"),
    ("kubectl delete pod a b", "kubectl delete pod/a pods/b"),
    ("kubectl get pods,services", "kubectl get svc,po"),
    ("kubectl describe node n1", "kubectl describe no n1"),
    ("kubectl get pvc", "kubectl get persistentvolumeclaims"),
    ("kubectl get networkpolicy", "kubectl get netpol"),
    ("kubectl get hpa", "kubectl get horizontalpodautoscalers.autoscaling"),
    ("kubectl get crd", "kubectl get customresourcedefinitions"),
    ("kubectl logs web", "kubectl logs pod/web"),
    ("kubectl logs web", "kubectl logs po/web"),
    # flags: order, =value or value, short or long, combined, booleans, quoting
    ("kubectl get pods -n kube-system -o wide", "kubectl get pods -o wide -n kube-system"),
    ("kubectl get pods -n kube-system", "kubectl -n kube-system get pods"),
    ("kubectl get pods -n kube-system", "kubectl get pods --namespace=kube-system"),
    ("kubectl get pods -n kube-system", "kubectl get pods -nkube-system"),
    ("kubectl get pods -n kube-system", "kubectl get pods -n=kube-system"),
    ("kubectl get pods -A", "kubectl get pods --all-namespaces"),
    ("kubectl get pods -A", "kubectl get pods --all-namespaces=true"),
    ("kubectl get pods -l app=web", "kubectl get pods --selector app=web"),
    ("kubectl apply -f web.yaml", "kubectl apply --filename=web.yaml"),
    ("kubectl create deployment web --image=nginx --replicas=3", "kubectl create deployment web -r 3 --image nginx"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment --image=nginx web"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --image='nginx'"),
    ("kubectl create deployment web --image=nginx", 'kubectl create deployment "web" "--image=nginx"'),
    ("kubectl delete pod web --force", "kubectl delete pod web --force=true"),
    ("kubectl delete pod web", "kubectl delete pod web --force=false"),
    ("kubectl run web --image=nginx --dry-run=client -o yaml", "kubectl run web --image nginx -o yaml --dry-run"),
    ("kubectl scale deployment web --replicas=5", "kubectl scale --replicas 5 deploy/web"),
    ("kubectl exec -it web -- sh", "kubectl exec web -ti -- sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -i -t pod/web -- sh"),
    ("kubectl exec -it web -- sh -c 'ls /'", 'kubectl exec web -it -- sh -c "ls /"'),
    ("docker run -it --rm busybox sh", "docker run --rm -ti busybox sh"),
    ("docker run -itd --name box busybox", "docker run -d -t -i --name=box busybox"),
    ("docker run -d -p 8080:80 nginx", "docker run -p8080:80 -d nginx"),
    ("docker run -d -p 8080:80 nginx", "docker run --publish 8080:80/tcp --detach nginx"),
    ("docker build -t app:1.0 .", "docker build --tag app:1.0 ."),
    ("docker logs -f web", "docker logs --follow web"),
    ("crictl ps -a", "crictl ps --all"),
    ("helm list -A", "helm ls --all-namespaces"),
    ("helm install web bitnami/nginx -n apps --create-namespace", "helm install --create-namespace --namespace apps web bitnami/nginx"),
    ("kubeadm upgrade apply v1.30.0 -y", "kubeadm upgrade apply --yes v1.30.0"),
    # repeatable flags and lists compare as multisets
    ("docker run -e A=1 -e B=2 alpine", "docker run -e B=2 --env A=1 alpine"),
    ("docker run -p 80:80 -p 443:443 nginx", "docker run -p 443:443 -p 80:80 nginx"),
    ("docker run -v /data:/data -v /logs:/logs alpine", "docker run -v /logs:/logs --volume /data:/data alpine"),
    # docker's --mount and -v: one mount in two syntaxes
    ("docker run -d -v data:/data redis", "docker run -d --mount type=volume,source=data,target=/data redis"),
    ("docker run -d -v data:/data redis", "docker run -d --mount source=data,target=/data redis"),
    ("docker run -d -v data:/data redis", "docker run -d --mount dst=/data,src=data,Type=volume redis"),
    ("docker run -v /srv/www:/usr/share/nginx/html nginx", "docker run --mount type=bind,source=/srv/www,target=/usr/share/nginx/html nginx"),
    ("docker run -v /srv/www:/usr/share/nginx/html:ro nginx", "docker run --mount type=bind,src=/srv/www,destination=/usr/share/nginx/html,readonly nginx"),
    ("docker run -v data:/data:ro alpine", "docker run --mount source=data,target=/data,ro=true alpine"),
    ("docker run -v data:/data alpine", "docker run -v data:/data:rw alpine"),
    ("docker run -v data:/data alpine", "docker run --mount source=data,target=/data,readonly=false alpine"),
    ("docker run -v /data alpine", "docker run --mount target=/data alpine"),
    ("docker run -v ./site:/site nginx", "docker run --mount type=bind,source=./site,target=/site nginx"),
    ("docker run -v /a:/b:ro,rshared alpine", "docker run --mount type=bind,source=/a,target=/b,bind-propagation=rshared,readonly alpine"),
    ("docker run -v data:/data:nocopy alpine", "docker run --mount source=data,target=/data,volume-nocopy alpine"),
    ("docker run -v a:/a -v /b:/b alpine", "docker run --mount type=bind,source=/b,target=/b -v a:/a alpine"),
    ("docker create -v data:/data redis", "docker container create --mount source=data,target=/data redis"),
    ("kubectl create secret generic db --from-literal=user=admin --from-literal=pw=x", "kubectl create secret generic db --from-literal=pw=x --from-literal=user=admin"),
    ("helm install db bitnami/mysql --set a=1 --set b=2", "helm install db bitnami/mysql --set b=2,a=1"),
    ("kubectl get pods -l app=web,tier=fe", "kubectl get pods -l tier=fe,app=web"),
    ("kubectl create role r --verb=get,list --resource=pods", "kubectl create role r --verb=list --verb=get --resource=pods"),
    ("kubectl label pod web env=prod tier=fe", "kubectl label po/web tier=fe env=prod"),
    # ports: a bare port is the same port on both sides where the tool says so (not --tcp:
    # kubectl names that port "80", and "80:80" "80-80")
    ("kubectl port-forward pod/web 8080", "kubectl port-forward web 8080:8080"),
    # what follows --, redirections and pipes
    ("kubectl run busy --image=busybox -- sleep 3600", "kubectl run busy --image busybox -- sleep 3600"),
    # a program run in a container by name or by its path in a folder of the default PATH
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- /bin/sh"),
    ("kubectl exec -it web -- /bin/bash", "kubectl exec -ti web -- bash"),
    ("kubectl exec -it web -- bash", "kubectl exec -it web -- /usr/bin/bash"),
    ("kubectl exec web -- sh -c 'ls /'", "kubectl exec web -- /bin/sh -c 'ls /'"),
    ("kubectl exec web -- env", "kubectl exec web -- /usr/bin/env"),
    ("kubectl exec web -- nginx -s reload", "kubectl exec web -- /usr/sbin/nginx -s reload"),
    ("kubectl exec web -- python3", "kubectl exec web -- /usr/local/bin/python3"),
    ("docker exec -it web sh", "docker exec -it web /bin/sh"),
    ("docker container exec -it web /usr/bin/bash", "docker exec -it web bash"),
    ("crictl exec -it 1a2b sh", "crictl exec -it 1a2b /bin/sh"),
    ("kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml", "kubectl run web --image=nginx -o yaml --dry-run=client >pod.yaml"),
    ("kubectl get secret db -o jsonpath='{.data.pw}' | base64 -d", 'kubectl get secret db -o jsonpath="{.data.pw}" | base64 -d'),
]  # fmt: skip


@pytest.mark.parametrize(("expected", "given"), EQUIVALENT)
def test_a_rewriting_that_keeps_the_effect_is_right(expected: str, given: str) -> None:
    """Aliases, flag order and form, quoting and multisets never make a command wrong."""
    assert said(expected, given) == []


@pytest.mark.parametrize(("expected", "given"), EQUIVALENT)
def test_equivalence_goes_both_ways(expected: str, given: str) -> None:
    """If A does what B does, B does what A does."""
    assert same_effect(given, expected)


# What changes it, and what the learner is told

DIFFERENT = [
    ("kubectl create deployment web --image=nginx --replicas=3", "kubectl create deployment web --image=nginx", "missing --replicas=3"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --image=nginx --force", "unexpected flag --force"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --image=nginx:1.27", "--image is nginx:1.27, expected nginx"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --image=nginx:latest", "--image is nginx:latest, expected nginx"),
    ("kubectl create deployment web --image=nginx:1.27", "kubectl create deployment web --image=nginx", "--image is nginx, expected nginx:1.27"),
    ("kubectl create deployment web --image=nginx --replicas=3", "kubectl create deployment web --image=nginx -r 2", "-r is 2, expected 3"),
    ("docker run -d -p 8080:80 nginx", "docker run -d -p 80:8080 nginx", "-p is host:container: you published container port 8080 on host port 80"),
    ("docker run -d -p 8080:80 nginx", "docker run -d -p 8081:80 nginx", "-p is 8081:80, expected 8080:80"),
    ("kubectl run web --image=nginx", "kubectl run web --image=nginx --restart=Never", "unexpected flag --restart=Never"),
    ("kubectl exec -it api -- sh", "kubectl exec -it api sh", "no command after --, expected sh"),
    ("helm install web bitnami/nginx -f values-prod.yaml", "helm install web bitnami/nginx -f values-dev.yaml", "-f is values-dev.yaml, expected values-prod.yaml"),
    ("kubectl port-forward pod/web 8080:80", "kubectl port-forward pod/web 80:8080", "ports 80:8080 has its two ports the wrong way round: expected 8080:80"),
    ("kubectl create service nodeport web --tcp=80:8080", "kubectl create service nodeport web --tcp=8080:80", "--tcp 8080:80 has its two ports the wrong way round: expected 80:8080"),
    ("kubectl create deployment web --image=nginx", "kubectl apply deployment web --image=nginx", "subcommand is apply, expected create deployment"),
    ("kubectl create deployment web --image=nginx", "kubectl create job web --image=nginx", "subcommand is create job, expected create deployment"),
    ("kubectl get deployment web", "kubectl get service web", "resource is service, expected deployment"),
    ("kubectl explain deployment.spec.strategy", "kubectl explain pod.spec.strategy", "field is pod.spec.strategy, expected deployment.spec.strategy"),
    ("minikube kubectl -- get pods --all-namespaces", "minikube kubectl -- get pods", "missing --all-namespaces"),
    ("minikube kubectl -- get pods --all-namespaces", "minikube kubectl -- get svc -A", "resource is service, expected pod"),
    ("kubectl exec web -- ls /", "kubectl exec web -- ls -a /", "the command after -- is ls -a /, expected ls /"),
    ("kubectl apply -f web.yaml", "kubectl apply -f ../web.yaml", "-f is ../web.yaml, expected web.yaml"),
    ("kubectl get pods -l app=web", "kubectl get pods -l app!=web", "-l is app!=web, expected app=web"),
    ("kubectl create secret generic db --from-literal=a=1", "kubectl create secret generic db --from-literal=a=1 --type=kubernetes.io/basic-auth", "unexpected flag --type=kubernetes.io/basic-auth"),
    ("kubectl rollout undo deployment/web", "kubectl rollout undo deployment/web --to-revision=2", "unexpected flag --to-revision=2"),
    ("kubectl create configmap web --from-file=conf=nginx.conf", "kubectl create configmap web --from-file=cfg=nginx.conf", "--from-file is cfg=nginx.conf, expected conf=nginx.conf"),
    ("docker build -t web:1.0 .", "docker build -t web:1.0 ..", "context is .., expected ."),
    ("kubectl get deployment web", "kubectl get deployment web2", "name is web2, expected web"),
    ("kubectl delete pod a b", "kubectl delete pod a", "name is a, expected a, b"),
    ("kubectl logs web", "kubectl logs deploy/web", "resource is deployment, expected pod"),
    ("kubectl get pods", "docker ps", "the program is docker, expected kubectl"),
    ("kubectl get pods", "kubctl get pods", "the program is kubctl, expected kubectl"),
    ("helm install db bitnami/mysql", "helm install bitnami/mysql db", "name is bitnami/mysql, expected db"),
    ("helm install db bitnami/mysql", "helm install db bitnami/mariadb", "chart is bitnami/mariadb, expected bitnami/mysql"),
    ("helm install db bitnami/mysql", "helm install db", "missing chart bitnami/mysql"),
    ("docker run busybox sleep 10", "docker run busybox 10 sleep", "command is 10 sleep, expected sleep 10"),
    ("docker run -d nginx", "docker run nginx -d", "missing -d"),
    ("docker stop web", "docker stop web db", "containers is db web, expected web"),
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- bash", "the command after -- is bash, expected sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -i web -- sh", "missing -t"),
    ("kubectl exec -it web -- /bin/sh", "kubectl exec -it web -- bash", "the command after -- is bash, expected /bin/sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- /bin/bash", "the command after -- is /bin/bash, expected sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- ./sh", "the command after -- is ./sh, expected sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- /opt/bin/sh", "the command after -- is /opt/bin/sh, expected sh"),
    ("kubectl exec -it web -- sh", "kubectl exec -it web -- /bin/sh/", "the command after -- is /bin/sh/, expected sh"),
    ("kubectl exec web -- sh -c 'ls /'", "kubectl exec web -- /bin/sh -c 'ls /tmp'", "the command after -- is /bin/sh -c 'ls /tmp', expected sh -c 'ls /'"),
    ("kubectl exec web -- ls /bin/sh", "kubectl exec web -- ls sh", "the command after -- is ls sh, expected ls /bin/sh"),
    ("kubectl exec web -- sh", "kubectl exec web -- env sh", "the command after -- is env sh, expected sh"),
    ("docker exec -it web sh", "docker exec -it web /bin/bash", "command is /bin/bash, expected sh"),
    ("docker exec -it web /bin/sh", "docker exec -it web /bin/sh /bin/sh", "command is /bin/sh /bin/sh, expected /bin/sh"),
    # a command an object records is the object's as typed (and may be the arguments of the
    # image's entrypoint): only a program started in a running container is read by name
    ("docker run -it alpine sh", "docker run -it alpine /bin/sh", "command is /bin/sh, expected sh"),
    ("kubectl run tmp -it --image=busybox -- sh", "kubectl run tmp -it --image=busybox -- /bin/sh", "the command after -- is /bin/sh, expected sh"),
    ("kubectl create job hello --image=busybox -- echo hi", "kubectl create job hello --image=busybox -- /bin/echo hi", "the command after -- is /bin/echo hi, expected echo hi"),
    ("docker run -e A=1 -e B=2 alpine", "docker run -e A=1 alpine", "missing -e B=2"),
    ("docker run -v data:/data redis", "docker run --mount type=bind,source=data,target=/data redis", "missing -v data:/data"),
    ("docker run -v data:/data redis", "docker run --mount type=bind,source=data,target=/data redis", "unexpected flag --mount=type=bind,source=data,target=/data"),
    ("docker run -v /data:/data alpine", "docker run --mount source=data,target=/data alpine", "unexpected flag --mount=source=data,target=/data"),
    ("docker run -v data:/data redis", "docker run --mount source=data,target=/db redis", "unexpected flag --mount=source=data,target=/db"),
    ("docker run -v data:/data:ro redis", "docker run --mount source=data,target=/data redis", "missing -v data:/data:ro"),
    ("docker run --mount source=data,target=/data redis", "docker run --mount source=data,target=/data,readonly redis", "--mount is source=data,target=/data,readonly, expected source=data,target=/data"),
    ("docker run -v /data alpine", "docker run --mount type=tmpfs,target=/data alpine", "unexpected flag --mount=type=tmpfs,target=/data"),
    ("docker run -v /a:/b:z alpine", "docker run --mount type=bind,source=/a,target=/b,z alpine", "missing -v /a:/b:z"),
    ("docker run --mount source=data,target=/data alpine", "docker run -v source=data,target=/data alpine", "unexpected flag -v source=data,target=/data"),
    ("docker run -v a:/a -v b:/b alpine", "docker run --mount source=a,target=/a alpine", "missing -v b:/b"),
    ("docker run -v data:/data redis", "docker run -v data:/db redis", "-v is data:/db, expected data:/data"),
    ("docker run -e A=1 alpine", "docker run -e A=1 -e A=1 alpine", "unexpected flag -e A=1"),
    ("kubectl create deployment web --image=nginx --image=redis", "kubectl create deployment web --image=redis --image=nginx", "--image is redis, nginx, expected nginx, redis"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --imag=nginx", "missing --image=nginx"),
    ("kubectl run web --image=nginx --dry-run=client", "kubectl run web --image=nginx --dry-run client", "unexpected argument client"),
    ("kubectl get pods -n prod", "kubectl get pods", "missing -n prod"),
    ("kubectl scale deployment web --replicas=0", "kubectl scale deployment web", "missing --replicas=0"),
    ("kubectl delete pod web", "kubectl delete pod web --force=true", "unexpected flag --force"),
    ("kubectl run web --image=nginx -o yaml > pod.yaml", "kubectl run web --image=nginx -o yaml > web.yaml", "> is web.yaml, expected pod.yaml"),
    ("kubectl get secret db -o yaml | base64 -d", "kubectl get secret db -o yaml", "the commands are joined by kubectl, expected kubectl | base64"),
    ("etcdctl snapshot save /backup/etcd.db", "ETCDCTL_API=2 etcdctl snapshot save /backup/etcd.db", "unexpected flag ETCDCTL_API=2"),
    ("kubectl get pods", "kubectl get pods 'unclosed", "the command cannot be read: a quote is not closed"),
    ("kubectl get pods", "kubectl get pods \\", "the command cannot be read: it ends with a backslash"),
    ("kubectl get pods", "   ", "the command cannot be read: it is empty"),
]  # fmt: skip


@pytest.mark.parametrize(("expected", "given", "told"), DIFFERENT)
def test_a_single_change_makes_it_wrong_and_says_what(
    expected: str, given: str, told: str
) -> None:
    """Each change that alters the result is a difference, named in words the learner can act on."""
    assert told in said(expected, given)


@pytest.mark.parametrize(("expected", "given", "told"), DIFFERENT)
def test_a_difference_is_a_difference_both_ways(expected: str, given: str, told: str) -> None:
    """If A does not do what B does, B does not do what A does."""
    assert not same_effect(given, expected)


def test_optional_flags_may_be_added_or_left_out() -> None:
    """An optional flag may be present with its value, or absent; another value is wrong."""
    command, optional = "kubectl create deployment web --image=nginx", ("--namespace=default",)
    assert said(command, f"{command} -n default", optional=optional) == []
    assert said(f"{command} -n default", command, optional=optional) == []
    assert said(command, f"{command} -n prod", optional=optional) == ["unexpected flag -n prod"]


def test_an_optional_flag_without_a_value_allows_any_value() -> None:
    """`--dry-run` as optional lets the learner add --dry-run with any value."""
    command = "kubectl create deployment web --image=nginx"
    assert said(command, f"{command} --dry-run=server", optional=("--dry-run",)) == []


def test_alternatives_are_accepted_too() -> None:
    """A command that does what an alternative does is right."""
    found = differences(
        "kubectl expose deployment web --port=80",
        "k create svc clusterip web --tcp 80:80",
        alternatives=("kubectl create service clusterip web --tcp=80:80",),
    )
    assert found == ()


def test_the_closest_accepted_command_is_the_one_explained() -> None:
    """Feedback is about the accepted command the learner came closest to."""
    found = differences(
        "kubectl expose deployment web --port=80",
        "kubectl create service clusterip web --tcp=81:80",
        alternatives=("kubectl create service clusterip web --tcp=80:80",),
    )
    assert [describe(d, EN) for d in found] == ["--tcp is 81:80, expected 80:80"]


# Words in both languages

WORDS = [
    (Difference(DifferenceKind.MISSING_FLAG, "--replicas", expected="3"), "missing --replicas=3", "faltou --replicas=3"),
    (Difference(DifferenceKind.UNEXPECTED_FLAG, "--force", given="true"), "unexpected flag --force", "flag a mais: --force"),
    (Difference(DifferenceKind.FLAG_VALUE, "--image", "nginx:1.27", "nginx"), "--image is nginx:1.27, expected nginx", "--image é nginx:1.27, esperado nginx"),
    (Difference(DifferenceKind.SWAPPED_PUBLISH, "-p", "80:8080", "8080:80"), "-p is host:container: you published container port 8080 on host port 80", "-p é host:contêiner: você publicou a porta 8080 do contêiner na porta 80 do host"),
    (Difference(DifferenceKind.SUBCOMMAND, given="apply", expected="create"), "subcommand is apply, expected create", "o subcomando é apply, esperado create"),
    (Difference(DifferenceKind.SUBCOMMAND, expected="create"), "no subcommand, expected create", "falta o subcomando create"),
    (Difference(DifferenceKind.RESOURCE, given="service", expected="deployment"), "resource is service, expected deployment", "o recurso é service, esperado deployment"),
    (Difference(DifferenceKind.UNREADABLE, given="quote"), "the command cannot be read: a quote is not closed", "não consigo ler o comando: uma aspa não foi fechada"),
    (Difference(DifferenceKind.EXTRA_ARGUMENT, given="client"), "unexpected argument client", "argumento a mais: client"),
]  # fmt: skip


@pytest.mark.parametrize(("difference", "english", "portuguese"), WORDS)
def test_a_difference_is_told_in_the_learners_language(
    difference: Difference, english: str, portuguese: str
) -> None:
    """Every difference reads as one sentence in English and in Brazilian Portuguese."""
    assert (describe(difference, EN), describe(difference, PT)) == (english, portuguese)


@pytest.mark.parametrize("kind", DifferenceKind)
def test_every_kind_of_difference_has_words(kind: DifferenceKind) -> None:
    """No kind of difference is left without a message in either language."""
    difference = Difference(kind, "--x", "quote", "b")
    for words in (EN, PT):
        assert describe(difference, words).strip()


def test_control_characters_never_reach_the_screen_raw() -> None:
    """A learner's escape sequence is shown escaped, never sent to the terminal as is."""
    told = said("kubectl get pods", "kubectl get pods \x1b[31mred")
    assert told
    assert all("\x1b" not in line for line in told)


# Properties

REORDERABLE = [  # a command, and flag groups that may come in any order
    ("kubectl create deployment web", ["--image=nginx:1.27", "-r 3", "--port=80", "-n apps", "--dry-run=client", "-o yaml"]),
    ("docker run", ["-d", "--name web", "-p 8080:80", "-e A=1", "-e B=2", "--rm", "-v /d:/d"]),
    ("helm install web bitnami/nginx", ["-n apps", "--create-namespace", "--set a=1", "--set b=2", "--version 15.0.0", "--wait"]),
    ("kubectl get pods", ["-n kube-system", "-o wide", "-l app=web", "--show-labels", "-w"]),
]  # fmt: skip
SUFFIX = {"docker run": " nginx"}  # docker run's flags end at the image


@st.composite
def reorderings(draw: st.DrawFn) -> tuple[str, str, str]:
    """A command, a learner's choice of its flags, and the same choice in another order."""
    head, groups = draw(st.sampled_from(REORDERABLE))
    chosen = draw(st.lists(st.sampled_from(groups), unique=True))
    shuffled = draw(st.permutations(chosen))
    tail = SUFFIX.get(head, "")
    full = f"{head} {' '.join(groups)}{tail}"
    return full, f"{head} {' '.join(chosen)}{tail}", f"{head} {' '.join(shuffled)}{tail}"


@settings(max_examples=200, deadline=None)
@given(reorderings())
def test_reordering_flags_never_changes_a_verdict(case: tuple[str, str, str]) -> None:
    """Whatever flags a learner gives, their order changes neither the verdict nor the feedback."""
    expected, chosen, shuffled = case
    first, second = differences(expected, chosen), differences(expected, shuffled)
    assert sorted(map(repr, first)) == sorted(map(repr, second))


VALUED = [  # commands with their values in braces: each is a name, flag value, tag or port
    "kubectl create deployment {web} --image=nginx:{1.27} --replicas={3} -n {apps}",
    "docker run -d --name {web} -p {8080}:{80} -e {MODE}={prod} nginx:{1.27}",
    "helm install {db} {bitnami}/{mysql} --set {auth.user}={admin} --version {9.4.0}",
    "kubectl create secret generic {db} --from-literal={user}={admin}",
    "kubectl port-forward pod/{web} {8080}:{80}",
    "kubectl exec -it {web} -c {app} -- {sh}",
    "kubectl scale deployment/{web} --replicas={5}",
    "kubectl label pod {web} {env}={prod}",
    "kubeadm join {10.0.0.1}:{6443} --token {abcdef.0123456789abcdef}",
    "etcdctl snapshot save {/backup/etcd.db} --endpoints={https://127.0.0.1:2379}",
]  # fmt: skip
VALUE = re.compile(r"\{([^}]*)\}")


@st.composite
def changed_values(draw: st.DrawFn) -> tuple[str, str]:
    """A right command, and the same with one of its values changed."""
    template = draw(st.sampled_from(VALUED))
    values = VALUE.findall(template)
    index = draw(st.integers(0, len(values) - 1))
    new = draw(st.from_regex(r"[a-z0-9][a-z0-9.]{0,7}", fullmatch=True))
    old = values[index]
    if new == old or (new.isdigit() and old.isdigit() and int(new) == int(old)):
        new += "x"  # --replicas=05 is --replicas=5: the same value, not a changed one
    fill = iter(range(len(values)))
    changed = VALUE.sub(lambda m: new if next(fill) == index else m.group(1), template)
    return VALUE.sub(r"\1", template), changed


@settings(max_examples=300, deadline=None)
@given(changed_values())
def test_changing_any_one_value_makes_a_right_command_wrong(case: tuple[str, str]) -> None:
    """A name, flag value, image tag or port changed is always a difference."""
    right, changed = case
    assert said(right, right) == []
    assert said(right, changed)


SHELLISH = st.lists(
    st.sampled_from(
        ["kubectl", "k", "docker", "helm", "run", "create", "deploy", "-", "--", "-it", "-p",
         "--image", "=", "'", '"', "\\", "|", "&&", ";", ">", "a=b", "x:y", "po/web", "\x00",
         "--set", "-n", "etcdctl", "ETCDCTL_API=3", "sudo", ",", "{", "}", " "]
    )
).map("".join)  # fmt: skip
ANY_COMMAND_CARD = Card(
    id="any",
    question="Create a Deployment web running nginx.",
    answer=CommandAnswer(
        command="kubectl create deployment web --image=nginx",
        alternatives=("kubectl create deploy web --image nginx",),
        optional=("--namespace=default",),
    ),
    explanation="Because.",
    mistakes=(Mistake(answer="kubectl run web --image=nginx", reason="A Pod, not a Deployment."),),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), SHELLISH, st.binary().map(lambda b: b.decode("latin-1"))))
def test_grading_never_raises_on_any_text(text: str) -> None:
    """Any text at all (unbalanced quotes, junk, control characters) gets a verdict."""
    verdict = Grader([ANY_COMMAND_CARD]).grade(ANY_COMMAND_CARD, text, "pt-BR")
    for difference in verdict.differences:
        describe(difference, PT)


# The grader's verdict on a command card


def command_card(**answer: object) -> Card:
    mistakes = (
        Mistake(answer="kubectl run web --image=nginx:1.27 --replicas=3", reason="A Pod."),
        Mistake(answer="kubectl create deployment web --image=nginx:latest", reason="Latest."),
    )
    return Card(
        id="deploy-web",
        question="Create a Deployment web running nginx:1.27 with 3 replicas.",
        answer=CommandAnswer(
            command="kubectl create deployment web --image=nginx:1.27 --replicas=3", **answer
        ),  # type: ignore[arg-type]
        explanation="kubectl create deployment.",
        mistakes=mistakes,
    )


PROMPT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # ends a prompt at a terminal


class TestVerdict:
    def test_a_rewritten_command_is_correct(self) -> None:
        """An aliased, reordered form is correct, and the expected answer is the card's command."""
        card = command_card()
        verdict = Grader([card]).grade(card, "k create deploy web --replicas 3 --image nginx:1.27")
        assert verdict.correct
        assert verdict.expected == "kubectl create deployment web --image=nginx:1.27 --replicas=3"
        assert verdict.differences == ()

    def test_a_wrong_command_lists_its_differences(self) -> None:
        """The verdict carries what differs, as structured differences."""
        card = command_card()
        verdict = Grader([card]).grade(card, "kubectl create deployment web --image=nginx:1.27")
        assert not verdict.correct
        assert verdict.differences == (
            Difference(DifferenceKind.MISSING_FLAG, "--replicas", expected="3"),
        )

    @pytest.mark.parametrize("given", ["", "   ", "?"])
    def test_an_empty_answer_or_a_question_mark_reveals(self, given: str) -> None:
        """Enter or ? shows the command and counts as wrong, as for any card."""
        card = command_card()
        verdict = Grader([card]).grade(card, given)
        assert (verdict.correct, verdict.revealed) == (False, True)

    def test_a_known_mistake_matches_by_what_it_does(self) -> None:
        """A learner command that does what a known mistake does is that mistake."""
        card = command_card()
        verdict = Grader([card]).grade(card, "k run web --replicas 3 --image nginx:1.27")
        assert not verdict.correct
        assert [m.reason for m in verdict.mistakes] == ["A Pod."]

    def test_a_known_mistake_wins_over_an_alternative(self) -> None:
        """Even if an alternative would accept it, a known mistake is wrong."""
        card = command_card(alternatives=("kubectl create deployment web --image=nginx:latest",))
        verdict = Grader([card]).grade(card, "kubectl create deploy web --image=nginx:latest")
        assert not verdict.correct
        assert [m.reason for m in verdict.mistakes] == ["Latest."]

    def test_accepts_and_matches_mistake_read_commands(self) -> None:
        """validate's questions get command answers: accepted forms and matched mistakes."""
        card = command_card()
        grader = Grader([card])
        assert grader.accepts(card, "kubectl create deploy web -r 3 --image=nginx:1.27")
        assert not grader.accepts(card, "kubectl run web --image=nginx:1.27 --replicas=3")
        assert grader.matches_mistake(card, "kubectl run web --replicas=3 --image nginx:1.27")


# Reading commands


def test_unknown_flags_are_compared_as_typed() -> None:
    """A typo of a flag is a difference, not an error, and the same typo twice is equal."""
    assert same_effect("kubectl get pods --wide", "kubectl get pods --wide")
    assert not same_effect("kubectl get pods --wide", "kubectl get pods -o wide")


def test_unknown_programs_are_compared_word_by_word() -> None:
    """A command of a tool k8squiz does not know is compared literally."""
    assert same_effect("base64 -d file", "base64 -d file")
    assert not same_effect("base64 -d file", "base64 file -d")


def test_flags_after_docker_runs_image_belong_to_the_container() -> None:
    """`docker run IMAGE -d` passes -d to the container's command: flags end at the image."""
    [run] = parse("docker run nginx -d").parts
    assert next(a.words for a in run.arguments if a.label == "command")[0].text == "-d"


def test_a_value_flag_takes_the_next_word_even_when_it_starts_with_a_dash() -> None:
    """pflag's rule: `-f -` reads standard input."""
    [apply] = parse("kubectl apply -f -").parts
    assert [s.words[0].key for s in apply.settings] == ["-"]


def test_problems_name_unknown_tools_subcommands_and_flags() -> None:
    """validate's messages: a misspelt tool always, another tool only in a right answer (a
    mistake may be the wrong tool), unknown subcommands and flags when strict."""
    assert "did you mean 'kubectl'?" in problems("kubect get pods", strict=False)[0]
    assert problems("ctr images ls", strict=False) == ()
    assert "not a tool k8squiz knows" in problems("ctr images ls", strict=True)[0]
    assert problems("kubectl frobnicate pods", strict=False) == ()
    assert problems("kubectl frobnicate pods", strict=True) == (
        "'kubectl frobnicate' is not a subcommand k8squiz knows",
    )
    assert problems("kubectl get pods --wide", strict=True) == (
        "'kubectl get' has no flag --wide that k8squiz knows",
    )


# The tool knowledge


def test_the_tool_knowledge_loads_once() -> None:
    """tools.yaml is read once and knows the tools the exams use."""
    assert toolbook() is toolbook()
    assert {"kubectl", "docker", "helm", "crictl", "minikube", "kubeadm", "etcdctl"} <= set(
        toolbook().tools
    )
    assert toolbook().programs["k"].name == "kubectl"


def test_the_parsed_tool_knowledge_is_cached_and_refreshed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache folder, a second start reads no YAML; a changed tools.yaml is read again."""
    from k8squiz.grading import tools

    monkeypatch.setattr(tools, "TOOLS_FILE", tmp_path / "tools.yaml")
    tools.TOOLS_FILE.write_bytes(Path(tools.__file__).with_name("tools.yaml").read_bytes())
    tools.cache_in(tmp_path / "cache")
    try:
        toolbook.cache_clear()
        first = toolbook()
        assert (tmp_path / "cache" / tools.CACHE_NAME).exists()
        toolbook.cache_clear()
        with monkeypatch.context() as no_yaml:
            no_yaml.setattr(tools, "_parse", lambda text: pytest.fail("the YAML was read again"))
            assert toolbook() == first
        text = tools.TOOLS_FILE.read_text(encoding="utf-8").replace("[kubectl, k]", "[kubectl]")
        tools.TOOLS_FILE.write_text(text, encoding="utf-8")
        toolbook.cache_clear()
        assert "k" not in toolbook().programs
    finally:
        tools.cache_in(None)
        toolbook.cache_clear()


def test_a_flag_is_one_line_of_data() -> None:
    """`-r --replicas: text many` reads as a flag with both spellings; a bad spec is refused."""
    flag = parse_flag("-r --replicas", "text many")
    assert (flag.name, flag.spellings, flag.kind, flag.many) == (
        "--replicas",
        ("-r", "--replicas"),
        Kind.TEXT,
        True,
    )
    for spellings, spec in [
        ("--x", "number"),
        ("--x", "text often"),
        ("x", "bool"),
        ("--x", "text as=y"),
    ]:
        with pytest.raises(ValueError, match=r"cannot read|is not a valid"):
            parse_flag(spellings, spec)


def test_a_flag_compared_as_another_names_a_repeatable_flag_of_its_command() -> None:
    """`--mount: mount many as=--volume` compares with -v: a flag the same command has, repeatable."""
    for name, known in toolbook().tools.items():
        for path, command in known.commands.items():
            for spelling, flag in command.flags.items():
                if flag.name not in flag.spellings:
                    other = command.flags.get(flag.name)
                    assert other is not None, f"{name} {path} {spelling}"
                    assert (other.many, flag.many) == (True, True), f"{name} {path} {spelling}"


def test_no_alias_names_two_resources() -> None:
    """Each kubectl resource alias means one type."""
    data = (Path(__file__).parents[1] / "src/k8squiz/grading/tools.yaml").read_text()
    aliases = re.findall(r"^      [a-z]+: \{aliases: \[([^\]]*)\]", data, re.MULTILINE)
    words = [w.strip() for line in aliases for w in line.split(",")]
    assert len(words) == len(set(words))


def test_the_grader_module_does_not_read_tools_yaml_at_import() -> None:
    """Starting k8squiz costs nothing for command grading until a command card is graded."""
    code = (
        "import k8squiz.grading, k8squiz.decks.rules;"
        "from k8squiz.grading.tools import toolbook;"
        "print(toolbook.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


# End to end: the real quiz


def quiz(cli: CLI, *args: str, stdin: str = "", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli(
        "quiz", "--deck", str(COMMANDS / "quiz.yaml"), "--topic", "command-quiz", *args,
        stdin=stdin, env=env,
    )  # fmt: skip


def asked(cli: CLI, home: Path) -> list[str]:
    """The cards `quiz -n 3 --seed 1` asks, in order (from a throwaway run in another home)."""
    run = quiz(
        cli, "-n", "3", "--seed", "1", "--json", stdin="\n\n\n", env={"K8SQUIZ_HOME": str(home)}
    )
    return [answer["card"] for answer in json.loads(run.out)["answers"]]


ANSWERS = {
    "quiz-create-deployment": "k create deploy web --replicas 3 --image nginx:1.27",
    "quiz-docker-publish": "docker run -p 80:8080 -d --name web nginx",
    "quiz-exec-shell": "k exec web -ti -- sh",
}


class TestQuiz:
    def test_a_rewritten_command_is_correct_and_a_wrong_one_says_why(
        self, cli: CLI, tmp_path: Path
    ) -> None:
        """Aliased and reordered commands are Correct; swapped ports are Wrong, and why is shown."""
        order = asked(cli, tmp_path / "probe")
        run = quiz(cli, "-n", "3", "--seed", "1", stdin="".join(ANSWERS[c] + "\n" for c in order))
        assert run.code == 0, run.err
        assert run.out.count("Correct") == 2
        assert "Wrong" in run.out
        assert "-p is host:container: you published container port 8080 on host port 80" in run.out
        assert "Answer: docker run -d --name web -p 8080:80 nginx" in run.out

    def test_the_difference_is_told_in_portuguese(self, cli: CLI, tmp_path: Path) -> None:
        """In a pt-BR session the difference is in Portuguese."""
        order = asked(cli, tmp_path / "probe")
        stdin = "".join(ANSWERS[c] + "\n" for c in order)
        run = quiz(cli, "-n", "3", "--seed", "1", stdin=stdin, env={"K8SQUIZ_LANG": "pt-BR"})
        assert "-p é host:contêiner: você publicou a porta 8080 do contêiner" in run.out

    def test_a_known_mistake_is_explained(self, cli: CLI, tmp_path: Path) -> None:
        """kubectl run for a Deployment is the card's known mistake, in any spelling."""
        order = asked(cli, tmp_path / "probe")
        stdin = "".join(
            ("k run web --replicas=3 --image nginx:1.27" if c == "quiz-create-deployment" else "")
            + "\n"
            for c in order
        )
        run = quiz(cli, "-n", "3", "--seed", "1", stdin=stdin)
        assert "kubectl run creates a single Pod" in run.out

    def test_at_a_terminal_a_command_is_typed_and_graded(self, home: Path) -> None:
        """In a real terminal (pexpect): a short, reordered command passes the quiz and a study
        card, with line editing (the arrow keys move the cursor: the edited line is graded)."""
        import pexpect

        env = {**os.environ, "K8SQUIZ_HOME": str(home), "COLUMNS": "100", "NO_COLOR": "1"}
        child = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "quiz", "--deck", str(COMMANDS / "quiz.yaml"), "--topic",
             "command-quiz", "-n", "3"],
            env=env, encoding="utf-8", timeout=30, dimensions=(40, 100),
        )  # fmt: skip
        for number in (1, 2, 3):
            child.expect(f"question {number} of 3")
            child.expect(r"(Deployment|background|interactive)")
            card = child.match.group(1)
            child.expect(PROMPT)
            answer = {
                "Deployment": "k create deploy web --replicas 3 --image nginx:1.27",
                "background": "docker run --name web -p 8080:80 -d nginx",
                "interactive": "kubectl exec web -it -- sh",
            }[card]
            child.send(answer + "X")  # a stray X at the end...
            child.send("\x1b[D")  # ...left arrow: the cursor steps back over it...
            child.sendline("\x1b[3~")  # ...and Delete removes it: readline edits the line
            child.expect("Correct")
        child.expect("Score: 3/3")
        child.expect(pexpect.EOF)

        fresh = {
            **env,
            "K8SQUIZ_HOME": str(home / "study"),
        }  # the quiz's reviews made them not due
        study = pexpect.spawn(
            sys.executable,
            ["-m", "k8squiz", "study", "--deck", str(COMMANDS / "quiz.yaml"),
             "--topic", "command-quiz", "--limit", "1"],
            env=fresh, encoding="utf-8", timeout=30, dimensions=(40, 100),
        )  # fmt: skip
        study.expect(PROMPT)
        study.sendline("kubectl create deploy web --image=nginx:1.27 -r 3")
        study.expect("Correct")
        study.expect(PROMPT)
        study.send("3")
        study.expect("Reviewed: 1")
        study.expect(pexpect.EOF)

    def test_the_fixture_decks_are_valid(self, cli: CLI) -> None:
        """Command cards that follow the rules pass validate --strict."""
        run = cli("validate", "--strict", str(COMMANDS))
        assert run.code == 0, run.out


# The real tools: what tools.yaml says, checked against the programs themselves

KUBECTL = shutil.which("kubectl")
DOCKER = shutil.which("docker")
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl is not on PATH (CI installs nothing for these tests)"
)
needs_docker = pytest.mark.skipif(
    DOCKER is None, reason="docker is not on PATH (CI installs nothing for these tests)"
)
KUBECONFIG = """
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "http://127.0.0.1:1"}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
users: [{name: none, user: {}}]
"""
KUBECTL_FLAG = re.compile(r"^\s+(?:-(\w), )?--([\w-]+)=(.*):\s*$")
DOCKER_FLAG = re.compile(r"^  (?:-(\w), )?\s*--([\w-]+)(?: ([\w-]+))?(?:\s{2,}|$)")


@functools.lru_cache(maxsize=1024)
def run_tool(*args: str, home: Path | None = None) -> str:
    """A real tool's standard output (once per command line); with `home`, kubectl talks only
    to the discovery stand-in."""
    env = {**os.environ, "NO_COLOR": "1"}
    if home is not None:
        env["KUBECONFIG"] = str(home / "kubeconfig")
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return done.stdout


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder whose kubeconfig points kubectl at a stand-in that only answers discovery.

    `kubectl run` and `kubectl create role` look resource types up in the API server's
    discovery even with --dry-run=client. The stand-in lists the built-in types those
    commands need (discovery only: no object is stored, and anything but GET is refused), so
    every object the tests compare is built by kubectl itself.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    home = tmp_path_factory.mktemp("kubectl")
    port = server.server_address[1]
    (home / "kubeconfig").write_text(KUBECONFIG.replace("127.0.0.1:1", f"127.0.0.1:{port}"))
    yield home
    server.shutdown()
    server.server_close()


_CORE = (
    "pods:Pod services:Service configmaps:ConfigMap secrets:Secret serviceaccounts:ServiceAccount"
)
_GROUPS = {
    "v1": _CORE + " namespaces:Namespace:cluster nodes:Node:cluster",
    "apps/v1": "deployments:Deployment replicasets:ReplicaSet daemonsets:DaemonSet statefulsets:StatefulSet",
    "batch/v1": "jobs:Job cronjobs:CronJob",
    "rbac.authorization.k8s.io/v1": "roles:Role rolebindings:RoleBinding clusterroles:ClusterRole:cluster clusterrolebindings:ClusterRoleBinding:cluster",
    "networking.k8s.io/v1": "ingresses:Ingress networkpolicies:NetworkPolicy",
    "policy/v1": "poddisruptionbudgets:PodDisruptionBudget",
    "scheduling.k8s.io/v1": "priorityclasses:PriorityClass:cluster",
}  # fmt: skip


def _discovery(path: str) -> object | None:
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
    if path == "/apis":
        groups = [gv for gv in _GROUPS if "/" in gv]
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [
                {
                    "name": gv.split("/")[0],
                    "versions": [{"groupVersion": gv, "version": "v1"}],
                    "preferredVersion": {"groupVersion": gv, "version": "v1"},
                }
                for gv in groups
            ],
        }
    gv = path.removeprefix("/api/").removeprefix("/apis/")
    if gv not in _GROUPS:
        return None
    resources = []
    for entry in _GROUPS[gv].split():
        name, kind, *scope = entry.split(":")
        resources.append(
            {"name": name, "singularName": kind.lower(), "namespaced": not scope, "kind": kind,
             "verbs": ["create", "get", "list"]}
        )  # fmt: skip
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv,
        "resources": resources,
    }


class _Discovery(BaseHTTPRequestHandler):
    """Answers kubectl's discovery requests; refuses anything else."""

    def do_GET(self) -> None:
        body = _discovery(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body is not None:
            self.wfile.write(json.dumps(body).encode())

    def do_POST(self) -> None:
        self.send_response(405)
        self.end_headers()

    do_PUT = do_PATCH = do_DELETE = do_POST  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:
        pass


def tool(name: str) -> Tool:
    return toolbook().tools[name]


def canonical_paths(name: str) -> list[str]:
    return sorted({command.path for command in tool(name).commands.values()})


def aliases_of(name: str, path: str) -> list[str]:
    return [alias for alias, c in tool(name).commands.items() if c.path == path and alias != path]


def options(text: str, pattern: re.Pattern[str], section: str) -> dict[str, str]:
    """Flag spelling -> what help says of its value (kubectl: the default; docker: the type)."""
    body = text.split(section, 1)[1] if section in text else ""
    body = re.split(r"\n(?:Usage|Commands|Management Commands):", body)[0]
    found = {}
    for match in filter(None, map(pattern.match, body.splitlines())):
        short, long, value = match.groups()
        for spelling in filter(None, (short and f"-{short}", f"--{long}")):
            found[spelling] = value or ""
    return found


def usage(text: str) -> str:
    match = re.search(r"Usage:\s+(.*)", text)
    return match.group(1) if match else ""


@needs_kubectl
@pytest.mark.parametrize("path", canonical_paths("kubectl"))
def test_each_kubectl_command_and_its_aliases_are_real(path: str, offline: Path) -> None:
    """`kubectl PATH --help` is that command, and every alias in tools.yaml opens the same one."""
    text = run_tool("kubectl", *path.split(), "--help", home=offline)
    assert usage(text).startswith(f"kubectl {path}"), usage(text)
    for alias in aliases_of("kubectl", path):
        aliased = run_tool("kubectl", *alias.split(), "--help", home=offline)
        assert usage(aliased) == usage(text), f"kubectl {alias} is not kubectl {path}"


@needs_kubectl
@pytest.mark.parametrize("path", canonical_paths("kubectl"))
def test_each_kubectl_flag_is_real_and_of_its_kind(path: str, offline: Path) -> None:
    """Every flag kubectl lists for a command is known, with its kind, and no other is."""
    own = options(
        run_tool("kubectl", *path.split(), "--help", home=offline), KUBECTL_FLAG, "\nOptions:\n"
    )
    inherited = options(run_tool("kubectl", "options", home=offline), KUBECTL_FLAG, "\n")
    listed = {**inherited, **own}
    known = tool("kubectl").commands[path].flags
    assert set(known) == set(listed), f"kubectl {path}: tools.yaml and --help differ"
    for spelling, default in listed.items():
        flag = known[spelling]
        assert (flag.kind is Kind.BOOL) == (default in ("true", "false")), spelling
        assert (flag.kind is Kind.INT) == bool(re.fullmatch(r"-?[0-9]+", default)), spelling
        assert flag.many == default.startswith("["), spelling
        if flag.kind is Kind.BOOL:
            assert flag.default == default, spelling


def resource_aliases_offline(home: Path) -> list[tuple[str, list[str]]]:
    """What the kubectl binary itself says about resource names, with no cluster.

    kubectl learns most short names from the API server's discovery, but three places in the
    binary name resources without one: the aliases of `kubectl create TYPE` (deploy, cm, ns,
    sa, cj, ing, svc, pdb, pc, quota), of `kubectl top pod|node` (po, pods, no, nodes), and
    the list in `kubectl expose --help` (`deployment (deploy)`, `replicaset (rs)`...).
    """
    groups = []
    for path in [*canonical_paths("kubectl"), "top pod", "top node"]:
        if not path.startswith(("create ", "top ")) or len(path.split()) != 2:
            continue
        text = run_tool("kubectl", *path.split(), "--help", home=home)
        match = re.search(r"\nAliases:\n(.*)\n", text)
        if match:
            groups.append((path.split()[1], [a.strip() for a in match.group(1).split(",")]))
    expose = run_tool("kubectl", "expose", "--help", home=home)
    groups += [(name, [name, short]) for name, short in re.findall(r"(\w+) \((\w+)\)", expose)]
    return groups


@needs_kubectl
def test_kubectls_own_resource_names_mean_what_tools_yaml_says(offline: Path) -> None:
    """Every resource alias the kubectl binary names offline maps to the same type here."""
    groups = resource_aliases_offline(offline)
    resources = tool("kubectl").resources
    assert len(groups) >= 10, "kubectl's help no longer names resources where it did"
    for name, aliases in groups:
        meant = {resources.get(alias) for alias in [name, *aliases]}
        assert None not in meant, f"{name}: {aliases} -> {meant}"
        assert len(meant) == 1, f"{name}: {aliases} -> {meant}"


def api_resources() -> str:
    """`kubectl api-resources` from the cluster kubectl is configured for, or '' if none answers."""
    if KUBECTL is None:
        return ""
    try:
        return run_tool("kubectl", "api-resources", "--no-headers", "--request-timeout=5s")
    except subprocess.TimeoutExpired:
        return ""


@needs_kubectl
def test_every_resource_alias_matches_the_api_servers(offline: Path) -> None:
    """With a cluster: each alias in tools.yaml is a name or short name of its type there."""
    listing = api_resources()
    if not listing.strip():
        checked = {a for _, aliases in resource_aliases_offline(offline) for a in aliases}
        pytest.skip(
            "no cluster answers `kubectl api-resources`: kubectl learns short names from the"
            f" API server; {len(checked)} aliases were checked offline from kubectl's own help"
        )
    names: dict[str, set[str]] = {}
    for row in listing.splitlines():
        columns = row.split()
        kind = columns[-1].lower()
        short = columns[1].split(",") if len(columns) == 5 else []
        names.setdefault(kind, set()).update([columns[0], kind, *short])
    kubectl = tool("kubectl")
    for alias, canonical in kubectl.resources.items():
        if canonical in names:
            assert alias in names[canonical], f"{alias} is not a name of {canonical}"


@needs_docker
@pytest.mark.parametrize("path", canonical_paths("docker"))
def test_each_docker_command_alias_and_flag_is_real(path: str) -> None:
    """`docker PATH --help` lists the aliases and flags tools.yaml gives it, with their kinds."""
    text = run_tool("docker", *path.split(), "--help")
    assert "Usage:" in text, f"docker {path} is not a command"
    listed_aliases = re.search(r"\nAliases:\n\s+(.*)\n", text)
    for alias in aliases_of("docker", path):
        assert listed_aliases, alias
        assert f"docker {alias}" in listed_aliases.group(1).split(", "), alias
    listed = {
        **options(run_tool("docker", "--help"), DOCKER_FLAG, "Options:"),
        **options(text, DOCKER_FLAG, "Options:"),
    }
    known = tool("docker").commands[path].flags
    assert set(known) == set(listed), f"docker {path}: tools.yaml and --help differ"
    for spelling, kind in listed.items():
        assert (known[spelling].kind is Kind.BOOL) == (kind == ""), spelling
        assert (known[spelling].kind is Kind.INT) == (kind in ("int", "uint", "uint16")), spelling


# Bundled command cards against kubectl's own output

CREATES = re.compile(r"^(create (?!token$)\S.*|run)$")


# kubectl refuses --dry-run for attached containers, and these flags read local files.
NO_DRY_RUN = frozenset(
    {"--rm", "--stdin", "--tty", "--attach", "--from-file", "--from-env-file", "--cert", "--key",
     "--filename"}
)  # fmt: skip


def object_commands() -> list[tuple[str, str]]:
    """(card id, command) of every bundled and fixture card whose command creates an object.

    The cards come through k8squiz's own loader, so whatever bundled command cards exist
    are checked; the fixture cards prove the check on known ones. Left out: commands that
    kubectl cannot dry-run here (an attached container, a local file to read).
    """
    found = []
    for card in cache.load_library([COMMANDS], {}, None).cards:
        if isinstance(card.answer, CommandAnswer):
            line = parse(card.answer.command)
            part = line.parts[0] if len(line.parts) == 1 else None
            if (
                part
                and part.program == "kubectl"
                and CREATES.match(part.path)
                and not {setting.name for setting in part.settings} & NO_DRY_RUN
            ):
                found.append((card.id, card.answer.command))
    return found


def chunks(command: str) -> tuple[list[str], list[str], list[str]]:
    """The program and subcommand words, the rest in flag-or-argument chunks, what follows --.

    A `--dry-run`, `-o`/`--output` or redirection already in the command is left out: the
    test adds its own.
    """
    words = shlex.split(command)
    words = words[: words.index(">")] if ">" in words else words
    rest = words[words.index("--") :] if "--" in words else []
    words = words[: len(words) - len(rest)]
    kubectl = tool("kubectl")
    size = max(n for n in range(1, 4) if " ".join(words[1 : n + 1]) in kubectl.commands)
    head, body = words[: size + 1], words[size + 1 :]
    flags = kubectl.commands[" ".join(head[1:])].flags
    found: list[str] = []
    while body:
        word, body = body[0], body[1:]
        flag = flags.get(word.partition("=")[0]) if word.startswith("-") else None
        if flag and flag.takes_value and "=" not in word and flag.bare is None:
            word, body = f"{word}={body[0]}", body[1:]
        if flag is None or flag.name not in ("--dry-run", "--output"):
            found.append(word)
    return head, found, rest


def forms(command: str) -> Iterator[str]:
    """Ways of typing `command` that kubectl must treat alike: its aliases, the flags first
    and in reverse order (a repeated flag keeps the order of its values), `--flag value`, and
    the other spelling of each flag."""
    head, parts, rest = chunks(command)
    kubectl = tool("kubectl")
    path = kubectl.commands[" ".join(head[1:])].path
    flags = kubectl.commands[path].flags
    flag_parts = [p for p in parts if p.startswith("-")]
    arguments = [p for p in parts if not p.startswith("-")]
    for alias in aliases_of("kubectl", path):
        yield shlex.join(["kubectl", *alias.split(), *parts, *rest])
    names = list(dict.fromkeys(p.partition("=")[0] for p in flag_parts))[::-1]
    regrouped = [p for name in names for p in flag_parts if p.partition("=")[0] == name]
    yield shlex.join([*head, *regrouped, *arguments, *rest])
    yield shlex.join([*head, *(w for p in parts for w in _spaced(p, flags)), *rest])
    yield shlex.join([*head, *(w for p in parts for w in _other_spelling(p, flags)), *rest])


def _spaced(word: str, flags: dict[str, Flag]) -> list[str]:
    name, equals, value = word.partition("=")
    flag = flags.get(name)
    return [name, value] if equals and flag and flag.bare is None else [word]


def _other_spelling(word: str, flags: dict[str, Flag]) -> list[str]:
    name, equals, value = word.partition("=")
    flag = flags.get(name)
    if not flag or len(flag.spellings) < 2 or not equals:
        return [word]
    other = next(s for s in flag.spellings if s != name)
    return [other, value]


def dry_run(command: str, home: Path) -> str:
    """kubectl's `--dry-run=client -o yaml` output for `command` (typed with `k` or kubectl)."""
    head, parts, rest = chunks(command)
    words = ["kubectl", *head[1:], *parts, "--dry-run=client", "-o", "yaml", *rest]
    return run_tool(*words, home=home)


@needs_kubectl
@pytest.mark.parametrize(("card", "command"), object_commands())
def test_equivalent_forms_create_byte_identical_objects(
    card: str, command: str, offline: Path
) -> None:
    """Each form the grader accepts makes kubectl print exactly the same object."""
    expected = dry_run(command, offline)
    assert expected.startswith("apiVersion:"), f"kubectl did not create an object for {command}"
    head, parts, rest = chunks(command)
    plain = shlex.join([*head, *parts, *rest])  # without the card's own --dry-run and -o
    for form in forms(command):
        assert same_effect(plain, form), form
        assert dry_run(form, offline) == expected, form


@needs_kubectl
@pytest.mark.parametrize(("card", "command"), object_commands())
def test_another_name_is_another_object_to_both(card: str, command: str, offline: Path) -> None:
    """Renaming the object changes kubectl's output, and the grader calls it wrong."""
    head, parts, rest = chunks(command)
    index = next(i for i, p in enumerate(parts) if not p.startswith("-"))
    parts[index] += "x"
    renamed = shlex.join([*head, *parts, *rest])
    assert not same_effect(command, renamed)
    assert dry_run(renamed, offline) != dry_run(command, offline)


def test_the_fixture_cards_are_among_those_checked_against_kubectl() -> None:
    """The kubectl check runs on known cards, whatever bundled command cards exist."""
    ids = {card for card, _ in object_commands()}
    assert {"kubectl-deployment-replicas", "kubectl-run-pod", "quiz-create-deployment"} <= ids


VALUE_EQUIVALENCES = [  # value rewritings the grader accepts, which kubectl must treat alike
    ("kubectl create deployment web --image=nginx --replicas=1 --port=80", "kubectl create deployment web --port 80 -r 1 --image nginx"),
    ("kubectl run web --image=nginx --labels=app=web,tier=fe", "kubectl run web --image=nginx -l tier=fe,app=web"),
    ("kubectl run web --image=nginx --privileged=false", "kubectl run web --image=nginx"),
    ("kubectl create quota q --hard=pods=2,cpu=1", "kubectl create quota q --hard=cpu=1,pods=2"),
    ("kubectl create secret generic s --from-literal=a=1 --from-literal=b=2", "kubectl create secret generic s --from-literal=b=2 --from-literal=a=1"),
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web '--image=nginx'"),
    ("kubectl create deployment web --image=nginx --replicas=3", "kubectl create deployment web --image=nginx --replicas=03"),
]  # fmt: skip
VALUE_DIFFERENCES = [  # value changes the grader refuses, which kubectl must not treat alike
    ("kubectl create deployment web --image=nginx", "kubectl create deployment web --image=nginx:latest"),
    ("kubectl create deployment web --image=nginx --image=redis", "kubectl create deployment web --image=redis --image=nginx"),
    ("kubectl create service nodeport web --tcp=80:8080", "kubectl create service nodeport web --tcp=8080:80"),
    ("kubectl create service clusterip web --tcp=80", "kubectl create service clusterip web --tcp=80:80"),
    ("kubectl create deployment web --image=busybox -- sleep 3600", "kubectl create deployment web --image=busybox -- /bin/sleep 3600"),
]  # fmt: skip


@needs_kubectl
@pytest.mark.parametrize(("first", "second"), VALUE_EQUIVALENCES)
def test_value_rewritings_the_grader_accepts_make_the_same_object(
    first: str, second: str, offline: Path
) -> None:
    """Flag forms, list order, a default said out loud, quoting: kubectl agrees."""
    assert same_effect(first, second)
    assert dry_run(first, offline) == dry_run(second, offline) != ""


@needs_kubectl
@pytest.mark.parametrize(("first", "second"), VALUE_DIFFERENCES)
def test_value_changes_the_grader_refuses_make_another_object(
    first: str, second: str, offline: Path
) -> None:
    """No tag is not :latest; container order, port order, a bare port and a program's path
    in a recorded command matter: kubectl agrees."""
    assert not same_effect(first, second)
    assert dry_run(first, offline) != dry_run(second, offline)
