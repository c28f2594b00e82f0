package pager

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The seed corpora are in testdata/fuzz/FuzzParseLinkValue and
// testdata/fuzz/FuzzNextCursor.

func FuzzParseLinkValue(f *testing.F) {
	f.Add(`<https://example.okta.com/api/v1/agentPools?after=0oa1>; rel="next"`)

	f.Fuzz(func(t *testing.T, value string) {
		links, err := ParseLinkValue(value)
		if err != nil {
			var syntaxErr *SyntaxError
			require.ErrorAs(t, err, &syntaxErr)
			assert.Nil(t, links)
			assert.LessOrEqual(t, len(syntaxErr.Text), maxErrorText+len("..."))
			assert.GreaterOrEqual(t, syntaxErr.Offset, 0)
			assert.LessOrEqual(t, syntaxErr.Offset, len(value))
			return
		}

		formatted := make([]string, 0, len(links))
		for _, link := range links {
			assertWellFormed(t, link)

			again, err := ParseLinkValue(link.String())
			require.NoError(t, err, "formatted link %q does not parse", link.String())
			require.Len(t, again, 1)
			assert.Equal(t, link, again[0])

			formatted = append(formatted, link.String())
		}

		if len(links) > 0 {
			again, err := ParseLinkValue(strings.Join(formatted, ", "))
			require.NoError(t, err)
			assert.Equal(t, links, again)
		}
	})
}

// assertWellFormed checks the invariants of every parsed Link.
func assertWellFormed(t *testing.T, link Link) {
	t.Helper()

	assert.NotEmpty(t, link.URL)
	assert.False(t, strings.ContainsAny(link.URL, " \t<>"), "URL %q contains whitespace or an angle bracket", link.URL)
	assert.NotEqual(t, []string{}, link.Rel, "Rel is empty but not nil")
	for _, rel := range link.Rel {
		assert.NotEmpty(t, rel)
		assert.Equal(t, lowerASCII(rel), rel)
		assert.False(t, strings.ContainsAny(rel, " \t"), "relation type %q contains whitespace", rel)
	}
	assert.NotEqual(t, map[string]string{}, link.Params, "Params is empty but not nil")
	for name := range link.Params {
		assert.NotEqual(t, "rel", name)
		assert.NotEmpty(t, name)
		assert.Equal(t, lowerASCII(name), name)
	}
}

func FuzzNextCursor(f *testing.F) {
	f.Add(testRequestURL, `<https://example.okta.com/api/v1/agentPools?after=0oa1>; rel="next"`, "after")

	f.Fuzz(func(t *testing.T, rawRequestURL, header, param string) {
		requestURL, err := url.Parse(rawRequestURL)
		if err != nil {
			return
		}

		// Each line of header is one Link header line.
		h := http.Header{}
		for line := range strings.SplitSeq(header, "\n") {
			h.Add("Link", line)
		}

		cursor, err := NextCursor(requestURL, h, param)
		if err != nil {
			assert.Empty(t, cursor)
			return
		}

		links, parseErr := ParseLinks(h)
		require.NoError(t, parseErr, "NextCursor accepted a header that ParseLinks rejects")

		var nextLinks []Link
		for _, link := range links {
			if link.HasRel("next") {
				nextLinks = append(nextLinks, link)
			}
		}
		if cursor == "" {
			assert.Empty(t, nextLinks, "NextCursor returned no cursor although there is a next link")
			return
		}

		require.NotEmpty(t, nextLinks)
		for _, link := range nextLinks {
			ref, err := url.Parse(link.URL)
			require.NoError(t, err)
			target := requestURL.ResolveReference(ref)

			assert.Equal(t, originKey(requestURL), originKey(target), "cross-origin next link %q accepted", link.URL)

			values, _ := url.ParseQuery(target.RawQuery)
			require.NotEmpty(t, values[param])
			assert.Equal(t, values[param][0], cursor)
		}
	})
}

// originKey formats the origin of u as scheme://host:port with the default
// port filled in, independently of sameOrigin.
func originKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}

	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func TestOriginKey(t *testing.T) {
	t.Parallel()

	// The fuzz oracle must itself tell origins apart, or FuzzNextCursor could
	// never fail.
	a := mustParseURL(t, "https://example.okta.com/a")

	assert.Equal(t, originKey(a), originKey(mustParseURL(t, "HTTPS://Example.okta.com:443/b")))
	assert.NotEqual(t, originKey(a), originKey(mustParseURL(t, "https://evil.example/a")))
	assert.NotEqual(t, originKey(a), originKey(mustParseURL(t, "http://example.okta.com/a")))
	assert.NotEqual(t, originKey(a), originKey(mustParseURL(t, "https://example.okta.com:8443/a")))

	_, err := NextCursor(a, linkHeader(`<https://evil.example/?after=x>; rel="next"`), "after")
	assert.True(t, errors.Is(err, ErrCrossOrigin))
}
