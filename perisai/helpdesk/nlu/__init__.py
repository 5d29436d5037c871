"""Help-bot message understanding: intent, language and danger signals for one chat message.

Pure Python + scikit-learn, no Django. See docs/benchmarks-nlu.md for measured quality and speed.

    >>> from perisai.helpdesk.nlu import classify
    >>> classify("tlg sy dikunci majikan di kamar").emergency
    True
"""

from .classifier import INTENTS, Classification, classify, classify_jsonl, classify_many
from .evaluation import evaluate
from .language import LANGUAGES, detect_language
from .normalise import normalise
from .safety import SafetyResult, scan

__all__ = [
    "INTENTS",
    "LANGUAGES",
    "Classification",
    "SafetyResult",
    "classify",
    "classify_jsonl",
    "classify_many",
    "detect_language",
    "evaluate",
    "normalise",
    "scan",
]
