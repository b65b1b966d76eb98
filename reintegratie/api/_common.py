"""What the re-integration API modules share: the error responses they document."""

from accounts.api_errors import ErrorSerializer

READ_ERRORS = {404: ErrorSerializer}
WRITE_ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
