"""engine/domain."""
