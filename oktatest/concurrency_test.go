package oktatest_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/oktatest"
)

func TestConcurrentUse(t *testing.T) {
	srv := oktatest.New(t, oktatest.WithSampleData())
	pool := samplePool(t, srv, "corp.example.com")
	const workers = 8
	const perWorker = 10

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*4)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				if err := concurrentRound(srv, *pool.Id, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
				}
				srv.Pools()
				srv.Requests()
			}
		})
	}
	wg.Go(func() {
		for range perWorker {
			_ = srv.InjectFault("getAgentPoolsUpdateSettings", oktatest.Fault{Status: http.StatusOK, Body: []byte(`{}`), Times: 1})
			srv.AddPool(api.AgentPool{Name: ptr("extra"), Type: ptr(api.RUM)})
		}
	})
	wg.Wait()
	close(errs)

	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 2+workers*perWorker, len(srv.Updates(*pool.Id)))
	for _, u := range srv.Updates(*pool.Id) {
		if u.Name != nil && len(*u.Name) > 0 && (*u.Name)[0] == 'w' {
			assert.Equal(t, api.AgentUpdateJobStatusPaused, *u.Status, "update %s", *u.Name)
		}
	}
	assert.Equal(t, workers*perWorker*4, len(srv.Requests()))
}

// concurrentRound creates an ad hoc update, pauses it, reads it and lists
// the pools.
func concurrentRound(srv *oktatest.Server, poolID, name string) error {
	send := func(method, path, body string, want int) ([]byte, error) {
		req, err := http.NewRequest(method, srv.URL+path, stringsReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "SSWS "+srv.APIToken())
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		data, err := readAll(resp)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != want {
			return nil, fmt.Errorf("status %d; want %d: %s", resp.StatusCode, want, data)
		}
		return data, nil
	}

	body, err := send(http.MethodPost, updatesPath(poolID), `{"name": "`+name+`"}`, http.StatusCreated)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	var u api.AgentPoolUpdate
	if err := jsonUnmarshal(body, &u); err != nil {
		return err
	}
	if _, err := send(http.MethodPost, updatesPath(poolID)+"/"+*u.Id+"/pause", "", http.StatusCreated); err != nil {
		return fmt.Errorf("pause %s: %w", name, err)
	}
	if _, err := send(http.MethodGet, updatesPath(poolID)+"/"+*u.Id, "", http.StatusOK); err != nil {
		return fmt.Errorf("get %s: %w", name, err)
	}
	if _, err := send(http.MethodGet, "/api/v1/agentPools?limitPerPoolType=2", "", http.StatusOK); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	return nil
}

func TestConcurrentServers(t *testing.T) {
	const servers = 4
	statuses := make([]int, servers)
	failures := make([][]error, servers)

	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() {
			srv := oktatest.NewServer(oktatest.WithSampleData())
			defer srv.Close()

			req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/agentPools", nil)
			if err != nil {
				failures[i] = []error{err}
				return
			}
			req.Header.Set("Authorization", "SSWS "+srv.APIToken())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				failures[i] = []error{err}
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
			failures[i] = srv.ValidationErrors()
		})
	}
	wg.Wait()

	for i := range servers {
		assert.Equal(t, http.StatusOK, statuses[i], "server %d", i)
		assert.Empty(t, failures[i], "server %d", i)
	}
}
