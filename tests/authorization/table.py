"""Who may use each route and socket event: the expected answer for every role, written as data.

Every id in a URL belongs to someone other than the person asking (see world.py): group A's page,
Riley's message, Riley's escalation, Riley's calendar feed, an action taken on Riley's account, an
activity of group A. "member" is Pat, in group A with Riley; "member_of_another_group" is Nell, in
group B; the organizer is in no group, so their column shows what the role alone grants; the
moderator looks after group A, the moderator of another group after group B only.

A cell is what the response must be:
  login   a redirect to /login (for anonymous visitors, that is the refusal)
  403     refused for the role (`role_required`)
  404     refused without confirming the thing exists (not your group, activity, message...)
  200 302 allowed: the page, or the redirect after doing the work
  400     allowed, but the empty form was turned back (we send no data, so nothing is changed)
  409     allowed, but the app declined for a reason of its own (named in the comment)

Each request is sent with no form data (POSTs with a valid CSRF token of the asker's own session),
against the world exactly as world.py builds it: it is put back after every allowed POST. A refused
request must leave every table as it was; any response showing one of PRIVATE_WORDS to someone not
listed beside it is a leak, whatever its status.

A test fails when a route or socket event exists that this table doesn't list, or the table lists
one that no longer exists, so every new route is looked at before it ships: add a row, with a note
where the answer needs explaining.
"""
from dataclasses import dataclass, field

ROLES = ("anonymous", "member_of_another_group", "member", "organizer", "moderator_of_another_group",
         "moderator", "admin")
SHORT = {"anonymous": "anon", "member_of_another_group": "other-mbr", "member": "member",
         "organizer": "organizer", "moderator_of_another_group": "other-mod", "moderator": "moderator",
         "admin": "admin"}
LOGIN = "login"
DENIED = {"403", "404"}

# Words planted in private places (world.py), and who may ever be shown them: any other response
# that contains one is a leak, whatever its status.
PRIVATE_WORDS = {
    "amber-lantern": {"member", "moderator", "admin"},  # in Riley's message in group A's chat
    "hidden-heron": {"moderator", "admin"},  # in Riley's message that a moderator hid
    "birch-whisper": {"member_of_another_group", "moderator_of_another_group", "admin"},  # Nell's, in group B
    "quiet-otter": {"moderator_of_another_group", "admin"},  # Kai's reason for hiding Wren's message in group B
    "cedar-note": {"member", "organizer", "admin"},  # Riley's note to their group on how they communicate
    "willow-plea": {"moderator", "admin"},  # Riley's appeal
    "pebble-report": {"member", "moderator", "admin"},  # Pat's note with the report of Riley's message
    "slate-note": {"moderator", "admin"},  # Mo's note on Riley's escalation
    "fern-checkin": {"moderator", "admin"},  # Mo's private check-in message to Riley
    "ivy-notice": set(),  # a notification to Riley
    "plum-journal": set(),  # the note with Riley's monthly check-in: nobody else, ever
    "riley.matrix@example.org": {"admin"},  # Riley's email address
}

# Which object of the world each URL parameter names, unless a row says otherwise.
PARAMS = {
    "group_id": "group", "user_id": "riley", "activity_id": "activity", "item_id": "item",
    "message_id": "message", "escalation_id": "escalation", "action_id": "action", "appeal_id": "appeal",
    "run_id": "run", "token": "riley_feed", "session_id": "riley_session", "step": "consent_step",
    "filename": "static_file", "name": "vendor_file", "checkin_id": "riley_checkin",
}


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    cells: tuple[str, ...]
    ids: dict = field(default_factory=dict)  # URL parameter -> world key, where PARAMS isn't right
    query: dict = field(default_factory=dict)  # query-string parameter -> world key (ids passed that way)
    keeps: tuple[str, ...] = ()  # tables whose rows as built (Riley's) even an allowed cell leaves alone
    session: str = "main"  # "spare": signs this browser out; "ends_all": signs the person out everywhere
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.rule


def route(cells: str, method: str, rule: str, note: str = "", **options) -> Route:
    """One row: what each role gets (in ROLES order, spaces between), then the route."""
    parsed = tuple(cells.split())
    assert len(parsed) == len(ROLES), f"{method} {rule}: {len(parsed)} cells for {len(ROLES)} roles"
    return Route(method, rule, parsed, note=note, **options)


