from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
NOTIFICATION_STATUS_DEAD: NotificationStatus
NOTIFICATION_STATUS_DELIVERED: NotificationStatus
NOTIFICATION_STATUS_FAILED: NotificationStatus
NOTIFICATION_STATUS_PENDING: NotificationStatus
NOTIFICATION_STATUS_UNSPECIFIED: NotificationStatus
TERMINATION_REASON_ADMIN_REMOVAL: TerminationReason
TERMINATION_REASON_EXPIRED: TerminationReason
TERMINATION_REASON_UNSPECIFIED: TerminationReason
TERMINATION_REASON_USER_LOGOUT: TerminationReason

class ListNotificationsRequest(_message.Message):
    __slots__ = ["client_id", "count_requested", "end_time", "request_prior_results", "results_token", "session_id", "start_time", "status", "subject_id"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PRIOR_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    count_requested: int
    end_time: _timestamp_pb2.Timestamp
    request_prior_results: bool
    results_token: str
    session_id: str
    start_time: _timestamp_pb2.Timestamp
    status: NotificationStatus
    subject_id: str
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., request_prior_results: bool = ..., status: _Optional[_Union[NotificationStatus, str]] = ..., client_id: _Optional[str] = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListNotificationsResponse(_message.Message):
    __slots__ = ["has_next_results", "has_prev_results", "results", "results_token"]
    HAS_NEXT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PREV_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    has_next_results: bool
    has_prev_results: bool
    results: _containers.RepeatedCompositeFieldContainer[LogoutNotification]
    results_token: str
    def __init__(self, results: _Optional[_Iterable[_Union[LogoutNotification, _Mapping]]] = ..., results_token: _Optional[str] = ..., has_prev_results: bool = ..., has_next_results: bool = ...) -> None: ...

class LogoutNotification(_message.Message):
    __slots__ = ["attempts", "client_id", "create_time", "delivery_time", "issuer", "last_attempt_time", "last_error", "last_status_code", "next_attempt_time", "notification_id", "reason", "session_id", "status", "subject_id"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_TIME_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    LAST_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    LAST_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    attempts: int
    client_id: str
    create_time: _timestamp_pb2.Timestamp
    delivery_time: _timestamp_pb2.Timestamp
    issuer: str
    last_attempt_time: _timestamp_pb2.Timestamp
    last_error: str
    last_status_code: int
    next_attempt_time: _timestamp_pb2.Timestamp
    notification_id: int
    reason: TerminationReason
    session_id: str
    status: NotificationStatus
    subject_id: str
    def __init__(self, notification_id: _Optional[int] = ..., client_id: _Optional[str] = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., issuer: _Optional[str] = ..., reason: _Optional[_Union[TerminationReason, str]] = ..., status: _Optional[_Union[NotificationStatus, str]] = ..., attempts: _Optional[int] = ..., last_status_code: _Optional[int] = ..., last_error: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_attempt_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., next_attempt_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., delivery_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RetryNotificationsRequest(_message.Message):
    __slots__ = ["notification_ids"]
    NOTIFICATION_IDS_FIELD_NUMBER: _ClassVar[int]
    notification_ids: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, notification_ids: _Optional[_Iterable[int]] = ...) -> None: ...

class RetryNotificationsResponse(_message.Message):
    __slots__ = ["notifications_retried"]
    NOTIFICATIONS_RETRIED_FIELD_NUMBER: _ClassVar[int]
    notifications_retried: int
    def __init__(self, notifications_retried: _Optional[int] = ...) -> None: ...

class NotificationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TerminationReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
