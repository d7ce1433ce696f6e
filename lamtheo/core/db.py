"""Database-level helpers."""
