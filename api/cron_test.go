package api

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the system's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCronValid(t *testing.T) {
	tests := []struct {
		in        string
		want      Cron
		canonical string
	}{
		{"0 8 ? * 6#3", Cron{Minute: 0, Hour: 8, Weekday: time.Saturday, Nth: 3}, "0 8 ? * 6#3"},
		{"0 8 15 * ?", Cron{Minute: 0, Hour: 8, Day: 15}, "0 8 15 * ?"},
		{"59 23 31 * ?", Cron{Minute: 59, Hour: 23, Day: 31}, "59 23 31 * ?"},
		{"0 0 1 * ?", Cron{Day: 1}, "0 0 1 * ?"},
		{"0 0 ? * 0#1", Cron{Weekday: time.Sunday, Nth: 1}, "0 0 ? * 0#1"},
		{"30 2 ? * 0#5", Cron{Minute: 30, Hour: 2, Weekday: time.Sunday, Nth: 5}, "30 2 ? * 0#5"},
		{"15 12 ? * 1#2", Cron{Minute: 15, Hour: 12, Weekday: time.Monday, Nth: 2}, "15 12 ? * 1#2"},
		{"  0\t8  ?  *  6#3 \n", Cron{Hour: 8, Weekday: time.Saturday, Nth: 3}, "0 8 ? * 6#3"},
		{"00 08 01 * ?", Cron{Hour: 8, Day: 1}, "0 8 1 * ?"},
		{"05 07 ? * 05#04", Cron{Minute: 5, Hour: 7, Weekday: time.Friday, Nth: 4}, "5 7 ? * 5#4"},
	}
	for _, tt := range tests {
		got, err := ParseCron(tt.in)
		require.NoError(t, err, "input %q", tt.in)
		assert.Equal(t, tt.want, got, "input %q", tt.in)
		assert.Equal(t, tt.canonical, got.String(), "input %q", tt.in)
		assert.NoError(t, got.Validate(), "input %q", tt.in)
	}
}

