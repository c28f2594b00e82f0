package oktatest

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/seed570a29ac/agentpools/api"
)

// defaultLimitPerPoolType is the page size per agent type when a request
// has no limitPerPoolType, as in the spec.
const defaultLimitPerPoolType = 5

// maxCursorOffset bounds the offset in a cursor, so offset+limit cannot
// overflow.
const maxCursorOffset = 1 << 31

// knownTypeOrder is the order of agent types on a page: the spec's enum
// order. Types outside the enum follow in lexical order.
var knownTypeOrder = []api.AgentType{api.AD, api.IWA, api.LDAP, api.MFA, api.OPP, api.RUM, api.Radius}

// encodeCursor returns the opaque after cursor of the page that starts at
// offset within each agent type. The server's cursor tag makes cursors of
// another server, or a raw pool ID, unknown.
func (s *Server) encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(s.cursorTag + ":" + strconv.Itoa(offset)))
}

// decodeCursor returns the offset in an after cursor, or an error for a
// cursor this server did not issue.
func (s *Server) decodeCursor(after string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(after)
	if err != nil {
		return 0, fmt.Errorf("after: %q is not a cursor of this org; use the after value of a Link rel=\"next\" header", after)
	}
	tag, offsetText, ok := strings.Cut(string(raw), ":")
	offset, convErr := strconv.Atoi(offsetText)
	if !ok || tag != s.cursorTag || convErr != nil || offset < 0 || offset > maxCursorOffset {
		return 0, fmt.Errorf("after: %q is not a cursor of this org; use the after value of a Link rel=\"next\" header", after)
	}
	return offset, nil
}

// cutPage returns the pools of one page and whether another page follows.
// Pools are grouped by agent type, in knownTypeOrder, and keep the order
// they were added in within a type. A page holds, for each type (or only
// poolType when it is set), the pools at positions offset to
// offset+limit-1 of that type. Another page follows while any type has
// pools past offset+limit.
func cutPage(pools []api.AgentPool, poolType string, offset, limit int) ([]api.AgentPool, bool) {
	groups := map[string][]api.AgentPool{}
	for _, p := range pools {
		key := string(deref(p.Type))
		groups[key] = append(groups[key], p)
	}

	page := []api.AgentPool{}
	more := false
	for _, key := range typeKeys(groups) {
		if poolType != "" && key != poolType {
			continue
		}
		group := groups[key]
		if offset < len(group) {
			page = append(page, group[offset:min(offset+limit, len(group))]...)
		}
		if len(group) > offset+limit {
			more = true
		}
	}
	return page, more
}

// typeKeys returns the agent types present in groups in page order.
func typeKeys(groups map[string][]api.AgentPool) []string {
	var keys []string
	for _, t := range knownTypeOrder {
		if _, ok := groups[string(t)]; ok {
			keys = append(keys, string(t))
		}
	}

	var others []string
	for key := range groups {
		if !api.AgentType(key).Valid() {
			others = append(others, key)
		}
	}
	slices.Sort(others)
	return append(keys, others...)
}

// nextPageURL returns the absolute URL of the next page: the cursor with
// the page size and filter of the current request, so a client that
// follows it keeps them.
func nextPageURL(base, cursor string, limit int, poolType string) string {
	q := url.Values{}
	q.Set("after", cursor)
	q.Set("limitPerPoolType", strconv.Itoa(limit))
	if poolType != "" {
		q.Set("poolType", poolType)
	}
	return base + poolsPath + "?" + q.Encode()
}
