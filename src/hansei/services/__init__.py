"""Use cases that own a transaction: save, import, export, history, search, queries."""
