"""Data-quality and performance-paradox checks."""
