package pager

import (
	"net/http"
	"testing"
)

// oktaLinkHeader returns the Link header lines of a typical Okta list
// response with more pages to follow.
func oktaLinkHeader() http.Header {
	h := http.Header{}
	h.Add("Link", `<https://example.okta.com/api/v1/agentPools?limitPerPoolType=5>; rel="self"`)
	h.Add("Link", `<https://example.okta.com/api/v1/agentPools?after=0oa1b2c3d4e5f6g7h8i9&limitPerPoolType=5>; rel="next"`)

	return h
}

func BenchmarkParseLinks(b *testing.B) {
	h := oktaLinkHeader()
	b.ReportAllocs()

	for b.Loop() {
		if _, err := ParseLinks(h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNextCursor(b *testing.B) {
	h := oktaLinkHeader()
	requestURL := mustParseURL(b, "https://example.okta.com/api/v1/agentPools?limitPerPoolType=5")
	b.ReportAllocs()

	for b.Loop() {
		if _, err := NextCursor(requestURL, h, "after"); err != nil {
			b.Fatal(err)
		}
	}
}
