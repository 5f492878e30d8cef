"""What a command works with: the loaded settings and, when first asked for, the migrated database."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from monitor.db import Database
from monitor.settings import Settings, load_settings


class App:
    """The settings of one configuration file and the database it names."""

    def __init__(self, settings: Settings, migrate: bool = True) -> None:
        from monitor.logsetup import register_secrets

        self.settings = settings
        self._migrate = migrate
        # Every command, not only run and poll: any may log or store an error that carries a token.
        register_secrets(settings.secret_values())

    @classmethod
    def from_file(cls, path: str | Path) -> "App":
        """Load the configuration at path (raises ConfigError with every problem)."""
        return cls(load_settings(path))

    @cached_property
    def db(self) -> Database:
        """The database, its schema brought up to date on first use."""
        from monitor.migrate import upgrade

        database = Database(self.settings.database.url, echo=self.settings.database.echo)
        if self._migrate:
            upgrade(database)
        return database

    def close(self) -> None:
        """Release the database connections, if any were opened."""
        if "db" in self.__dict__:
            self.db.dispose()
