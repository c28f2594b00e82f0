package integration_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// Environment variables that point the suite at a real org. The names are
// the ones Okta's Go SDK and Terraform provider read.
const (
	envOrgURL     = "OKTA_CLIENT_ORGURL"
	envMode       = "OKTA_CLIENT_AUTHORIZATIONMODE"
	envToken      = "OKTA_CLIENT_TOKEN"
	envClientID   = "OKTA_CLIENT_CLIENTID"
	envPrivateKey = "OKTA_CLIENT_PRIVATEKEY"
	envKeyID      = "OKTA_CLIENT_PRIVATEKEYID"
	envScopes     = "OKTA_CLIENT_SCOPES"
	envDPoP       = "OKTA_CLIENT_DPOP"

	// envWrite opts in to the tests that create and change updates in a
	// real org. They delete what they create.
	envWrite = "AGENTPOOLS_IT_WRITE"
	// envPoolID names the pool that the write tests use in a real org.
	envPoolID = "AGENTPOOLS_IT_POOL_ID"
)

// target is the org a test runs against: the fake org, or a real one.
type target struct {
	client *client.Client
	// fake is nil for a real org.
	fake *oktatest.Server
}

func (tg target) real() bool { return tg.fake == nil }

// newTarget returns a client for a real org when OKTA_CLIENT_ORGURL is set,
// and for a new fake org with sample data otherwise.
func newTarget(t *testing.T, opts ...oktatest.Option) target {
	t.Helper()

	if orgURL := os.Getenv(envOrgURL); orgURL != "" {
		creds := realCredentials(t)
		c, err := client.New(orgURL, client.WithCredentials(creds))
		require.NoError(t, err)
		return target{client: c}
	}

	fake := oktatest.New(t, append([]oktatest.Option{oktatest.WithSampleData()}, opts...)...)
	c, err := client.New(fake.URL, client.WithCredentials(auth.APIToken(fake.APIToken())))
	require.NoError(t, err)
	return target{client: c, fake: fake}
}

// requireWrite stops a test that changes a real org unless the run opted in.
func (tg target) requireWrite(t *testing.T) {
	t.Helper()
	if tg.real() && os.Getenv(envWrite) != "1" {
		t.Skipf("changes a real org: set %s=1 and %s to run it", envWrite, envPoolID)
	}
}

// writablePool returns the pool that write tests use: the one that
// AGENTPOOLS_IT_POOL_ID names, or the first pool when it is unset and the
// run does not write to a real org.
func (tg target) writablePool(t *testing.T) api.AgentPool {
	t.Helper()

	want := os.Getenv(envPoolID)
	if tg.real() && os.Getenv(envWrite) == "1" {
		require.NotEmpty(t, want, "set %s to the pool that write tests may change", envPoolID)
	}
	for pool, err := range tg.client.ListPools(ctx(t), nil) {
		require.NoError(t, err)
		if want == "" || deref(pool.Id) == want {
			return pool
		}
	}
	t.Fatalf("pool %q not found", want)
	return api.AgentPool{}
}

func realCredentials(t *testing.T) auth.Credentials {
	t.Helper()

	var scopes []string
	if s := os.Getenv(envScopes); s != "" {
		scopes = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	}

	switch mode := strings.ToLower(os.Getenv(envMode)); mode {
	case "", "ssws":
		token := os.Getenv(envToken)
		require.NotEmpty(t, token, "%s is required in SSWS mode", envToken)
		return auth.APIToken(token)
	case "privatekey":
		keyText := os.Getenv(envPrivateKey)
		if !strings.Contains(keyText, "-----BEGIN") {
			data, err := os.ReadFile(keyText)
			require.NoError(t, err, "%s is neither PEM text nor a readable file", envPrivateKey)
			keyText = string(data)
		}
		key, err := auth.ParsePrivateKeyPEM([]byte(keyText))
		require.NoError(t, err)
		creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
			ClientID: os.Getenv(envClientID),
			Key:      key,
			KeyID:    os.Getenv(envKeyID),
			Scopes:   scopes,
			DPoP:     os.Getenv(envDPoP) == "true",
		})
		require.NoError(t, err)
		return creds
	default:
		t.Fatalf("%s=%q is not supported by this suite: use SSWS or PrivateKey", envMode, mode)
		return nil
	}
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

// instantClock is a client.Clock on the system time whose waits end at
// once, so that tests of retries do not sleep.
type instantClock struct{}

func (instantClock) Now() time.Time { return time.Now() }

func (instantClock) Wait(ctx context.Context, _ time.Duration) error { return ctx.Err() }
