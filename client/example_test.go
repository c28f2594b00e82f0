package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
)

// exampleOrg starts a small fake org on 127.0.0.1 with two pages of pools
// and one update.
func exampleOrg() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/agentPools", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("after") == "" {
			w.Header().Set("Link", `</api/v1/agentPools?after=0oa2>; rel="next"`)
			_, _ = io.WriteString(w, `[{"id":"0oa1","name":"region1A.dc","type":"AD"}]`)
			return
		}
		_, _ = io.WriteString(w, `[{"id":"0oa2","name":"ldap.corp","type":"LDAP"}]`)
	})
	mux.HandleFunc("GET /api/v1/agentPools/0oa1/updates/upd1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"upd1","name":"Monthly","status":"Scheduled","agentType":"AD","rolloutWave":2}`)
	})
	mux.HandleFunc("POST /api/v1/agentPools/0oa1/updates/upd1", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, strings.Replace(string(body), "{", `{"id":"upd1",`, 1))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Okta-Request-Id", "XkcO6Ue8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: nope (AgentPoolUpdate)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}`)
	})
	return httptest.NewServer(mux)
}

func Example() {
	org := exampleOrg()
	defer org.Close()

	c, err := client.New(org.URL, client.WithCredentials(auth.APIToken("00example-token")))
	if err != nil {
		log.Fatal(err)
	}

	update, err := c.GetUpdate(context.Background(), "0oa1", "upd1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*update.Name, *update.Status)
	// Output: Monthly Scheduled
}

func ExampleClient_ListPools() {
	org := exampleOrg()
	defer org.Close()
	c, err := client.New(org.URL, client.WithCredentials(auth.APIToken("00example-token")))
	if err != nil {
		log.Fatal(err)
	}

	for pool, err := range c.ListPools(context.Background(), &client.ListPoolsOptions{LimitPerPoolType: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*pool.Id, *pool.Name, *pool.Type)
	}
	// Output:
	// 0oa1 region1A.dc AD
	// 0oa2 ldap.corp LDAP
}

func ExampleClient_PoolIterator() {
	org := exampleOrg()
	defer org.Close()
	c, err := client.New(org.URL, client.WithCredentials(auth.APIToken("00example-token")))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// A first run handles one page and stores the cursor.
	it := c.PoolIterator(nil)
	page, err := it.NextPage(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first run:", len(page.Items), "pool, cursor", it.Cursor())

	// A later run resumes from the stored cursor.
	resumed := c.PoolIterator(&client.ListPoolsOptions{After: it.Cursor()})
	for pool, err := range resumed.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("later run:", *pool.Name)
	}
	// Output:
	// first run: 1 pool, cursor 0oa2
	// later run: ldap.corp
}

func ExampleClient_EditUpdate() {
	org := exampleOrg()
	defer org.Close()
	c, err := client.New(org.URL, client.WithCredentials(auth.APIToken("00example-token")))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	update, err := c.GetUpdate(ctx, "0oa1", "upd1")
	if err != nil {
		log.Fatal(err)
	}
	name := "Monthly AD agent update"
	update.Name = &name

	// The member rolloutWave, unknown to package api, is sent back as it came.
	stored, err := c.EditUpdate(ctx, "0oa1", "upd1", *update)
	if err != nil {
		log.Fatal(err)
	}
	wave, _ := stored.Get("rolloutWave")
	fmt.Println(*stored.Name, string(wave))
	// Output: Monthly AD agent update 2
}

func ExampleIsNotFound() {
	org := exampleOrg()
	defer org.Close()
	c, err := client.New(org.URL, client.WithCredentials(auth.APIToken("00example-token")))
	if err != nil {
		log.Fatal(err)
	}

	_, err = c.GetUpdate(context.Background(), "0oa1", "nope")
	fmt.Println(client.IsNotFound(err))

	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.RequestID)
	}
	fmt.Println(err)
	// Output:
	// true
	// E0000007 XkcO6Ue8
	// client: GET /api/v1/agentPools/0oa1/updates/nope: 404 E0000007 Not found: Resource not found: nope (AgentPoolUpdate) (request id XkcO6Ue8, 1 attempt)
}

func ExampleWithRetry() {
	org := exampleOrg()
	defer org.Close()

	// Up to 6 attempts, waiting at most 30 seconds in total per call.
	c, err := client.New(org.URL,
		client.WithCredentials(auth.APIToken("00example-token")),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 6, MaxWait: 30 * time.Second}),
	)
	if err != nil {
		log.Fatal(err)
	}

	// The example org has no list of updates, so the call fails at once:
	// a 404 response is not retried.
	updates, err := c.ListUpdates(context.Background(), "0oa1", nil)
	fmt.Println(len(updates), client.IsNotFound(err))
	// Output: 0 true
}
