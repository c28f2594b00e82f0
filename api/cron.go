package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cron is a schedule in one of the two forms that AutoUpdateSchedule.Cron
// accepts: a day of the month at a time of day ("0 8 15 * ?", the 15th at
// 08:00), or the nth weekday of the month at a time of day ("0 8 ? * 6#3",
// the third Saturday at 08:00).
//
// Exactly one of Day and Nth is set. The zero Cron is invalid: make one
// with DayOfMonthCron, NthWeekdayCron or ParseCron, or check a literal with
// Validate.
type Cron struct {
	Minute int // minute of the hour, 0 to 59
	Hour   int // hour of the day, 0 to 23

	// Day is the day of the month, 1 to 31, or 0 in the nth-weekday form.
	Day int

	// Weekday is the day of the week in the nth-weekday form. It is ignored
	// in the day-of-month form, where ParseCron and DayOfMonthCron leave it
	// Sunday, the zero Weekday.
	Weekday time.Weekday

	// Nth is the week of the month in the nth-weekday form, 1 to 5, so 3
	// with Saturday is the third Saturday. It is 0 in the day-of-month form.
	Nth int
}

// Names of the cron fields, as CronError.Field reports them.
const (
	cronMinute     = "minute"
	cronHour       = "hour"
	cronDayOfMonth = "day-of-month"
	cronMonth      = "month"
	cronDayOfWeek  = "day-of-week"
	cronDays       = "day-of-month and day-of-week"
)

// CronError is the error for a cron expression, or a Cron, that is not in
// a form that AutoUpdateSchedule.Cron accepts.
type CronError struct {
	Input string // expression as given, or Cron.String for a Cron value

	// Field is the field at fault: "minute", "hour", "day-of-month",
	// "month", "day-of-week", "day-of-month and day-of-week" when the two
	// conflict, or "" when the number of fields is wrong.
	Field string

	Reason string // what is wrong and how to fix it
}

// Error returns the error on one line, with the input quoted and cut to 80
// characters.
func (e *CronError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("api: invalid cron %.80q: %s", e.Input, e.Reason)
	}
	return fmt.Sprintf("api: invalid cron %.80q: %s: %s", e.Input, e.Field, e.Reason)
}

// DayOfMonthCron returns the schedule that runs on day (1 to 31) of every
// month at hour:minute. It returns a *CronError for a value out of range.
// A month without that day has no run: see Cron.Next.
func DayOfMonthCron(day, hour, minute int) (Cron, error) {
	c := Cron{Minute: minute, Hour: hour, Day: day}
	if err := c.Validate(); err != nil {
		return Cron{}, err
	}
	return c, nil
}

// NthWeekdayCron returns the schedule that runs on the nth (1 to 5)
// weekday of every month at hour:minute; NthWeekdayCron(3, time.Saturday,
// 8, 0) is "0 8 ? * 6#3". It returns a *CronError for a value out of
// range. A month without a fifth such weekday has no run: see Cron.Next.
func NthWeekdayCron(nth int, weekday time.Weekday, hour, minute int) (Cron, error) {
	c := Cron{Minute: minute, Hour: hour, Weekday: weekday, Nth: nth}
	if err := c.Validate(); err != nil {
		return Cron{}, err
	}
	return c, nil
}

// Validate returns a *CronError when c is not a schedule that
// AutoUpdateSchedule.Cron accepts, and nil otherwise.
func (c Cron) Validate() error {
	fail := func(field, reason string) error {
		return &CronError{Input: c.String(), Field: field, Reason: reason}
	}

	if reason := checkRange(c.Minute, 0, 59); reason != "" {
		return fail(cronMinute, reason)
	}
	if reason := checkRange(c.Hour, 0, 23); reason != "" {
		return fail(cronHour, reason)
	}

	switch {
	case c.Day != 0 && c.Nth != 0:
		return fail(cronDays, fmt.Sprintf("Day %d and Nth %d are both set; set one of them to 0", c.Day, c.Nth))
	case c.Day == 0 && c.Nth == 0:
		return fail(cronDays, "Day and Nth are both 0; set a day of the month or an nth weekday")
	case c.Nth == 0:
		if reason := checkRange(c.Day, 1, 31); reason != "" {
			return fail(cronDayOfMonth, reason)
		}
	default:
		if c.Weekday < time.Sunday || c.Weekday > time.Saturday {
			return fail(cronDayOfWeek, fmt.Sprintf("weekday must be from 0 (Sunday) to 6 (Saturday), got %d", int(c.Weekday)))
		}
		if reason := checkRange(c.Nth, 1, 5); reason != "" {
			return fail(cronDayOfWeek, "week of the month "+reason)
		}
	}
	return nil
}