func TestParseCronInvalid(t *testing.T) {
	tests := []struct {
		in      string
		field   string
		wantErr string
	}{
		// Field count.
		{"", "", `api: invalid cron "": want 5 fields: minute hour day-of-month month day-of-week, got 0`},
		{"0 8 ? *", "", `api: invalid cron "0 8 ? *": want 5 fields: minute hour day-of-month month day-of-week, got 4`},
		{"0 0 8 ? * 6#3", "", `api: invalid cron "0 0 8 ? * 6#3": want 5 fields: minute hour day-of-month month day-of-week, got 6; seconds and years are not supported`},
		{"0 0 8 ? * 6#3 2025", "", `api: invalid cron "0 0 8 ? * 6#3 2025": want 5 fields: minute hour day-of-month month day-of-week, got 7; seconds and years are not supported`},
		{"0 8 ? * 6#3 x y z", "", `api: invalid cron "0 8 ? * 6#3 x y z": want 5 fields: minute hour day-of-month month day-of-week, got 8`},

		// Minute and hour.
		{"60 8 15 * ?", "minute", `api: invalid cron "60 8 15 * ?": minute: must be from 0 to 59, got 60`},
		{"0 24 15 * ?", "hour", `api: invalid cron "0 24 15 * ?": hour: must be from 0 to 23, got 24`},
		{"-1 8 15 * ?", "minute", `api: invalid cron "-1 8 15 * ?": minute: must be a number from 0 to 59, got "-1"`},
		{"+1 8 15 * ?", "minute", `api: invalid cron "+1 8 15 * ?": minute: must be a number from 0 to 59, got "+1"`},
		{"x 8 15 * ?", "minute", `api: invalid cron "x 8 15 * ?": minute: must be a number from 0 to 59, got "x"`},
		{"0 99999999999999999999 15 * ?", "hour", `api: invalid cron "0 99999999999999999999 15 * ?": hour: must be from 0 to 23, got 99999999999999999999`},
		{"* 8 15 * ?", "minute", `api: invalid cron "* 8 15 * ?": minute: * is not supported; use one number from 0 to 59`},
		{"0 * 15 * ?", "hour", `api: invalid cron "0 * 15 * ?": hour: * is not supported; use one number from 0 to 23`},
		{"*/5 8 15 * ?", "minute", `api: invalid cron "*/5 8 15 * ?": minute: steps such as "*/5" are not supported; use one value`},
		{"0 8-17 15 * ?", "hour", `api: invalid cron "0 8-17 15 * ?": hour: ranges such as "8-17" are not supported; use one value`},
		{"0,30 8 15 * ?", "minute", `api: invalid cron "0,30 8 15 * ?": minute: lists such as "0,30" are not supported; use one value`},
		{"? 8 15 * ?", "minute", `api: invalid cron "? 8 15 * ?": minute: ? is allowed only in day-of-month or day-of-week`},
		{"0 8#1 15 * ?", "hour", `api: invalid cron "0 8#1 15 * ?": hour: # is allowed only in day-of-week`},

		// Month.
		{"0 8 15 1 ?", "month", `api: invalid cron "0 8 15 1 ?": month: must be *, got "1"; a schedule runs every month`},
		{"0 8 15 ? ?", "month", `api: invalid cron "0 8 15 ? ?": month: must be *, got "?"; a schedule runs every month`},
		{"0 8 15 JAN ?", "month", `api: invalid cron "0 8 15 JAN ?": month: must be *, got "JAN"; a schedule runs every month`},
		{"0 8 15 */2 ?", "month", `api: invalid cron "0 8 15 */2 ?": month: must be *, got "*/2"; a schedule runs every month`},

		// Day of the month.
		{"0 8 0 * ?", "day-of-month", `api: invalid cron "0 8 0 * ?": day-of-month: must be from 1 to 31, got 0`},
		{"0 8 32 * ?", "day-of-month", `api: invalid cron "0 8 32 * ?": day-of-month: must be from 1 to 31, got 32`},
		{"0 8 1-5 * ?", "day-of-month", `api: invalid cron "0 8 1-5 * ?": day-of-month: ranges such as "1-5" are not supported; use one value`},
		{"0 8 1,15 * ?", "day-of-month", `api: invalid cron "0 8 1,15 * ?": day-of-month: lists such as "1,15" are not supported; use one value`},
		{"0 8 1/7 * ?", "day-of-month", `api: invalid cron "0 8 1/7 * ?": day-of-month: steps such as "1/7" are not supported; use one value`},
		{"0 8 L * ?", "day-of-month", `api: invalid cron "0 8 L * ?": day-of-month: L (last day of the month) in "L" is not supported; use a day from 1 to 31`},
		{"0 8 L-3 * ?", "day-of-month", `api: invalid cron "0 8 L-3 * ?": day-of-month: L (last day of the month) in "L-3" is not supported; use a day from 1 to 31`},
		{"0 8 15W * ?", "day-of-month", `api: invalid cron "0 8 15W * ?": day-of-month: W (nearest weekday) in "15W" is not supported; use a day from 1 to 31`},
		{"0 8 15w * ?", "day-of-month", `api: invalid cron "0 8 15w * ?": day-of-month: W (nearest weekday) in "15w" is not supported; use a day from 1 to 31`},
		{"0 8 * * ?", "day-of-month", `api: invalid cron "0 8 * * ?": day-of-month: * (every day) is not supported; use a day from 1 to 31, or ? with an nth weekday in day-of-week`},
		{"0 8 6#3 * ?", "day-of-month", `api: invalid cron "0 8 6#3 * ?": day-of-month: # is allowed only in day-of-week`},
		{"0 8 x * ?", "day-of-month", `api: invalid cron "0 8 x * ?": day-of-month: must be a number from 1 to 31, got "x"`},

		// Day of the week.
		{"0 8 ? * 6", "day-of-week", `api: invalid cron "0 8 ? * 6": day-of-week: weekday 6 needs #N for the week of the month, such as 6#3 for the third Saturday; every week is not supported`},
		{"0 8 ? * 6#6", "day-of-week", `api: invalid cron "0 8 ? * 6#6": day-of-week: week of the month must be from 1 to 5, got 6`},
		{"0 8 ? * 6#0", "day-of-week", `api: invalid cron "0 8 ? * 6#0": day-of-week: week of the month must be from 1 to 5, got 0`},
		{"0 8 ? * 7#1", "day-of-week", `api: invalid cron "0 8 ? * 7#1": day-of-week: weekday must be from 0 to 6, got 7; 0 is Sunday and 6 is Saturday`},
		{"0 8 ? * 6#", "day-of-week", `api: invalid cron "0 8 ? * 6#": day-of-week: week of the month is missing after #; use 1 to 5`},
		{"0 8 ? * #3", "day-of-week", `api: invalid cron "0 8 ? * #3": day-of-week: weekday is missing before #; use 0 (Sunday) to 6 (Saturday)`},
		{"0 8 ? * 6#3#1", "day-of-week", `api: invalid cron "0 8 ? * 6#3#1": day-of-week: must be W#N with one #, such as 6#3, got "6#3#1"`},
		{"0 8 ? * x#3", "day-of-week", `api: invalid cron "0 8 ? * x#3": day-of-week: weekday must be a number from 0 to 6, got "x"; 0 is Sunday and 6 is Saturday`},
		{"0 8 ? * 6#x", "day-of-week", `api: invalid cron "0 8 ? * 6#x": day-of-week: week of the month must be a number from 1 to 5, got "x"`},
		{"0 8 ? * SAT#3", "day-of-week", `api: invalid cron "0 8 ? * SAT#3": day-of-week: weekday names such as SAT are not supported; use 0 (Sunday) to 6 (Saturday)`},
		{"0 8 ? * mon", "day-of-week", `api: invalid cron "0 8 ? * mon": day-of-week: weekday names such as MON are not supported; use 0 (Sunday) to 6 (Saturday)`},
		{"0 8 ? * 6L", "day-of-week", `api: invalid cron "0 8 ? * 6L": day-of-week: L (last weekday of the month) in "6L" is not supported; use W#N with N from 1 to 5`},
		{"0 8 ? * 1-5", "day-of-week", `api: invalid cron "0 8 ? * 1-5": day-of-week: ranges such as "1-5" are not supported; use one value`},
		{"0 8 ? * 1#1,1#3", "day-of-week", `api: invalid cron "0 8 ? * 1#1,1#3": day-of-week: lists such as "1#1,1#3" are not supported; use one value`},
		{"0 8 ? * */2", "day-of-week", `api: invalid cron "0 8 ? * */2": day-of-week: steps such as "*/2" are not supported; use one value`},
		{"0 8 ? * *", "day-of-week", `api: invalid cron "0 8 ? * *": day-of-week: * is not supported; use ? when day-of-month is set, or W#N such as 6#3`},
		{"0 8 15 * *", "day-of-week", `api: invalid cron "0 8 15 * *": day-of-week: * is not supported; use ? when day-of-month is set, or W#N such as 6#3`},
		{"0 8 ? * x", "day-of-week", `api: invalid cron "0 8 ? * x": day-of-week: must be W#N, such as 6#3 for the third Saturday, got "x"`},

		// The two day fields together.
		{"0 8 15 * 6#3", "day-of-month and day-of-week", `api: invalid cron "0 8 15 * 6#3": day-of-month and day-of-week: both are set; put ? in the one you do not use`},
		{"0 8 ? * ?", "day-of-month and day-of-week", `api: invalid cron "0 8 ? * ?": day-of-month and day-of-week: neither is set; set a day of the month (1 to 31) or an nth weekday (such as 6#3), and ? in the other`},
		{"0 8 * * 6#3", "day-of-month", `api: invalid cron "0 8 * * 6#3": day-of-month: * (every day) is not supported; use a day from 1 to 31, or ? with an nth weekday in day-of-week`},
		{"0 8 15 * 6", "day-of-week", `api: invalid cron "0 8 15 * 6": day-of-week: weekday 6 needs #N for the week of the month, such as 6#3 for the third Saturday; every week is not supported`},
	}
	for _, tt := range tests {
		got, err := ParseCron(tt.in)
		require.EqualError(t, err, tt.wantErr, "input %q", tt.in)
		assert.Equal(t, Cron{}, got, "input %q", tt.in)

		var cronErr *CronError
		require.ErrorAs(t, err, &cronErr, "input %q", tt.in)
		assert.Equal(t, tt.in, cronErr.Input)
		assert.Equal(t, tt.field, cronErr.Field, "input %q", tt.in)
	}
}

