"""Organizers' activity pages (being written)."""
