"""The rollback executor, under the name the data flow gives it (`promote | rollback`).

Traffic goes back to stable first and is read back to confirm; transient faults are retried with backoff;
when traffic cannot be returned, `RollbackFailed` carries the last known weight. `Rollout` uses these.
"""

from canarykit.errors import RollbackFailed
from canarykit.rollout.rollback import Backoff, retry, return_traffic_to_stable

__all__ = ["Backoff", "RollbackFailed", "retry", "return_traffic_to_stable"]
