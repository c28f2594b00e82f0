package api

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptrTo[T any](v T) *T { return &v }

func TestAutoUpdateScheduleValidateValid(t *testing.T) {
	tests := []struct {
		name     string
		schedule AutoUpdateSchedule
	}{
		{"empty", AutoUpdateSchedule{}},
		{"okta example", AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Delay: ptrTo[int32](0), Duration: ptrTo[int32](120), Timezone: ptrTo("America/New_York")}},
		{"day of month in UTC", AutoUpdateSchedule{Cron: ptrTo("30 23 31 * ?"), Timezone: ptrTo("UTC")}},
		{"timezone alone", AutoUpdateSchedule{Timezone: ptrTo("Europe/Berlin")}},
		{"bounds", AutoUpdateSchedule{Duration: ptrTo[int32](1), Delay: ptrTo[int32](365)}},
		{"upper duration", AutoUpdateSchedule{Duration: ptrTo[int32](1440)}},
	}
	for _, tt := range tests {
		assert.NoError(t, tt.schedule.Validate(), tt.name)
	}
}

func TestAutoUpdateScheduleValidateInvalid(t *testing.T) {
	tests := []struct {
		name     string
		schedule AutoUpdateSchedule
		wantErr  string
	}{
		{
			"bad cron",
			AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#6"), Timezone: ptrTo("UTC")},
			`api: invalid cron "0 8 ? * 6#6": day-of-week: week of the month must be from 1 to 5, got 6`,
		},
		{
			"cron without timezone",
			AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3")},
			`api: schedule has a cron but no timezone; set Timezone to an IANA name such as America/New_York`,
		},
		{
			"empty timezone",
			AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Timezone: ptrTo("")},
			`api: invalid schedule timezone "": set an IANA name such as America/New_York`,
		},
		{
			"local timezone",
			AutoUpdateSchedule{Timezone: ptrTo("Local")},
			`api: invalid schedule timezone "Local": it names this machine's zone, not one Okta knows; set an IANA name such as America/New_York`,
		},
		{
			"zero duration",
			AutoUpdateSchedule{Duration: ptrTo[int32](0)},
			`api: invalid schedule duration 0: must be from 1 to 1440 minutes`,
		},
		{
			"long duration",
			AutoUpdateSchedule{Duration: ptrTo[int32](1441)},
			`api: invalid schedule duration 1441: must be from 1 to 1440 minutes`,
		},
		{
			"negative delay",
			AutoUpdateSchedule{Delay: ptrTo[int32](-1)},
			`api: invalid schedule delay -1: must be from 0 to 365 days`,
		},
		{
			"long delay",
			AutoUpdateSchedule{Delay: ptrTo[int32](366)},
			`api: invalid schedule delay 366: must be from 0 to 365 days`,
		},
	}
	for _, tt := range tests {
		assert.EqualError(t, tt.schedule.Validate(), tt.wantErr, tt.name)
	}
}

func TestAutoUpdateScheduleValidateUnknownZone(t *testing.T) {
	err := AutoUpdateSchedule{Timezone: ptrTo("Mars/Olympus_Mons")}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `api: invalid schedule timezone "Mars/Olympus_Mons": use an IANA name such as America/New_York, and import time/tzdata where the system has no zone database: `)

	_, loadErr := time.LoadLocation("Mars/Olympus_Mons")
	require.Error(t, loadErr)
	assert.Contains(t, err.Error(), loadErr.Error())
}

func TestAutoUpdateScheduleValidateJoinsErrors(t *testing.T) {
	schedule := AutoUpdateSchedule{
		Cron:     ptrTo("0 8 * * ?"),
		Timezone: ptrTo("Local"),
		Duration: ptrTo[int32](-5),
		Delay:    ptrTo[int32](1000),
	}
	err := schedule.Validate()
	require.Error(t, err)

	var cronErr *CronError
	require.ErrorAs(t, err, &cronErr)
	assert.Equal(t, "day-of-month", cronErr.Field)

	assert.Equal(t, `api: invalid cron "0 8 * * ?": day-of-month: * (every day) is not supported; use a day from 1 to 31, or ? with an nth weekday in day-of-week
api: invalid schedule timezone "Local": it names this machine's zone, not one Okta knows; set an IANA name such as America/New_York
api: invalid schedule duration -5: must be from 1 to 1440 minutes
api: invalid schedule delay 1000: must be from 0 to 365 days`, err.Error())

	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	assert.Len(t, joined.Unwrap(), 4)
}

