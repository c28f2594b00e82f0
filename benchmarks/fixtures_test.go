package benchmarks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests check that every client decodes the same data from the
// fixtures and that the servers behave like Okta where the benchmarks
// depend on it, so that the benchmarks compare equal work.

func TestClientsDecodeSameData(t *testing.T) {
	millis := httptest.NewServer(&Server{Pools: PoolsPage(0, 20, Millis)})
	t.Cleanup(millis.Close)
	rfc3339 := httptest.NewServer(&Server{Pools: PoolsPage(0, 20, RFC3339)})
	t.Cleanup(rfc3339.Close)

	floor, err := newFloorClient(millis.URL, Token, newHTTPClient()).listPools(ctx)
	require.NoError(t, err)
	require.Len(t, floor, 20)

	var ours []string
	for pool, err := range newAgentpoolsClient(t, millis.URL).ListPools(ctx, nil) {
		require.NoError(t, err)
		for _, agent := range *pool.Agents {
			ours = append(ours, *agent.Id+" "+agent.LastConnection.Time.UTC().Format(time.RFC3339Nano))
		}
	}

	sdk, _, err := newSDKClient(t, rfc3339.URL).AgentPoolsAPI.ListAgentPools(ctx).Execute()
	require.NoError(t, err)
	require.Len(t, sdk, 20)

	var fromFloor, fromSDK []string
	for i := range floor {
		assert.Equal(t, *floor[i].ID, *sdk[i].Id, "pool %d", i)
		for j, agent := range *floor[i].Agents {
			fromFloor = append(fromFloor, *agent.ID+" "+agent.LastConnection.UTC().Format(time.RFC3339Nano))
			sdkAgent := sdk[i].Agents[j]
			fromSDK = append(fromSDK, *sdkAgent.Id+" "+sdkAgent.LastConnection.UTC().Format(time.RFC3339Nano))
		}
	}
	require.Len(t, fromFloor, 20*AgentsPerPool)
	assert.Equal(t, fromFloor, ours, "floor and agentpools")
	assert.Equal(t, fromFloor, fromSDK, "floor and the official SDK")
}

func TestSDKRejectsMillisTimestamps(t *testing.T) {
	// The official SDK gets the RFC 3339 fixtures because its time.Time
	// fields reject the integer form. When this test fails, the SDK has
	// learned that form and should get the same bodies as the others.
	srv := httptest.NewServer(&Server{Pools: PoolsPage(0, 1, Millis)})
	t.Cleanup(srv.Close)

	_, _, err := newSDKClient(t, srv.URL).AgentPoolsAPI.ListAgentPools(ctx).Execute()

	require.Error(t, err)
	assert.Contains(t, err.Error(), "Time.UnmarshalJSON")
}

func TestClientsReuseConnections(t *testing.T) {
	srv := httptest.NewServer(&Server{Pools: PoolsPage(0, 1, Millis), Updates: UpdatesList(UpdateCount, RFC3339), Activated: ActivatedUpdate(RFC3339)})
	t.Cleanup(srv.Close)

	floor := newFloorClient(srv.URL, Token, newHTTPClient())
	ours := newAgentpoolsClient(t, srv.URL)
	sdk := newSDKClient(t, srv.URL)
	calls := map[string]func(trace *httptrace.ClientTrace) error{
		"floor": func(trace *httptrace.ClientTrace) error {
			_, err := floor.activateUpdate(httptrace.WithClientTrace(ctx, trace), PoolID(0), UpdateID(0))
			return err
		},
		"agentpools": func(trace *httptrace.ClientTrace) error {
			_, err := ours.ActivateUpdate(httptrace.WithClientTrace(ctx, trace), PoolID(0), UpdateID(0))
			return err
		},
		"oktasdk": func(trace *httptrace.ClientTrace) error {
			_, _, err := sdk.AgentPoolsAPI.ActivateAgentPoolsUpdate(httptrace.WithClientTrace(ctx, trace), PoolID(0), UpdateID(0)).Execute()
			return err
		},
	}

	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var reused []bool
			trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
			for range 3 {
				require.NoError(t, call(trace))
			}
			assert.Equal(t, []bool{false, true, true}, reused)
		})
	}
}

