"""botocore errors become the project's own at the boundary, keeping AWS's code and message."""

from __future__ import annotations

import pytest
from boto3.exceptions import S3UploadFailedError
from botocore import exceptions as bc

from cloud.translate import translate, translate_errors
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


def client_error(
    code: str,
    message: str = "",
    status: int = 400,
    operation: str = "DescribeEnvironments",
    retries: int = 0,
) -> bc.ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": retries},
    }
    return bc.ClientError(response, operation)  # type: ignore[arg-type]


CLIENT_ERRORS = [
    ("Throttling", "Rate exceeded", 400, ThrottledError),
    ("ThrottlingException", "Rate exceeded", 400, ThrottledError),
    ("RequestLimitExceeded", "Request limit exceeded.", 503, ThrottledError),
    ("SlowDown", "Please reduce your request rate.", 503, ThrottledError),
    ("InvalidClientTokenId", "The security token included in the request is invalid.", 403,
     CredentialsError),
    ("SignatureDoesNotMatch", "The request signature we calculated does not match", 403,
     CredentialsError),
    ("ExpiredToken", "The security token included in the request is expired", 403,
     CredentialsError),
    ("UnrecognizedClientException", "The security token is invalid.", 400, CredentialsError),
    ("AccessDenied", "User is not authorized to perform: sts:GetCallerIdentity", 403,
     CredentialsError),
    ("InsufficientPrivilegesException", "Access is denied", 403, CredentialsError),
    ("InvalidParameterValue", "No Application named 'shop' found.", 400, NotFoundError),
    ("InvalidParameterValue", "No Application Version named 'v9' found.", 400, NotFoundError),
    ("InvalidParameterValue", "No Environment found for EnvironmentId = 'e-123'.", 400,
     NotFoundError),
    ("InvalidParameterValue", "No Configuration Template named 'shop/t' found.", 400,
     NotFoundError),
    ("InvalidParameterValue", "Environment 'shop-green' does not exist.", 400, NotFoundError),
    ("InvalidParameterCombination",
     "Unable to download from S3 location (Bucket: a Key: b.zip). Reason: Not Found", 400,
     NotFoundError),
    ("NoSuchKey", "The specified key does not exist.", 404, NotFoundError),
    ("404", "Not Found", 404, NotFoundError),
    ("NoSuchBucket", "The specified bucket does not exist", 404, NotFoundError),
    ("InvalidParameterValue", "Environment shop-green already exists.", 400, ConflictError),
    ("InvalidParameterValue",
     "Environment named shop-blue is in an invalid state for this operation. Must be Ready.",
     400, ConflictError),
    ("InvalidParameterValue", "DNS name (shop.us-east-1.elasticbeanstalk.com) is not available.",
     400, ConflictError),
    ("InvalidParameterValue", "Application version v2 is still being processed.", 400,
     ConflictError),
    ("InvalidParameterValue",
     "Environment named shop-blue has no abortable operation in progress.", 400, ConflictError),
    ("OperationInProgressFailure", "Another operation is in progress", 400, ConflictError),
    ("InternalFailure", "The request processing has failed.", 500, ServiceError),
    ("ServiceUnavailable", "The service is unavailable. Try again later.", 503, ServiceError),
    ("SomethingNew", "an unexpected 5xx", 502, ServiceError),
    ("InvalidParameterValue", "Value 'x' at 'environmentName' failed to satisfy constraint",
     400, CloudError),
]  # fmt: skip


@pytest.mark.parametrize(("code", "message", "status", "expected"), CLIENT_ERRORS)
def test_each_aws_error_code_maps_to_its_project_error(
    code: str, message: str, status: int, expected: type[CloudError]
) -> None:
    translated = translate(client_error(code, message, status))

    assert type(translated) is expected
    assert isinstance(translated, CloudError)
    assert translated.code == code


def test_the_translated_error_keeps_the_operation_message_code_and_retries() -> None:
    error = client_error("Throttling", "Rate exceeded", retries=7)

    text = str(translate(error))

    assert text == "DescribeEnvironments: Rate exceeded (Throttling, after 7 retries)"