ROUTES = [
    # Columns: anonymous, member of another group, member, organizer, moderator of another group,
    # moderator (of group A), admin.
    #      anon  other mbr   org   o-mod mod   admin
    # --- public pages, and pages whose address is the key ---
    route("200   302   302   302   302   302   302", "GET", "/"),
    route("200   200   200   200   200   200   200", "GET", "/about"),
    route("200   200   200   200   200   200   200", "GET", "/resources"),
    route("200   200   200   200   200   200   200", "GET", "/guidelines"),
    route("200   200   200   200   200   200   200", "GET", "/static/<path:filename>"),
    route("200   200   200   200   200   200   200", "GET", "/static/vendor/<name>"),
    route("200   200   200   200   200   200   200", "GET", "/calendar/<token>.ics",
          note="Riley's feed: the long random token is the key, for calendar apps that can't log in"),

    # --- accounts: signing in and out, and one's own sign-in security ---
    route("200   302   302   302   302   302   302", "GET", "/login"),
    route("400   302   302   302   302   302   302", "POST", "/login"),
    route("200   302   302   302   302   302   302", "GET", "/register"),
    route("400   302   302   302   302   302   302", "POST", "/register"),
    route("login 302   302   302   302   302   302", "GET", "/login/verify",
          note="no password step pending in this browser: start again from the password; signed in: home"),
    route("login 302   302   302   302   302   302", "POST", "/login/verify",
          note="no password step pending in this browser: start again from the password; signed in: home"),
    route("login 200   200   200   200   200   200", "GET", "/account/security"),
    route("login 404   404   404   404   404   404", "POST", "/account/sessions/<int:session_id>/end",
          note="Riley's session: only your own can be ended"),
    route("login 200   200   200   302   302   302", "GET", "/account/two-factor/setup",
          note="staff have two-factor on already: sent to their security page"),
    route("login 400   400   400   302   302   302", "POST", "/account/two-factor/setup"),
    route("login 302   302   302   302   302   302", "POST", "/account/two-factor/recovery-codes",
          note="one's own codes, and only with a code typed: back to the page, nothing changed"),
    route("login 302   302   302   302   302   302", "POST", "/account/two-factor/off",
          note="staff keep two-factor on; a member needs a code: back to the page, nothing changed"),

    # --- one's own pages ---
    route("login 200   200   200   200   200   200", "GET", "/home"),
    route("login 200   200   200   200   200   200", "GET", "/profile"),
    route("login 302   302   302   302   302   302", "GET", "/welcome", note="onboarded already: sent home"),
    route("login 200   200   200   200   200   200", "GET", "/welcome/<step>"),
    route("login 400   400   400   400   400   400", "POST", "/welcome/<step>"),
    route("login 200   200   200   200   200   200", "GET", "/support"),
    route("login 200   200   200   200   200   200", "GET", "/notifications"),
    route("login 404   200   404   404   404   404", "GET", "/people/<int:user_id>/worried",
          query={"message": "other_message"},
          note="a worry about Riley: only people in a group with Riley; the page never quotes a message "
               "from a group the asker isn't in"),
    route("login 404   302   404   404   404   404", "POST", "/people/<int:user_id>/worried",
          query={"message": "other_message"}),

    # --- journey: the journey page (ladder, one's own step, tips, widening the circle) ---
    route("login 200   200   200   200   200   200", "GET", "/journey",
          note="one's own journey; everyone in the world has a finished profile, staff included"),
    route("login 400   400   400   400   400   400", "POST", "/journey/step",
          note="no step chosen: nothing moves"),
    route("login 400   400   400   400   400   400", "POST", "/journey/tips",
          note="neither on nor off: nothing changes"),

    # --- journey: monthly check-ins, the trend, asking to talk, the therapist summary ---
    route("login 200   200   200   200   200   200", "GET", "/journey/check-in"),
    route("login 400   400   400   400   400   400", "POST", "/journey/check-in",
          note="the three loneliness questions are needed to save: nothing is saved"),
    route("login 302   302   302   302   302   302", "GET", "/journey/check-in/thanks",
          note="nobody but Riley has checked in this month: sent to the check-in"),
    route("login 200   200   200   200   200   200", "GET", "/journey/check-ins", note="one's own check-ins only"),
    route("login 404   404   404   404   404   404", "POST", "/journey/check-ins/<int:checkin_id>/delete",
          note="Riley's check-in: only Riley may delete it"),
    route("login 302   302   302   302   302   302", "POST", "/journey/talk",
          note="asks the moderators to get in touch with oneself, saying only that (to the Support page)"),
    route("login 200   200   200   200   200   200", "GET", "/journey/summary"),
    route("login 200   200   200   200   200   200", "POST", "/journey/summary",
          note="nothing chosen: a page with one's own name only; nothing is stored"),

    # --- groups, as members see them ---
    route("login 404   200   200   404   404   200", "GET", "/groups/<int:group_id>",
          note="members of the group, organizers and admins; a moderator uses the moderation chat view"),
    route("login 404   200   404   404   200   200", "GET", "/groups/<int:group_id>/chat/transcript"),
    route("login 404   200   404   404   404   404", "GET", "/groups/<int:group_id>/leave"),
    route("login 404   302   404   404   404   404", "POST", "/groups/<int:group_id>/leave"),
    route("login 404   200   404   404   404   404", "GET", "/groups/<int:group_id>/not-for-me"),
    route("login 404   302   404   404   404   404", "POST", "/groups/<int:group_id>/not-for-me"),
    route("login 200   200   200   200   200   200", "GET", "/groups/browse"),
    route("login 200   200   200   200   200   200", "GET", "/groups/not-for-me/thanks"),
    route("login 302   409   302   302   302   302", "POST", "/groups/<int:group_id>/join",
          note="any onboarded person may join an open group (Pat is in it already: 409)"),

    # --- admins' group pages ---
    route("login 403   403   403   403   403   200", "GET", "/admin/groups"),
    route("login 403   403   403   403   403   400", "POST", "/admin/groups"),
    route("login 403   403   403   403   403   200", "GET", "/admin/groups/<int:group_id>"),
    route("login 403   403   403   403   403   400", "POST", "/admin/groups/<int:group_id>/members"),
    route("login 403   403   403   403   403   302", "POST",
          "/admin/groups/<int:group_id>/members/<int:user_id>/remove"),
    route("login 403   403   403   403   403   400", "POST", "/admin/groups/<int:group_id>/moderators"),
    route("login 403   403   403   403   403   302", "POST",
          "/admin/groups/<int:group_id>/moderators/<int:user_id>/remove", ids={"user_id": "mei"},
          note="Mei, group A's other moderator"),

    # --- organizers: matching and activities ---
    route("login 403   403   200   403   403   200", "GET", "/organize/matching"),
    route("login 403   403   302   403   403   302", "POST", "/organize/matching/preview"),
    route("login 403   403   200   403   403   200", "GET", "/organize/matching/runs/<int:run_id>"),
    route("login 403   403   409   403   403   409", "POST", "/organize/matching/runs/<int:run_id>/apply",
          note="the run is out of date (the community changed since its preview): nothing is applied"),
    route("login 403   403   200   403   403   200", "GET", "/organize/activities"),
    route("login 403   403   200   403   403   200", "GET", "/organize/activities/new"),
    route("login 403   403   400   403   403   400", "POST", "/organize/activities/new"),
    route("login 403   403   200   403   403   200", "GET", "/organize/activities/<int:activity_id>"),
    route("login 403   403   200   403   403   200", "GET", "/organize/activities/<int:activity_id>/edit"),
    route("login 403   403   400   403   403   400", "POST", "/organize/activities/<int:activity_id>/edit"),
    route("login 403   403   302   403   403   302", "POST", "/organize/activities/<int:activity_id>/cancel",
          ids={"activity_id": "spare_activity"}),
    route("login 403   403   302   403   403   302", "POST",
          "/organize/activities/<int:activity_id>/attendance"),
    route("login 403   403   200   403   403   200", "GET", "/organize/groups/<int:group_id>/suggestions"),

    # --- journey: outcomes organizers see (aggregates, never below five) and the starter nudge ---
    route("login 403   403   200   403   403   200", "GET", "/organize/outcomes",
          note="aggregates only: no one's answers, notes or messages"),
    route("login 403   403   302   403   403   302", "POST", "/organize/groups/<int:group_id>/nudge",
          note="posts one conversation starter to group A's chat (at most one a day), audited"),

    # --- activities, as members see them ---
    route("login 200   200   200   200   200   200", "GET", "/activities"),
    route("login 404   200   200   404   404   200", "GET", "/activities/<int:activity_id>"),
    route("login 404   200   200   404   404   200", "GET", "/activities/<int:activity_id>/calendar.ics"),
    route("login 404   400   400   404   404   400", "POST", "/activities/<int:activity_id>/rsvp",
          note="Riley's answer stays as it was for everyone refused"),
    route("login 404   302   302   404   404   302", "POST", "/activities/<int:activity_id>/drop-out",
          keeps=("rsvps",), note="drops the asker's own answer, never Riley's"),
    route("login 200   200   200   200   200   200", "GET", "/calendar"),
    route("login 302   302   302   302   302   302", "POST", "/calendar/feed",
          keeps=("calendar_feeds",), note="one's own feed; Riley's keeps working"),
    route("login 302   302   302   302   302   302", "POST", "/calendar/feed/revoke",
          keeps=("calendar_feeds",)),

    # --- journey: arrive with a buddy ---
    route("login 404   302   302   404   404   302", "POST", "/activities/<int:activity_id>/buddy",
          note="whoever may see the activity; it is online and the asker isn't going, so back to its page "
               "with the reason, nothing changed"),
    route("login 404   302   302   404   404   302", "POST", "/activities/<int:activity_id>/buddy/withdraw",
          note="one's own opt-in only (the asker has none): back to the activity's page, nothing changed"),

    # --- journey: question rounds in a group's chat, and the weekly time a group agrees to ---
    # Group A has a round going (Pat's turn) and a weekly time Riley proposed (Pat hasn't agreed).
    route("login 404   200   200   404   200   200", "GET", "/groups/<int:group_id>/rounds",
          note="the group's members, organizers, admins and its own moderators"),
    route("login 404   403   400   404   400   400", "POST", "/groups/<int:group_id>/rounds",
          note="starting: organizers, admins and the group's moderators; no question sent, so nothing starts"),
    route("login 404   302   404   404   404   404", "POST", "/groups/<int:group_id>/rounds/pass",
          note="only a member can have a turn, and it is Pat's"),
    route("login 404   403   302   404   302   302", "POST", "/groups/<int:group_id>/rounds/end",
          note="ends group A's round with a thank-you in its chat"),
    route("login 404   400   403   404   403   403", "POST", "/groups/<int:group_id>/rounds/schedule",
          note="the weekly time is for members to propose; no day sent, so nothing changes"),
    route("login 404   302   403   404   403   403", "POST", "/groups/<int:group_id>/rounds/schedule/agree"),
    route("login 404   302   403   404   403   403", "POST", "/groups/<int:group_id>/rounds/schedule/withdraw",
          note="Pat hadn't agreed: back to the group page, nothing changed"),

    # --- moderators: the queue, review items, escalations, appeals ---
    route("login 403   403   403   200   200   200", "GET", "/moderation/",
          note="every moderator's queue, listing only their own groups"),
    route("login 403   403   403   200   200   200", "GET", "/moderation/dashboard"),
    route("login 403   403   403   200   200   200", "GET", "/moderation/log", query={"group": "other_group"},
          note="asking for group B's log: only the moderator's own groups are ever listed"),
    route("login 403   403   403   404   200   200", "GET", "/moderation/items/<int:item_id>"),
    route("login 403   403   403   404   302   302", "POST", "/moderation/items/<int:item_id>/claim"),
    route("login 403   403   403   404   302   302", "POST", "/moderation/items/<int:item_id>/release"),
    route("login 403   403   403   404   400   400", "POST", "/moderation/items/<int:item_id>/act"),
    route("login 403   403   403   404   200   200", "GET", "/moderation/groups/<int:group_id>/chat"),
    route("login 403   403   403   404   302   302", "POST", "/moderation/messages/<int:message_id>/review",
          note="Riley's message isn't held, so there is nothing to approve"),
    route("login 403   403   403   403   403   200", "GET", "/moderation/groups/<int:group_id>/filters"),
    route("login 403   403   403   403   403   302", "POST", "/moderation/groups/<int:group_id>/filters",
          note="every field may be empty: no custom rules, no slow mode"),
    route("login 403   403   403   403   403   302", "POST",
          "/moderation/groups/<int:group_id>/filters/reset"),
    route("login 403   403   403   404   200   200", "GET", "/moderation/escalations/<int:escalation_id>"),
    route("login 403   403   403   404   302   302", "POST",
          "/moderation/escalations/<int:escalation_id>/acknowledge"),
    route("login 403   403   403   404   400   400", "POST",
          "/moderation/escalations/<int:escalation_id>/message"),
    route("login 403   403   403   404   400   400", "POST",
          "/moderation/escalations/<int:escalation_id>/note"),
    route("login 403   403   403   404   400   400", "POST",
          "/moderation/escalations/<int:escalation_id>/resolve"),
    route("login 403   403   403   404   302   302", "POST",
          "/moderation/escalations/<int:escalation_id>/follow-up",
          note="not resolved yet, so there is no follow-up to mark: a kind note, nothing changed"),
    route("login 403   403   403   404   200   200", "GET", "/moderation/actions/<int:action_id>/restore"),
    route("login 403   403   403   404   400   400", "POST", "/moderation/actions/<int:action_id>/restore"),
    route("login 403   403   403   404   200   200", "GET", "/moderation/appeals/<int:appeal_id>",
          note="Mei took the action, so Mo or an admin decides Riley's appeal"),
    route("login 403   403   403   404   400   400", "POST", "/moderation/appeals/<int:appeal_id>"),

    # --- members' side of moderation ---
    route("login 404   200   404   404   200   200", "GET", "/moderation/report/<int:message_id>",
          note="Riley's message: whoever can read group A's chat"),
    route("login 404   400   404   404   400   400", "POST", "/moderation/report/<int:message_id>"),
    route("login 404   200   404   404   404   404", "GET", "/moderation/block/<int:user_id>",
          note="blocking Riley: people in a group with Riley"),
    route("login 404   302   404   404   404   404", "POST", "/moderation/block/<int:user_id>"),
    route("login 200   200   200   200   200   200", "GET", "/moderation/record",
          note="one's own record only"),
    route("login 404   404   404   404   404   404", "GET", "/moderation/record/<int:action_id>/appeal",
          note="an action on Riley's account: only Riley may appeal it"),
    route("login 404   404   404   404   404   404", "POST", "/moderation/record/<int:action_id>/appeal"),

    # --- privacy: one's own data and account ---
    route("200   200   200   200   200   200   200", "GET", "/privacy"),
    route("login 200   200   200   200   200   200", "GET", "/privacy/my-data",
          note="the asker's own data only"),
    route("login 200   200   200   200   200   200", "GET", "/privacy/my-data.json"),
    route("login 200   200   200   200   200   200", "GET", "/privacy/delete-account"),
    route("login 400   400   400   400   400   400", "POST", "/privacy/delete-account",
          note="the asker's own account, and only with their password: nothing is scheduled"),
    route("login 302   302   302   302   302   302", "POST", "/privacy/delete-account/keep",
          note="nothing was scheduled, so nothing changes"),
    route("login 403   403   403   403   403   200", "GET", "/admin/access-log"),

    # --- last: these sign people out ---
    route("login 302   302   302   302   302   302", "POST", "/logout", session="spare"),
    route("login login login login login login login", "POST", "/account/sessions/end-all",
          session="ends_all", note="signed out on every device, so sent to log in"),
]

