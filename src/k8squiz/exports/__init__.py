"""Decks written in other programs' formats: Anki, for review on a phone."""
