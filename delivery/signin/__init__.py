"""Signing in: how many passwords may be tried (``limits``) and the sessions that follow a
successful try, kept in the database (``sessions``)."""