func checkRange(n, minimum, maximum int) string {
	if n < minimum || n > maximum {
		return fmt.Sprintf("must be from %d to %d, got %d", minimum, maximum, n)
	}
	return ""
}

// String returns c in the canonical form that ParseCron reads back:
// "M H D * ?" for a day of the month and "M H ? * W#N" for an nth weekday,
// with numbers in decimal without leading zeros. For a Cron that Validate
// rejects the result does not parse.
func (c Cron) String() string {
	if c.Nth != 0 {
		return fmt.Sprintf("%d %d ? * %d#%d", c.Minute, c.Hour, int(c.Weekday), c.Nth)
	}
	return fmt.Sprintf("%d %d %d * ?", c.Minute, c.Hour, c.Day)
}

// ParseCron reads a cron expression in one of the two forms that
// AutoUpdateSchedule.Cron accepts: five fields separated by white space,
// minute hour day-of-month month day-of-week, either "M H D * ?" or
// "M H ? * W#N". M is 0 to 59, H is 0 to 23, D is 1 to 31, W is 0
// (Sunday) to 6 (Saturday) and N is 1 to 5. Numbers are decimal; leading
// zeros are allowed.
//
// Okta documents only these two forms, so ParseCron accepts only the
// spelling that Okta's examples use. For anything else it returns a
// *CronError that names the field and the fix:
//   - The month field must be "*", because a schedule runs every month.
//   - The unused day field must be "?", not "*", because cron dialects
//     differ on what "*" means there.
//   - A weekday is a digit. Names such as SAT, and 7 for Sunday, are
//     rejected, because Okta's examples show digits only and 7 is Saturday
//     in Quartz.
//   - Ranges (1-5), lists (1,15), steps (*/5), L, W and a weekday without
//     "#N" are rejected.
func ParseCron(s string) (Cron, error) {
	fields := strings.Fields(s)
	fail := func(field, reason string) (Cron, error) {
		return Cron{}, &CronError{Input: s, Field: field, Reason: reason}
	}

	if len(fields) != 5 {
		reason := fmt.Sprintf("want 5 fields: minute hour day-of-month month day-of-week, got %d", len(fields))
		if len(fields) == 6 || len(fields) == 7 {
			reason += "; seconds and years are not supported"
		}
		return fail("", reason)
	}

	minute, reason := parseTimeField(fields[0], 59)
	if reason != "" {
		return fail(cronMinute, reason)
	}
	hour, reason := parseTimeField(fields[1], 23)
	if reason != "" {
		return fail(cronHour, reason)
	}
	if fields[3] != "*" {
		return fail(cronMonth, fmt.Sprintf("must be *, got %q; a schedule runs every month", fields[3]))
	}

	dayField, weekdayField := fields[2], fields[4]
	switch {
	case dayField == "?" && weekdayField == "?":
		return fail(cronDays, "neither is set; set a day of the month (1 to 31) or an nth weekday (such as 6#3), and ? in the other")
	case weekdayField == "?":
		day, reason := parseDayOfMonth(dayField)
		if reason != "" {
			return fail(cronDayOfMonth, reason)
		}
		return Cron{Minute: minute, Hour: hour, Day: day}, nil
	case dayField == "?":
		weekday, nth, reason := parseNthWeekday(weekdayField)
		if reason != "" {
			return fail(cronDayOfWeek, reason)
		}
		return Cron{Minute: minute, Hour: hour, Weekday: weekday, Nth: nth}, nil
	}

	// Neither day field is "?": report a field that is wrong in itself
	// before the conflict between them.
	if _, reason := parseDayOfMonth(dayField); reason != "" {
		return fail(cronDayOfMonth, reason)
	}
	if _, _, reason := parseNthWeekday(weekdayField); reason != "" {
		return fail(cronDayOfWeek, reason)
	}
	return fail(cronDays, "both are set; put ? in the one you do not use")
}