# Socket.IO events against group A's chat. A cell is:
#   refused  the connection itself is refused (so nothing else can be sent)
#   ok       the event is answered with ok (join/history: the messages; send: stored and heard by the group)
#   denied   answered with an error; nothing stored, nothing of group A heard
#   heard / unheard  typing reaches the group, or quietly doesn't
SOCKET_EVENTS = {
    #               anon    other  member organizer o-mod  mod   admin
    "connect":     "refused ok     ok     ok        ok     ok    ok",
    "join":        "refused denied ok     denied    denied ok    ok",
    "history":     "refused denied ok     denied    denied ok    ok",
    "send":        "refused denied ok     denied    denied ok    ok",
    "typing":      "refused unheard heard unheard   unheard heard heard",
    "leave":       "refused ok     ok     ok        ok     ok    ok",  # leaving a room is always harmless
    "check_draft": "refused ok     ok     ok        ok     ok    ok",  # about one's own draft, no group
    "disconnect":  "refused ok     ok     ok        ok     ok    ok",
    "round_pass":  "refused denied ok     denied    denied denied denied",  # only Pat, whose turn it is
}
SOCKET_CELLS = {event: tuple(cells.split()) for event, cells in SOCKET_EVENTS.items()}
assert all(len(cells) == len(ROLES) for cells in SOCKET_CELLS.values())


def is_refusal(role: str, cell: str) -> bool:
    """Whether this cell means the person was turned away (so nothing may have changed)."""
    return cell in DENIED or (role == "anonymous" and cell == LOGIN)
