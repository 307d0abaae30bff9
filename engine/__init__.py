"""The release engine: the state machine, the runner, configuration and the CLI."""
