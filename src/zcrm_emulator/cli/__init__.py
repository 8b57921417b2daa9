"""``zcrm-emulator`` command line. Each command lives with its own area and is added here; the options
they share are in ``cli/options.py``, so no command module imports this one.

    serve         cli/serve.py          reset        cli/reset.py
    client …      accounts/cli.py       self-client  accounts/cli.py
    seed          seeding/command.py
"""

from __future__ import annotations

import click

from zcrm_emulator.accounts.cli import client_group, self_client
from zcrm_emulator.cli.reset import reset
from zcrm_emulator.cli.serve import LOG_LEVELS, serve
from zcrm_emulator.seeding.command import seed


@click.group()
@click.version_option(package_name="zcrm-emulator")
def main() -> None:
    """A local, stateful Zoho CRM API and accounts server."""


for command in (serve, reset, client_group, self_client, seed):
    main.add_command(command)

__all__ = ["LOG_LEVELS", "main"]
