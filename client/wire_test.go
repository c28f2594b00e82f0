package client

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/auth"
)

// recordingListener keeps every byte that clients send to the server.
type recordingListener struct {
	net.Listener
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *recordingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{Conn: conn, l: l}, nil
}

func (l *recordingListener) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type recordingConn struct {
	net.Conn
	l *recordingListener
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.l.mu.Lock()
	c.l.buf.Write(p[:n])
	c.l.mu.Unlock()
	return n, err
}

func TestBodylessPostSendsContentLengthZero(t *testing.T) {
	actions := map[string]func(c *Client) error{
		"activate":   func(c *Client) error { _, err := c.ActivateUpdate(context.Background(), "p", "u"); return err },
		"deactivate": func(c *Client) error { _, err := c.DeactivateUpdate(context.Background(), "p", "u"); return err },
		"pause":      func(c *Client) error { _, err := c.PauseUpdate(context.Background(), "p", "u"); return err },
		"resume":     func(c *Client) error { _, err := c.ResumeUpdate(context.Background(), "p", "u"); return err },
		"retry":      func(c *Client) error { _, err := c.RetryUpdate(context.Background(), "p", "u"); return err },
		"stop":       func(c *Client) error { _, err := c.StopUpdate(context.Background(), "p", "u"); return err },
	}

	for action, call := range actions {
		t.Run(action, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, sampleUpdate)
			}))
			rec := &recordingListener{Listener: srv.Listener}
			srv.Listener = rec
			srv.Start()
			defer srv.Close()
			c := newTestClient(t, srv, newFakeClock())

			require.NoError(t, call(c))

			req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(rec.String())))
			require.NoError(t, err)
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "/api/v1/agentPools/p/updates/u/"+action, req.URL.Path)
			assert.Equal(t, []string{"0"}, req.Header.Values("Content-Length"), "raw request:\n%s", rec.String())
			assert.Empty(t, req.TransferEncoding)
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock(), WithUserAgent("inventory-sync/2.1"))

	_, err := c.CreateUpdate(context.Background(), "p", sampleUpdateModel(t))

	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, "SSWS "+testToken, got.Get("Authorization"))
	assert.Equal(t, "application/json", got.Get("Accept"))
	assert.Equal(t, "application/json", got.Get("Content-Type"))
	wantUA := "agentpools-go/" + Version + " go/" + strings.TrimPrefix(runtime.Version(), "go") + " (" + runtime.GOOS + "/" + runtime.GOARCH + ") inventory-sync/2.1"
	assert.Equal(t, wantUA, got.Get("User-Agent"))
}

func TestReservedCharactersInIDs(t *testing.T) {
	var paths []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.EscapedPath(), "/updates") {
			_, _ = io.WriteString(w, "["+sampleUpdate+"]")
			return
		}
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())
	ctx := context.Background()
	const pool, update = "a/b?c#d", "%2F e"

	_, err := c.ListUpdates(ctx, pool, nil)
	require.NoError(t, err)
	_, err = c.GetUpdate(ctx, pool, update)
	require.NoError(t, err)
	_, err = c.PauseUpdate(ctx, pool, update)
	require.NoError(t, err)
	require.NoError(t, c.DeleteUpdate(ctx, pool, update))
	_, err = c.GetSettings(ctx, pool)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"/api/v1/agentPools/a%2Fb%3Fc%23d/updates",
		"/api/v1/agentPools/a%2Fb%3Fc%23d/updates/%252F%20e",
		"/api/v1/agentPools/a%2Fb%3Fc%23d/updates/%252F%20e/pause",
		"/api/v1/agentPools/a%2Fb%3Fc%23d/updates/%252F%20e",
		"/api/v1/agentPools/a%2Fb%3Fc%23d/updates/settings",
	}, paths)
}

func TestInvalidIDsRejectedBeforeRequest(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.inc() }))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())
	ctx := context.Background()

	tests := []struct {
		name    string
		call    func() error
		wantMsg string
	}{
		{"empty pool", func() error { _, err := c.ListUpdates(ctx, "", nil); return err }, `client: poolID is empty`},
		{"empty update", func() error { _, err := c.GetUpdate(ctx, "p", ""); return err }, `client: updateID is empty`},
		{"empty pool of delete", func() error { return c.DeleteUpdate(ctx, "", "u") }, `client: poolID is empty`},
		{"dot segment", func() error { _, err := c.GetSettings(ctx, ".."); return err }, `client: poolID ".." is not a valid ID`},
		{"dot update", func() error { _, err := c.StopUpdate(ctx, "p", "."); return err }, `client: updateID "." is not a valid ID`},
		{"empty pool of create", func() error { _, err := c.CreateUpdate(ctx, "", sampleUpdateModel(t)); return err }, `client: poolID is empty`},
		{"settings without agent type", func() error {
			_, err := c.EditSettings(ctx, "p", settingsRequest(""))
			return err
		}, `client: settings have an empty AgentType`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantMsg)
		})
	}
	assert.Equal(t, 0, calls.get())
}

// leakyCredentials adds the Authorization header to requests for any host,
// unlike the auth package, to show that the Client's redirect policy alone
// keeps credentials from another host.
type leakyCredentials struct{}

