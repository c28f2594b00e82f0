package api_test

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // the examples must not depend on the system's zone database

	"github.com/seed570a29ac/agentpools/api"
)

func ExampleNthWeekdayCron() {
	// Every third Saturday of the month at 08:00.
	cron, err := api.NthWeekdayCron(3, time.Saturday, 8, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	expr := cron.String()
	zone := "America/New_York"
	schedule := api.AutoUpdateSchedule{Cron: &expr, Timezone: &zone}
	fmt.Println(expr, schedule.Validate())

	// A fifth week does not exist in every month, and a sixth in none.
	_, err = api.NthWeekdayCron(6, time.Saturday, 8, 0)
	fmt.Println(err)
	// Output:
	// 0 8 ? * 6#3 <nil>
	// api: invalid cron "0 8 ? * 6#6": day-of-week: week of the month must be from 1 to 5, got 6
}

func ExampleDayOfMonthCron() {
	cron, err := api.DayOfMonthCron(15, 22, 30)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cron)
	// Output:
	// 30 22 15 * ?
}

func ExampleParseCron() {
	for _, expr := range []string{"0 8 ? * 6#3", "0 8 ? * SAT#3", "0 8 1,15 * ?"} {
		cron, err := api.ParseCron(expr)
		var cronErr *api.CronError
		if errors.As(err, &cronErr) {
			fmt.Printf("%s: %s\n", cronErr.Field, cronErr.Reason)
			continue
		}
		fmt.Printf("week %d, %v, %02d:%02d\n", cron.Nth, cron.Weekday, cron.Hour, cron.Minute)
	}
	// Output:
	// week 3, Saturday, 08:00
	// day-of-week: weekday names such as SAT are not supported; use 0 (Sunday) to 6 (Saturday)
	// day-of-month: lists such as "1,15" are not supported; use one value
}

func ExampleAutoUpdateSchedule_NextRuns() {
	cron := "30 2 ? * 0#2" // second Sunday at 02:30
	zone := "America/New_York"
	schedule := api.AutoUpdateSchedule{Cron: &cron, Timezone: &zone}

	runs, err := schedule.NextRuns(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	// 02:30 does not exist on 9 March 2025, when the clocks go from 02:00
	// to 03:00, so that run moves to 03:30.
	for _, run := range runs {
		fmt.Println(run.Format("Mon 2006-01-02 15:04 MST"))
	}
	// Output:
	// Sun 2025-01-12 02:30 EST
	// Sun 2025-02-09 02:30 EST
	// Sun 2025-03-09 03:30 EDT
}

func ExampleParseAgentType() {
	typ, err := api.ParseAgentType(" radius ")
	fmt.Println(typ, err)

	_, err = api.ParseAgentType("foo")
	fmt.Println(err)

	// A value from the server is kept as sent, and Valid reports whether
	// it is one of the values that AgentTypes lists.
	fmt.Println(api.AgentType("NewType").Valid(), api.Radius.Valid())
	// Output:
	// Radius <nil>
	// api: invalid agent type "foo": want one of AD, IWA, LDAP, MFA, OPP, RUM, Radius
	// false true
}

func ExampleAgentUpdateJobStatus_IsFinished() {
	for _, status := range api.AgentUpdateJobStatuses() {
		fmt.Printf("%-10s finished=%-5t retry=%t\n", status, status.IsFinished(), status.CanRetry())
	}
	// Output:
	// Cancelled  finished=true  retry=false
	// Failed     finished=true  retry=true
	// InProgress finished=false retry=false
	// Paused     finished=false retry=false
	// Scheduled  finished=false retry=false
	// Success    finished=true  retry=false
}
