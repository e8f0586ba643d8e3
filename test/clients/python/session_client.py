"""Query and terminate sessions with the generated Python client, unchanged.

Needs only grpcio, protobuf and the generated code (put gen/python on PYTHONPATH):

  PYTHONPATH=gen/python python3 session_client.py --target 127.0.0.1:50051 --key smk_... \
      walk --subject alice --page-size 10
  PYTHONPATH=gen/python python3 session_client.py --target 127.0.0.1:50051 --key smk_... \
      remove --session sid-1 --keep-consents

`walk` pages forward through every page, then back to the first one, printing
one JSON object per page. `remove` prints the RemoveSessions response as JSON.
The key may also come from SESSION_MANAGEMENT_API_KEY (keeps it out of `ps`).
Exit status: 0 done, 1 other gRPC error, 2 UNAUTHENTICATED, 3 PERMISSION_DENIED,
64 bad command line. gRPC errors are printed to stderr as "CODE: details".
"""
import argparse
import json
import os
import sys

import grpc
from google.protobuf.json_format import MessageToDict

from sessionmanagement.v1 import session_management_pb2 as pb
from sessionmanagement.v1 import session_management_pb2_grpc as pb_grpc

EXIT_CODES = {grpc.StatusCode.UNAUTHENTICATED: 2, grpc.StatusCode.PERMISSION_DENIED: 3}


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors; 2 means UNAUTHENTICATED here."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(64, f"{self.prog}: error: {message}\n")


def page_summary(direction, page):
    # total_count, total_pages and current_page are proto3 `optional`: HasField tells unset from 0.
    optional = lambda name: getattr(page, name) if page.HasField(name) else None
    return {
        "direction": direction,
        "session_ids": [session.session_id for session in page.results],
        "total_count": optional("total_count"),
        "total_pages": optional("total_pages"),
        "current_page": optional("current_page"),
        "has_prev": page.has_prev_results,
        "has_next": page.has_next_results,
    }


def walk(stub, args, call):
    """Every page forward to the end, then back to the first with request_prior_results."""
    query = dict(subject_id=args.subject, display_name=args.display_name, client_id=args.client, count_requested=args.page_size)
    page = call(stub.QuerySessions, pb.QuerySessionsRequest(**query))
    print(json.dumps(page_summary("forward", page)))
    while page.has_next_results:
        page = call(stub.QuerySessions, pb.QuerySessionsRequest(**query, results_token=page.results_token))
        print(json.dumps(page_summary("forward", page)))
    while page.has_prev_results:
        page = call(stub.QuerySessions, pb.QuerySessionsRequest(**query, results_token=page.results_token, request_prior_results=True))
        print(json.dumps(page_summary("backward", page)))


def remove(stub, args, call):
    request = pb.RemoveSessionsRequest(subject_id=args.subject, session_id=args.session, client_ids=args.client)
    # The four actions are proto3 `optional` and default to true when unset: only set what the user turned off.
    for flag, field in [("keep_sessions", "remove_server_side_session"), ("keep_tokens", "revoke_tokens"),
                        ("keep_consents", "revoke_consents"), ("no_notify", "send_backchannel_logout_notification")]:
        if getattr(args, flag):
            setattr(request, field, False)
    print(json.dumps(to_dict(call(stub.RemoveSessions, request))))


def to_dict(message):
    """Proto field names, zero counts included (the keyword was renamed in protobuf 5.26)."""
    try:
        return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    except TypeError:
        return MessageToDict(message, preserving_proto_field_name=True, including_default_value_fields=True)


def main():
    parser = Parser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="host:port of the gRPC listener")
    parser.add_argument("--key", default=os.environ.get("SESSION_MANAGEMENT_API_KEY"), help="API key (smk_...)")
    parser.add_argument("--ca", help="PEM file of the CA to trust: connect with TLS (default: plaintext h2c)")
    commands = parser.add_subparsers(dest="command", required=True)
    walk_args = commands.add_parser("walk", help="page through QuerySessions")
    walk_args.add_argument("--subject", default="")
    walk_args.add_argument("--display-name", default="", help="case-insensitive prefix")
    walk_args.add_argument("--client", default="")
    walk_args.add_argument("--page-size", type=int, default=0, help="0 means the server's default (25)")
    remove_args = commands.add_parser("remove", help="RemoveSessions")
    remove_args.add_argument("--subject", default="")
    remove_args.add_argument("--session", default="")
    remove_args.add_argument("--client", action="append", default=[], help="only these clients (repeatable)")
    for flag in ["--keep-sessions", "--keep-tokens", "--keep-consents", "--no-notify"]:
        remove_args.add_argument(flag, action="store_true")
    args = parser.parse_args()
    if not args.key:
        parser.error("--key or SESSION_MANAGEMENT_API_KEY is required")

    metadata = [("authorization", f"Bearer {args.key}")]
    call = lambda method, request: method(request, metadata=metadata, timeout=30)
    if args.ca:
        with open(args.ca, "rb") as pem:
            channel = grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=pem.read()))
    else:
        channel = grpc.insecure_channel(args.target)
    with channel:
        try:
            (walk if args.command == "walk" else remove)(pb_grpc.SessionManagementStub(channel), args, call)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", file=sys.stderr)
            sys.exit(EXIT_CODES.get(error.code(), 1))


if __name__ == "__main__":
    main()
