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
	send := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequest(method, srv.URL+path, stringsReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "SSWS "+srv.APIToken())
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		data, err := readAll(resp)
		return resp.StatusCode, data, err
	}

	status, body, err := send(http.MethodPost, updatesPath(poolID), `{"name": "`+name+`"}`)
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("create %s: status %d, %v: %s", name, status, err, body)
	}
	var u api.AgentPoolUpdate
	if err := jsonUnmarshal(body, &u); err != nil {
		return err
	}
	if status, body, err = send(http.MethodPost, updatesPath(poolID)+"/"+*u.Id+"/pause", ""); err != nil || status != http.StatusCreated {
		return fmt.Errorf("pause %s: status %d, %v: %s", name, status, err, body)
	}
	if status, body, err = send(http.MethodGet, updatesPath(poolID)+"/"+*u.Id, ""); err != nil || status != http.StatusOK {
		return fmt.Errorf("get %s: status %d, %v: %s", name, status, err, body)
	}
	if status, body, err = send(http.MethodGet, "/api/v1/agentPools?limitPerPoolType=2", ""); err != nil || status != http.StatusOK {
		return fmt.Errorf("list: status %d, %v: %s", status, err, body)
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
