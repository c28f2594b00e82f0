package pager

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeServer serves fixed pages by cursor and records the cursors fetched.
type fakeServer struct {
	pages   map[string]Page[int]
	errs    map[string]error
	fetched []string
}

func (s *fakeServer) fetch(_ context.Context, cursor string) (Page[int], error) {
	s.fetched = append(s.fetched, cursor)
	if err := s.errs[cursor]; err != nil {
		return Page[int]{}, err
	}

	page, ok := s.pages[cursor]
	if !ok {
		return Page[int]{}, fmt.Errorf("fake server: unknown cursor %q", cursor)
	}

	return page, nil
}

// threePages returns a listing of items 1 to 5 on three pages.
func threePages() *fakeServer {
	return &fakeServer{pages: map[string]Page[int]{
		"":   {Items: []int{1, 2}, NextCursor: "c1"},
		"c1": {Items: []int{3, 4}, NextCursor: "c2"},
		"c2": {Items: []int{5}},
	}}
}

// result is one pair yielded by an iter.Seq2[int, error].
type result struct {
	item int
	err  error
}

func collect(seq func(func(int, error) bool)) []result {
	var results []result
	for item, err := range seq {
		results = append(results, result{item, err})
	}

	return results
}

func items(values ...int) []result {
	results := make([]result, len(values))
	for i, v := range values {
		results[i] = result{item: v}
	}

	return results
}

func TestAllStopsAfterEmptyNextCursor(t *testing.T) {
	t.Parallel()

	server := threePages()
	got := collect(All(t.Context(), "", server.fetch))

	assert.Equal(t, items(1, 2, 3, 4, 5), got)
	assert.Equal(t, []string{"", "c1", "c2"}, server.fetched)
}

func TestAllStartsAtCursor(t *testing.T) {
	t.Parallel()

	server := threePages()
	got := collect(All(t.Context(), "c1", server.fetch))

	assert.Equal(t, items(3, 4, 5), got)
	assert.Equal(t, []string{"c1", "c2"}, server.fetched)
}

func TestAllStopsOnEmptyPage(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{
		"":   {Items: []int{1}, NextCursor: "c1"},
		"c1": {Items: nil, NextCursor: "c2"},
		"c2": {Items: []int{99}},
	}}
	got := collect(All(t.Context(), "", server.fetch))

	assert.Equal(t, items(1), got)
	assert.Equal(t, []string{"", "c1"}, server.fetched)
}

func TestAllEmptyListing(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{"": {}}}
	got := collect(All(t.Context(), "", server.fetch))

	assert.Empty(t, got)
	assert.Equal(t, []string{""}, server.fetched)
}

func TestAllCursorLoop(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{
		"":  {Items: []int{1}, NextCursor: "a"},
		"a": {Items: []int{2}, NextCursor: "b"},
		"b": {Items: []int{3}, NextCursor: "a"},
	}}
	got := collect(All(t.Context(), "", server.fetch))

	require.Len(t, got, 4)
	assert.Equal(t, items(1, 2, 3), got[:3])
	var loopErr *CursorLoopError
	require.ErrorAs(t, got[3].err, &loopErr)
	assert.Equal(t, "a", loopErr.Cursor)
	assert.Equal(t, []string{"", "a", "b"}, server.fetched)
}

func TestAllCursorPointingToItself(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{
		"":  {Items: []int{1}, NextCursor: "x"},
		"x": {Items: []int{2}, NextCursor: "x"},
	}}
	got := collect(All(t.Context(), "", server.fetch))

	require.Len(t, got, 3)
	assert.Equal(t, &CursorLoopError{Cursor: "x"}, got[2].err)
	assert.Equal(t, []string{"", "x"}, server.fetched)
}

func TestCursorLoopErrorMessage(t *testing.T) {
	t.Parallel()

	short := &CursorLoopError{Cursor: "abc"}
	assert.Equal(t, `pager: cursor "abc" was returned twice; the server's pagination is looping`, short.Error())

	long := &CursorLoopError{Cursor: strings.Repeat("c", 1000)}
	assert.Contains(t, long.Error(), `"`+strings.Repeat("c", maxErrorCursor)+`..."`)
	assert.Less(t, len(long.Error()), 200)
}