func TestCronErrorOneLine(t *testing.T) {
	in := "0 8 ? *\n6#3\n" + strings.Repeat("x", 200)
	_, err := ParseCron(in)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n")
	assert.Less(t, len(err.Error()), 250)
}

func TestDayOfMonthCron(t *testing.T) {
	c, err := DayOfMonthCron(15, 8, 30)
	require.NoError(t, err)
	assert.Equal(t, Cron{Minute: 30, Hour: 8, Day: 15}, c)
	assert.Equal(t, "30 8 15 * ?", c.String())

	tests := []struct {
		day, hour, minute int
		wantErr           string
	}{
		{0, 8, 0, `api: invalid cron "0 8 0 * ?": day-of-month and day-of-week: Day and Nth are both 0; set a day of the month or an nth weekday`},
		{32, 8, 0, `api: invalid cron "0 8 32 * ?": day-of-month: must be from 1 to 31, got 32`},
		{-1, 8, 0, `api: invalid cron "0 8 -1 * ?": day-of-month: must be from 1 to 31, got -1`},
		{1, 24, 0, `api: invalid cron "0 24 1 * ?": hour: must be from 0 to 23, got 24`},
		{1, -1, 0, `api: invalid cron "0 -1 1 * ?": hour: must be from 0 to 23, got -1`},
		{1, 8, 60, `api: invalid cron "60 8 1 * ?": minute: must be from 0 to 59, got 60`},
	}
	for _, tt := range tests {
		c, err := DayOfMonthCron(tt.day, tt.hour, tt.minute)
		require.EqualError(t, err, tt.wantErr)
		assert.Equal(t, Cron{}, c)
	}
}

