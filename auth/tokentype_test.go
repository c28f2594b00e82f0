package auth

import (
	"context"
	"crypto/elliptic"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

type stubTokens struct{ tok *oauth2.Token }

func (s stubTokens) token(context.Context) (*oauth2.Token, error) { return s.tok, nil }
func (s stubTokens) invalidate(*oauth2.Token)                     {}

func TestLowercaseDPoPTokenType(t *testing.T) {
	tok, err := parseTokenResponse(200, []byte(`{"access_token":"at-1","token_type":"dpop","expires_in":3600}`), nil, time.Now())
	require.NoError(t, err, "parseTokenResponse accepts token_type dpop")

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	prover, err := newDPoPProver(newECKey(t, elliptic.P256()), time.Now)
	require.NoError(t, err)
	u := mustParseURL(t, srv.URL)
	rt := &tokenTransport{base: http.DefaultTransport, orgOrigin: originKey(u), tokens: stubTokens{tok}, dpop: prover, logger: slog.New(slog.DiscardHandler)}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/agentPools", nil)
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	require.NoError(t, err)
}
