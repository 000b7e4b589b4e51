"""The bundled demo: a small web CRM served on loopback, its sample contacts and the workflows that fill it.

A test and demo asset, not product logic: it imports nothing from deskhand but :mod:`deskhand.errors`.
"""
