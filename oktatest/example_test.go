package oktatest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// This example lists the AD pools of the sample org two at a time,
// following the rel="next" links, as a client of the API would.
func Example() {
	srv := oktatest.NewServer(oktatest.WithSampleData())
	defer srv.Close()

	url := srv.URL + "/api/v1/agentPools?poolType=AD&limitPerPoolType=2"
	for page := 1; url != ""; page++ {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		req.Header.Set("Authorization", "SSWS "+srv.APIToken())

		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		var pools []api.AgentPool
		err = json.NewDecoder(resp.Body).Decode(&pools)
		resp.Body.Close()
		if err != nil {
			fmt.Println(err)
			return
		}

		for _, p := range pools {
			fmt.Printf("page %d: %s %s, %d agents\n", page, *p.Type, *p.Name, len(*p.Agents))
		}
		url = nextLink(resp.Header)
	}

	// Output:
	// page 1: AD corp.example.com, 3 agents
	// page 1: AD emea.corp.example.com, 2 agents
	// page 2: AD apac.corp.example.com, 2 agents
	// page 2: AD lab.example.net, 1 agents
	// page 3: AD acquired.example.org, 4 agents
}

// nextLink returns the URL of the rel="next" Link header, or "".
func nextLink(h http.Header) string {
	for _, link := range h.Values("Link") {
		target, ok := strings.CutSuffix(link, `>; rel="next"`)
		if ok {
			return strings.TrimPrefix(target, "<")
		}
	}
	return ""
}

// This example makes the first listing answer 429, as Okta does over its
// rate limit, and shows what a client receives. Both requests count against
// the default limit of 600 requests per minute.
func ExampleServer_InjectFault() {
	srv := oktatest.NewServer(oktatest.WithSampleData())
	defer srv.Close()

	err := srv.InjectFault("listAgentPools", oktatest.Fault{Status: http.StatusTooManyRequests, Times: 1})
	if err != nil {
		fmt.Println(err)
		return
	}

	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/agentPools", nil)
		req.Header.Set("Authorization", "SSWS "+srv.APIToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		var body struct{ ErrorCode string }
		_ = json.NewDecoder(resp.Body).Decode(&body) // a page of pools leaves ErrorCode empty
		resp.Body.Close()
		fmt.Println(resp.StatusCode, body.ErrorCode, resp.Header.Get("X-Rate-Limit-Remaining"))
	}

	// Output:
	// 429 E0000047 0
	// 200  598
}

// This example moves an ad hoc update through its life: it starts
// InProgress, is paused, and finishes when the test sets its status.
func ExampleServer_SetUpdateStatus() {
	srv := oktatest.NewServer()
	defer srv.Close()

	pool := srv.AddPool(api.AgentPool{Name: ptr("corp.example.com"), Type: ptr(api.AD)})
	update, err := srv.AddUpdate(*pool.Id, api.AgentPoolUpdate{Name: ptr("Fix dc01"), TargetVersion: ptr("3.20.0")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*update.Status)

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/agentPools/"+*pool.Id+"/updates/"+*update.Id+"/pause", nil)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	stored, _ := srv.Update(*pool.Id, *update.Id)
	fmt.Println(resp.StatusCode, *stored.Status)

	if err := srv.SetUpdateStatus(*pool.Id, *update.Id, api.AgentUpdateJobStatusSuccess); err != nil {
		fmt.Println(err)
		return
	}
	stored, _ = srv.Update(*pool.Id, *update.Id)
	fmt.Println(*stored.Status)

	// Output:
	// InProgress
	// 201 Paused
	// Success
}

func ptr[T any](v T) *T {
	return &v
}
