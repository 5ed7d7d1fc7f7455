"""Crisis-language detection for member messages: a pure function, no app or database.

    from community.safety import assess, means_or_method
    a = assess("some message")
    a.level        # "none", "concern" or "crisis"
    a.categories   # e.g. ("ideation", "means"), in the order of CATEGORIES
    a.matches      # Match(category, span=(start, end) into the original text, rule=rule id)

The phrases, variants and context rules live in data/lexicon.toml, a file a clinician can read and
change; it is compiled into regular expressions when this package is imported. A small linear
model (data/model.json, trained by `python -m community.safety.train`) is a second opinion for
phrasings the rules don't know; it can raise a level, never lower one. Only the standard library at
run time: this package must not import Flask, SQLAlchemy or any other community module.
"""
from community.safety.detector import LEVELS, Assessment, Match, assess, means_or_method
from community.safety.lexicon import CATEGORIES, CONCERN_CATEGORIES, CRISIS_CATEGORIES

__all__ = ["CATEGORIES", "CONCERN_CATEGORIES", "CRISIS_CATEGORIES", "LEVELS", "Assessment", "Match", "assess",
           "means_or_method"]