func (leakyCredentials) RoundTripper(_ *url.URL, base http.RoundTripper) (http.RoundTripper, error) {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "SSWS "+testToken)
		return base.RoundTrip(r)
	}), nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestRedirects(t *testing.T) {
	var otherCalls counter
	var otherAuth []string
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherCalls.inc()
		mu.Lock()
		otherAuth = append(otherAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, sampleUpdate)
	}))
	defer other.Close()

	org := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/agentPools/p/updates/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/api/v1/agentPools/p/updates/moved":
			http.Redirect(w, r, "/api/v1/agentPools/p/updates/u", http.StatusMovedPermanently)
		default:
			assert.Equal(t, "SSWS "+testToken, r.Header.Get("Authorization"))
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, sampleUpdate)
		}
	}))
	defer org.Close()

	for _, creds := range []struct {
		name  string
		creds auth.Credentials
	}{{"leaky credentials", leakyCredentials{}}, {"auth.APIToken", testCredentials()}} {
		t.Run(creds.name+" to another host", func(t *testing.T) {
			c, err := New(org.URL, WithCredentials(creds.creds), WithClock(newFakeClock()))
			require.NoError(t, err)

			_, err = c.GetUpdate(context.Background(), "p", "away")

			require.Error(t, err)
			assert.Contains(t, err.Error(), "rejected a redirect to")
			assert.Equal(t, 0, otherCalls.get(), "the other host must get no request")
		})
	}

	t.Run("same origin is followed", func(t *testing.T) {
		c := newTestClient(t, org, newFakeClock())

		u, err := c.GetUpdate(context.Background(), "p", "moved")

		require.NoError(t, err)
		assert.Equal(t, "upd1", *u.Id)
	})

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, otherAuth)
}

func TestResponseSizeLimit(t *testing.T) {
	big := `{"id":"upd1","name":"` + strings.Repeat("n", 2000) + `"}`
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"with Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, big)
		}},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for i := 0; i < len(big); i += 100 {
				_, _ = io.WriteString(w, big[i:min(i+100, len(big))])
				w.(http.Flusher).Flush()
			}
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := newTestClient(t, srv, newFakeClock(), WithMaxResponseBytes(1024))

			_, err := c.GetUpdate(context.Background(), "p", "u")

			require.ErrorIs(t, err, ErrResponseTooLarge)
			assert.Contains(t, err.Error(), "client: GET /api/v1/agentPools/p/updates/u: response body is larger than the limit of 1024 bytes; raise it with WithMaxResponseBytes")
		})
	}

	t.Run("at the limit", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, big)
		}))
		defer srv.Close()
		c := newTestClient(t, srv, newFakeClock(), WithMaxResponseBytes(int64(len(big))))

		u, err := c.GetUpdate(context.Background(), "p", "u")

		require.NoError(t, err)
		assert.Len(t, *u.Name, 2000)
	})
}

func TestErrorBodyOverLimitKeepsStart(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>"+strings.Repeat("x", 5000))
	}))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock(), WithMaxResponseBytes(100), WithRetry(RetryPolicy{MaxAttempts: 1}))

	_, err := c.GetUpdate(context.Background(), "p", "u")

	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "<html>"+strings.Repeat("x", 94), apiErr.Body)
	assert.Contains(t, err.Error(), `502 (HTML body: "<html>xxx`)
}

func TestNilContextRejectedBeforeRequest(t *testing.T) {
	var calls counter
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.inc() }))
	defer srv.Close()
	c := newTestClient(t, srv, newFakeClock())
	var nilCtx context.Context

	// The IDs are empty, so each call shows that the Context is checked
	// first.
	update := sampleUpdateModel(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"ListPoolsPage", func() error { _, err := c.ListPoolsPage(nilCtx, nil); return err }},
		{"ListPools", func() error {
			for _, err := range c.ListPools(nilCtx, nil) {
				return err
			}
			return nil
		}},
		{"PoolIterator.NextPage", func() error { _, err := c.PoolIterator(nil).NextPage(nilCtx); return err }},
		{"GetSettings", func() error { _, err := c.GetSettings(nilCtx, ""); return err }},
		{"EditSettings", func() error { _, err := c.EditSettings(nilCtx, "", settingsRequest("")); return err }},
		{"ListUpdates", func() error { _, err := c.ListUpdates(nilCtx, "", nil); return err }},
		{"CreateUpdate", func() error { _, err := c.CreateUpdate(nilCtx, "", update); return err }},
		{"GetUpdate", func() error { _, err := c.GetUpdate(nilCtx, "", ""); return err }},
		{"EditUpdate", func() error { _, err := c.EditUpdate(nilCtx, "", "", update); return err }},
		{"DeleteUpdate", func() error { return c.DeleteUpdate(nilCtx, "", "") }},
		{"ActivateUpdate", func() error { _, err := c.ActivateUpdate(nilCtx, "", ""); return err }},
		{"DeactivateUpdate", func() error { _, err := c.DeactivateUpdate(nilCtx, "", ""); return err }},
		{"PauseUpdate", func() error { _, err := c.PauseUpdate(nilCtx, "", ""); return err }},
		{"ResumeUpdate", func() error { _, err := c.ResumeUpdate(nilCtx, "", ""); return err }},
		{"RetryUpdate", func() error { _, err := c.RetryUpdate(nilCtx, "", ""); return err }},
		{"StopUpdate", func() error { _, err := c.StopUpdate(nilCtx, "", ""); return err }},
		{"WaitUpdate", func() error {
			_, err := c.WaitUpdate(nilCtx, "", "", &WaitOptions{Interval: -1})
			return err
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()

			require.Error(t, err)
			assert.Regexp(t, `^(client|pager): nil Context; pass context.Background\(\) or a request context$`, err.Error())
		})
	}
	assert.Equal(t, 0, calls.get())
}
