package client

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseRateLimit checks that rate-limit parsing never panics, returns
// values in range, and gives the same result for values on several lines,
// joined by commas, or in another order.
func FuzzParseRateLimit(f *testing.F) {
	f.Add("600", "599", "1609459200", "1609459260")
	f.Add("", "0", "1609459200, 1609459100", "")
	f.Add("-1", "abc", "99999999999999999999", "0")
	f.Add(" 10 ,", ",,", "\t1\t", "253402300799")

	f.Fuzz(func(t *testing.T, limit, remaining, reset, reset2 string) {
		lines := http.Header{
			"X-Rate-Limit-Limit":     {limit},
			"X-Rate-Limit-Remaining": {remaining},
			"X-Rate-Limit-Reset":     {reset, reset2},
		}
		joined := http.Header{
			"X-Rate-Limit-Limit":     {limit},
			"X-Rate-Limit-Remaining": {remaining},
			"X-Rate-Limit-Reset":     {reset + "," + reset2},
		}
		swapped := http.Header{
			"X-Rate-Limit-Limit":     {limit},
			"X-Rate-Limit-Remaining": {remaining},
			"X-Rate-Limit-Reset":     {reset2, reset},
		}

		got := parseRateLimit(lines)
		rl := got.public()

		assert.Equal(t, got, parseRateLimit(joined))
		assert.Equal(t, got, parseRateLimit(swapped))
		assert.GreaterOrEqual(t, rl.Limit, int64(-1))
		assert.GreaterOrEqual(t, rl.Remaining, int64(-1))
		if !rl.Reset.IsZero() {
			assert.True(t, rl.Reset.After(time.Unix(0, 0)))
			assert.True(t, rl.Reset.Year() <= 9999)
		}

		d, ok := got.untilReset(http.Header{"Date": {"Mon, 02 Jan 2006 15:04:05 GMT"}}, time.Now())
		assert.Equal(t, got.hasReset, ok)
		if !ok {
			assert.Zero(t, d)
		}
	})
}

// FuzzDecodeError checks that any response decodes into an *Error whose
// message is one line and whose Body is bounded valid UTF-8.
func FuzzDecodeError(f *testing.F) {
	f.Add(404, "application/json", "", []byte(`{"errorCode":"E0000007","errorSummary":"Not found: Resource not found","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}`))
	f.Add(400, "application/json", "", []byte(`{"errorCode":"E0000001","errorSummary":"Api validation failed","errorCauses":[{"errorSummary":"a\nb"},{}]}`))
	f.Add(401, "application/json", `Bearer error="invalid_token", error_description="x"`, []byte(`{"errorCode":"E0000011"}`))
	f.Add(403, "", `Bearer realm="x", error="insufficient_scope"`, []byte{})
	f.Add(502, "text/html", "", []byte("<html><body>Bad Gateway</body></html>"))
	f.Add(400, "application/json", "", []byte(`{"error":"invalid_dpop_proof","error_description":"bad"}`))
	f.Add(500, "application/octet-stream", "", []byte{0xff, 0xfe, 0x00, 0x01})
	f.Add(429, "application/json", `DPoP error="use_dpop_nonce"`, []byte(`{"errorCode":null,"errorSummary":7}`))

	f.Fuzz(func(t *testing.T, status int, contentType, wwwAuthenticate string, body []byte) {
		h := http.Header{"Content-Type": {contentType}, "Www-Authenticate": {wwwAuthenticate}}
		u := mustParseURL(t, "https://acme.okta.com/api/v1/agentPools/p/updates")

		e := newError(http.MethodGet, u, status, h, body)
		msg := e.Error()

		require.NotNil(t, e)
		assert.True(t, strings.HasPrefix(msg, "client: GET /api/v1/agentPools/p/updates: "), msg)
		assert.NotContains(t, msg, "\n")
		assert.NotContains(t, msg, "\r")
		assert.LessOrEqual(t, len(e.Body), maxErrorBody+len("..."))
		assert.True(t, utf8.ValidString(e.Body))
		if e.Code != "" || e.Summary != "" {
			assert.Empty(t, e.Body, "an error object must not be kept as Body")
		}
	})
}
