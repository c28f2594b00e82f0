// Package origin compares the origins (scheme, host and port) of URLs, for
// the checks that keep credentials and pagination on the org's host.
package origin

import (
	"net"
	"net/url"
	"strings"
)

// Same reports whether a and b have the same origin as RFC 6454 defines it:
// scheme and host compared without regard to case, and a missing port equal
// to the default port of the scheme.
func Same(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

// port returns the port of u, or the default port of its scheme when u has
// none.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}

	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// IsLoopback reports whether host, as url.URL.Hostname returns it, is
// "localhost" or a loopback IP address (127.0.0.0/8 or ::1): the only hosts
// to which credentials may travel over plain http.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
