package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"sync"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/auth"
	"github.com/seed570a29ac/agentpools/client"
	"github.com/seed570a29ac/agentpools/oktatest"
)

// The page size of the demo's listing and the update it creates.
const (
	demoUpdateName = "Third Saturday rollout"
	demoCron       = "0 8 ? * 6#3"
	demoTimezone   = "America/New_York"
	demoDuration   = 120 // minutes
	demoPageLimit  = 2   // pools of each type per page, so that the listing pages
)

var demoCommand = &command{
	path:    "demo",
	summary: "walk through an agent update rollout against an in-process fake org",
	about: `
The demo starts a fake Okta org with sample data inside the command, on a
free port of 127.0.0.1, and calls it through the client library with an API
token, as a real program would. It lists the pools page by page, moves the
first pool's auto-update settings to another release channel, creates an
update that runs at 8:00 on the third Saturday of each month in New York
(cron "0 8 ? * 6#3"), then activates, pauses, resumes and stops it. It prints
each step with the operation, its result and Okta's request id, and needs no
configuration. It prints a table even when standard output is not a
terminal; --output json prints the steps as a JSON array instead.`,
	example: "agentpools demo",
	setup: func(*flag.FlagSet) runFunc {
		return runDemo
	},
}

// demoStep is one API call of the demo, or several for a listing.
type demoStep struct {
	Step      int    `json:"step"`
	Operation string `json:"operation"`
	Result    string `json:"result"`
	RequestID string `json:"requestId"` // of the last request of the step
}

func runDemo(ctx context.Context, a *app, _ []string) error {
	srv := oktatest.NewUnstartedServer(oktatest.WithSampleData())
	defer srv.Close()
	if err := srv.StartOn("127.0.0.1:0"); err != nil {
		return fmt.Errorf("demo: starting the fake org failed: %w", err)
	}

	recorder := &requestIDRecorder{base: http.DefaultTransport}
	c, err := client.New(srv.URL,
		client.WithCredentials(auth.APIToken(srv.APIToken())),
		client.WithHTTPClient(&http.Client{Transport: recorder}),
		client.WithUserAgent(userAgent),
	)
	if err != nil {
		return fmt.Errorf("demo: creating the client failed: %w", err)
	}

	// The demo is for people, so it prints a table even when standard
	// output is not a terminal, unless --output json is given.
	jsonOutput := a.output == "json"
	if !jsonOutput {
		fmt.Fprintf(a.stdout, "Started a fake Okta org with sample data at %s.\n\n", srv.URL)
	}
	d := &demo{client: c, recorder: recorder}
	runErr := d.run(ctx)

	if jsonOutput {
		if err := writeJSON(a.stdout, d.steps); err != nil {
			return err
		}
		return runErr
	}

	t := newTable(a.stdout, "STEP", "OPERATION", "RESULT", "REQUEST ID")
	for _, s := range d.steps {
		t.row(fmt.Sprint(s.Step), s.Operation, s.Result, s.RequestID)
	}
	if err := t.flush(); err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	_, err = fmt.Fprintf(a.stdout, "\nThe fake org at %s is stopped. Run \"agentpools serve-fake\" to keep one running.\n", srv.URL)
	return err
}

// demo runs the steps of the walkthrough and records them.
type demo struct {
	client   *client.Client
	recorder *requestIDRecorder
	steps    []demoStep
}

// record adds a step with the request id of the last response.
func (d *demo) record(operation, result string) {
	d.steps = append(d.steps, demoStep{
		Step:      len(d.steps) + 1,
		Operation: operation,
		Result:    result,
		RequestID: d.recorder.last(),
	})
}