func TestNthWeekdayCron(t *testing.T) {
	c, err := NthWeekdayCron(3, time.Saturday, 8, 0)
	require.NoError(t, err)
	assert.Equal(t, Cron{Hour: 8, Weekday: time.Saturday, Nth: 3}, c)
	assert.Equal(t, "0 8 ? * 6#3", c.String())

	tests := []struct {
		nth          int
		weekday      time.Weekday
		hour, minute int
		wantErr      string
	}{
		{0, time.Saturday, 8, 0, `api: invalid cron "0 8 0 * ?": day-of-month and day-of-week: Day and Nth are both 0; set a day of the month or an nth weekday`},
		{6, time.Saturday, 8, 0, `api: invalid cron "0 8 ? * 6#6": day-of-week: week of the month must be from 1 to 5, got 6`},
		{-1, time.Saturday, 8, 0, `api: invalid cron "0 8 ? * 6#-1": day-of-week: week of the month must be from 1 to 5, got -1`},
		{1, time.Weekday(7), 8, 0, `api: invalid cron "0 8 ? * 7#1": day-of-week: weekday must be from 0 (Sunday) to 6 (Saturday), got 7`},
		{1, time.Weekday(-1), 8, 0, `api: invalid cron "0 8 ? * -1#1": day-of-week: weekday must be from 0 (Sunday) to 6 (Saturday), got -1`},
		{1, time.Monday, 25, 0, `api: invalid cron "0 25 ? * 1#1": hour: must be from 0 to 23, got 25`},
		{1, time.Monday, 0, -5, `api: invalid cron "-5 0 ? * 1#1": minute: must be from 0 to 59, got -5`},
	}
	for _, tt := range tests {
		c, err := NthWeekdayCron(tt.nth, tt.weekday, tt.hour, tt.minute)
		require.EqualError(t, err, tt.wantErr)
		assert.Equal(t, Cron{}, c)
	}
}

