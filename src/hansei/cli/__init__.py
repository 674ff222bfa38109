"""The command line: Typer commands over the pure core."""
