package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strconv"

	"github.com/seed570a29ac/agentpools/api"
	"github.com/seed570a29ac/agentpools/client"
)

var poolsCommands = []*command{{
	path:     "pools list",
	synopsis: "[--type T] [--limit-per-type N] [--after CURSOR] [--max-pages N]",
	summary:  "list the agent pools of the org, following every page",
	about: `
Okta returns up to --limit-per-type pools of each agent type on a page, and
the command follows the pages to the end. With --max-pages it stops early
and prints "next cursor: CURSOR" on standard error; pass that cursor to
--after to go on. While it fetches pages, the count so far is shown on
standard error when standard error is a terminal.

With --output json, each page is printed as it arrives. So on an error the
array is left unterminated and the exit status is 1. A JSON consumer then
fails instead of taking part of a listing for all of it.

The table has the columns ID, NAME, TYPE, STATUS (operational status),
AGENTS (number of agents listed), DISRUPTED and INACTIVE (agent counts).`,
	example: `
agentpools pools list --type AD
agentpools pools list --limit-per-type 20 --max-pages 2 --output json > first.json
agentpools pools list --limit-per-type 20 --after CURSOR --output json > rest.json`,
	setup: setupPoolsList,
}}

func setupPoolsList(fs *flag.FlagSet) runFunc {
	poolType := fs.String("type", "", "list only the pools of agent `TYPE`: AD, IWA, LDAP, MFA, OPP, RUM or Radius")
	limit := fs.Int("limit-per-type", 0, "return at most `N` pools of each agent type per page; 0 leaves it to Okta, whose default is 5")
	after := fs.String("after", "", "start at `CURSOR`, as printed by a listing stopped by --max-pages")
	maxPages := fs.Int("max-pages", 0, "stop after `N` pages and print the cursor to resume with on standard error; 0 means every page")

	return func(ctx context.Context, a *app, _ []string) error {
		// The API declares limitPerPoolType an int32.
		if *limit < 0 || *limit > math.MaxInt32 {
			return usagef("pools list", "invalid --limit-per-type %d: use a number from 1 to %d, or 0 for Okta's default", *limit, math.MaxInt32)
		}
		if *maxPages < 0 {
			return usagef("pools list", "invalid --max-pages %d: use a positive number, or 0 for every page", *maxPages)
		}

		// A known type is accepted in any letter case. Another value is sent
		// as typed, because Okta may add agent types after this release.
		typ := api.AgentType(*poolType)
		if parsed, err := api.ParseAgentType(*poolType); err == nil {
			typ = parsed
		}

		c, err := a.newClient()
		if err != nil {
			return err
		}
		opts := &client.ListPoolsOptions{
			PoolType:         typ,
			LimitPerPoolType: *limit,
			After:            *after,
		}
		return a.listPools(ctx, c, opts, *maxPages)
	}
}

// listPools prints the pools of opts page by page, stopping after maxPages
// pages when it is positive. When it stops before the last page, it prints
// the cursor to resume with on standard error.
func (a *app) listPools(ctx context.Context, c *client.Client, opts *client.ListPoolsOptions, maxPages int) error {
	it := c.PoolIterator(opts)
	out := newListOutput(a, poolHeader, poolRow)
	progress := a.newProgress("pools")

	pages := 0
	for !it.Done() && (maxPages == 0 || pages < maxPages) {
		page, err := it.NextPage(ctx)
		if err != nil {
			progress.clear()
			return err
		}
		pages++

		for _, pool := range page.Items {
			if err := out.add(pool); err != nil {
				progress.clear()
				return err
			}
		}
		progress.update(pages, out.count)
	}
	progress.clear()

	if err := out.close(); err != nil {
		return err
	}
	if !it.Done() {
		fmt.Fprintf(a.stderr, "next cursor: %s\n", it.Cursor())
	}
	return nil
}

var poolHeader = []string{"ID", "NAME", "TYPE", "STATUS", "AGENTS", "DISRUPTED", "INACTIVE"}

func poolRow(p api.AgentPool) []string {
	agents := ""
	if p.Agents != nil {
		agents = strconv.Itoa(len(*p.Agents))
	}
	return []string{
		text(p.Id),
		text(p.Name),
		text(p.Type),
		text(p.OperationalStatus),
		agents,
		number(p.DisruptedAgents),
		number(p.InactiveAgents),
	}
}
