from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
LOGOUT_TOKEN_TYPE_JWT: LogoutTokenType
LOGOUT_TOKEN_TYPE_LOGOUT_JWT: LogoutTokenType
LOGOUT_TOKEN_TYPE_NONE: LogoutTokenType
LOGOUT_TOKEN_TYPE_UNSPECIFIED: LogoutTokenType

class Client(_message.Message):
    __slots__ = ["backchannel_logout_session_required", "backchannel_logout_uri", "client_id", "enabled", "logout_token_type"]
    BACKCHANNEL_LOGOUT_SESSION_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    BACKCHANNEL_LOGOUT_URI_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    LOGOUT_TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    backchannel_logout_session_required: bool
    backchannel_logout_uri: str
    client_id: str
    enabled: bool
    logout_token_type: LogoutTokenType
    def __init__(self, client_id: _Optional[str] = ..., enabled: bool = ..., backchannel_logout_uri: _Optional[str] = ..., backchannel_logout_session_required: bool = ..., logout_token_type: _Optional[_Union[LogoutTokenType, str]] = ...) -> None: ...

class DeleteClientRequest(_message.Message):
    __slots__ = ["client_id"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    def __init__(self, client_id: _Optional[str] = ...) -> None: ...

class DeleteClientResponse(_message.Message):
    __slots__ = ["clients_removed"]
    CLIENTS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    clients_removed: int
    def __init__(self, clients_removed: _Optional[int] = ...) -> None: ...

class GetClientRequest(_message.Message):
    __slots__ = ["client_id"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    def __init__(self, client_id: _Optional[str] = ...) -> None: ...

class GetClientResponse(_message.Message):
    __slots__ = ["client"]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    client: Client
    def __init__(self, client: _Optional[_Union[Client, _Mapping]] = ...) -> None: ...

class ListClientsRequest(_message.Message):
    __slots__ = ["count_requested", "request_prior_results", "results_token"]
    COUNT_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    REQUEST_PRIOR_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    count_requested: int
    request_prior_results: bool
    results_token: str
    def __init__(self, count_requested: _Optional[int] = ..., results_token: _Optional[str] = ..., request_prior_results: bool = ...) -> None: ...

class ListClientsResponse(_message.Message):
    __slots__ = ["current_page", "has_next_results", "has_prev_results", "results", "results_token", "total_count", "total_pages"]
    CURRENT_PAGE_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_RESULTS_FIELD_NUMBER: _ClassVar[int]
    HAS_PREV_RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    RESULTS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAGES_FIELD_NUMBER: _ClassVar[int]
    current_page: int
    has_next_results: bool
    has_prev_results: bool
    results: _containers.RepeatedCompositeFieldContainer[Client]
    results_token: str
    total_count: int
    total_pages: int
    def __init__(self, results: _Optional[_Iterable[_Union[Client, _Mapping]]] = ..., results_token: _Optional[str] = ..., has_prev_results: bool = ..., has_next_results: bool = ..., total_count: _Optional[int] = ..., total_pages: _Optional[int] = ..., current_page: _Optional[int] = ...) -> None: ...

class PutClientRequest(_message.Message):
    __slots__ = ["client"]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    client: Client
    def __init__(self, client: _Optional[_Union[Client, _Mapping]] = ...) -> None: ...

class PutClientResponse(_message.Message):
    __slots__ = ["client"]
    CLIENT_FIELD_NUMBER: _ClassVar[int]
    client: Client
    def __init__(self, client: _Optional[_Union[Client, _Mapping]] = ...) -> None: ...

class LogoutTokenType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