// parseTimeField reads the minute or hour field, a number from 0 to
// maximum. It returns the reason the field is invalid, or "".
func parseTimeField(text string, maximum int) (int, string) {
	if reason := unsupportedSyntax(text); reason != "" {
		return 0, reason
	}

	switch {
	case text == "*":
		return 0, fmt.Sprintf("* is not supported; use one number from 0 to %d", maximum)
	case text == "?":
		return 0, "? is allowed only in day-of-month or day-of-week"
	case strings.Contains(text, "#"):
		return 0, "# is allowed only in day-of-week"
	}
	return parseNumber(text, 0, maximum)
}

// parseDayOfMonth reads a day-of-month field other than "?".
func parseDayOfMonth(text string) (int, string) {
	upper := strings.ToUpper(text)

	switch {
	case strings.Contains(upper, "L"):
		return 0, fmt.Sprintf("L (last day of the month) in %q is not supported; use a day from 1 to 31", text)
	case strings.Contains(upper, "W"):
		return 0, fmt.Sprintf("W (nearest weekday) in %q is not supported; use a day from 1 to 31", text)
	case strings.Contains(text, "#"):
		return 0, "# is allowed only in day-of-week"
	}
	if reason := unsupportedSyntax(text); reason != "" {
		return 0, reason
	}
	if text == "*" {
		return 0, "* (every day) is not supported; use a day from 1 to 31, or ? with an nth weekday in day-of-week"
	}
	return parseNumber(text, 1, 31)
}

// weekdayNames are the English weekday abbreviations of Quartz-style cron,
// recognized only to reject them with a clear reason.
var weekdayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// parseNthWeekday reads a day-of-week field other than "?", in the form
// W#N.
func parseNthWeekday(text string) (time.Weekday, int, string) {
	upper := strings.ToUpper(text)
	for _, name := range weekdayNames {
		if strings.Contains(upper, name) {
			return 0, 0, fmt.Sprintf("weekday names such as %s are not supported; use 0 (Sunday) to 6 (Saturday)", name)
		}
	}
	if strings.Contains(upper, "L") {
		return 0, 0, fmt.Sprintf("L (last weekday of the month) in %q is not supported; use W#N with N from 1 to 5", text)
	}
	if reason := unsupportedSyntax(text); reason != "" {
		return 0, 0, reason
	}
	if text == "*" {
		return 0, 0, "* is not supported; use ? when day-of-month is set, or W#N such as 6#3"
	}

	weekdayText, nthText, found := strings.Cut(text, "#")
	if !found {
		if isDigits(text) {
			return 0, 0, fmt.Sprintf("weekday %s needs #N for the week of the month, such as 6#3 for the third Saturday; every week is not supported", text)
		}
		return 0, 0, fmt.Sprintf("must be W#N, such as 6#3 for the third Saturday, got %q", text)
	}
	if strings.Contains(nthText, "#") {
		return 0, 0, fmt.Sprintf("must be W#N with one #, such as 6#3, got %q", text)
	}

	if weekdayText == "" {
		return 0, 0, "weekday is missing before #; use 0 (Sunday) to 6 (Saturday)"
	}
	weekday, reason := parseNumber(weekdayText, 0, 6)
	if reason != "" {
		return 0, 0, "weekday " + reason + "; 0 is Sunday and 6 is Saturday"
	}

	if nthText == "" {
		return 0, 0, "week of the month is missing after #; use 1 to 5"
	}
	nth, reason := parseNumber(nthText, 1, 5)
	if reason != "" {
		return 0, 0, "week of the month " + reason
	}
	return time.Weekday(weekday), nth, ""
}

// unsupportedSyntax returns the reason for a range, list or step, or "".
func unsupportedSyntax(text string) string {
	switch {
	case strings.Contains(text, ","):
		return fmt.Sprintf("lists such as %q are not supported; use one value", text)
	case strings.Contains(text, "/"):
		return fmt.Sprintf("steps such as %q are not supported; use one value", text)
	case strings.LastIndex(text, "-") > 0:
		return fmt.Sprintf("ranges such as %q are not supported; use one value", text)
	}
	return ""
}