func TestAllYieldsFetchErrorOnce(t *testing.T) {
	t.Parallel()

	failure := errors.New("boom")
	server := threePages()
	server.errs = map[string]error{"c1": failure}
	got := collect(All(t.Context(), "", server.fetch))

	assert.Equal(t, append(items(1, 2), result{err: failure}), got)
	assert.Equal(t, []string{"", "c1"}, server.fetched)
}

func TestAllBreakStopsFetching(t *testing.T) {
	t.Parallel()

	server := threePages()
	var got []int
	for item, err := range All(t.Context(), "", server.fetch) {
		require.NoError(t, err)
		got = append(got, item)
		if item == 3 {
			break
		}
	}

	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, []string{"", "c1"}, server.fetched)
}

func TestAllContextCancelledBeforeStart(t *testing.T) {
	t.Parallel()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	server := threePages()
	got := collect(All(ctx, "", server.fetch))

	assert.Equal(t, []result{{err: context.Canceled}}, got)
	assert.Empty(t, server.fetched)
}

func TestAllContextCancelledBetweenPages(t *testing.T) {
	t.Parallel()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	server := threePages()
	var got []result
	for item, err := range All(ctx, "", server.fetch) {
		got = append(got, result{item, err})
		if item == 2 {
			cancel()
		}
	}

	assert.Equal(t, append(items(1, 2), result{err: context.Canceled}), got)
	assert.Equal(t, []string{""}, server.fetched)
}

func TestAllRestartsOnEachRange(t *testing.T) {
	t.Parallel()

	server := threePages()
	seq := All(t.Context(), "", server.fetch)

	first := collect(seq)
	second := collect(seq)

	assert.Equal(t, items(1, 2, 3, 4, 5), first)
	assert.Equal(t, items(1, 2, 3, 4, 5), second)
}

func TestAllNilFetch(t *testing.T) {
	t.Parallel()

	got := collect(All[int](t.Context(), "", nil))

	require.Len(t, got, 1)
	assert.EqualError(t, got[0].err, "pager: FetchFunc is nil; pass a function to NewIterator or All")
}

// record is a page item large enough to avoid the tiny allocator, so that a
// weak pointer to it tracks only its own reachability.
type record struct {
	page int
	name string
}

func TestAllHoldsOnlyCurrentPage(t *testing.T) {
	t.Parallel()

	var firstPage []weak.Pointer[record]
	fetch := func(_ context.Context, cursor string) (Page[*record], error) {
		switch cursor {
		case "":
			page := Page[*record]{Items: []*record{{page: 1, name: "a"}, {page: 1, name: "b"}}, NextCursor: "c1"}
			for _, item := range page.Items {
				firstPage = append(firstPage, weak.Make(item))
			}
			return page, nil
		case "c1":
			return Page[*record]{Items: []*record{{page: 2, name: "c"}}, NextCursor: "c2"}, nil
		default:
			return Page[*record]{Items: []*record{{page: 3, name: "d"}}}, nil
		}
	}

	var pagesSeen []int
	for item, err := range All(t.Context(), "", fetch) {
		require.NoError(t, err)
		pagesSeen = append(pagesSeen, item.page)
		if item.page < 3 {
			continue
		}

		runtime.GC()
		for i, ptr := range firstPage {
			assert.Nil(t, ptr.Value(), "item %d of page 1 is still reachable while page 3 is iterated", i)
		}
	}

	assert.Equal(t, []int{1, 1, 2, 3}, pagesSeen)
	assert.Len(t, firstPage, 2)
}

