"""states/shared."""