func TestCronValidateBothForms(t *testing.T) {
	err := Cron{Hour: 8, Day: 15, Weekday: time.Saturday, Nth: 3}.Validate()
	require.EqualError(t, err, `api: invalid cron "0 8 ? * 6#3": day-of-month and day-of-week: Day 15 and Nth 3 are both set; set one of them to 0`)
	assert.EqualError(t, Cron{}.Validate(), `api: invalid cron "0 0 0 * ?": day-of-month and day-of-week: Day and Nth are both 0; set a day of the month or an nth weekday`)
}

func TestCronWeekdayIgnoredInDayForm(t *testing.T) {
	c := Cron{Hour: 8, Day: 15, Weekday: time.Friday}
	require.NoError(t, c.Validate())
	assert.Equal(t, "0 8 15 * ?", c.String())

	got := c.Next(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil)
	assert.Equal(t, time.Date(2024, 1, 15, 8, 0, 0, 0, time.UTC), got)
}

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func mustParseCron(t *testing.T, s string) Cron {
	t.Helper()
	c, err := ParseCron(s)
	require.NoError(t, err)
	return c
}

// nextRuns returns the next n runs of c after after, formatted in RFC 3339
// with the zone abbreviation, so a failure shows the offset and the zone.
func nextRuns(c Cron, after time.Time, loc *time.Location, n int) []string {
	var runs []string
	for range n {
		after = c.Next(after, loc)
		runs = append(runs, after.Format("2006-01-02T15:04:05Z07:00 MST"))
	}
	return runs
}

