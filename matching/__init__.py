"""Group formation for Common Ground: pure Python and scikit-learn, no Flask, no database.

    from matching import MemberProfile, form_groups
    result = form_groups(profiles, min_size=4, max_size=6, existing=None, seed=0)

The app adapts its own models to these types. How groups are formed is described in
`matching.formation`; the score and its weights in `matching.weights`.
"""
from matching.api import form_groups, rank_groups
from matching.types import (
    CandidateGroup,
    ExistingGroup,
    Group,
    GroupFit,
    MatchResult,
    MemberProfile,
    Unmatched,
)

__all__ = [
    "CandidateGroup", "ExistingGroup", "Group", "GroupFit", "MatchResult", "MemberProfile",
    "Unmatched", "form_groups", "rank_groups",
]
