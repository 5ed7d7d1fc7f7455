"""The interest taxonomy and neighbourhood list meet what onboarding and matching need."""
from community.reference import SLOT_COUNT, neighbourhoods, normalise_tag, slot_label, taxonomy


def test_taxonomy_size_and_shape():
    tax = taxonomy()
    assert len(tax.interests) >= 150
    assert len(tax.categories) >= 15
    for interest in tax.interests.values():
        assert interest.category in tax.categories
        assert interest.modes in ("online", "in_person", "both")
        assert interest.synonyms
    assert {i.modes for i in tax.interests.values()} == {"online", "in_person", "both"}


def test_synonyms_lead_to_one_interest_each():
    tax = taxonomy()
    seen = {}
    for interest in tax.interests.values():
        for tag in (interest.name, *interest.synonyms):
            key = normalise_tag(tag)
            assert seen.setdefault(key, interest.slug) == interest.slug, f"{tag!r} is ambiguous"


def test_related_tags_are_recognised():
    tax = taxonomy()
    pairs = [("D&D", "dungeons and dragons"), ("jogging", "running"), ("Catan", "board games")]
    for left, right in pairs:
        assert tax.match(left) is not None and tax.match(left) == tax.match(right), (left, right)
    climbing = {tax.interests[tax.match(t)].category for t in ("bouldering", "rock climbing")}
    assert len(climbing) == 1
    assert tax.match("  Board-Games ") == tax.match("board games")
    assert tax.match("underwater basket weaving") is None


def test_neighbourhoods_cover_the_metro():
    hoods = neighbourhoods()
    assert len(hoods) >= 40
    for hood in hoods.values():
        assert 33.2 <= hood.lat <= 34.4 and -85.0 <= hood.lon <= -83.7, hood
    for name in ("Midtown", "Decatur", "Kennesaw", "Marietta", "Alpharetta", "East Point"):
        assert any(h.name == name for h in hoods.values()), name


def test_weekly_grid():
    assert SLOT_COUNT == 21
    assert slot_label(0) == "Monday morning"
    assert slot_label(11) == "Thursday evening"
    assert slot_label(20) == "Sunday evening"
