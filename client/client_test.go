package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitForGoroutines polls runtime.NumGoroutine for up to five seconds and
// returns the last count, which is at most limit unless the wait timed out.
func waitForGoroutines(limit int) int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= limit || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCloseIdleConnections(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"agentType":"AD"}`)
	}))
	defer srv.Close()
	baseline := runtime.NumGoroutine()

	// Each Client has its own connection pool, so each keeps one idle
	// connection open after its call: a read and a write goroutine in the
	// client and one in the server.
	const clients = 20
	all := make([]*Client, clients)
	for i := range all {
		all[i] = newTestClient(t, srv, newFakeClock())
		_, err := all[i].GetSettings(context.Background(), "pool1")
		require.NoError(t, err)
	}
	require.GreaterOrEqual(t, runtime.NumGoroutine(), baseline+2*clients,
		"each Client should keep an idle connection open before CloseIdleConnections")

	for _, c := range all {
		c.CloseIdleConnections()
	}

	const slack = 5
	assert.LessOrEqual(t, waitForGoroutines(baseline+slack), baseline+slack,
		"goroutines of idle connections should end after CloseIdleConnections")

	_, err := all[0].GetSettings(context.Background(), "pool1")
	require.NoError(t, err, "a Client must remain usable after CloseIdleConnections")
	all[0].CloseIdleConnections()
}
