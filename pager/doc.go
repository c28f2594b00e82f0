// Package pager reads RFC 8288 Link headers and walks cursor-paginated
// listings as Go iterators. It depends on no particular API, because callers
// supply a FetchFunc that fetches one page.
//
// # Pagination
//
// A FetchFunc fetches the page that starts at an opaque cursor, "" being
// the first page, and returns its items with the cursor of the next page.
// All turns it into an iter.Seq2 over every item:
//
//	for pool, err := range pager.All(ctx, "", fetchPools) {
//		if err != nil {
//			return err
//		}
//		use(pool)
//	}
//
// Iteration fetches pages one at a time, never concurrently, and keeps only
// the current page in memory. It stops:
//
//   - after a page whose NextCursor is "";
//   - after a page with no items, even if it has a NextCursor, so that a
//     server that always sends a next link cannot keep the loop running;
//   - with a *CursorLoopError when the server returns a cursor whose page
//     was already fetched in this iteration;
//   - with an error, before any fetch, when ctx is nil;
//   - with ctx.Err() when ctx is done before a fetch;
//   - with the fetch error when a fetch fails;
//   - when the loop body breaks, without fetching again.
//
// Each error is yielded once, with the zero item, and ends the loop.
//
// # Resuming
//
// An Iterator is the resumable form. It remembers the cursor of the next
// page, so a long job can save Cursor and Done, stop, and continue later
// with NewIterator(savedCursor, fetch). Its All method has the same
// semantics as the package-level All, and NextPage returns a page at a time
// until it returns ErrDone.
//
// Items are delivered at least once. If a range loop breaks in the middle of
// a page, Cursor still returns that page's cursor, and resuming yields the
// whole page again. After a fetch error the cursor does not move, so ranging
// over the same Iterator again retries the failed page.
//
// # Link headers
//
// ParseLinks and ParseLinkValue parse Link headers into Link values.
// NextCursor finds the rel="next" link of a response, resolves it against
// the request URL, rejects a target on another origin with an error wrapping
// ErrCrossOrigin, and returns the cursor from one of its query parameters.
// A FetchFunc for an API that paginates with Link headers, such as Okta's
// "after" cursors, typically ends with:
//
//	next, err := pager.NextCursor(resp.Request.URL, resp.Header, "after")
//	if err != nil {
//		return pager.Page[Pool]{}, err
//	}
//	return pager.Page[Pool]{Items: pools, NextCursor: next}, nil
package pager
