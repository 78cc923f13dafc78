"""Interface text, one catalogue per language (``TEXT`` dicts with the same keys)."""
