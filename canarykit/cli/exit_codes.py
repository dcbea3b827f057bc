"""The `canarykit` exit codes, one table for every command (docs/cli.md#exit-codes).

kubectl-argo-rollouts exits 1 on any error; canarykit keeps Argo's 0 and 1 and splits the rest so a script
can tell a fault at run time (retrying may help) from a command that can never work as written.
"""

from __future__ import annotations

from canarykit.analysis import Phase
from canarykit.errors import CanaryError, MissingDependency, SpecError

EXIT_OK = 0
"""Successful analysis, Healthy rollout, lint clean, command done."""
EXIT_FAILED = 1
"""Failed or Inconclusive analysis, Degraded (rolled back) rollout, status timeout, lint errors."""
EXIT_ERROR = 2
"""Error verdict (e.g. Prometheus unreachable throughout), or a fault at run time (cluster, state store)."""
EXIT_USAGE = 3
"""Bad input: an unknown flag, a malformed spec, a bad argument or duration; reported before anything runs."""

PHASE_EXIT = {
    Phase.SUCCESSFUL: EXIT_OK,
    Phase.FAILED: EXIT_FAILED,
    Phase.INCONCLUSIVE: EXIT_FAILED,
    Phase.ERROR: EXIT_ERROR,
}


def exit_code_for_phase(phase: Phase) -> int:
    """The code of an analysis verdict; a run that never completed counts as an Error."""
    return PHASE_EXIT.get(phase, EXIT_ERROR)


def exit_code_for_error(error: CanaryError) -> int:
    """Bad input (a `SpecError` of any kind, a missing optional package) is 3; other faults are 2."""
    return EXIT_USAGE if isinstance(error, SpecError | MissingDependency) else EXIT_ERROR
