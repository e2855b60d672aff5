"""Typer commands. Each module imports only Typer at load time; the work is imported lazily."""
