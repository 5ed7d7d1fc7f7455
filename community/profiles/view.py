"""Turn a stored profile into the words a member reads on their profile page."""
from community.profiles.options import BARRIER_LABELS, COMFORT_LABELS, COMMUNICATION_LABELS, FORMAT_LABELS
from community.reference import neighbourhoods, slot_label, taxonomy


def profile_summary(profile) -> dict:
    tax = taxonomy()
    hood = neighbourhoods().get(profile.neighbourhood or "")
    return {
        "interests": [tax.interests[s].name for s in profile.interests if s in tax.interests]
        + list(profile.custom_interests),
        "where": "Online only" if profile.online_only else (hood.name if hood else None),
        "when": [slot_label(slot) for slot in profile.availability],
        "format": FORMAT_LABELS.get(profile.format_preference),
        "comfort": COMFORT_LABELS.get(profile.comfort_step),
        "comfort_step": profile.comfort_step,
        "barriers": [BARRIER_LABELS[key] for key in profile.barriers if key in BARRIER_LABELS],
        "communication": [COMMUNICATION_LABELS[key] for key in profile.communication_prefs
                          if key in COMMUNICATION_LABELS],
        "communication_note": profile.communication_note,
        "consented": profile.consented_at is not None,
    }
