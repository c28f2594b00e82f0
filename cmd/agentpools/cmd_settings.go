package main

import (
	"context"
	"errors"
	"flag"

	"github.com/seed570a29ac/agentpools/api"
)

var settingsCommands = []*command{
	{
		path:    "settings get",
		args:    []string{"POOL_ID"},
		summary: "show the auto-update settings of a pool",
		about: `
A table shows one setting per row, including members that this version of
the command does not know.`,
		example: "agentpools settings get 0pr1a2b3c4",
		setup:   setupSettingsGet,
	},
	{
		path:     "settings update",
		args:     []string{"POOL_ID"},
		synopsis: "--body FILE|-",
		summary:  "change the auto-update settings of a pool from a JSON body",
		about: `
The body is an update settings object. agentType is required; releaseChannel
is one of GA, EA, BETA and TEST. Members that this version of the command
does not know are sent as given.`,
		example: `echo '{"agentType": "AD", "releaseChannel": "EA"}' | agentpools settings update 0pr1a2b3c4 --body -`,
		setup:   setupSettingsEdit,
	},
}

func setupSettingsGet(*flag.FlagSet) runFunc {
	return func(ctx context.Context, a *app, args []string) error {
		c, err := a.newClient()
		if err != nil {
			return err
		}
		settings, err := c.GetSettings(ctx, args[0])
		if err != nil {
			return err
		}
		return a.printSettings(settings)
	}
}

func setupSettingsEdit(fs *flag.FlagSet) runFunc {
	body := fs.String("body", "", bodyFlagUsage("settings"))

	return func(ctx context.Context, a *app, args []string) error {
		var request api.AgentPoolUpdateSettingRequest
		if err := a.readBody(ctx, "settings update", *body, &request); err != nil {
			return err
		}
		// The model sends agentType even when it is empty, so a body
		// without it would send "agentType": "".
		if request.AgentType == "" {
			return usagef("settings update", "--body: missing member agentType; set it to the agent type of the pool, such as \"AD\"")
		}

		c, err := a.newClient()
		if err != nil {
			return err
		}
		settings, err := c.EditSettings(ctx, args[0], request)
		if err != nil {
			return err
		}
		return a.printSettings(settings)
	}
}

// printSettings prints settings as JSON or as a table with one row per
// setting.
func (a *app) printSettings(settings *api.AgentPoolUpdateSetting) error {
	if settings == nil {
		return errors.New("the API returned no settings")
	}
	if a.format() == "json" {
		return writeJSON(a.stdout, settings)
	}

	t := newTable(a.stdout, "SETTING", "VALUE")
	t.row("poolId", text(settings.PoolId))
	t.row("poolName", text(settings.PoolName))
	t.row("agentType", string(settings.AgentType))
	t.row("releaseChannel", text(settings.ReleaseChannel))
	t.row("continueOnError", yesNo(settings.ContinueOnError))
	t.row("latestVersion", text(settings.LatestVersion))
	t.row("minimalSupportedVersion", text(settings.MinimalSupportedVersion))
	for _, member := range extraRows(settings.AdditionalProperties) {
		t.row(member[0], member[1])
	}
	return t.flush()
}
