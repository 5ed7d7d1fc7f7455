"""Every weight and threshold of the matching score, in one place, with the reason for each.

The score of a pair of members is a weighted mean of four similarities, each between 0 and 1;
a group's score is the mean over its pairs. Hard rules (format, comfort spread, distance, a shared
focus) are never traded against the score: they decide who may be grouped at all, and the score
then decides who fits best among those who may.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    # What the group does together is why people come and why they come back: the largest share.
    interest: float = 0.45
    # A group that can't find a time never meets; repeated contact is how friendship forms.
    availability: float = 0.25
    # Matching pace matters for anxious members: same step is better than one apart.
    comfort: float = 0.15
    # Only for in-person groups: shorter trips make coming again easier. Online groups ignore it
    # and the other weights are scaled up to fill its share.
    proximity: float = 0.15
    # A tie-breaker, not a similarity: prefer members who asked for exactly this format, so people
    # happy with either are still free for the groups that need them.
    exact_format_bonus: float = 0.05


@dataclass(frozen=True)
class InterestFeatures:
    """How much each kind of evidence counts inside the interest similarity."""

    # The same interest (after synonyms: "jogging" is running) is the strongest evidence.
    focus: float = 1.0
    # The same category ("bouldering" and "rock climbing" are both active sports) is related.
    category: float = 0.45
    # Spelling overlap (character 3-4 grams) lets free text the taxonomy doesn't know still meet
    # ("urban sketching" and "urban sketch meetups").
    text: float = 0.35


WEIGHTS = Weights()
INTEREST_FEATURES = InterestFeatures()

# Groups are formed at this size when possible: one below the usual maximum, so a group keeps a
# seat for a newcomer or a member left over, and can lose one person without falling apart.
PREFERRED_SIZE_BELOW_MAX = 1
# How many of the most similar candidates a seed member's group is grown from.
CANDIDATES_PER_SEED = 40
# Slots every member should share, tried strictest first; relaxed only where the population
# leaves no other way.
SLOT_REQUIREMENTS = (2, 1, 0)
