"""The project's own exception tree; adapters translate vendor errors into it at the boundary.

BlueGreenError
├── ConfigurationError        bad input or settings: nothing was touched (exit 2)
├── CloudError                an AWS call failed
│   ├── CredentialsError      no or invalid credentials
│   ├── NotFoundError         the application, environment, version or template is missing
│   ├── ConflictError         it exists already, or is in a state that forbids the call
│   ├── ThrottledError        "Rate exceeded" after botocore's own retries
│   └── ServiceError          5xx or a transport failure after retries
├── ProbeError                the health probe could not be sent (not a bad status)
├── StoreError                the run store failed
│   ├── RunNotFoundError      no run with that id
│   ├── LeaseLostError        this runner no longer holds the run's lease
│   └── TargetBusyError       another unfinished run holds the target (exit 3)
└── StepFailed                a lifecycle step decided the release cannot go on
    └── DeadlineExceeded      a wait ran past its deadline
"""

from __future__ import annotations


class BlueGreenError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigurationError(BlueGreenError):
    """Bad input or settings, found before anything in AWS changed."""


class CloudError(BlueGreenError):
    """An AWS call failed; `code` is AWS's error code when there is one."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class CredentialsError(CloudError):
    """No credentials, or AWS refused them."""


class NotFoundError(CloudError):
    """The thing asked for does not exist."""


class ConflictError(CloudError):
    """It exists already, or its state forbids the operation."""


class ThrottledError(CloudError):
    """AWS kept answering "Rate exceeded" after the retries botocore makes."""


class ServiceError(CloudError):
    """AWS answered 5xx, or could not be reached, after retries."""


class ProbeError(BlueGreenError):
    """The health probe could not be sent at all (bad URL, proxy misconfiguration)."""


class StoreError(BlueGreenError):
    """The run store failed."""


class RunNotFoundError(StoreError):
    """No run has that id."""


class LeaseLostError(StoreError):
    """This runner no longer holds the run's lease (it expired and another runner took it)."""


class TargetBusyError(StoreError):
    """Another unfinished run (or runner) holds the target; names the run and its lease owner."""

    def __init__(self, message: str, run_id: str | None = None, owner: str | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.owner = owner


class StepFailed(BlueGreenError):
    """A lifecycle step decided the release cannot go on (the engine rolls back)."""


class DeadlineExceeded(StepFailed):
    """A wait ran past its deadline."""
