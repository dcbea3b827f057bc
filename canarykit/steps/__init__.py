"""Step strategies: what a canary does, step by step, as plain tuples built by composable strategies;
`BlueGreen`, given to `Rollout` in place of the steps, releases blue-green instead."""

from canarykit.steps.bluegreen import BlueGreen
from canarykit.steps.gates import Gate
from canarykit.steps.header_routes import HeaderMatch
from canarykit.steps.kinds import Analysis, Pause, SetCanaryScale, SetHeaderRoute, SetWeight, Step
from canarykit.steps.plans import Plan, explicit, exponential, linear

__all__ = [
    "Analysis",
    "BlueGreen",
    "Gate",
    "HeaderMatch",
    "Pause",
    "Plan",
    "SetCanaryScale",
    "SetHeaderRoute",
    "SetWeight",
    "Step",
    "explicit",
    "exponential",
    "linear",
]
