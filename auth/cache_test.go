package auth

import (
	"context"
	"crypto/elliptic"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newKeyOkta returns a fake org with a private_key_jwt client using a P-256
// key, and the config for it.
func newKeyOkta(t *testing.T) (*fakeOkta, PrivateKeyConfig) {
	t.Helper()
	key := newECKey(t, elliptic.P256())
	f := newFakeOkta(t, newTestClock())
	f.assertionKey = &key.PublicKey
	f.assertionAlg = "ES256"
	return f, PrivateKeyConfig{Key: key}
}

func TestTokenRefreshAfterExpiry(t *testing.T) {
	tests := []struct {
		name        string
		expiresIn   int
		expiryDelta time.Duration
		refreshAt   time.Duration // after the first token request
	}{
		{name: "default delta", expiresIn: 3600, refreshAt: 3540 * time.Second},
		{name: "five minute delta", expiresIn: 3600, expiryDelta: 5 * time.Minute, refreshAt: 3300 * time.Second},
		{name: "delta capped at half the lifetime", expiresIn: 60, refreshAt: 30 * time.Second},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, cfg := newKeyOkta(t)
			f.expiresIn = tt.expiresIn
			cfg.ExpiryDelta = tt.expiryDelta
			rt := privateKeyTransport(t, f, cfg)

			mustGet(t, rt, f)
			f.clock.Advance(tt.refreshAt - time.Second)
			mustGet(t, rt, f)
			tokenRequests, _ := f.counts()
			assert.Equal(t, 1, tokenRequests, "token requests one second before refresh")

			f.clock.Advance(time.Second)
			mustGet(t, rt, f)
			mustGet(t, rt, f)
			tokenRequests, apiRequests := f.counts()
			assert.Equal(t, 2, tokenRequests, "token requests after refresh")
			assert.Equal(t, 4, apiRequests)
		})
	}
}

func TestTokenWithoutExpiryIsKept(t *testing.T) {
	f, cfg := newKeyOkta(t)
	f.expiresIn = 0
	rt := privateKeyTransport(t, f, cfg)

	mustGet(t, rt, f)
	f.clock.Advance(24 * time.Hour)
	mustGet(t, rt, f)

	tokenRequests, _ := f.counts()
	assert.Equal(t, 1, tokenRequests)
}

func TestTokenConcurrentRequestsShareOne(t *testing.T) {
	t.Run("Bearer", func(t *testing.T) { testConcurrentRequests(t, false) })
	t.Run("DPoP", func(t *testing.T) { testConcurrentRequests(t, true) })
}

// testConcurrentRequests sends 64 requests at once through one RoundTripper
// and checks that they share one token request.
func testConcurrentRequests(t *testing.T, dpop bool) {
	const callers = 64
	f, cfg := newKeyOkta(t)
	cfg.DPoP = dpop
	release := make(chan struct{})
	releaseOnce := sync.OnceFunc(func() { close(release) })
	t.Cleanup(releaseOnce)
	f.tokenHook = func(*http.Request) { <-release }
	rt := privateKeyTransport(t, f, cfg)

	var started, done sync.WaitGroup
	started.Add(callers)
	done.Add(callers)
	statuses := make(chan int, callers)
	errs := make(chan error, callers)
	for range callers {
		go func() {
			defer done.Done()
			req, err := http.NewRequest(http.MethodGet, f.server.URL+apiPath, nil)
			if err != nil {
				errs <- err
				return
			}
			started.Done()
			resp, err := rt.RoundTrip(req)
			if err != nil {
				errs <- err
				return
			}
			_, copyErr := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if copyErr != nil {
				errs <- copyErr
				return
			}
			statuses <- resp.StatusCode
		}()
	}

	// Hold the token request until every caller has had time to reach the
	// cache and wait for it.
	started.Wait()
	waitFor(t, func() bool { n, _ := f.counts(); return n >= 1 })
	time.Sleep(50 * time.Millisecond)
	releaseOnce()
	done.Wait()
	close(errs)
	close(statuses)

	for err := range errs {
		t.Errorf("RoundTrip: %v", err)
	}
	for status := range statuses {
		assert.Equal(t, http.StatusOK, status)
	}
	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 1, tokenRequests)
	assert.Equal(t, callers, apiRequests)
}

func TestTokenWaiterOutlivesCancelledStarter(t *testing.T) {
	f, cfg := newKeyOkta(t)
	first := true
	var hookMu sync.Mutex
	releaseFirst := make(chan struct{})
	f.tokenHook = func(*http.Request) {
		hookMu.Lock()
		hold := first
		first = false
		hookMu.Unlock()
		if hold {
			// Hold the first token request until its caller gave up.
			<-releaseFirst
		}
	}
	rt := privateKeyTransport(t, f, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	starterErr := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.server.URL+apiPath, nil)
		resp, err := rt.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		starterErr <- err
	}()
	waitFor(t, func() bool { n, _ := f.counts(); return n == 1 })

	waiterStatus := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, f.server.URL+apiPath, nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Errorf("waiter RoundTrip: %v", err)
			waiterStatus <- 0
			return
		}
		resp.Body.Close()
		waiterStatus <- resp.StatusCode
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()

	err := <-starterErr
	close(releaseFirst)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, http.StatusOK, <-waiterStatus)
	tokenRequests, apiRequests := f.counts()
	assert.Equal(t, 2, tokenRequests)
	assert.Equal(t, 1, apiRequests)
}

func TestTokenWaitStopsWithContext(t *testing.T) {
	f, cfg := newKeyOkta(t)
	release := make(chan struct{})
	f.tokenHook = func(*http.Request) { <-release }
	defer close(release)
	rt := privateKeyTransport(t, f, cfg)

	// A first caller starts the token request and keeps waiting.
	go func() {
		req, _ := http.NewRequest(http.MethodGet, f.server.URL+apiPath, nil)
		if resp, err := rt.RoundTrip(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitFor(t, func() bool { n, _ := f.counts(); return n == 1 })

	// A second caller with a deadline stops waiting for it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.server.URL+apiPath, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)

	assertNoResponse(t, resp)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "error %v", err)
}
