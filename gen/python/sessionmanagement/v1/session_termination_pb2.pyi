from google.protobuf import timestamp_pb2 as _timestamp_pb2
from sessionmanagement.v1 import session_management_pb2 as _session_management_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
TERMINATION_JOB_STATE_CANCELLED: TerminationJobState
TERMINATION_JOB_STATE_FAILED: TerminationJobState
TERMINATION_JOB_STATE_PENDING: TerminationJobState
TERMINATION_JOB_STATE_RUNNING: TerminationJobState
TERMINATION_JOB_STATE_SUCCEEDED: TerminationJobState
TERMINATION_JOB_STATE_UNSPECIFIED: TerminationJobState

class CancelTerminationJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CancelTerminationJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: TerminationJob
    def __init__(self, job: _Optional[_Union[TerminationJob, _Mapping]] = ...) -> None: ...

class ClientTerminationPreview(_message.Message):
    __slots__ = ["client_id", "figures", "notifiable"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    NOTIFIABLE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    figures: TerminationFigures
    notifiable: bool
    def __init__(self, client_id: _Optional[str] = ..., figures: _Optional[_Union[TerminationFigures, _Mapping]] = ..., notifiable: bool = ...) -> None: ...

class ExportSessionsRequest(_message.Message):
    __slots__ = ["batch_size", "filter", "resume_token"]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batch_size: int
    filter: SessionFilter
    resume_token: str
    def __init__(self, filter: _Optional[_Union[SessionFilter, _Mapping]] = ..., resume_token: _Optional[str] = ..., batch_size: _Optional[int] = ...) -> None: ...

class ExportSessionsResponse(_message.Message):
    __slots__ = ["resume_token", "sessions"]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    resume_token: str
    sessions: _containers.RepeatedCompositeFieldContainer[_session_management_pb2.UserSession]
    def __init__(self, sessions: _Optional[_Iterable[_Union[_session_management_pb2.UserSession, _Mapping]]] = ..., resume_token: _Optional[str] = ...) -> None: ...

class GetTerminationJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetTerminationJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: TerminationJob
    def __init__(self, job: _Optional[_Union[TerminationJob, _Mapping]] = ...) -> None: ...

class ListTerminationJobsRequest(_message.Message):
    __slots__ = ["count_requested", "results_token", "state"]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    count_requested: int
    results_token: str
    state: TerminationJobState
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., state: _Optional[_Union[TerminationJobState, str]] = ...) -> None: ...

class ListTerminationJobsResponse(_message.Message):
    __slots__ = ["jobs", "results_token"]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[TerminationJob]
    results_token: str
    def __init__(self, jobs: _Optional[_Iterable[_Union[TerminationJob, _Mapping]]] = ..., results_token: _Optional[str] = ...) -> None: ...

