"""Konnect's state and business rules, as functions over a SQLite connection.

Each function runs inside a transaction its caller opened, raises `ApiError`
for a refused request and never commits on its own.
"""
