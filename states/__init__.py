"""One module per lifecycle step: idempotent reconcile actions against the cloud ports."""
