"""engine/domain/ports."""
