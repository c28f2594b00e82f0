package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

// updateBodyExample is a request body for updates create, shown in help.
const updateBodyExample = `{"name": "Third Saturday", "agentType": "AD", "enabled": true,
 "schedule": {"cron": "0 8 ? * 6#3", "timezone": "America/New_York", "duration": 120}}`

var updatesCommands = []*command{
	{
		path:     "updates list",
		args:     []string{"POOL_ID"},
		synopsis: "[--scheduled true|false]",
		summary:  "list the auto-updates of a pool",
		about: `
The table has the columns ID, NAME, STATUS, ENABLED, TARGET (target agent
version) and SCHEDULE (cron expression and time zone).`,
		example: "agentpools updates list 0pr1a2b3c4 --scheduled true",
		setup:   setupUpdatesList,
	},
	{
		path:    "updates get",
		args:    []string{"POOL_ID", "UPDATE_ID"},
		summary: "show one auto-update of a pool",
		example: "agentpools updates get 0pr1a2b3c4 upd5d6e7f8 --output json",
		setup:   setupUpdateGet,
	},
	{
		path:     "updates create",
		args:     []string{"POOL_ID"},
		synopsis: "--body FILE|-",
		summary:  "create an auto-update of a pool from a JSON body",
		about: `
The body is an agent pool update object, such as:

` + updateBodyExample + `

Members that this version of the command does not know are sent as given.`,
		example: `agentpools updates create 0pr1a2b3c4 --body update.json
echo '{"name": "Now", "agentType": "AD"}' | agentpools updates create 0pr1a2b3c4 --body -`,
		setup: setupUpdateCreate,
	},
	{
		path:     "updates update",
		args:     []string{"POOL_ID", "UPDATE_ID"},
		synopsis: "--body FILE|-",
		summary:  "replace an auto-update of a pool with a JSON body",
		about: `
The body replaces the update: start from the output of "updates get --output
json", which keeps every member the API returned, and change what you need.`,
		example: `agentpools updates get 0pr1a2b3c4 upd5d6e7f8 --output json > update.json
agentpools updates update 0pr1a2b3c4 upd5d6e7f8 --body update.json`,
		setup: setupUpdateEdit,
	},
	{
		path:    "updates delete",
		args:    []string{"POOL_ID", "UPDATE_ID"},
		summary: "delete an auto-update of a pool",
		about: `
The API returns no content, so --output json prints nothing; a table prints
a confirmation.`,
		example: "agentpools updates delete 0pr1a2b3c4 upd5d6e7f8",
		setup:   setupUpdateDelete,
	},
	lifecycleCommand("activate", "activate an auto-update, so that it runs on its schedule", (*client.Client).ActivateUpdate),
	lifecycleCommand("deactivate", "deactivate an auto-update", (*client.Client).DeactivateUpdate),
	lifecycleCommand("pause", "pause a running auto-update", (*client.Client).PauseUpdate),
	lifecycleCommand("resume", "resume a paused auto-update", (*client.Client).ResumeUpdate),
	lifecycleCommand("retry", "retry a failed auto-update", (*client.Client).RetryUpdate),
	lifecycleCommand("stop", "stop an auto-update", (*client.Client).StopUpdate),
}

// lifecycleVerbs are the verbs of the update status operations, and
// lifecycleSummary describes them together.
var lifecycleVerbs = []string{"activate", "deactivate", "pause", "resume", "retry", "stop"}

const lifecycleSummary = "change the status of an auto-update of a pool"

// updateMethod is a client method that changes the state of an update.
type updateMethod func(c *client.Client, ctx context.Context, poolID, updateID string) (*api.AgentPoolUpdate, error)

// lifecycleCommand returns the command "updates VERB", which calls method
// and prints the update it returns.
func lifecycleCommand(verb, summary string, method updateMethod) *command {
	return &command{
		path:      "updates " + verb,
		args:      []string{"POOL_ID", "UPDATE_ID"},
		summary:   summary,
		lifecycle: true,
		example:   fmt.Sprintf("agentpools updates %s 0pr1a2b3c4 upd5d6e7f8", verb),
		setup: func(*flag.FlagSet) runFunc {
			return func(ctx context.Context, a *app, args []string) error {
				c, err := a.newClient()
				if err != nil {
					return err
				}
				update, err := method(c, ctx, args[0], args[1])
				if err != nil {
					return err
				}
				return a.printUpdate(update)
			}
		},
	}
}

