package pager

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/seed570a29ac/agentpools/internal/origin"
)

// ErrCrossOrigin is wrapped by the error that NextCursor returns when the
// rel="next" target has another scheme, host or port than the request.
var ErrCrossOrigin = errors.New("pager: next link points to another origin")

// maxErrorURL is the number of bytes of a URL that an error message quotes.
const maxErrorURL = 200

// NextCursor returns the cursor of the next page, read from the Link headers
// of a response to requestURL.
//
// NextCursor looks for links with relation type "next". It resolves a
// relative target against requestURL and returns the value of the query
// parameter param of the target, such as "after" for Okta. It returns "" and
// nil when there is no next link.
//
// NextCursor returns an error in these cases:
//   - requestURL is not absolute, or param is empty;
//   - a Link header does not parse (a *SyntaxError);
//   - a next target is not a valid URL;
//   - a next target has another scheme, host or port than requestURL (an
//     error wrapping ErrCrossOrigin);
//   - several next links have different targets;
//   - the next target has no non-empty param, or several different values.
//
// An explicit default port matches an omitted one, so https://host and
// https://host:443 are the same origin. Host names compare without regard
// to ASCII case.
func NextCursor(requestURL *url.URL, h http.Header, param string) (string, error) {
	if requestURL == nil || !requestURL.IsAbs() || requestURL.Host == "" {
		return "", errors.New("pager: request URL must be absolute, with a scheme and a host")
	}
	if param == "" {
		return "", errors.New("pager: cursor query parameter name is empty")
	}

	links, err := ParseLinks(h)
	if err != nil {
		return "", err
	}

	next, err := resolveNext(requestURL, links)
	if err != nil || next == nil {
		return "", err
	}

	return cursorParam(next, param)
}

// resolveNext returns the resolved target of the rel="next" links, or nil
// when there is none.
func resolveNext(requestURL *url.URL, links []Link) (*url.URL, error) {
	var next *url.URL
	for _, link := range links {
		if !link.HasRel("next") {
			continue
		}

		ref, err := url.Parse(link.URL)
		if err != nil {
			return nil, fmt.Errorf("pager: invalid rel=\"next\" target %q: %w", truncate(link.URL, maxErrorURL), err)
		}
		target := requestURL.ResolveReference(ref)

		if !origin.Same(requestURL, target) {
			return nil, fmt.Errorf("%w: target %q, request origin %q",
				ErrCrossOrigin, truncate(target.Redacted(), maxErrorURL), originText(requestURL))
		}

		if next != nil && next.String() != target.String() {
			return nil, fmt.Errorf("pager: response has several rel=\"next\" links with different targets, %q and %q",
				truncate(next.Redacted(), maxErrorURL), truncate(target.Redacted(), maxErrorURL))
		}
		next = target
	}

	return next, nil
}

// cursorParam returns the single non-empty value of the query parameter
// param of next.
func cursorParam(next *url.URL, param string) (string, error) {
	shownURL := truncate(next.Redacted(), maxErrorURL)

	// ParseQuery keeps the pairs that parse and returns the first error, so
	// a malformed pair elsewhere in the query does not hide the cursor.
	values, queryErr := url.ParseQuery(next.RawQuery)
	cursors := values[param]
	if len(cursors) == 0 {
		if queryErr != nil {
			return "", fmt.Errorf("pager: invalid query in rel=\"next\" target %q: %w", shownURL, queryErr)
		}
		return "", fmt.Errorf("pager: rel=\"next\" target %q has no %q query parameter", shownURL, param)
	}

	cursor := cursors[0]
	for _, other := range cursors[1:] {
		if other != cursor {
			return "", fmt.Errorf("pager: rel=\"next\" target %q has several different %q query parameters", shownURL, param)
		}
	}
	if cursor == "" {
		return "", fmt.Errorf("pager: rel=\"next\" target %q has an empty %q query parameter", shownURL, param)
	}

	return cursor, nil
}

// originText formats the scheme and host of u, leaving out any user information.
func originText(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}