func TestCronNext(t *testing.T) {
	tests := []struct {
		name  string
		cron  string
		zone  string
		after string
		want  []string
	}{
		{
			name:  "okta example",
			cron:  "0 8 ? * 6#3",
			zone:  "America/New_York",
			after: "2024-01-01T00:00:00Z",
			want: []string{
				"2024-01-20T08:00:00-05:00 EST",
				"2024-02-17T08:00:00-05:00 EST",
				"2024-03-16T08:00:00-04:00 EDT",
			},
		},
		{
			name:  "31st skips short months",
			cron:  "0 8 31 * ?",
			zone:  "UTC",
			after: "2024-01-01T00:00:00Z",
			want: []string{
				"2024-01-31T08:00:00Z UTC",
				"2024-03-31T08:00:00Z UTC",
				"2024-05-31T08:00:00Z UTC",
				"2024-07-31T08:00:00Z UTC",
				"2024-08-31T08:00:00Z UTC",
				"2024-10-31T08:00:00Z UTC",
				"2024-12-31T08:00:00Z UTC",
				"2025-01-31T08:00:00Z UTC",
			},
		},
		{
			name:  "29th skips february outside leap years",
			cron:  "0 0 29 * ?",
			zone:  "UTC",
			after: "2023-01-30T00:00:00Z",
			want: []string{
				"2023-03-29T00:00:00Z UTC",
				"2023-04-29T00:00:00Z UTC",
			},
		},
		{
			name:  "29th in a leap february",
			cron:  "0 0 29 * ?",
			zone:  "UTC",
			after: "2024-01-30T00:00:00Z",
			want: []string{
				"2024-02-29T00:00:00Z UTC",
				"2024-03-29T00:00:00Z UTC",
			},
		},
		{
			name:  "fifth saturday skips months without one",
			cron:  "0 8 ? * 6#5",
			zone:  "UTC",
			after: "2024-01-01T00:00:00Z",
			want: []string{
				"2024-03-30T08:00:00Z UTC",
				"2024-06-29T08:00:00Z UTC",
				"2024-08-31T08:00:00Z UTC",
				"2024-11-30T08:00:00Z UTC",
			},
		},
		{
			name:  "first day of the week lands on the 1st",
			cron:  "0 9 ? * 1#1",
			zone:  "UTC",
			after: "2024-03-31T00:00:00Z",
			want: []string{
				"2024-04-01T09:00:00Z UTC",
				"2024-05-06T09:00:00Z UTC",
			},
		},
		{
			name:  "new york spring forward moves 02:30 to 03:30",
			cron:  "30 2 ? * 0#2",
			zone:  "America/New_York",
			after: "2024-03-01T00:00:00Z",
			want: []string{
				"2024-03-10T03:30:00-04:00 EDT",
				"2024-04-14T02:30:00-04:00 EDT",
			},
		},
		{
			name:  "new york spring forward moves 02:00 to 03:00",
			cron:  "0 2 10 * ?",
			zone:  "America/New_York",
			after: "2024-02-11T00:00:00Z",
			want: []string{
				"2024-03-10T03:00:00-04:00 EDT",
				"2024-04-10T02:00:00-04:00 EDT",
			},
		},
		{
			name:  "new york fall back runs at the first 01:30",
			cron:  "30 1 ? * 0#1",
			zone:  "America/New_York",
			after: "2024-10-15T00:00:00Z",
			want: []string{
				"2024-11-03T01:30:00-04:00 EDT",
				"2024-12-01T01:30:00-05:00 EST",
			},
		},
		{
			name:  "berlin spring forward moves 02:30 to 03:30",
			cron:  "30 2 ? * 0#5",
			zone:  "Europe/Berlin",
			after: "2024-03-01T00:00:00Z",
			want: []string{
				"2024-03-31T03:30:00+02:00 CEST",
				"2024-06-30T02:30:00+02:00 CEST",
			},
		},
		{
			name:  "berlin fall back runs at the first 02:30",
			cron:  "30 2 ? * 0#4",
			zone:  "Europe/Berlin",
			after: "2024-10-01T00:00:00Z",
			want: []string{
				"2024-10-27T02:30:00+02:00 CEST",
				"2024-11-24T02:30:00+01:00 CET",
			},
		},
		{
			name:  "berlin times just outside the changes",
			cron:  "59 1 27 * ?",
			zone:  "Europe/Berlin",
			after: "2024-10-01T00:00:00Z",
			want: []string{
				"2024-10-27T01:59:00+02:00 CEST",
				"2024-11-27T01:59:00+01:00 CET",
			},
		},
		{
			name:  "lord howe moves by half an hour",
			cron:  "15 2 ? * 0#1",
			zone:  "Australia/Lord_Howe",
			after: "2024-09-15T00:00:00Z",
			want: []string{
				"2024-10-06T02:45:00+11:00 +11",
				"2024-11-03T02:15:00+11:00 +11",
			},
		},
		{
			name:  "lord howe fall back runs at the first 01:45",
			cron:  "45 1 ? * 0#1",
			zone:  "Australia/Lord_Howe",
			after: "2024-03-15T00:00:00Z",
			want: []string{
				"2024-04-07T01:45:00+11:00 +11",
				"2024-05-05T01:45:00+10:30 +1030",
			},
		},
		{
			name:  "santiago skips midnight",
			cron:  "0 0 ? * 0#2",
			zone:  "America/Santiago",
			after: "2024-08-20T00:00:00Z",
			want: []string{
				"2024-09-08T01:00:00-03:00 -03",
				"2024-10-13T00:00:00-03:00 -03",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParseCron(t, tt.cron)
			after, err := time.Parse(time.RFC3339, tt.after)
			require.NoError(t, err)

			assert.Equal(t, tt.want, nextRuns(c, after, mustLoad(t, tt.zone), len(tt.want)))
		})
	}
}

func TestCronNextStrictlyAfter(t *testing.T) {
	c := mustParseCron(t, "0 8 15 * ?")
	run := time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC)

	assert.Equal(t, run, c.Next(run.Add(-time.Nanosecond), time.UTC))
	assert.Equal(t, time.Date(2024, 6, 15, 8, 0, 0, 0, time.UTC), c.Next(run, time.UTC))
}

func TestCronNextAfterFirstOfAmbiguousPair(t *testing.T) {
	loc := mustLoad(t, "America/New_York")
	c := mustParseCron(t, "30 1 ? * 0#1")
	first := c.Next(time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), loc)
	require.Equal(t, "2024-11-03T01:30:00-04:00", first.Format(time.RFC3339))

	// The second 01:30 of that day is not a run.
	next := c.Next(first, loc)
	assert.Equal(t, "2024-12-01T01:30:00-05:00", next.Format(time.RFC3339))
}

func TestCronNextNilLocationIsUTC(t *testing.T) {
	c := mustParseCron(t, "0 8 15 * ?")
	after := time.Date(2024, 5, 1, 0, 0, 0, 0, mustLoad(t, "Asia/Tokyo"))

	got := c.Next(after, nil)
	assert.Equal(t, time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC), got)
	assert.Equal(t, time.UTC, got.Location())
}

