"""Fake servers and helpers that tests drive real clients against."""
