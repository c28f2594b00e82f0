package oktatest_test

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestNewUnstartedServerSeedThenStart(t *testing.T) {
	srv := oktatest.NewUnstartedServer()
	assert.Empty(t, srv.URL)
	srv.AddPool(api.AgentPool{Name: ptr("corp"), Type: ptr(api.AD)})

	srv.Start()
	defer srv.Close()

	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	_, body := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	assert.Len(t, decode[[]api.AgentPool](t, body), 1)
}

func TestStartOnAddress(t *testing.T) {
	// Find a free port, then start the server on it.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := probe.Addr().String()
	require.NoError(t, probe.Close())

	srv := oktatest.NewUnstartedServer()
	require.NoError(t, srv.StartOn(addr))
	defer srv.Close()

	assert.Equal(t, "http://"+addr, srv.URL)
	resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	assert.ErrorContains(t, srv.StartOn(addr), "already started")
}

func TestStartOnErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()

	srv := oktatest.NewUnstartedServer()
	assert.ErrorContains(t, srv.StartOn(busy.Addr().String()), "listening on")

	srv.Close()
	assert.ErrorContains(t, srv.StartOn("127.0.0.1:0"), "closed")
}

func TestStartOnRejectsNonLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.com:0"} {
		t.Run(addr, func(t *testing.T) {
			srv := oktatest.NewUnstartedServer()
			defer srv.Close()

			err := srv.StartOn(addr)

			require.Error(t, err)
			assert.ErrorContains(t, err, "plain HTTP on loopback only")
			assert.Empty(t, srv.URL, "the server must not listen")
		})
	}
}

func TestStartOnRejectsAddressWithoutPort(t *testing.T) {
	srv := oktatest.NewUnstartedServer()
	defer srv.Close()

	err := srv.StartOn("127.0.0.1")

	assert.ErrorContains(t, err, `oktatest: address "127.0.0.1" is invalid`)
	assert.Empty(t, srv.URL)
}

func TestStartOnLoopbackAccepted(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		t.Run(addr, func(t *testing.T) {
			srv := oktatest.NewUnstartedServer()
			defer srv.Close()

			require.NoError(t, srv.StartOn(addr))

			assert.True(t, strings.HasPrefix(srv.URL, "http://"), srv.URL)
			resp, _ := call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
}

func TestStartTwicePanics(t *testing.T) {
	srv := oktatest.NewServer()
	defer srv.Close()

	assert.Panics(t, srv.Start)
}

func TestCloseTwice(t *testing.T) {
	srv := oktatest.NewServer()
	srv.Close()
	srv.Close()

	oktatest.NewUnstartedServer().Close()
}

func TestHandlerMountedElsewhere(t *testing.T) {
	fake := oktatest.NewUnstartedServer(oktatest.WithSampleData())
	defer fake.Close()
	host := httptest.NewServer(fake.Handler())
	defer host.Close()

	req, err := http.NewRequest(http.MethodGet, host.URL+"/api/v1/agentPools?poolType=OPP", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+fake.APIToken())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()

	require.Equal(t, http.StatusOK, resp.StatusCode)
	var pools []api.AgentPool
	require.NoError(t, jsonDecode(resp, &pools))
	require.Len(t, pools, 1)
	assert.True(t, strings.HasPrefix(pools[0].Links.Self.Href, host.URL+"/"), "links use the request's host: %s", pools[0].Links.Self.Href)
}

func TestLoggerGetsRequestsWithoutSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := oktatest.New(t, oktatest.WithLogger(logger))

	call(t, srv, http.MethodGet, "/api/v1/agentPools?poolType=NOPE", "")
	srv.Close()

	out := buf.String()
	assert.Contains(t, out, "fake Okta org started")
	assert.Contains(t, out, "operation=listAgentPools")
	assert.Contains(t, out, "status=400")
	assert.Contains(t, out, "level=WARN")
	assert.Contains(t, out, "fake Okta org stopped")
	assert.NotContains(t, out, srv.APIToken())
	srv.ResetValidationErrors()
}

func TestSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(previous)

	srv := oktatest.NewServer()
	call(t, srv, http.MethodGet, "/api/v1/agentPools", "")
	srv.Close()

	assert.Empty(t, buf.String())
}
