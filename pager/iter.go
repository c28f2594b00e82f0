package pager

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"
)

// Page is one page of a cursor-paginated listing.
type Page[T any] struct {
	Items []T

	// NextCursor is the opaque cursor of the next page, or "" on the last page.
	NextCursor string
}

// FetchFunc fetches the page that starts at cursor, where "" means the first
// page. It returns the page's items and the cursor of the page after it.
type FetchFunc[T any] func(ctx context.Context, cursor string) (Page[T], error)

// ErrDone is returned by Iterator.NextPage after the last page.
var ErrDone = errors.New("pager: no more pages")

// errBusy is returned when an Iterator is used by a second call while a
// first one is still running, either from another goroutine or from inside
// the body of a range loop over Iterator.All.
var errBusy = errors.New("pager: Iterator is already in use by another call; use one Iterator from one loop at a time")

// errNilContext is returned when NextPage or All is given a nil Context.
var errNilContext = errors.New("pager: nil Context; pass context.Background() or a request context")

// errNilFetch is returned when an Iterator was created without a FetchFunc.
var errNilFetch = errors.New("pager: FetchFunc is nil; pass a function to NewIterator or All")

// maxErrorCursor is the number of bytes of a cursor that an error message
// quotes.
const maxErrorCursor = 64

// CursorLoopError reports that the server returned a next cursor whose page
// was already fetched in this iteration, so following it would never end.
type CursorLoopError struct {
	// Cursor is the repeated cursor, in full.
	Cursor string
}

// Error returns the message with the repeated cursor, cut to 64 bytes.
func (e *CursorLoopError) Error() string {
	return fmt.Sprintf("pager: cursor %q was returned twice; the server's pagination is looping",
		truncate(e.Cursor, maxErrorCursor))
}

// All returns an iterator over every item of every page, starting at the page
// of cursor start ("" for the first page). Each range loop over the result
// starts again at start. See Iterator.All for when iteration stops.
func All[T any](ctx context.Context, start string, fetch FetchFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		NewIterator(start, fetch).All(ctx)(yield)
	}
}

// Iterator walks a cursor-paginated listing and remembers the cursor of the
// next page, so that a long job can stop and resume later with
// NewIterator(it.Cursor(), fetch).
//
// An Iterator keeps one page in memory at a time. To detect loops, it also
// keeps the cursor of every page it has passed on. It is not safe for concurrent use. A second
// NextPage or All running while one is in progress returns an error instead
// of calling fetch, so fetch is never called concurrently.
type Iterator[T any] struct {
	fetch FetchFunc[T]

	// cursor is the cursor of the next page to fetch.
	cursor string

	// started is true once a page has been fetched and passed on in full.
	started bool

	// done is true once the last page has been passed on in full.
	done bool

	// seen contains the cursors of the pages passed on in full.
	seen map[string]struct{}

	busy atomic.Bool
}

// NewIterator returns an Iterator whose first page is the page of cursor
// start ("" for the first page of the listing).
func NewIterator[T any](start string, fetch FetchFunc[T]) *Iterator[T] {
	return &Iterator[T]{fetch: fetch, cursor: start}
}

// Cursor returns the cursor of the next page not yet passed on.
//
// Before the first page, Cursor returns the start cursor, which is "" for
// the first page of the listing. After the last page, Cursor returns "" and
// Done returns true. Use Started and Done to tell the two apart.
//
// A range loop over All moves the cursor past a page only once the loop body
// has received every item of that page. If the loop breaks earlier, Cursor
// returns the cursor of the page it broke in, and an Iterator resumed from
// it yields that whole page again, including the items already received.
func (it *Iterator[T]) Cursor() string { return it.cursor }

// Started reports whether a page has been passed on in full, so that Cursor
// no longer returns the start cursor.
func (it *Iterator[T]) Started() bool { return it.started }

// Done reports whether the last page has been passed on in full. Done is
// false after an error, including a *CursorLoopError.
func (it *Iterator[T]) Done() bool { return it.done }

// NextPage fetches the next page and moves the cursor past it.
//
// NextPage returns ErrDone after the last page. The last page is the one with
// an empty NextCursor, or the first page with no items, whatever its
// NextCursor. Before fetching, NextPage returns an error if ctx is nil,
// ctx.Err() if ctx is done, and a *CursorLoopError if the page's cursor was already fetched by this
// Iterator. A fetch error is returned as is. After an error the cursor does
// not move, so a later call retries the same page.
func (it *Iterator[T]) NextPage(ctx context.Context) (Page[T], error) {
	if ctx == nil {
		return Page[T]{}, errNilContext
	}
	if !it.busy.CompareAndSwap(false, true) {
		return Page[T]{}, errBusy
	}
	defer it.busy.Store(false)

	if it.done {
		return Page[T]{}, ErrDone
	}

	page, err := it.fetchNext(ctx)
	if err != nil {
		return Page[T]{}, err
	}
	it.advance(page)

	return page, nil
}

// All returns an iterator over the items of the remaining pages. Ranging
// over it advances it.
//
// Iteration ends after a page with an empty NextCursor or a page with no
// items, whatever its NextCursor. It yields an error once and stops when ctx
// is nil, when ctx is done before a fetch (ctx.Err()), when a fetch fails
// (the fetch error as is), or when the server repeats a cursor (a
// *CursorLoopError). A break in the loop body stops iteration without
// another fetch. See Cursor for where
// a later range loop or a resumed Iterator starts.
func (it *Iterator[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, errNilContext)
			return
		}
		if !it.busy.CompareAndSwap(false, true) {
			yield(zero, errBusy)
			return
		}
		defer it.busy.Store(false)

		for !it.done {
			page, err := it.fetchNext(ctx)
			if err != nil {
				yield(zero, err)
				return
			}

			for i, item := range page.Items {
				if !yield(item, nil) {
					// A break on the last item still leaves the page fully
					// received, so a resumed Iterator must not repeat it.
					if i == len(page.Items)-1 {
						it.advance(page)
					}
					return
				}
			}
			it.advance(page)
		}
	}
}

// fetchNext fetches the page at it.cursor without moving past it.
func (it *Iterator[T]) fetchNext(ctx context.Context) (Page[T], error) {
	if it.fetch == nil {
		return Page[T]{}, errNilFetch
	}
	if err := ctx.Err(); err != nil {
		return Page[T]{}, err
	}
	if _, fetched := it.seen[it.cursor]; fetched {
		return Page[T]{}, &CursorLoopError{Cursor: it.cursor}
	}

	return it.fetch(ctx, it.cursor)
}

// advance records that page, fetched at it.cursor, was passed on in full.
func (it *Iterator[T]) advance(page Page[T]) {
	if it.seen == nil {
		it.seen = make(map[string]struct{})
	}
	it.seen[it.cursor] = struct{}{}
	it.started = true

	if page.NextCursor == "" || len(page.Items) == 0 {
		it.done = true
		it.cursor = ""
		return
	}
	it.cursor = page.NextCursor
}
