"""engine/operator/views."""
