"""Clean-up that a signal must not cut short: a provider's process group killed, its Job deleted."""

from __future__ import annotations

from collections.abc import Callable

from canarykit.interrupts import Interrupted


def run_to_completion(action: Callable[[], object]) -> None:
    """Run `action`; when a signal's `Interrupted` cuts it short, run it again whole, then re-raise.

    Only a first signal raises `Interrupted` (see `canarykit.interrupts`), so the second run is not cut by
    one; a second signal (`ExitRequested`) still ends everything, as it is meant to.
    """
    try:
        action()
    except Interrupted:
        action()
        raise
