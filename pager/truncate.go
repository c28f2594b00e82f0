package pager

// truncate cuts s to at most limit bytes and marks a cut with "...", so that
// error messages stay short when a server sends a huge value.
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}

	return s[:limit] + "..."
}