// run walks through the rollout and stops at the first error.
func (d *demo) run(ctx context.Context) error {
	pool, err := d.listPools(ctx)
	if err != nil {
		return err
	}
	poolID := text(pool.Id)

	settings, err := d.client.GetSettings(ctx, poolID)
	if err != nil {
		return err
	}
	d.record("settings get", fmt.Sprintf("pool %s: releaseChannel %s, latestVersion %s",
		poolID, text(settings.ReleaseChannel), text(settings.LatestVersion)))

	channel := api.EA
	if settings.ReleaseChannel != nil && *settings.ReleaseChannel == api.EA {
		channel = api.GA
	}
	changed, err := d.client.EditSettings(ctx, poolID, api.AgentPoolUpdateSettingRequest{
		AgentType:               settings.AgentType,
		ContinueOnError:         settings.ContinueOnError,
		LatestVersion:           settings.LatestVersion,
		MinimalSupportedVersion: settings.MinimalSupportedVersion,
		PoolName:                settings.PoolName,
		ReleaseChannel:          &channel,
	})
	if err != nil {
		return err
	}
	d.record("settings update", fmt.Sprintf("releaseChannel %s -> %s", text(settings.ReleaseChannel), text(changed.ReleaseChannel)))

	created, err := d.client.CreateUpdate(ctx, poolID, api.AgentPoolUpdate{
		Name:          ptrTo(demoUpdateName),
		AgentType:     &settings.AgentType,
		Enabled:       ptrTo(true),
		NotifyAdmin:   ptrTo(true),
		Reason:        ptrTo("Roll out the latest version on the third Saturday of the month"),
		TargetVersion: changed.LatestVersion,
		Schedule: &api.AutoUpdateSchedule{
			Cron:     ptrTo(demoCron),
			Timezone: ptrTo(demoTimezone),
			Duration: ptrTo(int32(demoDuration)),
		},
	})
	if err != nil {
		return err
	}
	updateID := text(created.Id)
	d.record("updates create", fmt.Sprintf("update %s: %s, cron %s",
		updateID, text(created.Status), scheduleText(created.Schedule)))

	actions := []struct {
		verb   string
		method updateMethod
	}{
		{"activate", (*client.Client).ActivateUpdate},
		{"pause", (*client.Client).PauseUpdate},
		{"resume", (*client.Client).ResumeUpdate},
		{"stop", (*client.Client).StopUpdate},
	}
	for _, action := range actions {
		update, err := action.method(d.client, ctx, poolID, updateID)
		if err != nil {
			return err
		}
		enabled := "disabled"
		if update.Enabled != nil && *update.Enabled {
			enabled = "enabled"
		}
		d.record("updates "+action.verb, fmt.Sprintf("%s, %s", text(update.Status), enabled))
	}
	return nil
}

// listPools lists every pool page by page, records the step and returns
// the first pool.
func (d *demo) listPools(ctx context.Context) (api.AgentPool, error) {
	it := d.client.PoolIterator(&client.ListPoolsOptions{LimitPerPoolType: demoPageLimit})

	var pools []api.AgentPool
	pages := 0
	for !it.Done() {
		page, err := it.NextPage(ctx)
		if err != nil {
			return api.AgentPool{}, err
		}
		pages++
		pools = append(pools, page.Items...)
	}
	if len(pools) == 0 {
		return api.AgentPool{}, errors.New("demo: the fake org has no pools")
	}

	types := map[string]bool{}
	for _, p := range pools {
		types[text(p.Type)] = true
	}
	d.record(fmt.Sprintf("pools list --limit-per-type %d", demoPageLimit),
		fmt.Sprintf("%d pools of %d types in %d pages; first: %s, %s (%s)", len(pools), len(types), pages, text(pools[0].Id), text(pools[0].Name), text(pools[0].Type)))
	return pools[0], nil
}

// requestIDRecorder is an http.RoundTripper that remembers the
// X-Okta-Request-Id header of the last response.
type requestIDRecorder struct {
	base http.RoundTripper

	mu sync.Mutex
	id string
}

func (r *requestIDRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.id = resp.Header.Get("X-Okta-Request-Id")
		r.mu.Unlock()
	}
	return resp, err
}

func (r *requestIDRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.id
}

func ptrTo[T any](v T) *T { return &v }
