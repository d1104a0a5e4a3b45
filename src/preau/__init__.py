"""Préau — l'ENT-école open source d'une région académique."""