def test_an_error_without_a_message_shows_its_code() -> None:
    assert str(translate(client_error("404", "", 404, "HeadObject"))) == "HeadObject: 404 (404)"


BOTOCORE_ERRORS = [
    (bc.NoCredentialsError(), CredentialsError),
    (bc.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
     CredentialsError),
    (bc.SSOTokenLoadError(error_msg="Token for shop does not exist"), CredentialsError),
    (bc.UnauthorizedSSOTokenError(), CredentialsError),
    (bc.TokenRetrievalError(provider="sso", error_msg="expired"), CredentialsError),
    (bc.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), ServiceError),
    (bc.ReadTimeoutError(endpoint_url="http://127.0.0.1:9"), ServiceError),
    (bc.ConnectTimeoutError(endpoint_url="http://127.0.0.1:9"), ServiceError),
    (bc.ConnectionClosedError(endpoint_url="http://127.0.0.1:9"), ServiceError),
    (bc.CapacityNotAvailableError(), ThrottledError),
    (bc.NoRegionError(), ConfigurationError),
    (bc.ProfileNotFound(profile="shop"), ConfigurationError),
    (bc.ParamValidationError(report="Invalid length for parameter EnvironmentName"),
     ConfigurationError),
]  # fmt: skip


@pytest.mark.parametrize(("error", "expected"), BOTOCORE_ERRORS)
def test_each_botocore_error_maps_to_its_project_error(
    error: bc.BotoCoreError, expected: type[BlueGreenError]
) -> None:
    translated = translate(error)

    assert type(translated) is expected
    assert str(error) in str(translated) or expected is ConfigurationError


def test_a_request_botocore_refuses_to_send_is_bad_input_in_one_line() -> None:
    report = "Invalid length for parameter ApplicationName, value: 101, valid min length: 1\n"
    report += 'Missing required parameter in input: "VersionLabel"'

    translated = translate(bc.ParamValidationError(report=report))

    assert type(translated) is ConfigurationError
    assert "\n" not in str(translated)
    assert "ApplicationName, value: 101" in str(translated)
    assert "VersionLabel" in str(translated)


def test_an_answer_that_the_input_fails_aws_constraints_is_bad_input() -> None:
    value = "v" * 5000
    message = f"1 validation error detected: Value '{value}' at 'versionLabels.member.1' failed"
    error = client_error("ValidationError", message, operation="DescribeApplicationVersions")

    translated = translate(error)

    assert type(translated) is ConfigurationError
    assert "DescribeApplicationVersions: AWS refused the input" in str(translated)
    assert len(str(translated)) < 700


def test_an_expired_sso_login_says_how_to_sign_in_again() -> None:
    translated = translate(bc.SSOTokenLoadError(error_msg="Token for shop does not exist"))

    assert "aws sso login" in str(translated)


def test_a_failed_upload_is_translated_from_the_s3_error_behind_it() -> None:
    try:
        try:
            raise client_error("NoSuchBucket", "The specified bucket does not exist", 404)
        except bc.ClientError as cause:
            raise S3UploadFailedError("Failed to upload bundle.zip") from cause
    except S3UploadFailedError as error:
        translated = translate(error)

    assert type(translated) is NotFoundError
    assert translated.code == "NoSuchBucket"


def test_the_context_manager_raises_the_translation_chained_to_the_original() -> None:
    original = client_error("InvalidParameterValue", "No Application named 'shop' found.")

    with pytest.raises(NotFoundError) as raised, translate_errors():
        raise original

    assert raised.value.__cause__ is original


def test_the_decorator_translates_errors_of_the_function_it_wraps() -> None:
    @translate_errors()
    def describe() -> None:
        raise client_error("Throttling", "Rate exceeded")

    with pytest.raises(ThrottledError):
        describe()


def test_errors_that_are_not_botocore_pass_through_untouched() -> None:
    with pytest.raises(KeyError), translate_errors():
        raise KeyError("EnvironmentId")
