"""Decks, in the order a file goes through them: `read` (YAML nodes) -> `shape` (the `model`)
-> `rules` -> `build` (a `library`) -> `cache`. `discover` finds the files; every problem and
rule is registered in `problems`. Nothing is imported here, so a command loads only its part.
"""