func TestPagesLinkEveryPage(t *testing.T) {
	srv := &Server{Pages: NewPages(120, 50, Millis)}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	seen := make(map[string]bool)
	for pool, err := range newAgentpoolsClient(t, ts.URL).ListPools(ctx, nil) {
		require.NoError(t, err)
		assert.False(t, seen[*pool.Id], "pool %s yielded twice", *pool.Id)
		seen[*pool.Id] = true
	}

	assert.Len(t, seen, 120)
	assert.True(t, seen[PoolID(0)])
	assert.True(t, seen[PoolID(119)])
	assert.Equal(t, int64(3), srv.Requests())
}

func TestPagesRejectUnknownCursor(t *testing.T) {
	ts := httptest.NewServer(&Server{Pages: NewPages(120, 50, Millis)})
	t.Cleanup(ts.Close)

	_, err := floorCall[[]floorPool](ctx, newFloorClient(ts.URL, Token, newHTTPClient()), http.MethodGet, "/api/v1/agentPools?after=nope", http.StatusOK)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "status 400")
}

func TestServerRejectsWrongToken(t *testing.T) {
	ts := httptest.NewServer(&Server{Pools: PoolsPage(0, 1, Millis)})
	t.Cleanup(ts.Close)

	_, err := newFloorClient(ts.URL, "wrong", newHTTPClient()).listPools(ctx)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "status 401")
	assert.Contains(t, err.Error(), "E0000011")
}

func TestServerSendsOktaHeaders(t *testing.T) {
	ts := httptest.NewServer(&Server{Pools: PoolsPage(0, 1, Millis)})
	t.Cleanup(ts.Close)
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/agentPools", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "SSWS "+Token)

	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.NotEmpty(t, resp.Header.Get("X-Okta-Request-Id"))
	assert.Equal(t, "600", resp.Header.Get("X-Rate-Limit-Limit"))
	assert.Equal(t, "599", resp.Header.Get("X-Rate-Limit-Remaining"))
	assert.NotEmpty(t, resp.Header.Get("X-Rate-Limit-Reset"))
	assert.Contains(t, resp.Header.Get("Link"), `rel="self"`)
}

func TestTokenIssuerChecksAssertion(t *testing.T) {
	key, _ := serviceAppKey(t)
	issuer := &TokenIssuer{ClientID: oauthClientID, Key: key.Public(), Lifetime: time.Hour}
	ts := httptest.NewServer(&Server{OAuth: issuer})
	t.Cleanup(ts.Close)

	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	tests := []struct {
		name       string
		signingKey any
		alg        jose.SignatureAlgorithm
		clientID   string
		wantStatus int
	}{
		{"valid", key, jose.RS256, oauthClientID, http.StatusOK},
		{"other client", key, jose.RS256, "0oaotherclient000001", http.StatusUnauthorized},
		{"other key", otherKey, jose.ES256, oauthClientID, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := jose.NewSigner(jose.SigningKey{Algorithm: tt.alg, Key: tt.signingKey}, nil)
			require.NoError(t, err)
			assertion, err := jwt.Signed(signer).Claims(jwt.Claims{
				Issuer: tt.clientID, Subject: tt.clientID, Audience: jwt.Audience{ts.URL + "/oauth2/v1/token"},
			}).Serialize()
			require.NoError(t, err)

			form := url.Values{
				"grant_type":            {"client_credentials"},
				"scope":                 {"okta.agentPools.read"},
				"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
				"client_assertion":      {assertion},
			}
			resp, err := http.Post(ts.URL+"/oauth2/v1/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, tt.wantStatus, resp.StatusCode)
		})
	}
	assert.Equal(t, int64(len(tests)), issuer.Requests())
}
