from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sessionmanagement.v1 import session_metadata_pb2 as _session_metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SESSION_ORDER_NEWEST_FIRST: SessionOrder
SESSION_ORDER_OLDEST_FIRST: SessionOrder
SESSION_ORDER_UNSPECIFIED: SessionOrder
SESSION_STATE_ACTIVE: SessionState
SESSION_STATE_EXPIRED: SessionState
SESSION_STATE_UNSPECIFIED: SessionState

class QuerySessionsRequest(_message.Message):
    __slots__ = ["client_id", "count_requested", "created", "display_name", "expires", "ip_address", "issuer", "order", "renewed", "request_prior_results", "results_token", "session_id", "state", "subject_id"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PRIOR_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    count_requested: int
    created: TimeRange
    display_name: str
    expires: TimeRange
    ip_address: str
    issuer: str
    order: SessionOrder
    renewed: TimeRange
    request_prior_results: bool
    results_token: str
    session_id: str
    state: SessionState
    subject_id: str
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., request_prior_results: bool = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., display_name: _Optional[str] = ..., client_id: _Optional[str] = ..., created: _Optional[_Union[TimeRange, _Mapping]] = ..., renewed: _Optional[_Union[TimeRange, _Mapping]] = ..., expires: _Optional[_Union[TimeRange, _Mapping]] = ..., state: _Optional[_Union[SessionState, str]] = ..., issuer: _Optional[str] = ..., ip_address: _Optional[str] = ..., order: _Optional[_Union[SessionOrder, str]] = ...) -> None: ...

class QuerySessionsResponse(_message.Message):
    __slots__ = ["current_page", "has_next_results", "has_prev_results", "results", "results_token", "total_count", "total_count_is_estimate", "total_pages"]
    CURRENT_PAGE_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PREV_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_IS_ESTIMATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAGES_FIELD_NUMBER: _ClassVar[int]
    current_page: int
    has_next_results: bool
    has_prev_results: bool
    results: _containers.RepeatedCompositeFieldContainer[UserSession]
    results_token: str
    total_count: int
    total_count_is_estimate: bool
    total_pages: int
    def __init__(self, results: _Optional[_Iterable[_Union[UserSession, _Mapping]]] = ..., results_token: _Optional[str] = ..., has_prev_results: bool = ..., has_next_results: bool = ..., total_count: _Optional[int] = ..., total_pages: _Optional[int] = ..., current_page: _Optional[int] = ..., total_count_is_estimate: bool = ...) -> None: ...

class RemoveSessionsRequest(_message.Message):
    __slots__ = ["client_ids", "remove_server_side_session", "revoke_consents", "revoke_tokens", "send_backchannel_logout_notification", "session_id", "subject_id"]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    REMOVE_SERVER_SIDE_SESSION_FIELD_NUMBER: _ClassVar[int]
    REVOKE_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SEND_BACKCHANNEL_LOGOUT_NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    remove_server_side_session: bool
    revoke_consents: bool
    revoke_tokens: bool
    send_backchannel_logout_notification: bool
    session_id: str
    subject_id: str
    def __init__(self, subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., client_ids: _Optional[_Iterable[str]] = ..., remove_server_side_session: bool = ..., revoke_tokens: bool = ..., revoke_consents: bool = ..., send_backchannel_logout_notification: bool = ...) -> None: ...

class RemoveSessionsResponse(_message.Message):
    __slots__ = ["consents_revoked", "notifications_queued", "session_ids", "sessions_removed", "tokens_revoked"]
    CONSENTS_REVOKED_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_QUEUED_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    SESSION_IDS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REVOKED_FIELD_NUMBER: _ClassVar[int]
    consents_revoked: int
    notifications_queued: int
    session_ids: _containers.RepeatedScalarFieldContainer[str]
    sessions_removed: int
    tokens_revoked: int
    def __init__(self, sessions_removed: _Optional[int] = ..., tokens_revoked: _Optional[int] = ..., consents_revoked: _Optional[int] = ..., notifications_queued: _Optional[int] = ..., session_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class TimeRange(_message.Message):
    __slots__ = ["to"]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    to: _timestamp_pb2.Timestamp
    def __init__(self, to: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class UserSession(_message.Message):
    __slots__ = ["client_ids", "created", "display_name", "expired", "expires", "issuer", "metadata", "renewed", "session_id", "subject_id"]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    created: _timestamp_pb2.Timestamp
    display_name: str
    expired: bool
    expires: _timestamp_pb2.Timestamp
    issuer: str
    metadata: _session_metadata_pb2.SessionMetadata
    renewed: _timestamp_pb2.Timestamp
    session_id: str
    subject_id: str
    def __init__(self, subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., display_name: _Optional[str] = ..., created: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., renewed: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., issuer: _Optional[str] = ..., client_ids: _Optional[_Iterable[str]] = ..., metadata: _Optional[_Union[_session_metadata_pb2.SessionMetadata, _Mapping]] = ..., expired: bool = ...) -> None: ...

class SessionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SessionOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
