"""Pydantic models of a job metric (`provider.job`): the Job's labels and annotations, a `batch/v1` JobSpec.

The JobSpec's fields are the CRD's (unknown ones are errors); the pod template is checked where the API
server would refuse it at once: string labels and annotations, named containers, a restartPolicy a Job
accepts. The rest of the pod spec is kept as given, for the API server to judge.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

JOB_RESTART_POLICIES = ("OnFailure", "Never")


class _Strict(BaseModel):
    """Unknown fields are errors; camelCase in YAML, snake_case in Python."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True)


class _Open(BaseModel):
    """A Kubernetes object part whose other fields are kept as given (the API server checks them)."""

    model_config = ConfigDict(extra="allow", frozen=True, alias_generator=to_camel, populate_by_name=True)


class JobMetadata(_Strict):
    """What Argo copies to the Job: labels and annotations."""

    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class PodMetadata(_Open):
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class Container(_Open):
    name: str


class PodSpec(_Open):
    containers: tuple[Container, ...]
    init_containers: tuple[Container, ...] = ()
    restart_policy: str
    """Required: the pod default, `Always`, is refused for a Job."""

    @field_validator("containers")
    @classmethod
    def _some_container(cls, containers: tuple[Container, ...]) -> tuple[Container, ...]:
        if not containers:
            raise PydanticCustomError("containers", "Required value")
        return containers

    @field_validator("restart_policy")
    @classmethod
    def _job_restart_policy(cls, policy: str) -> str:
        """The API server's rule for a Job's pods."""
        if "{{" in policy or policy in JOB_RESTART_POLICIES:
            return policy
        allowed = ", ".join(f'"{value}"' for value in JOB_RESTART_POLICIES)
        raise PydanticCustomError(
            "restart_policy", f'Unsupported value: "{policy}": supported values: {allowed}'
        )


class PodTemplate(_Open):
    metadata: PodMetadata = PodMetadata()
    spec: PodSpec


class JobSpec(_Strict):
    """`batch/v1` JobSpec, as Argo's CRD lists its fields."""

    template: PodTemplate
    active_deadline_seconds: int | None = Field(default=None, ge=1)
    backoff_limit: int | None = Field(default=None, ge=0)
    backoff_limit_per_index: int | None = Field(default=None, ge=0)
    completion_mode: str | None = None
    completions: int | None = Field(default=None, ge=0)
    managed_by: str | None = None
    manual_selector: bool | None = None
    max_failed_indexes: int | None = Field(default=None, ge=0)
    parallelism: int | None = Field(default=None, ge=0)
    pod_failure_policy: dict[str, JsonValue] | None = None
    pod_replacement_policy: str | None = None
    selector: dict[str, JsonValue] | None = None
    success_policy: dict[str, JsonValue] | None = None
    suspend: bool | None = None
    ttl_seconds_after_finished: int | None = Field(default=None, ge=0)


class JobMetric(_Strict):
    """A metric's `provider.job`: the Job canarykit creates for each measurement."""

    metadata: JobMetadata = JobMetadata()
    spec: JobSpec

    def as_dict(self) -> dict[str, Any]:
        """The job as Argo YAML writes it (camelCase, unset fields left out)."""
        return self.model_dump(by_alias=True, exclude_none=True)
