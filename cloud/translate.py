"""Translate botocore errors into `engine.domain.errors` at the boundary,
keeping AWS's code and text.

`translate(error)` is the pure mapping; `translate_errors()` applies it as a context manager
or decorator around every adapter call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from boto3.exceptions import S3UploadFailedError
from botocore import exceptions as bc

from engine.domain.errors import (
    BlueGreenError,
    CloudError,
    ConfigurationError,
    ConflictError,
    CredentialsError,
    NotFoundError,
    ServiceError,
    ThrottledError,
)

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
        "BandwidthLimitExceeded",
        "EC2ThrottledException",
        "PriorRequestNotComplete",
    }
)
CREDENTIALS_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "InvalidToken",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
        "AccessDenied",
        "AccessDeniedException",
        "InsufficientPrivilegesException",
    }
)
NOT_FOUND_CODES = frozenset(
    {"NoSuchKey", "NoSuchBucket", "NotFound", "404", "ResourceNotFoundException"}
)
CONFLICT_CODES = frozenset(
    {"OperationInProgressFailure", "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "409"}
)
SERVICE_CODES = frozenset(
    {
        "InternalFailure",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)
# AWS's common errors (API reference, "Common Errors"): ValidationError / ValidationException,
# HTTP 400, "the input fails to satisfy the constraints specified by an AWS service" (e.g.
# "1 validation error detected: Value ... at 'versionLabels.member.1' failed to satisfy
# constraint: Member must have length less than or equal to 100"). botocore checks only minimum
# lengths before sending, so a value over a maximum gets this answer: bad input, not a failure.
VALIDATION_CODES = frozenset({"ValidationError", "ValidationException"})
MESSAGE_LIMIT = 500  # an answer quoting a 5000-character value stays readable
# EB answers InvalidParameterValue for most preconditions; only its text tells them apart.
NOT_FOUND_TEXTS = (
    "does not exist",
    "No Application named",
    "No Application Version named",
    "No Environment found",
    "No Configuration Template named",
    "Unable to download from S3 location",  # CreateApplicationVersion: the bundle is missing
)
CONFLICT_TEXTS = (
    "already exists",
    "invalid state for this operation",
    "is not available",  # a CNAME prefix taken
    "still being processed",
    "no abortable operation in progress",
)

CREDENTIALS_ERRORS = (
    bc.NoCredentialsError,
    bc.PartialCredentialsError,
    bc.CredentialRetrievalError,
    bc.TokenRetrievalError,
    bc.NoAuthTokenError,
    bc.SSOError,
    bc.LoginError,
    bc.UnknownCredentialError,
)
TRANSPORT_ERRORS = (bc.ConnectionError, bc.HTTPClientError)
CONFIGURATION_ERRORS = (bc.ProfileNotFound, bc.NoRegionError, bc.ConfigParseError)

SSO_HINT = " (for AUTH_METHOD=SSO, sign in with `aws sso login --profile <SSO_PROFILE>`)"


def translate(error: bc.ClientError | bc.BotoCoreError | S3UploadFailedError) -> BlueGreenError:
    """The project's error for a botocore (or boto3 transfer) error."""
    if isinstance(error, bc.ClientError):
        return _from_client_error(error)
    if isinstance(error, S3UploadFailedError):
        return _from_upload_error(error)
    return _from_botocore_error(error)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Raise botocore errors as `engine.domain.errors` (usable as `with` or as a decorator)."""
    try:
        yield
    except (bc.ClientError, bc.BotoCoreError, S3UploadFailedError) as error:
        raise translate(error) from error


def error_code(error: bc.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code") or "Unknown")


def _from_client_error(error: bc.ClientError) -> BlueGreenError:
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message") or code)
    metadata: dict[str, Any] = dict(error.response.get("ResponseMetadata", {}))
    if code in VALIDATION_CODES and metadata.get("HTTPStatusCode") in (None, 400):
        text = message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + "…"
        return ConfigurationError(f"{error.operation_name}: AWS refused the input: {text} ({code})")
    retries = int(metadata.get("RetryAttempts") or 0)
    note = f", after {retries} retries" if retries else ""
    kind = classify(code, message, metadata.get("HTTPStatusCode"))
    return kind(f"{error.operation_name}: {message} ({code}{note})", code=code)


def classify(code: str, message: str, http_status: int | None) -> type[CloudError]:
    """Which CloudError an AWS error code, message and HTTP status stand for."""
    if code in THROTTLING_CODES:
        return ThrottledError
    if code in CREDENTIALS_CODES:
        return CredentialsError
    if code in SERVICE_CODES or (http_status or 0) >= 500:
        return ServiceError
    if code in NOT_FOUND_CODES or http_status == 404 or _mentions(message, NOT_FOUND_TEXTS):
        return NotFoundError
    if code in CONFLICT_CODES or http_status == 409 or _mentions(message, CONFLICT_TEXTS):
        return ConflictError
    return CloudError


def _mentions(message: str, texts: tuple[str, ...]) -> bool:
    lowered = message.lower()
    return any(text.lower() in lowered for text in texts)


def _from_upload_error(error: S3UploadFailedError) -> BlueGreenError:
    cause = error.__cause__ or error.__context__
    if isinstance(cause, bc.ClientError | bc.BotoCoreError):
        return translate(cause)
    return ServiceError(str(error), code="S3UploadFailed")


def _from_botocore_error(error: bc.BotoCoreError) -> BlueGreenError:
    code = type(error).__name__
    if isinstance(error, CREDENTIALS_ERRORS):
        hint = SSO_HINT if isinstance(error, bc.SSOError | bc.TokenRetrievalError) else ""
        return CredentialsError(f"{error}{hint}", code=code)
    if isinstance(error, bc.ParamValidationError):
        # botocore refused the request before sending it (a name over EB's length limit, a
        # missing parameter): bad input, never a failure of AWS.
        return ConfigurationError(_one_line(str(error)))
    if isinstance(error, bc.NoRegionError):
        return ConfigurationError("no AWS region: set AWS_DEFAULT_REGION (or --region)")
    if isinstance(error, CONFIGURATION_ERRORS):
        return ConfigurationError(str(error))
    if isinstance(error, bc.CapacityNotAvailableError):
        return ThrottledError(str(error), code=code)
    if isinstance(error, TRANSPORT_ERRORS):
        return ServiceError(str(error), code=code)
    return CloudError(str(error), code=code)


def _one_line(text: str) -> str:
    """botocore's multi-line message as one line: "Parameter validation failed: ...; ..."."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] + " " + "; ".join(lines[1:]) if len(lines) > 1 else text.strip()