func TestCronNextInZoneOfLocation(t *testing.T) {
	loc := mustLoad(t, "Asia/Tokyo")
	c := mustParseCron(t, "0 8 15 * ?")

	// 2024-05-14T23:30Z is already the 15th at 08:30 in Tokyo, so the run of
	// that day has passed.
	got := c.Next(time.Date(2024, 5, 14, 23, 30, 0, 0, time.UTC), loc)
	assert.Equal(t, "2024-06-15T08:00:00+09:00", got.Format(time.RFC3339))
	assert.Equal(t, loc, got.Location())
}

func TestCronNextInvalidIsZero(t *testing.T) {
	after := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, Cron{}.Next(after, time.UTC).IsZero())
	assert.True(t, Cron{Day: 40}.Next(after, time.UTC).IsZero())
	assert.True(t, Cron{Day: 1, Nth: 1}.Next(after, time.UTC).IsZero())
}

// TestCronNextGaps checks the bound of maxSearchMonths over 400 years, one
// full cycle of the Gregorian calendar: the longest run of months without
// the day of a valid Cron.
func TestCronNextGaps(t *testing.T) {
	var crons []Cron
	for day := 1; day <= 31; day++ {
		crons = append(crons, Cron{Day: day})
	}
	for nth := 1; nth <= 5; nth++ {
		for weekday := time.Sunday; weekday <= time.Saturday; weekday++ {
			crons = append(crons, Cron{Weekday: weekday, Nth: nth})
		}
	}

	longest := 0
	for _, c := range crons {
		last := -1
		for i := range 400 * 12 {
			if _, ok := c.dayIn(2000, time.Month(i+1)); ok {
				if last >= 0 {
					longest = max(longest, i-last)
				}
				last = i
			}
		}
	}
	assert.Equal(t, 4, longest)
	assert.Less(t, longest+2, maxSearchMonths)
}

func TestCronNextEveryDayAndZone(t *testing.T) {
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata"}
	after := time.Date(2023, 12, 31, 12, 0, 0, 0, time.UTC)

	for _, zone := range zones {
		loc := mustLoad(t, zone)
		for day := 1; day <= 31; day++ {
			c := Cron{Minute: 30, Hour: 2, Day: day}
			prev := after
			for range 14 {
				next := c.Next(prev, loc)
				require.True(t, next.After(prev), "%s day %d: %v not after %v", zone, day, next, prev)
				assert.Equal(t, day, next.Day(), "%s day %d: %v", zone, day, next)
				assert.Equal(t, loc, next.Location())
				prev = next
			}
		}
	}
}

// FuzzParseCron checks that ParseCron does not panic, that an accepted
// expression formats to a canonical one that parses to the same Cron, and
// that Next moves strictly forward. The seed corpus is in
// testdata/fuzz/FuzzParseCron.
func FuzzParseCron(f *testing.F) {
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		require.NoError(f, err)
		zones = append(zones, loc)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCron(s)
		if err != nil {
			var cronErr *CronError
			require.True(t, errors.As(err, &cronErr), "error %v is not a *CronError", err)
			assert.Equal(t, s, cronErr.Input)
			assert.NotEmpty(t, cronErr.Reason)
			assert.NotContains(t, err.Error(), "\n")
			assert.Equal(t, Cron{}, c)
			return
		}

		require.NoError(t, c.Validate())
		canonical := c.String()
		again, err := ParseCron(canonical)
		require.NoError(t, err, "canonical form %q of %q", canonical, s)
		require.Equal(t, c, again, "canonical form %q of %q", canonical, s)
		require.Equal(t, canonical, again.String())

		for _, loc := range zones {
			prev := start
			for range 6 {
				next := c.Next(prev, loc)
				require.False(t, next.IsZero(), "%q in %v after %v", s, loc, prev)
				require.True(t, next.After(prev), "%q in %v: %v not after %v", s, loc, next, prev)
				prev = next
			}
		}
	})
}
