package client

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/seed570a29ac/agentpools/internal/origin"
)

// parseOrgURL checks the org URL given to New and returns it as scheme and
// host only.
func parseOrgURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("client: org URL is empty; pass the URL of the Okta org, such as \"https://acme.okta.com\"")
	}

	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("client: org URL %s is not a valid URL; pass one such as \"https://acme.okta.com\": %w", quoteOrgURL(raw), unwrapURLError(err))
	}
	if u.User != nil {
		return nil, fmt.Errorf("client: org URL %q contains user information; remove it and pass credentials with WithCredentials", u.Scheme+"://"+u.Host)
	}
	shown := quoteOrgURL(raw)

	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("client: org URL %s must start with https://, such as \"https://acme.okta.com\"", shown)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("client: org URL %s has no host; pass one such as \"https://acme.okta.com\"", shown)
	case u.Path != "" && u.Path != "/":
		return nil, fmt.Errorf("client: org URL %s has the path %q; pass the scheme and host only, such as \"https://acme.okta.com\"", shown, u.Path)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("client: org URL %s has a query; pass the scheme and host only", shown)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("client: org URL %s has a fragment; pass the scheme and host only", shown)
	case u.Scheme == "http" && !origin.IsLoopback(u.Hostname()):
		return nil, fmt.Errorf("client: org URL %s uses plain http, which is allowed only for loopback hosts; use https", shown)
	}

	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// quoteOrgURL quotes an org URL for an error message, cut to 100 bytes.
// A value that contains "@" may hold a password, so it is hidden.
func quoteOrgURL(s string) string {
	if strings.Contains(s, "@") {
		return "(value hidden because it contains \"@\")"
	}
	return fmt.Sprintf("%q", truncate(s, 100))
}
