from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sessionmanagement.v1 import session_metadata_pb2 as _session_metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateSessionRequest(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: ServerSideSession
    def __init__(self, session: _Optional[_Union[ServerSideSession, _Mapping]] = ...) -> None: ...

class CreateSessionResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: ServerSideSession
    def __init__(self, session: _Optional[_Union[ServerSideSession, _Mapping]] = ...) -> None: ...

class DeleteSessionRequest(_message.Message):
    __slots__ = ["initiating_client_id", "key", "revoke_tokens", "send_backchannel_logout_notification"]
    INITIATING_CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SEND_BACKCHANNEL_LOGOUT_NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    initiating_client_id: str
    key: str
    revoke_tokens: bool
    send_backchannel_logout_notification: bool
    def __init__(self, key: _Optional[str] = ..., revoke_tokens: bool = ..., send_backchannel_logout_notification: bool = ..., initiating_client_id: _Optional[str] = ...) -> None: ...

class DeleteSessionResponse(_message.Message):
    __slots__ = ["notifications_queued", "sessions_removed", "tokens_revoked"]
    NOTIFICATIONS_QUEUED_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REVOKED_FIELD_NUMBER: _ClassVar[int]
    notifications_queued: int
    sessions_removed: int
    tokens_revoked: int
    def __init__(self, sessions_removed: _Optional[int] = ..., tokens_revoked: _Optional[int] = ..., notifications_queued: _Optional[int] = ...) -> None: ...

class DeleteSessionsRequest(_message.Message):
    __slots__ = ["initiating_client_id", "revoke_tokens", "send_backchannel_logout_notification", "session_id", "subject_id"]
    INITIATING_CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SEND_BACKCHANNEL_LOGOUT_NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    initiating_client_id: str
    revoke_tokens: bool
    send_backchannel_logout_notification: bool
    session_id: str
    subject_id: str
    def __init__(self, subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., revoke_tokens: bool = ..., send_backchannel_logout_notification: bool = ..., initiating_client_id: _Optional[str] = ...) -> None: ...

class DeleteSessionsResponse(_message.Message):
    __slots__ = ["notifications_queued", "session_ids", "sessions_removed", "tokens_revoked"]
    NOTIFICATIONS_QUEUED_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    SESSION_IDS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REVOKED_FIELD_NUMBER: _ClassVar[int]
    notifications_queued: int
    session_ids: _containers.RepeatedScalarFieldContainer[str]
    sessions_removed: int
    tokens_revoked: int
    def __init__(self, sessions_removed: _Optional[int] = ..., tokens_revoked: _Optional[int] = ..., notifications_queued: _Optional[int] = ..., session_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ["key"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: ServerSideSession
    def __init__(self, session: _Optional[_Union[ServerSideSession, _Mapping]] = ...) -> None: ...

class GetSessionsRequest(_message.Message):
    __slots__ = ["count_requested", "request_prior_results", "results_token", "session_id", "subject_id"]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PRIOR_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    count_requested: int
    request_prior_results: bool
    results_token: str
    session_id: str
    subject_id: str
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., request_prior_results: bool = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class GetSessionsResponse(_message.Message):
    __slots__ = ["has_next_results", "has_prev_results", "results", "results_token"]
    HAS_NEXT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PREV_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    has_next_results: bool
    has_prev_results: bool
    results: _containers.RepeatedCompositeFieldContainer[ServerSideSession]
    results_token: str
    def __init__(self, results: _Optional[_Iterable[_Union[ServerSideSession, _Mapping]]] = ..., results_token: _Optional[str] = ..., has_prev_results: bool = ..., has_next_results: bool = ...) -> None: ...

class ServerSideSession(_message.Message):
    __slots__ = ["client_ids", "created", "display_name", "expires", "issuer", "key", "metadata", "renewed", "scheme", "session_id", "subject_id", "ticket"]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    created: _timestamp_pb2.Timestamp
    display_name: str
    expires: _timestamp_pb2.Timestamp
    issuer: str
    key: str
    metadata: _session_metadata_pb2.SessionMetadata
    renewed: _timestamp_pb2.Timestamp
    scheme: str
    session_id: str
    subject_id: str
    ticket: bytes
    def __init__(self, key: _Optional[str] = ..., scheme: _Optional[str] = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., display_name: _Optional[str] = ..., issuer: _Optional[str] = ..., created: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., renewed: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., client_ids: _Optional[_Iterable[str]] = ..., ticket: _Optional[bytes] = ..., metadata: _Optional[_Union[_session_metadata_pb2.SessionMetadata, _Mapping]] = ...) -> None: ...

class UpdateSessionRequest(_message.Message):
    __slots__ = ["attributes", "authentication_context_class", "authentication_methods", "clear_expires", "client_ids", "display_name", "expires", "key", "last_seen_ip_address", "last_seen_time", "last_seen_user_agent", "renewed", "replace_attributes", "replace_client_ids", "ticket"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATION_CONTEXT_CLASS_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATION_METHODS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_EXPIRES_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    REPLACE_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    REPLACE_CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    authentication_context_class: str
    authentication_methods: _containers.RepeatedScalarFieldContainer[str]
    clear_expires: bool
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    display_name: str
    expires: _timestamp_pb2.Timestamp
    key: str
    last_seen_ip_address: str
    last_seen_time: _timestamp_pb2.Timestamp
    last_seen_user_agent: str
    renewed: _timestamp_pb2.Timestamp
    replace_attributes: bool
    replace_client_ids: bool
    ticket: bytes
    def __init__(self, key: _Optional[str] = ..., renewed: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., clear_expires: bool = ..., client_ids: _Optional[_Iterable[str]] = ..., replace_client_ids: bool = ..., display_name: _Optional[str] = ..., ticket: _Optional[bytes] = ..., last_seen_ip_address: _Optional[str] = ..., last_seen_user_agent: _Optional[str] = ..., last_seen_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., authentication_methods: _Optional[_Iterable[str]] = ..., authentication_context_class: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., replace_attributes: bool = ...) -> None: ...

class UpdateSessionResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: ServerSideSession
    def __init__(self, session: _Optional[_Union[ServerSideSession, _Mapping]] = ...) -> None: ...
