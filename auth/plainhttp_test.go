package auth

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlainHTTPOnlyForLoopback(t *testing.T) {
	secret := func(tokenURL string) func() (Credentials, error) {
		return func() (Credentials, error) {
			return ClientSecret(ClientSecretConfig{ClientID: "0oa1", ClientSecret: "s3cr3t-value-1234", TokenURL: tokenURL})
		}
	}
	token := func() (Credentials, error) { return APIToken("00token-value-1234"), nil }
	tests := []struct {
		name     string
		creds    func() (Credentials, error)
		orgURL   string
		wantFail bool
	}{
		{"api token to http host", token, "http://acme.example", true},
		{"api token to http loopback", token, "http://127.0.0.1:8080", false},
		{"api token to https host", token, "https://acme.example", false},
		{"token URL on http host", secret("http://login.example/oauth2/v1/token"), "https://acme.example", true},
		{"token URL on http localhost", secret("http://localhost:9000/token"), "https://acme.example", false},
		{"default token URL of http loopback org", secret(""), "http://[::1]:8080", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org, err := url.Parse(tt.orgURL)
			require.NoError(t, err)

			creds, err := tt.creds()
			if err == nil {
				_, err = creds.RoundTripper(org, nil)
			}
			if tt.wantFail {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "https")
				assert.NotContains(t, err.Error(), "value-1234")
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