func TestAutoUpdateScheduleNextRuns(t *testing.T) {
	schedule := AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Timezone: ptrTo("America/New_York")}

	runs, err := schedule.NextRuns(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 3)
	require.NoError(t, err)
	require.Len(t, runs, 3)

	want := []string{"2024-01-20T08:00:00-05:00", "2024-02-17T08:00:00-05:00", "2024-03-16T08:00:00-04:00"}
	for i, run := range runs {
		assert.Equal(t, want[i], run.Format(time.RFC3339))
		assert.Equal(t, "America/New_York", run.Location().String())
	}
}

func TestAutoUpdateScheduleNextRunsIgnoresOtherFields(t *testing.T) {
	schedule := AutoUpdateSchedule{
		Cron:     ptrTo("0 3 1 * ?"),
		Timezone: ptrTo("Europe/Berlin"),
		Duration: ptrTo[int32](0),
		Delay:    ptrTo[int32](7),
	}

	runs, err := schedule.NextRuns(time.Date(2024, 1, 1, 2, 0, 0, 0, time.UTC), 2)
	require.NoError(t, err)
	assert.Equal(t, "2024-02-01T03:00:00+01:00", runs[0].Format(time.RFC3339))
	assert.Equal(t, "2024-03-01T03:00:00+01:00", runs[1].Format(time.RFC3339))
}

func TestAutoUpdateScheduleNextRunsMax(t *testing.T) {
	schedule := AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#5"), Timezone: ptrTo("Europe/Berlin")}
	after := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	runs, err := schedule.NextRuns(after, 1000)
	require.NoError(t, err)
	require.Len(t, runs, 1000)

	prev := after
	for _, run := range runs {
		require.True(t, run.After(prev), "%v not after %v", run, prev)
		assert.Equal(t, time.Saturday, run.Weekday())
		assert.Greater(t, run.Day(), 28)
		assert.Equal(t, 8, run.Hour())
		prev = run
	}
}

func TestAutoUpdateScheduleNextRunsErrors(t *testing.T) {
	after := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	valid := AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Timezone: ptrTo("UTC")}

	tests := []struct {
		name     string
		schedule AutoUpdateSchedule
		n        int
		wantErr  string
	}{
		{"zero runs", valid, 0, `api: invalid number of runs 0: must be from 1 to 1000`},
		{"too many runs", valid, 1001, `api: invalid number of runs 1001: must be from 1 to 1000`},
		{"negative runs", valid, -1, `api: invalid number of runs -1: must be from 1 to 1000`},
		{"no cron", AutoUpdateSchedule{Timezone: ptrTo("UTC")}, 1, `api: schedule has no cron; set Cron to compute its runs`},
		{"bad cron", AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6"), Timezone: ptrTo("UTC")}, 1, `api: invalid cron "0 8 ? * 6": day-of-week: weekday 6 needs #N for the week of the month, such as 6#3 for the third Saturday; every week is not supported`},
		{"no timezone", AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3")}, 1, `api: schedule has a cron but no timezone; set Timezone to an IANA name such as America/New_York`},
		{"local timezone", AutoUpdateSchedule{Cron: ptrTo("0 8 ? * 6#3"), Timezone: ptrTo("Local")}, 1, `api: invalid schedule timezone "Local": it names this machine's zone, not one Okta knows; set an IANA name such as America/New_York`},
	}
	for _, tt := range tests {
		runs, err := tt.schedule.NextRuns(after, tt.n)
		assert.EqualError(t, err, tt.wantErr, tt.name)
		assert.Nil(t, runs, tt.name)
	}
}
