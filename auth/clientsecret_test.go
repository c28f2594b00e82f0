package auth

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientSecretMethods(t *testing.T) {
	tests := []struct {
		name   string
		method ClientAuthMethod // ClientSecretConfig.AuthMethod
		want   ClientAuthMethod // what the fake server checks
	}{
		{name: "default is basic", method: "", want: ClientSecretBasic},
		{name: "basic", method: ClientSecretBasic, want: ClientSecretBasic},
		{name: "post", method: ClientSecretPost, want: ClientSecretPost},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newTestClock()
			f := newFakeOkta(t, clock)
			f.clientID = "0oa:client id"
			// Characters that RFC 6749 requires to be form-encoded in the
			// Basic header.
			f.clientSecret = "s3cr:et+/=%&"
			f.secretMethod = tt.want

			creds, err := ClientSecret(ClientSecretConfig{
				ClientID:     f.clientID,
				ClientSecret: f.clientSecret,
				AuthMethod:   tt.method,
				Clock:        clock.Now,
			})
			require.NoError(t, err)
			rt, err := creds.RoundTripper(f.orgURL(), nil)
			require.NoError(t, err)

			mustGet(t, rt, f)
			mustGet(t, rt, f)

			tokenRequests, apiRequests := f.counts()
			assert.Equal(t, 1, tokenRequests)
			assert.Equal(t, 2, apiRequests)
		})
	}
}

func TestClientSecretConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  ClientSecretConfig
		want string
	}{
		{"missing client ID", ClientSecretConfig{ClientSecret: "x"}, "ClientSecretConfig.ClientID is empty"},
		{"missing secret", ClientSecretConfig{ClientID: "c"}, "ClientSecretConfig.ClientSecret is empty"},
		{"unknown method", ClientSecretConfig{ClientID: "c", ClientSecret: "x", AuthMethod: "client_secret_jwt"}, `invalid ClientSecretConfig.AuthMethod "client_secret_jwt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds, err := ClientSecret(tt.cfg)
			require.Error(t, err)
			assert.Nil(t, creds)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
