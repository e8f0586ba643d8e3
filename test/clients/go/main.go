// Command go-client lists the sessions of one subject through the
// SessionManagement API, following results tokens until the last page.
// It is the smallest useful Go client of the service and shows how to
// dial it, authenticate, and page through QuerySessions.
//
//	go-client -addr 127.0.0.1:50051 -subject alice -page 5
//
// The API key comes from -key or the SM_KEY environment variable. Each
// session id is printed on its own line, then "total <n>". On error the
// gRPC status code name (e.g. "Unauthenticated") is printed to stderr and
// the exit code is 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	sessionmanagementv1 "sessionmanagement/gen/go/sessionmanagement/v1"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:50051", "server address (host:port, plaintext HTTP/2)")
	key := flag.String("key", os.Getenv("SM_KEY"), "API key (default: $SM_KEY)")
	subject := flag.String("subject", "", "only sessions of this subject id")
	page := flag.Int("page", 25, "page size")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Plaintext HTTP/2 (h2c). grpc.WithInsecure is what gRPC-Go 1.33 (Debian
	// bookworm) offers; newer releases spell it
	// grpc.WithTransportCredentials(insecure.NewCredentials()).
	conn, err := grpc.DialContext(ctx, *addr, grpc.WithInsecure())
	if err != nil {
		fail(err)
	}
	defer conn.Close()

	// Every call carries the API key as a bearer credential.
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+*key)
	client := sessionmanagementv1.NewSessionManagementClient(conn)

	total := 0
	request := &sessionmanagementv1.QuerySessionsRequest{SubjectId: *subject, CountRequested: int32(*page)}
	for {
		response, err := client.QuerySessions(ctx, request)
		if err != nil {
			fail(err)
		}
		for _, session := range response.Results {
			fmt.Println(session.SessionId)
			total++
		}
		if !response.HasNextResults {
			break
		}
		// The token is bound to the filter and page size: resend them unchanged.
		request.ResultsToken = response.ResultsToken
	}
	fmt.Printf("total %d\n", total)
}

// fail prints the gRPC status code name and message, and exits non-zero.
func fail(err error) {
	s := status.Convert(err)
	fmt.Fprintf(os.Stderr, "%s: %s\n", s.Code(), s.Message())
	os.Exit(1)
}
