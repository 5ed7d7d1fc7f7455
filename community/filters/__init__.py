"""Automatic chat filters per group: rules as data, a pure engine deciding what happens to a message.

    from community.filters import check, default_rules
    decision = check(text, default_rules(), author_is_new=..., recent=[(ts, body), ...])

See engine.py for the rule file format and the matching rules.
"""
from community.filters.engine import (
    ACTIONS,
    Decision,
    FilterRuleError,
    Hit,
    RuleSet,
    WordRule,
    check,
    default_rules,
)

__all__ = ["ACTIONS", "Decision", "FilterRuleError", "Hit", "RuleSet", "WordRule", "check", "default_rules"]
