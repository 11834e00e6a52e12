"""Template tags of plaint.core."""
