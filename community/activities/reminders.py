"""Reminders 24 hours and 2 hours before an activity (being written)."""
from flask import Flask


def start(app: Flask) -> None:
    """Start this process's reminder loop once (being written)."""
