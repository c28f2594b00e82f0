package pager

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testRequestURL = "https://example.okta.com/api/v1/agentPools?limitPerPoolType=5"

func TestNextCursor(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name  string
		links []string // one entry per Link header line
		want  string
	}{
		{
			name:  "okta header lines",
			links: []string{`<https://example.okta.com/api/v1/agentPools?limitPerPoolType=5>; rel="self"`, `<https://example.okta.com/api/v1/agentPools?after=0oa1&limitPerPoolType=5>; rel="next"`},
			want:  "0oa1",
		},
		{
			name:  "comma-joined",
			links: []string{`<https://example.okta.com/api/v1/agentPools>; rel="self", <https://example.okta.com/api/v1/agentPools?after=c2>; rel="next"`},
			want:  "c2",
		},
		{
			name:  "rel not first",
			links: []string{`<https://example.okta.com/api/v1/agentPools?after=c3>; title="more"; rel="next"`},
			want:  "c3",
		},
		{
			name:  "unquoted rel",
			links: []string{`<https://example.okta.com/api/v1/agentPools?after=c4>; rel=next`},
			want:  "c4",
		},
		{
			name:  "rel among several values",
			links: []string{`<https://example.okta.com/api/v1/agentPools?after=c5>; rel="last NEXT"`},
			want:  "c5",
		},
		{
			name:  "relative path",
			links: []string{`</api/v1/agentPools?after=c6>; rel="next"`},
			want:  "c6",
		},
		{
			name:  "relative query only",
			links: []string{`<?after=c7>; rel="next"`},
			want:  "c7",
		},
		{
			name:  "scheme-relative same host",
			links: []string{`<//example.okta.com/api/v1/agentPools?after=c8>; rel="next"`},
			want:  "c8",
		},
		{
			name:  "explicit default port",
			links: []string{`<https://EXAMPLE.okta.com:443/api/v1/agentPools?after=c9>; rel="next"`},
			want:  "c9",
		},
		{
			name:  "escaped cursor decoded",
			links: []string{`<https://example.okta.com/api/v1/agentPools?after=a%2Bb%20c%3D>; rel="next"`},
			want:  "a+b c=",
		},
		{
			name:  "same next link twice",
			links: []string{`</api/v1/agentPools?after=d>; rel="next"`, `<https://example.okta.com/api/v1/agentPools?after=d>; rel="next"`},
			want:  "d",
		},
		{
			name:  "malformed pair elsewhere in query",
			links: []string{`<https://example.okta.com/api/v1/agentPools?bad=%zz&after=e>; rel="next"`},
			want:  "e",
		},
		{
			name:  "no next",
			links: []string{`<https://example.okta.com/api/v1/agentPools?limitPerPoolType=5>; rel="self"`},
			want:  "",
		},
		{
			name:  "next only as parameter text",
			links: []string{`<https://example.okta.com/api/v1/agentPools?after=x>; rel="self"; title="next"`},
			want:  "",
		},
		{
			name:  "no Link header",
			links: nil,
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := NextCursor(mustParseURL(t, testRequestURL), linkHeader(tt.links...), "after")
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNextCursorErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name            string
		links           []string
		wantCrossOrigin bool
		wantErr         string
	}{
		{
			name:            "cross host",
			links:           []string{`<https://evil.example/api/v1/agentPools?after=x>; rel="next"`},
			wantCrossOrigin: true,
			wantErr:         `pager: next link points to another origin: target "https://evil.example/api/v1/agentPools?after=x", request origin "https://example.okta.com"`,
		},
		{
			name:            "cross host scheme-relative",
			links:           []string{`<//evil.example/?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:            "cross scheme",
			links:           []string{`<http://example.okta.com/api/v1/agentPools?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:            "cross port",
			links:           []string{`<https://example.okta.com:8443/api/v1/agentPools?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:            "host suffix",
			links:           []string{`<https://example.okta.com.evil.example/?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:            "userinfo not shown",
			links:           []string{`<https://user:secret@evil.example/?after=x>; rel="next"`},
			wantCrossOrigin: true,
			wantErr:         `pager: next link points to another origin: target "https://user:xxxxx@evil.example/?after=x", request origin "https://example.okta.com"`,
		},
		{
			name:            "opaque target",
			links:           []string{`<mailto:a@example.okta.com?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:            "cross origin after a good next",
			links:           []string{`<?after=x>; rel="next"`, `<https://evil.example/?after=x>; rel="next"`},
			wantCrossOrigin: true,
		},
		{
			name:    "malformed",
			links:   []string{`<https://example.okta.com/?after=x>; rel="next`},
			wantErr: `pager: invalid Link header: unterminated quoted string at byte 41 of "<https://example.okta.com/?after=x>; rel=\"next"`,
		},
		{
			name:    "malformed line after a good one",
			links:   []string{`<https://example.okta.com/?after=x>; rel="next"`, `garbage`},
			wantErr: `pager: invalid Link header: expected "<" to start a link, found 'g' at byte 0 of "garbage"`,
		},
		{
			name:    "invalid target",
			links:   []string{`<https://example.okta.com/%zz?after=x>; rel="next"`},
			wantErr: `pager: invalid rel="next" target "https://example.okta.com/%zz?after=x": parse "https://example.okta.com/%zz?after=x": invalid URL escape "%zz"`,
		},
		{
			name:    "no cursor parameter",
			links:   []string{`<https://example.okta.com/api/v1/agentPools?limit=5>; rel="next"`},
			wantErr: `pager: rel="next" target "https://example.okta.com/api/v1/agentPools?limit=5" has no "after" query parameter`,
		},
		{
			name:    "empty cursor parameter",
			links:   []string{`<https://example.okta.com/api/v1/agentPools?after=>; rel="next"`},
			wantErr: `pager: rel="next" target "https://example.okta.com/api/v1/agentPools?after=" has an empty "after" query parameter`,
		},
		{
			name:    "different cursor parameters",
			links:   []string{`<https://example.okta.com/api/v1/agentPools?after=a&after=b>; rel="next"`},
			wantErr: `pager: rel="next" target "https://example.okta.com/api/v1/agentPools?after=a&after=b" has several different "after" query parameters`,
		},
		{
			name:    "malformed cursor parameter",
			links:   []string{`<https://example.okta.com/api/v1/agentPools?after=%zz>; rel="next"`},
			wantErr: `pager: invalid query in rel="next" target "https://example.okta.com/api/v1/agentPools?after=%zz": invalid URL escape "%zz"`,
		},
		{
			name:    "several different next links",
			links:   []string{`<?after=a>; rel="next"`, `<?after=b>; rel="next"`},
			wantErr: `pager: response has several rel="next" links with different targets, "https://example.okta.com/api/v1/agentPools?after=a" and "https://example.okta.com/api/v1/agentPools?after=b"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got, err := NextCursor(mustParseURL(t, testRequestURL), linkHeader(tt.links...), "after")
			require.Error(t, err)
			assert.Empty(t, got)
			assert.Equal(t, tt.wantCrossOrigin, errors.Is(err, ErrCrossOrigin), "errors.Is(%v, ErrCrossOrigin)", err)
			if tt.wantErr != "" {
				assert.Equal(t, tt.wantErr, err.Error())
			}
		})
	}
}

func TestNextCursorTruncatesLongTarget(t *testing.T) {
	t.Parallel()

	target := "https://evil.example/?after=" + strings.Repeat("x", 1000)
	_, err := NextCursor(mustParseURL(t, testRequestURL), linkHeader("<"+target+`>; rel="next"`), "after")
	require.ErrorIs(t, err, ErrCrossOrigin)

	assert.Contains(t, err.Error(), target[:maxErrorURL]+`..."`)
	assert.Less(t, len(err.Error()), 400)
}

func TestNextCursorDefaultHTTPPort(t *testing.T) {
	t.Parallel()

	got, err := NextCursor(mustParseURL(t, "http://127.0.0.1:80/items"), linkHeader(`<http://127.0.0.1/items?after=z>; rel="next"`), "after")
	require.NoError(t, err)
	assert.Equal(t, "z", got)
}

func TestNextCursorOtherParam(t *testing.T) {
	t.Parallel()

	got, err := NextCursor(mustParseURL(t, testRequestURL), linkHeader(`<?after=a&page_token=t1>; rel="next"`), "page_token")
	require.NoError(t, err)
	assert.Equal(t, "t1", got)
}

func TestNextCursorInvalidArguments(t *testing.T) {
	t.Parallel()

	header := linkHeader(`<?after=a>; rel="next"`)

	_, err := NextCursor(nil, header, "after")
	assert.EqualError(t, err, "pager: request URL must be absolute, with a scheme and a host")

	_, err = NextCursor(mustParseURL(t, "/api/v1/agentPools"), header, "after")
	assert.EqualError(t, err, "pager: request URL must be absolute, with a scheme and a host")

	_, err = NextCursor(mustParseURL(t, testRequestURL), header, "")
	assert.EqualError(t, err, "pager: cursor query parameter name is empty")
}

func linkHeader(values ...string) http.Header {
	h := http.Header{}
	for _, v := range values {
		h.Add("Link", v)
	}

	return h
}

func mustParseURL(t testing.TB, raw string) *url.URL {
	t.Helper()

	u, err := url.Parse(raw)
	require.NoError(t, err)

	return u
}
