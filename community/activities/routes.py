"""Members' activity pages (filled in below)."""
