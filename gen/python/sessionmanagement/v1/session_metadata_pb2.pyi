from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SessionMetadata(_message.Message):
    __slots__ = ["attributes", "authentication_context_class", "authentication_methods", "last_seen_ip_address", "last_seen_time", "last_seen_user_agent", "sign_in_ip_address", "sign_in_user_agent"]
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
    LAST_SEEN_IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    SIGN_IN_IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SIGN_IN_USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    authentication_context_class: str
    authentication_methods: _containers.RepeatedScalarFieldContainer[str]
    last_seen_ip_address: str
    last_seen_time: _timestamp_pb2.Timestamp
    last_seen_user_agent: str
    sign_in_ip_address: str
    sign_in_user_agent: str
    def __init__(self, sign_in_ip_address: _Optional[str] = ..., sign_in_user_agent: _Optional[str] = ..., last_seen_ip_address: _Optional[str] = ..., last_seen_user_agent: _Optional[str] = ..., last_seen_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., authentication_methods: _Optional[_Iterable[str]] = ..., authentication_context_class: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...