// parseNumber reads text as a decimal number from minimum to maximum. It
// returns the reason text is invalid, or "".
func parseNumber(text string, minimum, maximum int) (int, string) {
	if !isDigits(text) {
		return 0, fmt.Sprintf("must be a number from %d to %d, got %q", minimum, maximum, text)
	}

	n, err := strconv.Atoi(text)
	if err != nil || n < minimum || n > maximum {
		return 0, fmt.Sprintf("must be from %d to %d, got %s", minimum, maximum, text)
	}
	return n, ""
}

func isDigits(text string) bool {
	for _, r := range text {
		if r < '0' || r > '9' {
			return false
		}
	}
	return text != ""
}

// maxSearchMonths bounds the months that Next tries. A day from 29 to 31
// recurs within 2 months and a fifth weekday within 4, as TestCronNextGaps
// checks over a 400-year cycle of the calendar. So a valid Cron never
// reaches the bound.
const maxSearchMonths = 24

// Next returns the first run of c strictly after the instant after,
// reading c in loc (UTC when loc is nil). The result is in loc. It returns
// the zero time.Time when c is invalid.
//
// Okta does not document these cases, so Next decides them:
//   - A month without the day (the 31st in April, the 30th in February) or
//     without the weekday (a fifth Saturday) has no run. Standard cron
//     skips such a day of the month too, and any other day would be a
//     guess.
//   - When the clocks skip the time of day, such as 02:30 on a day when
//     they jump from 02:00 to 03:00, the run is at the instant that 02:30
//     would be under the offset before the jump. The clocks show that
//     instant as 03:30, so the run moves by the length of the gap.
//   - When the clocks go back and show the time of day twice (01:30 on a
//     day when they fall from 02:00 to 01:00), the run is at the first
//     of the two instants.
func (c Cron) Next(after time.Time, loc *time.Location) time.Time {
	if c.Validate() != nil {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}

	// Start a month early: a run moved past a gap at the end of a month
	// lands in the next month.
	local := after.In(loc)
	year, month := local.Year(), local.Month()-1
	for range maxSearchMonths {
		if day, ok := c.dayIn(year, month); ok {
			run := wallTime(year, month, day, c.Hour, c.Minute, loc)
			if run.After(after) {
				return run
			}
		}
		month++
	}
	return time.Time{}
}

// dayIn returns the day of the month on which c runs in the given month,
// and false when that month has no such day. month may be out of range
// (0 is December of the year before), as time.Date allows.
func (c Cron) dayIn(year int, month time.Month) (int, bool) {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()

	day := c.Day
	if c.Nth != 0 {
		day = 1 + (int(c.Weekday)-int(first.Weekday())+7)%7 + (c.Nth-1)*7
	}
	return day, day <= last
}

// wallTime returns the instant at which the clocks in loc show the given
// date at hour:minute. Unlike time.Date, which leaves the choice open, it
// returns the first of two such instants after clocks went back, and
// the time moved forward by the length of the gap when clocks skipped it.
func wallTime(year int, month time.Month, day, hour, minute int, loc *time.Location) time.Time {
	wall := time.Date(year, month, day, hour, minute, 0, 0, time.UTC)

	// The instant is wall minus the UTC offset in effect then. Offsets in
	// the zone database stay within a day of UTC (Asia/Manila used -15:56
	// until 1844), so try the offset of every zone period that overlaps the
	// 26 hours either side of wall read as UTC.
	var earliest, latest time.Time
	probe := wall.Add(-26 * time.Hour)
	limit := wall.Add(26 * time.Hour)
	for range 16 {
		_, offset := probe.In(loc).Zone()
		candidate := wall.Add(-time.Duration(offset) * time.Second)

		if sameWallClock(candidate.In(loc), wall) {
			if earliest.IsZero() || candidate.Before(earliest) {
				earliest = candidate
			}
		}
		if latest.IsZero() || candidate.After(latest) {
			latest = candidate
		}

		_, end := probe.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(limit) {
			break
		}
		probe = end
	}

	if !earliest.IsZero() {
		return earliest.In(loc)
	}

	// No offset makes the clocks show wall, so it lies in a gap. The
	// latest candidate uses the offset before the clocks went forward.
	return latest.In(loc)
}

func sameWallClock(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	h1, min1, s1 := t.Clock()
	h2, min2, s2 := wall.Clock()
	return y1 == y2 && m1 == m2 && d1 == d2 && h1 == h2 && min1 == min2 && s1 == s2
}
