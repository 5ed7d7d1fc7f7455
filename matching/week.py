"""The weekly availability grid members tick: 7 days x morning/afternoon/evening."""

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PARTS = ("morning", "afternoon", "evening")
SLOT_COUNT = len(DAYS) * len(PARTS)  # 21; slot = day * 3 + part, Monday = 0


def slot_label(slot: int) -> str:
    """'Thursday evening' for slot 11."""
    day, part = divmod(slot, len(PARTS))
    return f"{DAYS[day]} {PARTS[part]}"


def slots_phrase(slots: list[int] | tuple[int, ...], limit: int = 2) -> str:
    """'Thursday evenings and Saturday mornings' for the first `limit` slots, in week order."""
    labels = [slot_label(s) + "s" for s in sorted(slots)[:limit]]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
