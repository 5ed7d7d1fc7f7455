"""The one error group actions raise."""


class GroupError(Exception):
    """A group action we refuse, with a calm message fit to show the person (views show it, the CLI
    prints it). Kept in its own module so every group module can raise it without import cycles."""
