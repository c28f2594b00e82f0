package benchmarks

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okta/okta-sdk-golang/v5/okta"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
)

const (
	// callers is the number of goroutines that call one client at once.
	callers = 64

	oauthClientID = "0oabenchserviceapp01"
	tokenLifetime = time.Hour

	// tokenDelay is how long the token endpoint takes to respond, long
	// enough for all callers to be waiting on the first token.
	tokenDelay = 20 * time.Millisecond
)

var (
	rsaKey     *rsa.PrivateKey
	rsaKeyPEM  string
	rsaKeyErr  error
	rsaKeyOnce sync.Once
)

// serviceAppKey returns the private key of the OAuth service app and its
// PKCS #8 PEM encoding, generated once per process.
func serviceAppKey(tb testing.TB) (*rsa.PrivateKey, string) {
	tb.Helper()

	rsaKeyOnce.Do(func() {
		rsaKey, rsaKeyErr = rsa.GenerateKey(rand.Reader, 2048)
		if rsaKeyErr != nil {
			return
		}
		der, err := x509.MarshalPKCS8PrivateKey(rsaKey)
		if err != nil {
			rsaKeyErr = err
			return
		}
		rsaKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	})
	if rsaKeyErr != nil {
		tb.Fatal(rsaKeyErr)
	}
	return rsaKey, rsaKeyPEM
}

// newOAuthServer starts an org in this process whose token endpoint issues
// tokens for the service app. Its updates use RFC 3339 times, which both
// this module's client and the official SDK decode.
func newOAuthServer(tb testing.TB) (*httptest.Server, *TokenIssuer) {
	tb.Helper()

	key, _ := serviceAppKey(tb)
	issuer := &TokenIssuer{ClientID: oauthClientID, Key: key.Public(), Lifetime: tokenLifetime, Delay: tokenDelay}
	srv := httptest.NewServer(&Server{Updates: UpdatesList(UpdateCount, RFC3339), OAuth: issuer})
	tb.Cleanup(srv.Close)
	return srv, issuer
}

// newOAuthAgentpoolsClient returns this module's client with PrivateKeyJWT
// credentials whose clock is now.
func newOAuthAgentpoolsClient(tb testing.TB, baseURL string, hc *http.Client, now func() time.Time) *client.Client {
	tb.Helper()

	key, _ := serviceAppKey(tb)
	creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
		ClientID: oauthClientID,
		Key:      key,
		Scopes:   []string{auth.ScopeRead},
		Clock:    now,
	})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := client.New(baseURL, client.WithCredentials(creds), client.WithHTTPClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// callAtOnce runs call in callers goroutines that start together, and
// returns the first error.
func callAtOnce(call func() error) error {
	start := make(chan struct{})
	errs := make(chan error, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			<-start
			errs <- call()
		})
	}
	close(start)
	wg.Wait()
	close(errs)

	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// BenchmarkTokenRequests counts the requests to the token endpoint when
// callers goroutines call one client with OAuth private_key_jwt
// credentials at once, and reports them as the metric token-requests per
// iteration.
//
// In cold, each iteration makes a new client, whose token cache is empty,
// and calls it from every goroutine at once. In refresh, one client's clock
// moves one token lifetime ahead at the start of each iteration, so its
// cached token has expired when the goroutines call it. The official SDK
// reads the time from time.Now, so it runs only in cold.
func BenchmarkTokenRequests(b *testing.B) {
	b.Run("cold/client=agentpools", func(b *testing.B) {
		srv, issuer := newOAuthServer(b)
		hc := newHTTPClient()
		for b.Loop() {
			c := newOAuthAgentpoolsClient(b, srv.URL, hc, time.Now)
			err := callAtOnce(func() error {
				_, err := c.ListUpdates(ctx, PoolID(0), nil)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(issuer.Requests())/float64(b.N), "token-requests")
	})

	b.Run("cold/client=oktasdk", func(b *testing.B) {
		srv, issuer := newOAuthServer(b)
		_, keyPEM := serviceAppKey(b)
		hc := newHTTPClient()
		for b.Loop() {
			c := newSDKClient(b, srv.URL,
				okta.WithHttpClientPtr(hc),
				okta.WithAuthorizationMode("PrivateKey"),
				okta.WithClientId(oauthClientID),
				okta.WithScopes([]string{auth.ScopeRead}),
				okta.WithPrivateKey(keyPEM),
			)
			err := callAtOnce(func() error {
				_, _, err := c.AgentPoolsAPI.ListAgentPoolsUpdates(ctx, PoolID(0)).Execute()
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(issuer.Requests())/float64(b.N), "token-requests")
	})

	b.Run("refresh/client=agentpools", func(b *testing.B) {
		srv, issuer := newOAuthServer(b)
		clock := newFakeClock()
		c := newOAuthAgentpoolsClient(b, srv.URL, newHTTPClient(), clock.Now)
		if _, err := c.ListUpdates(ctx, PoolID(0), nil); err != nil {
			b.Fatal(err)
		}
		before := issuer.Requests()

		for b.Loop() {
			clock.Advance(tokenLifetime)
			err := callAtOnce(func() error {
				_, err := c.ListUpdates(ctx, PoolID(0), nil)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(issuer.Requests()-before)/float64(b.N), "token-requests")
	})
}

// fakeClock is a time that moves only when Advance is called.
type fakeClock struct {
	nanos atomic.Int64
}

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.nanos.Store(time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time { return time.Unix(0, c.nanos.Load()).UTC() }

func (c *fakeClock) Advance(d time.Duration) { c.nanos.Add(int64(d)) }