func TestIteratorNextPage(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("", server.fetch)
	assert.Equal(t, "", it.Cursor())
	assert.False(t, it.Started())
	assert.False(t, it.Done())

	page, err := it.NextPage(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, page.Items)
	assert.Equal(t, "c1", it.Cursor())
	assert.True(t, it.Started())
	assert.False(t, it.Done())

	page, err = it.NextPage(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int{3, 4}, page.Items)
	assert.Equal(t, "c2", it.Cursor())

	page, err = it.NextPage(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int{5}, page.Items)
	assert.Equal(t, "", it.Cursor())
	assert.True(t, it.Done())

	_, err = it.NextPage(t.Context())
	require.ErrorIs(t, err, ErrDone)
	assert.Equal(t, []string{"", "c1", "c2"}, server.fetched)
}

func TestIteratorNextPageEmptyPageEnds(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{"": {NextCursor: "c1"}}}
	it := NewIterator("", server.fetch)

	page, err := it.NextPage(t.Context())
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.True(t, it.Done())
	assert.Equal(t, "", it.Cursor())

	_, err = it.NextPage(t.Context())
	require.ErrorIs(t, err, ErrDone)
	assert.Equal(t, []string{""}, server.fetched)
}

func TestIteratorNextPageRetriesAfterError(t *testing.T) {
	t.Parallel()

	failure := errors.New("temporary")
	server := threePages()
	server.errs = map[string]error{"c1": failure}
	it := NewIterator("", server.fetch)

	_, err := it.NextPage(t.Context())
	require.NoError(t, err)

	_, err = it.NextPage(t.Context())
	require.ErrorIs(t, err, failure)
	assert.Equal(t, "c1", it.Cursor())
	assert.False(t, it.Done())

	delete(server.errs, "c1")
	page, err := it.NextPage(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int{3, 4}, page.Items)
	assert.Equal(t, []string{"", "c1", "c1"}, server.fetched)
}

func TestIteratorNextPageContextCancelled(t *testing.T) {
	t.Parallel()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	server := threePages()
	it := NewIterator("", server.fetch)

	_, err := it.NextPage(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, server.fetched)
}

func TestIteratorLoopErrorRepeatsWithoutFetch(t *testing.T) {
	t.Parallel()

	server := &fakeServer{pages: map[string]Page[int]{
		"":  {Items: []int{1}, NextCursor: "x"},
		"x": {Items: []int{2}, NextCursor: "x"},
	}}
	it := NewIterator("", server.fetch)

	for range 2 {
		_, err := it.NextPage(t.Context())
		require.NoError(t, err)
	}

	for range 2 {
		_, err := it.NextPage(t.Context())
		var loopErr *CursorLoopError
		require.ErrorAs(t, err, &loopErr)
		assert.Equal(t, "x", loopErr.Cursor)
	}
	assert.False(t, it.Done())
	assert.Equal(t, []string{"", "x"}, server.fetched)
}

func TestIteratorResumeAfterBreakMidPage(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("", server.fetch)

	var got []int
	for item, err := range it.All(t.Context()) {
		require.NoError(t, err)
		got = append(got, item)
		if item == 3 {
			break
		}
	}
	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, "c1", it.Cursor(), "the cursor stays on the partly received page")
	assert.True(t, it.Started())

	resumed := NewIterator(it.Cursor(), server.fetch)
	assert.Equal(t, items(3, 4, 5), collect(resumed.All(t.Context())))
	assert.True(t, resumed.Done())
}

func TestIteratorRangeAgainAfterBreakMidPage(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("", server.fetch)

	for item, err := range it.All(t.Context()) {
		require.NoError(t, err)
		if item == 1 {
			break
		}
	}
	assert.False(t, it.Started())
	assert.Equal(t, "", it.Cursor())

	assert.Equal(t, items(1, 2, 3, 4, 5), collect(it.All(t.Context())))
	assert.Equal(t, []string{"", "", "c1", "c2"}, server.fetched)
}

