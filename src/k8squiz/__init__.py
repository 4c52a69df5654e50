"""k8squiz: terminal flashcards and quizzes for learning containers and Kubernetes."""

__version__ = "0.1.0"

__all__ = ["__version__"]