func setupUpdatesList(fs *flag.FlagSet) runFunc {
	scheduled := fs.String("scheduled", "", "list only scheduled updates when `true`, only ad hoc updates when false; every update when unset")

	return func(ctx context.Context, a *app, args []string) error {
		opts := &client.ListUpdatesOptions{}
		if *scheduled != "" {
			value, err := strconv.ParseBool(*scheduled)
			if err != nil {
				return usagef("updates list", "invalid --scheduled %q: use true or false", *scheduled)
			}
			opts.Scheduled = &value
		}

		c, err := a.newClient()
		if err != nil {
			return err
		}
		updates, err := c.ListUpdates(ctx, args[0], opts)
		if err != nil {
			return err
		}

		out := newListOutput(a, updateHeader, updateRow)
		for _, update := range updates {
			if err := out.add(update); err != nil {
				return err
			}
		}
		return out.close()
	}
}

func setupUpdateGet(*flag.FlagSet) runFunc {
	return func(ctx context.Context, a *app, args []string) error {
		c, err := a.newClient()
		if err != nil {
			return err
		}
		update, err := c.GetUpdate(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		return a.printUpdate(update)
	}
}

func setupUpdateCreate(fs *flag.FlagSet) runFunc {
	body := fs.String("body", "", bodyFlagUsage("update"))

	return func(ctx context.Context, a *app, args []string) error {
		var update api.AgentPoolUpdate
		if err := a.readBody(ctx, "updates create", *body, &update); err != nil {
			return err
		}

		c, err := a.newClient()
		if err != nil {
			return err
		}
		created, err := c.CreateUpdate(ctx, args[0], update)
		if err != nil {
			return err
		}
		return a.printUpdate(created)
	}
}

func setupUpdateEdit(fs *flag.FlagSet) runFunc {
	body := fs.String("body", "", bodyFlagUsage("update"))

	return func(ctx context.Context, a *app, args []string) error {
		var update api.AgentPoolUpdate
		if err := a.readBody(ctx, "updates update", *body, &update); err != nil {
			return err
		}

		c, err := a.newClient()
		if err != nil {
			return err
		}
		edited, err := c.EditUpdate(ctx, args[0], args[1], update)
		if err != nil {
			return err
		}
		return a.printUpdate(edited)
	}
}

func setupUpdateDelete(*flag.FlagSet) runFunc {
	return func(ctx context.Context, a *app, args []string) error {
		c, err := a.newClient()
		if err != nil {
			return err
		}
		if err := c.DeleteUpdate(ctx, args[0], args[1]); err != nil {
			return err
		}

		if a.format() == "table" {
			_, err = fmt.Fprintf(a.stdout, "Deleted update %s of pool %s.\n", tableCell(args[1]), tableCell(args[0]))
		}
		return err
	}
}

// printUpdate prints one update as JSON or as a table of one row.
func (a *app) printUpdate(update *api.AgentPoolUpdate) error {
	if update == nil {
		return errors.New("the API returned no update")
	}
	if a.format() == "json" {
		return writeJSON(a.stdout, update)
	}
	t := newTable(a.stdout, updateHeader...)
	t.row(updateRow(*update)...)
	return t.flush()
}

var updateHeader = []string{"ID", "NAME", "STATUS", "ENABLED", "TARGET", "SCHEDULE"}

func updateRow(u api.AgentPoolUpdate) []string {
	return []string{
		text(u.Id),
		text(u.Name),
		text(u.Status),
		yesNo(u.Enabled),
		text(u.TargetVersion),
		scheduleText(u.Schedule),
	}
}

// scheduleText returns the cron expression and time zone of a schedule,
// such as "0 8 ? * 6#3 America/New_York".
func scheduleText(s *api.AutoUpdateSchedule) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(text(s.Cron) + " " + text(s.Timezone))
}
