"""Adapters: persistence, lifecycle files, documents, mail. Each behind a small interface with a fake."""