class PreviewTerminationRequest(_message.Message):
    __slots__ = ["actions", "filter"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    actions: TerminationActions
    filter: SessionFilter
    def __init__(self, filter: _Optional[_Union[SessionFilter, _Mapping]] = ..., actions: _Optional[_Union[TerminationActions, _Mapping]] = ...) -> None: ...

class PreviewTerminationResponse(_message.Message):
    __slots__ = ["clients", "clients_truncated", "exact_bound", "is_estimate", "total"]
    CLIENTS_FIELD_NUMBER: _ClassVar[int]
    CLIENTS_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    EXACT_BOUND_FIELD_NUMBER: _ClassVar[int]
    IS_ESTIMATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    clients: _containers.RepeatedCompositeFieldContainer[ClientTerminationPreview]
    clients_truncated: bool
    exact_bound: int
    is_estimate: bool
    total: TerminationFigures
    def __init__(self, total: _Optional[_Union[TerminationFigures, _Mapping]] = ..., clients: _Optional[_Iterable[_Union[ClientTerminationPreview, _Mapping]]] = ..., clients_truncated: bool = ..., is_estimate: bool = ..., exact_bound: _Optional[int] = ...) -> None: ...

class SessionFilter(_message.Message):
    __slots__ = ["all_sessions", "client_id", "created", "display_name", "expires", "ip_address", "issuer", "renewed", "session_id", "state", "subject_id"]
    ALL_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    RENEWED_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    all_sessions: bool
    client_id: str
    created: _session_management_pb2.TimeRange
    display_name: str
    expires: _session_management_pb2.TimeRange
    ip_address: str
    issuer: str
    renewed: _session_management_pb2.TimeRange
    session_id: str
    state: _session_management_pb2.SessionState
    subject_id: str
    def __init__(self, subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., display_name: _Optional[str] = ..., client_id: _Optional[str] = ..., all_sessions: bool = ..., created: _Optional[_Union[_session_management_pb2.TimeRange, _Mapping]] = ..., renewed: _Optional[_Union[_session_management_pb2.TimeRange, _Mapping]] = ..., expires: _Optional[_Union[_session_management_pb2.TimeRange, _Mapping]] = ..., state: _Optional[_Union[_session_management_pb2.SessionState, str]] = ..., issuer: _Optional[str] = ..., ip_address: _Optional[str] = ...) -> None: ...

class StartTerminationJobRequest(_message.Message):
    __slots__ = ["actions", "filter", "idempotency_key", "include_new_sessions", "reason", "sessions_per_second"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_NEW_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    actions: TerminationActions
    filter: SessionFilter
    idempotency_key: str
    include_new_sessions: bool
    reason: str
    sessions_per_second: int
    def __init__(self, idempotency_key: _Optional[str] = ..., filter: _Optional[_Union[SessionFilter, _Mapping]] = ..., actions: _Optional[_Union[TerminationActions, _Mapping]] = ..., include_new_sessions: bool = ..., sessions_per_second: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class StartTerminationJobResponse(_message.Message):
    __slots__ = ["created", "job"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    created: bool
    job: TerminationJob
    def __init__(self, job: _Optional[_Union[TerminationJob, _Mapping]] = ..., created: bool = ...) -> None: ...

class TerminationActions(_message.Message):
    __slots__ = ["client_ids", "remove_server_side_session", "revoke_consents", "revoke_tokens", "send_backchannel_logout_notification"]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    REMOVE_SERVER_SIDE_SESSION_FIELD_NUMBER: _ClassVar[int]
    REVOKE_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SEND_BACKCHANNEL_LOGOUT_NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    remove_server_side_session: bool
    revoke_consents: bool
    revoke_tokens: bool
    send_backchannel_logout_notification: bool
    def __init__(self, client_ids: _Optional[_Iterable[str]] = ..., remove_server_side_session: bool = ..., revoke_tokens: bool = ..., revoke_consents: bool = ..., send_backchannel_logout_notification: bool = ...) -> None: ...

class TerminationFigures(_message.Message):
    __slots__ = ["consents", "notifications", "sessions", "tokens"]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    consents: int
    notifications: int
    sessions: int
    tokens: int
    def __init__(self, sessions: _Optional[int] = ..., tokens: _Optional[int] = ..., consents: _Optional[int] = ..., notifications: _Optional[int] = ...) -> None: ...

class TerminationJob(_message.Message):
    __slots__ = ["actions", "batches", "cancelled_by", "create_time", "created_by", "end_time", "error", "expected_sessions", "expected_sessions_is_estimate", "filter", "idempotency_key", "include_new_sessions", "job_id", "progress", "reason", "sessions_per_second", "state", "update_time"]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_SESSIONS_IS_ESTIMATE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_NEW_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    actions: TerminationActions
    batches: int
    cancelled_by: str
    create_time: _timestamp_pb2.Timestamp
    created_by: str
    end_time: _timestamp_pb2.Timestamp
    error: str
    expected_sessions: int
    expected_sessions_is_estimate: bool
    filter: SessionFilter
    idempotency_key: str
    include_new_sessions: bool
    job_id: str
    progress: TerminationFigures
    reason: str
    sessions_per_second: int
    state: TerminationJobState
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, job_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., filter: _Optional[_Union[SessionFilter, _Mapping]] = ..., actions: _Optional[_Union[TerminationActions, _Mapping]] = ..., include_new_sessions: bool = ..., sessions_per_second: _Optional[int] = ..., reason: _Optional[str] = ..., created_by: _Optional[str] = ..., state: _Optional[_Union[TerminationJobState, str]] = ..., progress: _Optional[_Union[TerminationFigures, _Mapping]] = ..., batches: _Optional[int] = ..., expected_sessions: _Optional[int] = ..., expected_sessions_is_estimate: bool = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ..., cancelled_by: _Optional[str] = ...) -> None: ...

class WatchTerminationJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class WatchTerminationJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: TerminationJob
    def __init__(self, job: _Optional[_Union[TerminationJob, _Mapping]] = ...) -> None: ...

class TerminationJobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