func TestIteratorBreakOnLastItemOfPage(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("", server.fetch)

	for item, err := range it.All(t.Context()) {
		require.NoError(t, err)
		if item == 4 {
			break
		}
	}
	assert.Equal(t, "c2", it.Cursor(), "a fully received page is not repeated")

	assert.Equal(t, items(5), collect(it.All(t.Context())))
	assert.True(t, it.Done())
	assert.Empty(t, collect(it.All(t.Context())))
	assert.Equal(t, []string{"", "c1", "c2"}, server.fetched)
}

func TestIteratorBreakOnLastItemOfListing(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("c2", server.fetch)

	for _, err := range it.All(t.Context()) {
		require.NoError(t, err)
		break
	}

	assert.True(t, it.Done())
	assert.Equal(t, "", it.Cursor())
}

func TestIteratorAllRetriesAfterError(t *testing.T) {
	t.Parallel()

	failure := errors.New("temporary")
	server := threePages()
	server.errs = map[string]error{"c2": failure}
	it := NewIterator("", server.fetch)

	assert.Equal(t, append(items(1, 2, 3, 4), result{err: failure}), collect(it.All(t.Context())))
	assert.Equal(t, "c2", it.Cursor())

	delete(server.errs, "c2")
	assert.Equal(t, items(5), collect(it.All(t.Context())))
	assert.True(t, it.Done())
}

func TestIteratorNestedUseRejected(t *testing.T) {
	t.Parallel()

	server := threePages()
	it := NewIterator("", server.fetch)

	var inner []result
	var nextPageErr error
	for _, err := range it.All(t.Context()) {
		require.NoError(t, err)
		inner = collect(it.All(t.Context()))
		_, nextPageErr = it.NextPage(t.Context())
		break
	}

	require.Len(t, inner, 1)
	assert.ErrorIs(t, inner[0].err, errBusy)
	assert.ErrorIs(t, nextPageErr, errBusy)
	assert.Equal(t, []string{""}, server.fetched)
}

func TestIteratorNeverFetchesConcurrently(t *testing.T) {
	t.Parallel()

	entered := make(chan struct{})
	release := make(chan struct{})
	var mu sync.Mutex
	calls := 0
	fetch := func(_ context.Context, cursor string) (Page[int], error) {
		mu.Lock()
		calls++
		mu.Unlock()

		close(entered)
		<-release
		return Page[int]{Items: []int{1}}, nil
	}
	it := NewIterator("", fetch)

	done := make(chan error)
	go func() {
		_, err := it.NextPage(t.Context())
		done <- err
	}()
	<-entered

	_, err := it.NextPage(t.Context())
	require.ErrorIs(t, err, errBusy)
	close(release)
	require.NoError(t, <-done)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, calls)
}

func TestIteratorStartCursor(t *testing.T) {
	t.Parallel()

	it := NewIterator("c1", threePages().fetch)

	assert.Equal(t, "c1", it.Cursor())
	assert.False(t, it.Started())
	assert.False(t, it.Done())
}

func TestNilContextRejected(t *testing.T) {
	t.Parallel()

	const want = "pager: nil Context; pass context.Background() or a request context"
	var nilCtx context.Context

	t.Run("All", func(t *testing.T) {
		t.Parallel()

		server := threePages()
		got := collect(All(nilCtx, "", server.fetch))

		require.Len(t, got, 1)
		assert.EqualError(t, got[0].err, want)
		assert.Empty(t, server.fetched)
	})

	t.Run("Iterator.All", func(t *testing.T) {
		t.Parallel()

		server := threePages()
		it := NewIterator("", server.fetch)
		got := collect(it.All(nilCtx))

		require.Len(t, got, 1)
		assert.EqualError(t, got[0].err, want)
		assert.Empty(t, server.fetched)
		assert.False(t, it.Started())
	})

	t.Run("NextPage", func(t *testing.T) {
		t.Parallel()

		server := threePages()
		it := NewIterator("", server.fetch)
		page, err := it.NextPage(nilCtx)

		assert.EqualError(t, err, want)
		assert.Empty(t, page.Items)
		assert.Empty(t, server.fetched)
		assert.Equal(t, "", it.Cursor())
	})
}
