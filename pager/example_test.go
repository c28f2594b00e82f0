package pager_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/seed570a29ac/agentpools/pager"
)

// fetchColors serves a fake listing of five colors, two to a page, with the
// index of the next color as the cursor.
func fetchColors(_ context.Context, cursor string) (pager.Page[string], error) {
	colors := []string{"red", "orange", "yellow", "green", "blue"}
	pages := map[string]pager.Page[string]{
		"":  {Items: colors[0:2], NextCursor: "2"},
		"2": {Items: colors[2:4], NextCursor: "4"},
		"4": {Items: colors[4:]},
	}

	page, ok := pages[cursor]
	if !ok {
		return pager.Page[string]{}, fmt.Errorf("unknown cursor %q", cursor)
	}
	fmt.Printf("fetched page at cursor %q\n", cursor)

	return page, nil
}

func ExampleAll() {
	for color, err := range pager.All(context.Background(), "", fetchColors) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(color)
	}

	// Output:
	// fetched page at cursor ""
	// red
	// orange
	// fetched page at cursor "2"
	// yellow
	// green
	// fetched page at cursor "4"
	// blue
}

func ExampleIterator() {
	ctx := context.Background()

	// Stop in the middle of the second page, as a job that runs out of time
	// would, and save the cursor.
	it := pager.NewIterator("", fetchColors)
	for color, err := range it.All(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(color)
		if color == "yellow" {
			break
		}
	}
	saved := it.Cursor()
	fmt.Printf("saved cursor %q, done %v\n", saved, it.Done())

	// Resume later. The partly received page is fetched and yielded again.
	resumed := pager.NewIterator(saved, fetchColors)
	for {
		page, err := resumed.NextPage(ctx)
		if errors.Is(err, pager.ErrDone) {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(page.Items)
	}
	fmt.Printf("done %v\n", resumed.Done())

	// Output:
	// fetched page at cursor ""
	// red
	// orange
	// fetched page at cursor "2"
	// yellow
	// saved cursor "2", done false
	// fetched page at cursor "2"
	// [yellow green]
	// fetched page at cursor "4"
	// [blue]
	// done true
}

func ExampleNextCursor() {
	requestURL, err := url.Parse("https://example.okta.com/api/v1/agentPools?limitPerPoolType=5")
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	h := http.Header{}
	h.Add("Link", `<https://example.okta.com/api/v1/agentPools?limitPerPoolType=5>; rel="self"`)
	h.Add("Link", `<https://example.okta.com/api/v1/agentPools?after=0oa1&limitPerPoolType=5>; rel="next"`)

	cursor, err := pager.NextCursor(requestURL, h, "after")
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(cursor)

	// Output:
	// 0oa1
}
