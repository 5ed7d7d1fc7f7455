"""The few taps a member can give when a group isn't for them. Keys are stored; labels are shown."""

NOT_FOR_ME = (
    ("times", "The times don't work for me"),
    ("distance", "It's too far"),
    ("interests", "Our interests don't really overlap"),
    ("format", "I'd rather meet another way"),
    ("pace", "The pace isn't right for me"),
    ("other", "Something else"),
)

NOT_FOR_ME_LABELS = dict(NOT_FOR_ME)
