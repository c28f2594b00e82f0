package benchmarks

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/okta/okta-sdk-golang/v5/okta"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
)

// TestMain serves the fixtures instead of running the tests when the
// binary was started by StartRemote.
func TestMain(m *testing.M) {
	if os.Getenv(ServeEnv) != "" {
		if err := ServeFixtures(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}

	code := m.Run()
	if remote != nil {
		if err := remote.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

var (
	remote     *Remote
	remoteErr  error
	remoteOnce sync.Once
)

// fixtureURL returns the base URL of the fixture server name, starting the
// child process that serves the fixtures on first use.
func fixtureURL(tb testing.TB, name string) string {
	tb.Helper()

	remoteOnce.Do(func() { remote, remoteErr = StartRemote() })
	if remoteErr != nil {
		tb.Fatal(remoteErr)
	}
	u, ok := remote.URLs[name]
	if !ok {
		tb.Fatalf("no fixture server named %q", name)
	}
	return u
}

// newHTTPClient returns the *http.Client that every client under test
// gets: its own keep-alive transport with the settings of
// http.DefaultTransport.
func newHTTPClient() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: transport}
}

// newAgentpoolsClient returns this module's client for the org at baseURL,
// with an API token.
func newAgentpoolsClient(tb testing.TB, baseURL string) *client.Client {
	tb.Helper()

	c, err := client.New(baseURL, client.WithCredentials(auth.APIToken(Token)), client.WithHTTPClient(newHTTPClient()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// newSDKClient returns the official SDK's client for the org at baseURL,
// with an API token, its response cache off and no retries after a 429
// answer, so that every call reaches the server once.
func newSDKClient(tb testing.TB, baseURL string, opts ...okta.ConfigSetter) *okta.APIClient {
	tb.Helper()

	setters := []okta.ConfigSetter{
		okta.WithOrgUrl(baseURL),
		okta.WithToken(Token),
		okta.WithCache(false),
		okta.WithRateLimitMaxRetries(0),
		okta.WithRequestTimeout(0),
		okta.WithHttpClientPtr(newHTTPClient()),
	}
	cfg, err := okta.NewConfiguration(append(setters, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}

	// NOTE: the SDK v5.0.2 stores only the host name of the org URL in
	// Configuration.Host and writes Host into every request URL, which
	// drops the port of a loopback server; setting Host to host:port is
	// enough. It checks neither the scheme nor the domain of the org URL.
	org, err := url.Parse(baseURL)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Host = org.Host
	return okta.NewAPIClient(cfg)
}

// sink keeps the results of the benchmarks alive, so that the compiler
// cannot drop the work that produces them.
var sink int

// The count functions read every pool or update and each of its agents,
// the same way for each client.

func countFloorPools(pools []floorPool) int {
	n := 0
	for _, p := range pools {
		n += len(*p.ID)
		if p.Agents != nil {
			for _, a := range *p.Agents {
				n += len(*a.ID)
			}
		}
	}
	return n
}

func countValuePools(pools []valuePool) int {
	n := 0
	for _, p := range pools {
		n += len(p.ID)
		for _, a := range p.Agents {
			n += len(a.ID)
		}
	}
	return n
}

func countSDKPools(pools []okta.AgentPool) int {
	n := 0
	for _, p := range pools {
		n += len(*p.Id)
		for _, a := range p.Agents {
			n += len(*a.Id)
		}
	}
	return n
}

func countFloorUpdates(updates []floorUpdate) int {
	n := 0
	for _, u := range updates {
		n += len(*u.ID)
		if u.Agents != nil {
			for _, a := range *u.Agents {
				n += len(*a.ID)
			}
		}
	}
	return n
}

func countValueUpdates(updates []valueUpdate) int {
	n := 0
	for _, u := range updates {
		n += len(u.ID)
		for _, a := range u.Agents {
			n += len(a.ID)
		}
	}
	return n
}

func countSDKUpdates(updates []okta.AgentPoolUpdate) int {
	n := 0
	for _, u := range updates {
		n += len(*u.Id)
		for _, a := range u.Agents {
			n += len(*a.Id)
		}
	}
	return n
}

// wantCount returns what the count functions return for pools items (pools
// or updates) with AgentsPerPool agents each: every ID is 20 bytes.
func wantCount(items int) int {
	return items * (1 + AgentsPerPool) * 20
}

// checkCount fails the benchmark when a client decoded another number of
// items or agents than the fixture holds.
func checkCount(tb testing.TB, got, items int) {
	tb.Helper()
	if want := wantCount(items); got != want {
		tb.Fatalf("decoded IDs add up to %d bytes, want %d: the client missed items or agents", got, want)
	}
}

var ctx = context.Background()
