package oktatest

import (
	"fmt"
	"net/http"
	"strconv"
)

// listAgentPools serves GET /api/v1/agentPools, one page at a time; see
// cutPage for how pages are cut.
func (s *Server) listAgentPools(req *apiRequest) reply {
	query := req.http.URL.Query()

	limit := defaultLimitPerPoolType
	if text := query.Get("limitPerPoolType"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 {
			return validationError("limitPerPoolType",
				fmt.Sprintf("limitPerPoolType: %q is not a positive integer", text)).reply()
		}
		limit = n
	}

	offset := 0
	if after := query.Get("after"); after != "" {
		n, err := s.decodeCursor(after)
		if err != nil {
			return validationError("after", err.Error()).reply()
		}
		offset = n
	}

	poolType := query.Get("poolType")
	page, more := cutPage(s.Pools(), poolType, offset, limit)

	base := req.baseURL()
	for i := range page {
		page[i] = presentPool(page[i], base)
	}

	rep := jsonReply(http.StatusOK, page)
	self := base + poolsPath
	if req.http.URL.RawQuery != "" {
		self += "?" + req.http.URL.RawQuery
	}
	// NOTE: Okta sends each link as its own Link header line, self first.
	rep.header.Add("Link", "<"+self+`>; rel="self"`)
	if more {
		next := nextPageURL(base, s.encodeCursor(offset+limit), limit, poolType)
		rep.header.Add("Link", "<"+next+`>; rel="next"`)
	}
	return rep
}
