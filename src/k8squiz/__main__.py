"""`python -m k8squiz`."""

from k8squiz.cli import main

main()
