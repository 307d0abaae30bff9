"""Prometheus metrics (the `metrics` extra): a worker serves them on --metrics-port, and
`bluegreen metrics --textfile` writes them for node-exporter's textfile collector."""
