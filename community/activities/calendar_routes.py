"""Calendar downloads and private feeds (being written)."""
