from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetGrantRequest(_message.Message):
    __slots__ = ["key"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class GetGrantResponse(_message.Message):
    __slots__ = ["grant"]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    grant: PersistedGrant
    def __init__(self, grant: _Optional[_Union[PersistedGrant, _Mapping]] = ...) -> None: ...

class ListGrantsRequest(_message.Message):
    __slots__ = ["count_requested", "filter", "request_prior_results", "results_token"]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PRIOR_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    count_requested: int
    filter: PersistedGrantFilter
    request_prior_results: bool
    results_token: str
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., request_prior_results: bool = ..., filter: _Optional[_Union[PersistedGrantFilter, _Mapping]] = ...) -> None: ...

class ListGrantsResponse(_message.Message):
    __slots__ = ["has_next_results", "has_prev_results", "results", "results_token"]
    HAS_NEXT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PREV_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    has_next_results: bool
    has_prev_results: bool
    results: _containers.RepeatedCompositeFieldContainer[PersistedGrant]
    results_token: str
    def __init__(self, results: _Optional[_Iterable[_Union[PersistedGrant, _Mapping]]] = ..., results_token: _Optional[str] = ..., has_prev_results: bool = ..., has_next_results: bool = ...) -> None: ...

class PersistedGrant(_message.Message):
    __slots__ = ["client_id", "consumed_time", "creation_time", "data", "description", "expiration", "key", "session_id", "subject_id", "type"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATION_TIME_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    consumed_time: _timestamp_pb2.Timestamp
    creation_time: _timestamp_pb2.Timestamp
    data: bytes
    description: str
    expiration: _timestamp_pb2.Timestamp
    key: str
    session_id: str
    subject_id: str
    type: str
    def __init__(self, key: _Optional[str] = ..., type: _Optional[str] = ..., subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., client_id: _Optional[str] = ..., description: _Optional[str] = ..., creation_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expiration: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., consumed_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class PersistedGrantFilter(_message.Message):
    __slots__ = ["client_ids", "session_id", "subject_id", "types"]
    CLIENT_IDS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    client_ids: _containers.RepeatedScalarFieldContainer[str]
    session_id: str
    subject_id: str
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, subject_id: _Optional[str] = ..., session_id: _Optional[str] = ..., client_ids: _Optional[_Iterable[str]] = ..., types: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveGrantRequest(_message.Message):
    __slots__ = ["key"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: str
    def __init__(self, key: _Optional[str] = ...) -> None: ...

class RemoveGrantResponse(_message.Message):
    __slots__ = ["grants_removed"]
    GRANTS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    grants_removed: int
    def __init__(self, grants_removed: _Optional[int] = ...) -> None: ...

class RemoveGrantsRequest(_message.Message):
    __slots__ = ["filter"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    filter: PersistedGrantFilter
    def __init__(self, filter: _Optional[_Union[PersistedGrantFilter, _Mapping]] = ...) -> None: ...

class RemoveGrantsResponse(_message.Message):
    __slots__ = ["grants_removed"]
    GRANTS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    grants_removed: int
    def __init__(self, grants_removed: _Optional[int] = ...) -> None: ...

class StoreGrantRequest(_message.Message):
    __slots__ = ["grant"]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    grant: PersistedGrant
    def __init__(self, grant: _Optional[_Union[PersistedGrant, _Mapping]] = ...) -> None: ...

class StoreGrantResponse(_message.Message):
    __slots__ = ["grant"]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    grant: PersistedGrant
    def __init__(self, grant: _Optional[_Union[PersistedGrant, _Mapping]] = ...) -> None: ...
