"""Small builders for matching tests: members in real metro-Atlanta places."""
import math

from matching import MemberProfile

PLACES = {
    "Midtown": (33.7816, -84.3830),
    "Decatur": (33.7748, -84.2963),
    "Kennesaw": (34.0234, -84.6155),
    "Athens": (33.9519, -83.3576),
}
THURSDAY_EVENING, SATURDAY_MORNING, SUNDAY_AFTERNOON = 11, 15, 19


def member(id, interests=("board games",), slots=(THURSDAY_EVENING, SATURDAY_MORNING), place="Midtown",
           format="either", comfort=2):
    lat, lon = PLACES[place] if place else (None, None)
    return MemberProfile(id=id, interests=list(interests), availability=list(slots), lat=lat, lon=lon,
                         format=format, comfort=comfort, place=place)


def haversine_km(a: MemberProfile, b: MemberProfile) -> float:
    """Written out again here so the tests don't check the code with itself."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def placements(result) -> list:
    """Every member id the result mentions, once per mention."""
    return [m for g in result.groups for m in g.member_ids] + [u.member_id for u in result.unmatched]
