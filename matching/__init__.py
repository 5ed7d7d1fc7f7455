"""Group formation for Common Ground: pure Python and scikit-learn, no Flask, no database.

The app adapts its own models to this package's types; see the matching issue for the API.
"""
