package origin

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSame(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://acme.okta.com/a", "https://acme.okta.com/b?x=1", true},
		{"https://ACME.okta.com", "HTTPS://acme.okta.com", true},
		{"https://acme.okta.com", "https://acme.okta.com:443", true},
		{"http://127.0.0.1", "http://127.0.0.1:80", true},
		{"https://acme.okta.com", "http://acme.okta.com", false},
		{"https://acme.okta.com", "https://evil.example", false},
		{"https://acme.okta.com", "https://acme.okta.com:8443", false},
		{"http://127.0.0.1:8080", "http://localhost:8080", false},
		{"http://[::1]:8080", "http://[::1]:8080/x", true},
	}
	for _, tt := range tests {
		a, err := url.Parse(tt.a)
		require.NoError(t, err)
		b, err := url.Parse(tt.b)
		require.NoError(t, err)

		assert.Equal(t, tt.want, Same(a, b), "%s ~ %s", tt.a, tt.b)
		assert.Equal(t, tt.want, Same(b, a), "%s ~ %s", tt.b, tt.a)
	}
}
