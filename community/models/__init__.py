"""SQLAlchemy models; importing this package registers every table on the metadata."""
from community.models.profile import Profile
from community.models.user import ROLES, User

__all__ = ["ROLES", "User", "Profile"]
