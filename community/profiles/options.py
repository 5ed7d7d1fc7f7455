"""The words members choose from during onboarding. Keys are stored; labels are shown."""

FORMAT_CHOICES = [
    ("online", "Online", "Video calls, online games and chats from home."),
    ("in_person", "In person", "Meeting somewhere in the Atlanta area."),
    ("either", "Either is fine", "Online or in person, whichever suits the activity."),
]

COMFORT_STEPS = [
    (1, "Online, text first", "Get to know a small group in a text chat, at your own pace."),
    (2, "Structured online activities", "A game night, watch party or book club on video, where the activity does most of the talking."),
    (3, "Small in-person activities", "A few people meeting around a shared focus: a board-game café, a volunteering shift, a guided walk."),
    (4, "Open-ended meetups", "Coffee, dinner or a get-together without a set activity."),
]

BARRIERS = [
    ("unwritten_rules", "I never really learned the unwritten rules"),
    ("anxiety_freezes", "I know what to do but anxiety freezes me"),
    ("misread", "My way of communicating gets misread"),
    ("keep_distance", "I tend to keep people at a distance"),
]

COMMUNICATION_PREFERENCES = [
    ("prefer_text", "I prefer text to calls"),
    ("slow_replies", "I may take a while to reply"),
    ("direct_wording", "I like direct, literal wording"),
    ("listen_first", "I like to listen for a while before I join in"),
    ("plans_ahead", "I do best with plans made well in advance"),
    ("quiet_places", "Quieter places suit me better"),
    ("ask_before_calling", "Please ask before calling me"),
    ("say_hi_first", "I'd love it if someone says hi first"),
]

FORMAT_LABELS = {key: label for key, label, _ in FORMAT_CHOICES}
COMFORT_LABELS = {step: label for step, label, _ in COMFORT_STEPS}
BARRIER_LABELS = dict(BARRIERS)
COMMUNICATION_LABELS = dict(COMMUNICATION_PREFERENCES)
