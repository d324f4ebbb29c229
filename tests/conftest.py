"""Fixtures shared by the suite live in tests/fixtures.py (loaded from the root conftest.py)."""
